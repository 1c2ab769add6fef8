"""Referring a case to a partner organisation, with the reporter's consent, passing only what
the partner needs: the incident, the platform, the country and a scrubbed account of what
happened. The reporter's identity and contacts go only when they consented to share them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.models import Organisation
from amparo.accounts.roles import Capability
from amparo.cases.models import Referral
from amparo.cases.services import _event, _require_writer
from amparo.core import rls
from amparo.escalations.packaging import _scrub, identity_consent
from amparo.intake.choices import RISK_FLAGS, Channel

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


@transaction.atomic
def refer(
    case: Any, to_organisation: Organisation, *, actor: Any, reporter_agreed: bool
) -> Referral:
    from amparo.intake.services import submit_report

    _require_writer(case, actor)
    if to_organisation.pk == case.organisation_id:
        raise ValidationError(_("Choose another organisation."))
    if not reporter_agreed:
        raise ValidationError(_("Confirm that the reporter agreed to be referred to this partner."))
    reports = [link.report for link in case.report_links.select_related("report")]
    with_identity = identity_consent(reports) == "yes"
    first = reports[0]
    accounts = {
        "links": sorted({x for r in reports for x in (r.accounts or {}).get("links", [])}),
        "attackers": sorted({x for r in reports for x in (r.accounts or {}).get("attackers", [])}),
        "affected": sorted({x for r in reports for x in (r.accounts or {}).get("affected", [])})
        if with_identity
        else [],
    }
    narrative = "\n\n".join(r.narrative or "" for r in reports)
    notice = "\n\n".join(r.platform_notice or "" for r in reports if r.platform_notice)
    fields = {
        "incident_type": case.incident_type,
        "platform": case.platform,
        "country": case.country,
        "occurred_on": first.occurred_on,
        "narrative": narrative if with_identity else _scrub(narrative, reports),
        "platform_notice": notice if with_identity else _scrub(notice, reports),
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
def answer(referral: Referral, status: str, *, actor: Any) -> Referral:
    """The partner accepts, declines or completes a referral it received."""
    require_capability(actor, referral.to_organisation_id, Capability.WRITE_CASES)
    if status not in (
        Referral.Status.ACCEPTED,
        Referral.Status.DECLINED,
        Referral.Status.COMPLETED,
    ):
        raise ValidationError(_("Unknown answer."))
    old = referral.status
    referral.status = status
    referral.save(update_fields=["status", "updated_at"])
    # Row-level security: the partner answers in its own scope; the case is the referrer's.
    with rls.organisation(referral.organisation_id):
        _event(
            referral.case,
            "referral_answered",
            actor=actor,
            old={"status": old},
            new={"status": status},
        )
    return referral
