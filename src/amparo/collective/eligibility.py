"""The representing body's standing under DSA Art 86(1), recorded per organisation and checked
before any Art 86 filing.

Art 86(1): a recipient may mandate "a body, organisation or association" to exercise their
rights on their behalf, provided it (a) operates on a not-for-profit basis, (b) has been
properly constituted in accordance with the law of a Member State, and (c) has statutory
objectives that include a legitimate interest in ensuring that the Regulation is complied
with. The statutes are attached as evidence (encrypted, like every evidence file). An
organisation that is not constituted in a Member State cannot be that body: it works through
an eligible partner organisation on the same server, recorded here as ``works_through``; the
partner then signs the Art 86 filings.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.collective.models import Eligibility
from amparo.engines.register.vocabulary import EU_MEMBER_STATES
from amparo.keyring import blobs
from amparo.keyring.services import organisation_key

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

MAX_STATUTES = 20 * 1024 * 1024


def eligibility_of(organisation: Any) -> Eligibility | None:
    return Eligibility.objects.filter(organisation=organisation).first()


def problems(record_: Eligibility | None) -> list[str]:
    """What keeps the organisation from being an Art 86(1) body (empty: eligible)."""
    if record_ is None:
        return [_("Record the organisation's eligibility under DSA Art 86(1) first.")]
    found = []
    if not record_.not_for_profit:
        found.append(_("Art 86(1)(a): the body must operate on a not-for-profit basis."))
    if (record_.member_state or "").upper() not in EU_MEMBER_STATES:
        found.append(
            _("Art 86(1)(b): the body must be properly constituted under a member state's law.")
        )
    if not record_.registration_number.strip():
        found.append(_("Art 86(1)(b): record the registration number."))
    if not (record_.dsa_interest and record_.statutory_objectives.strip()):
        found.append(
            _(
                "Art 86(1)(c): the statutory objectives must include a legitimate interest in "
                "ensuring compliance with the DSA."
            )
        )
    if not record_.statutes_blob:
        found.append(_("Attach the statutes as evidence."))
    return found


@dataclass(frozen=True)
class Standing:
    """Who signs an organisation's Art 86 filings, and whether it may."""

    body: Any  # the organisation that acts as the Art 86 body
    through_partner: bool
    problems: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        return not self.problems


def standing(organisation: Any) -> Standing:
    """The Art 86 body for ``organisation``'s actions: itself when eligible, else the eligible
    partner it recorded that it works through."""
    own = eligibility_of(organisation)
    mine = problems(own)
    if not mine:
        return Standing(organisation, False, ())
    if own is not None and own.works_through_id:
        partner = own.works_through
        theirs = problems(eligibility_of(partner))
        return Standing(partner, True, tuple(theirs))
    return Standing(organisation, False, tuple(mine))


def require_standing(organisation: Any) -> Any:
    """The body that signs, or :class:`ValidationError` saying what is missing."""
    found = standing(organisation)
    if not found.eligible:
        raise ValidationError(list(found.problems))
    return found.body


@transaction.atomic
def record_eligibility(
    organisation: Any,
    *,
    not_for_profit: bool,
    registration_number: str,
    member_state: str,
    statutory_objectives: str,
    dsa_interest: bool,
    actor: Actor,
    statutes: tuple[str, str, bytes] | None = None,
    works_through: Any = None,
) -> Eligibility:
    """Record (or update) the organisation's Art 86(1) standing; ``statutes``: (file name,
    media type, bytes) of the statutes, kept as encrypted evidence."""
    require_capability(actor, organisation.pk, Capability.COORDINATE)
    if works_through is not None and works_through.pk == organisation.pk:
        raise ValidationError(_("An organisation cannot work through itself."))
    if statutes is not None and len(statutes[2]) > MAX_STATUTES:
        raise ValidationError(_("The statutes file is too large (20 MB at most)."))
    item = eligibility_of(organisation) or Eligibility(
        organisation=organisation, data_key=organisation_key(organisation)
    )
    item.not_for_profit = not_for_profit
    item.registration_number = registration_number.strip()[:64]
    item.member_state = member_state.strip().upper()[:2]
    item.statutory_objectives = statutory_objectives.strip()
    item.dsa_interest = dsa_interest
    item.works_through = works_through
    item.checked_at = timezone.now()
    item.checked_by = actor
    if item._state.adding:
        item.save()
    if statutes is not None:
        name, media_type, data = statutes
        old = item.statutes_blob
        item.statutes_blob, item.statutes_size = blobs.store(
            item.data_key,
            io.BytesIO(data),
            blobs.blob_aad(organisation.pk, "statutes", item.pk),
        )
        item.statutes_name = name[:200]
        item.statutes_media_type = media_type[:100]
        item.statutes_sha256 = hashlib.sha256(data).hexdigest()
        if old:
            blobs.delete(old)
    item.save()
    record(
        "collective.eligibility_recorded",
        actor=actor,
        obj=item,
        organisation=organisation.pk,
        new={
            "eligible": not problems(item),
            "member_state": item.member_state,
            "works_through": str(works_through.pk) if works_through else None,
            "statutes_sha256": item.statutes_sha256 or None,
        },
    )
    return item


def statutes_bytes(item: Eligibility) -> bytes:
    aad = blobs.blob_aad(item.organisation_id, "statutes", item.pk)
    return b"".join(blobs.read(item.data_key, item.statutes_blob, aad))
