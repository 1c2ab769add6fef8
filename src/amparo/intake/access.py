"""Who may see which reports. Staff with case access see their organisation's reports;
a trusted intermediary sees only the reports they submitted. Everyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from amparo.accounts.access import membership_for, memberships_for
from amparo.accounts.models import Membership, Organisation
from amparo.accounts.roles import Capability, can
from amparo.intake.models import ApiToken, Evidence, Indicator, Report, RiskPeriod

#: The columns a list of reports shows (the queue, the related reports of a report's page).
QUEUE_FIELDS = (
    "id",
    "reference",
    "incident_type",
    "platform",
    "country",
    "queue",
    "status",
    "urgency_level",
    "urgency_score",
    "received_at",
    "channel",
    "organisation_id",
    "assigned_to",
    "closed_reason",
)


def public_organisation(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    return organisation


def reading_membership(user: Any, org_slug: str) -> Membership:
    for membership in memberships_for(user):
        if membership.organisation.slug == org_slug and (
            can(membership.role, Capability.VIEW_CASES)
            or can(membership.role, Capability.VIEW_OWN_SUBMISSIONS)
        ):
            return membership
    raise Http404


def reports_for(user: Any, org_slug: str) -> QuerySet[Report]:
    membership = reading_membership(user, org_slug)
    reports = Report.objects.filter(organisation=membership.organisation, erased_at__isnull=True)
    if not can(membership.role, Capability.VIEW_CASES):
        reports = reports.filter(submitted_by=user)
    return reports


def report_for(user: Any, org_slug: str, report_id: Any, *, write: bool = False) -> Report:
    if write:
        membership_for(user, org_slug, Capability.WRITE_CASES)
    try:
        return (
            reports_for(user, org_slug).select_related("organisation", "data_key").get(pk=report_id)
        )
    except (Report.DoesNotExist, ValueError):
        raise Http404 from None


def evidence_for(user: Any, org_slug: str, report_id: Any, evidence_id: Any) -> Evidence:
    report = report_for(user, org_slug, report_id)
    try:
        return report.evidence.select_related("data_key").get(pk=evidence_id)
    except (Evidence.DoesNotExist, ValueError):
        raise Http404 from None


def api_token_for(user: Any, org_slug: str, token_id: Any) -> ApiToken:
    organisation = membership_for(user, org_slug, Capability.MANAGE_MEMBERS).organisation
    try:
        return ApiToken.objects.get(pk=token_id, organisation=organisation)
    except (ApiToken.DoesNotExist, ValueError):
        raise Http404 from None


def risk_period_for(user: Any, org_slug: str, period_id: Any) -> RiskPeriod:
    organisation = membership_for(user, org_slug, Capability.COORDINATE).organisation
    try:
        return RiskPeriod.objects.get(pk=period_id, organisation=organisation)
    except (RiskPeriod.DoesNotExist, ValueError):
        raise Http404 from None


def related_reports(report: Report, visible: QuerySet[Report]) -> list[tuple[Report, int]]:
    """The "possibly related" suggestions of a report's page: reports sharing a link or an
    account with ``report``, among those the viewer may see (``visible``: an intermediary's own
    submissions only), with the case each belongs to."""
    digests = list(report.indicators.values_list("digest", flat=True))
    if not digests:
        return []
    shared: dict[str, int] = {}
    for report_id in (
        Indicator.objects.filter(organisation=report.organisation, digest__in=digests)
        .exclude(report=report)
        .values_list("report_id", flat=True)
    ):
        shared[str(report_id)] = shared.get(str(report_id), 0) + 1
    related = (
        visible.filter(pk__in=shared.keys())
        .select_related("case_link__case")
        .only(*QUEUE_FIELDS, "case_link__case__reference", "case_link__case__id")
    )
    return sorted(((r, shared[str(r.pk)]) for r in related), key=lambda item: -item[1])[:10]
