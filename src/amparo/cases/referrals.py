"""Referring a case to a partner organisation, with the reporter's consent, passing only what
the partner needs: the incident, the platform, the country and a scrubbed account of what
happened. The reporter's identity and contacts go only when they consented to share them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.accounts.access import require_capability
from amparo.accounts.models import Organisation
from amparo.accounts.roles import Capability
from amparo.cases import states
from amparo.cases.models import Referral
from amparo.cases.services import _event, _require_writer
from amparo.core import rls
from amparo.intake import disclosure
from amparo.intake.choices import RISK_FLAGS, Channel

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.accounts.types import Actor

SHARED = [
    "incident_type",
    "platform",
    "country",
    "occurred_on",
    "links",
    "attackers",
    "explanation",
    "platform_notice",
]
#: What each shared field is, in words (the case page lists what a referral shared).
FIELD_LABELS = {
    "incident_type": gettext_lazy("what happened"),
    "platform": gettext_lazy("platform"),
    "country": gettext_lazy("country"),
    "occurred_on": gettext_lazy("when it happened"),
    "links": gettext_lazy("links"),
    "attackers": gettext_lazy("attacking accounts"),
    "explanation": gettext_lazy("the reporter's account of it"),
    "platform_notice": gettext_lazy("the platform's notice"),
    "reporter_identity": gettext_lazy("the reporter's identity"),
    "contacts": gettext_lazy("contact details"),
    "affected_accounts": gettext_lazy("affected accounts"),
}


@transaction.atomic
def refer(
    case: Any,
    to_organisation: Organisation,
    *,
    actor: User,
    reporter_agreed: bool,
    asked_and_confirmed: bool = False,
) -> Referral:
    """Refer ``case`` to a partner: its reports become one new report in the partner's queue.
    What may leave about the reporter follows ``amparo.intake.disclosure``: their identity,
    contacts and affected accounts go only with consent "yes", or "ask" and the caseworker
    confirmed they asked (``asked_and_confirmed``); the account of what happened and the
    platform's notice are always scrubbed."""
    from amparo.intake.notifying import notify, team
    from amparo.intake.services import submit_report

    _require_writer(case, actor)
    from amparo.sharing.access import visible_partner_ids

    if to_organisation.pk == case.organisation_id or to_organisation.pk not in (
        visible_partner_ids(case.organisation_id)
    ):
        raise ValidationError(_("Choose another organisation."))
    if not reporter_agreed:
        raise ValidationError(_("Confirm that the reporter agreed to be referred to this partner."))
    reports = [link.report for link in case.report_links.select_related("report")]
    rule = disclosure.for_reports(reports, asked_and_confirmed=asked_and_confirmed)
    with_identity = rule.may_identify
    first = reports[0]
    accounts = {
        "links": sorted({x for r in reports for x in (r.accounts or {}).get("links", [])}),
        "attackers": sorted({x for r in reports for x in (r.accounts or {}).get("attackers", [])}),
        "affected": rule.affected_accounts(),
    }
    narrative = "\n\n".join(r.narrative or "" for r in reports)
    notice = "\n\n".join(r.platform_notice or "" for r in reports if r.platform_notice)
    fields = {
        "incident_type": case.incident_type,
        "platform": case.platform,
        "country": case.country,
        "occurred_on": first.occurred_on,
        "narrative": rule.clean(narrative),
        "platform_notice": rule.clean(notice),
        "accounts": accounts,
        "reporter": dict(first.reporter or {}) if with_identity else {},
        "self_description": {},
        "consent_contact": first.consent_contact if with_identity else "no",
        "contact_method": first.contact_method if with_identity else "",
        "consent_share_identity": first.consent_share_identity,
        "consent_collective": first.consent_collective,
        "consent_statistics": first.consent_statistics,
        **{flag: any(getattr(r, flag) for r in reports) for flag in RISK_FLAGS},
    }
    # Row-level security: the partner's report is written in the partner's scope.
    with rls.organisation(to_organisation):
        incoming = submit_report(
            to_organisation,
            fields,
            channel=Channel.REFERRAL,
            language=first.language,
            with_followup=False,
        ).report
        # Told: the partner's shift leads and coordinators, linked to the report that came in.
        notify(team(to_organisation), to_organisation, "referral_received", report=incoming)
    shared = SHARED + (
        ["reporter_identity", "contacts", "affected_accounts"] if with_identity else []
    )
    referral = Referral.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        to_organisation=to_organisation,
        report=incoming,
        shared_fields=shared,
        includes_identity=with_identity,
        created_by=actor,
    )
    _event(case, "referred", actor=actor, new={"to": str(to_organisation.pk), "fields": shared})
    return referral


@transaction.atomic
def answer(referral: Referral, status: str, *, actor: Actor) -> Referral:
    """The partner accepts or declines a referral it received, and completes one it accepted
    (``states.REFERRAL_TRANSITIONS``); any other answer, or one given twice at once, is
    refused."""
    require_capability(actor, referral.to_organisation_id, Capability.WRITE_CASES)
    if status not in Referral.Status.values:
        raise ValidationError(_("Unknown answer."))
    current = (
        Referral.objects.filter(pk=referral.pk).values_list("status", flat=True).first()
        or referral.status
    )
    if status not in states.referral_answers(current):
        raise ValidationError(
            _("A referral that is “%(from)s” cannot be answered “%(to)s”.")
            % {
                "from": Referral.Status(current).label,
                "to": Referral.Status(status).label,
            }
        )
    # Conditional on the status read: of two answers at once, one lands.
    if not Referral.objects.filter(pk=referral.pk, status=current).update(
        status=status, updated_at=timezone.now()
    ):
        raise ValidationError(_("The referral was answered a moment ago; reload the page."))
    referral.status = status
    # Row-level security: the partner answers in its own scope; the case is the referrer's.
    with rls.organisation(referral.organisation_id):
        _event(
            referral.case,
            "referral_answered",
            actor=actor,
            old={"status": current},
            new={"status": status},
        )
        from amparo.intake.notifying import notify, team

        case = referral.case
        notify(
            [case.assignee] if case.assignee_id else team(case.organisation),
            case.organisation_id,
            f"referral_{status}",
            link="case_detail",
            object_id=case.pk,
        )
    return referral
