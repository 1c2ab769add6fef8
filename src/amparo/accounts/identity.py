"""An organisation's legal identity and its statuses: who signs notices and complaints, and
which escalation routes it holds.

* **Legal identity.** The legal name, registration and postal address print on remedy
  documents, and the *role* e-mail address (``dsa@``, ``legal@``, ``helpline@``...) is the
  notifier's address in every notice: DSA Art 16(2)(c) asks for "the name and email address of
  the individual or entity submitting the notice". It is never a person's own address (a
  caseworker's inbox can be phished, leave, or be pressured) nor the installation's sending
  address, which every organisation on the server shares.
* **Trusted flagger** (Art 22): the status is awarded by the Digital Services Coordinator of
  the member state where the organisation is established (Art 22(2)); with it the register
  offers the priority notice route (Art 22(1)).
* **Partner programmes**: the platforms' own programmes (Meta's Trusted Partners, YouTube's
  Priority Flaggers...) that the register knows; with one, its channels are offered.

Coordinators and administrators change them; each change is audited (the names of the fields
changed and the status codes, never the free texts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.models import Organisation, User
from amparo.accounts.roles import Capability
from amparo.audit.services import record

TEXT_FIELDS = ("legal_name", "registration_number", "postal_address")
FIELDS = (
    *TEXT_FIELDS,
    "registration_country",
    "notice_email",
    "trusted_flagger_awarded_by",
    "trusted_flagger_since",
    "partner_programmes",
)
_MAX = {"legal_name": 200, "registration_number": 64, "postal_address": 1000}


@dataclass(frozen=True)
class Notifier:
    """The organisation as notifier: its legal name and role address (Art 16(2)(c))."""

    name: str
    email: str


def establishment(organisation: Organisation) -> str:
    """Where the organisation is established: its country of registration, else its country."""
    return (organisation.registration_country or organisation.country or "").upper()


def notifier_for(organisation: Organisation) -> Notifier | None:
    """The notifier's name and e-mail, or None while the organisation has no role address."""
    if not organisation.notice_email:
        return None
    return Notifier(organisation.notifier_name, organisation.notice_email)


def programme_choices(organisation: Organisation) -> list[tuple[str, str]]:
    """The partner programmes of the organisation's register: (code, name of its channel)."""
    from amparo.escalations.register import for_organisation

    programmes = for_organisation(organisation).programmes()
    return sorted(
        ((code, channels[0].name) for code, channels in programmes.items()),
        key=lambda item: item[1],
    )


def _role_address(value: str) -> str:
    from amparo.engines.register import is_role_address

    address = value.strip().lower()
    if not address:
        return ""
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(_("Enter a valid e-mail address.")) from None
    if User.objects.filter(email__iexact=address).exists() or not is_role_address(address):
        raise ValidationError(
            _(
                "Use a role address of the organisation (for example dsa@, legal@, "
                "helpline@, complaints@), never a person's own address: %(address)s is not one."
            )
            % {"address": address}
        )
    return address


def _clean(organisation: Organisation, data: dict[str, Any]) -> dict[str, Any]:
    from amparo.core.countries import is_country
    from amparo.escalations.register import shipped

    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        text = str(data.get(name) or "").strip()
        if len(text) > _MAX[name]:
            raise ValidationError(
                _("%(field)s is too long (%(max)d characters at most).")
                % {"field": name.replace("_", " "), "max": _MAX[name]}
            )
        values[name] = text
    country = str(data.get("registration_country") or "").strip().upper()
    if country and not is_country(country):
        raise ValidationError(_("Choose the country of registration from the list."))
    values["registration_country"] = country
    values["notice_email"] = _role_address(str(data.get("notice_email") or ""))

    awarded_by = str(data.get("trusted_flagger_awarded_by") or "").strip().upper()
    since = data.get("trusted_flagger_since") or None
    if isinstance(since, str):
        try:
            since = date.fromisoformat(since)
        except ValueError:
            since = False
    if since is not None and not isinstance(since, date):
        raise ValidationError(_("Enter the day the trusted flagger status was awarded."))
    if bool(awarded_by) != bool(since):
        raise ValidationError(
            _(
                "A trusted flagger status needs both the coordinator that awarded it and the "
                "day it was awarded (DSA Art 22(2))."
            )
        )
    if awarded_by and not shipped().dsa_applies(awarded_by):
        raise ValidationError(
            _(
                "The trusted flagger status is awarded by the Digital Services Coordinator of a "
                "member state (DSA Art 22(2))."
            )
        )
    if awarded_by and country and awarded_by != country:
        raise ValidationError(
            _(
                "The trusted flagger status is awarded by the coordinator of the member state "
                "where the organisation is established (DSA Art 22(2)): %(country)s."
            )
            % {"country": country}
        )
    if since and since > timezone.localdate():
        raise ValidationError(_("The day the status was awarded cannot be in the future."))
    values["trusted_flagger_awarded_by"] = awarded_by
    values["trusted_flagger_since"] = since

    programmes = sorted({str(p) for p in data.get("partner_programmes") or []})
    known = {code for code, _name in programme_choices(organisation)}
    unknown = [p for p in programmes if p not in known]
    if unknown:
        raise ValidationError(
            _("Unknown partner programme: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    values["partner_programmes"] = programmes
    return values


@transaction.atomic
def update_identity(
    organisation: Organisation, data: dict[str, Any], *, actor: User
) -> Organisation:
    """Change the organisation's legal identity and statuses (coordinators and administrators).

    ``data`` holds the fields of :data:`FIELDS`; one missing is set empty. Audited with the
    names of the fields that changed and the status codes."""
    require_capability(actor, organisation.pk, Capability.COORDINATE)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    values = _clean(organisation, data)
    changed = sorted(name for name, value in values.items() if getattr(organisation, name) != value)
    if not changed:
        return organisation
    old = _statuses(organisation)
    for name in changed:
        setattr(organisation, name, values[name])
    organisation.save(update_fields=changed)
    record(
        "organisation.identity_changed",
        actor=actor,
        obj=organisation,
        organisation=organisation,
        old=old,
        new={**_statuses(organisation), "changed": changed},
    )
    return organisation


def _statuses(organisation: Organisation) -> dict[str, Any]:
    """Codes only: whether a role address is set, the trusted flagger status, programmes."""
    since = organisation.trusted_flagger_since
    return {
        "notice_email": bool(organisation.notice_email),
        "trusted_flagger_awarded_by": organisation.trusted_flagger_awarded_by,
        "trusted_flagger_since": since.isoformat() if since else None,
        "partner_programmes": list(organisation.partner_programmes or []),
    }
