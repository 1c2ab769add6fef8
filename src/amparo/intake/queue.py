"""Work on the report queue: assignment, bulk actions, saved views and the search index.

Every action here needs the capability to work on cases in the report's organisation, is
audited per report, and leaves a report that belongs to a case alone where the case decides
(a report in a case is closed with its case, not from the queue).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.models import Membership
from amparo.accounts.roles import Capability, can
from amparo.audit.services import record
from amparo.intake import search
from amparo.intake.choices import CloseReason, ReportStatus
from amparo.intake.models import Report, SavedView, SearchToken
from amparo.worker.registry import daily

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.accounts.types import Actor

OPEN = (ReportStatus.RECEIVED, ReportStatus.ACKNOWLEDGED, ReportStatus.IN_PROGRESS)
INDEX_SEARCH = "intake.index_search"
INDEX_BATCH = 200
#: At most this many reports in one bulk action (a page of the queue is 50).
MAX_BULK = 500


def _check(reports: list[Report], actor: Actor) -> None:
    if not reports:
        raise ValidationError(_("Choose at least one report."))
    if len(reports) > MAX_BULK:
        raise ValidationError(_("Choose at most %(n)d reports at a time.") % {"n": MAX_BULK})
    for organisation_id in {r.organisation_id for r in reports}:
        require_capability(actor, organisation_id, Capability.WRITE_CASES)


def _in_a_case(report: Report) -> bool:
    from amparo.cases.access import report_in_a_case

    return report_in_a_case(report)


def acknowledge_all(reports: list[Report], *, actor: Actor) -> int:
    """Acknowledge every report still waiting (stops their alarms); returns how many were."""
    from amparo.intake.services import acknowledge

    _check(reports, actor)
    return sum(1 for report in reports if acknowledge(report, actor=actor))


@transaction.atomic
def assign(reports: list[Report], assignee: Any | None, *, actor: Actor) -> int:
    """Give the reports to ``assignee`` (None: to no one). The assignee must be able to work on
    cases in the reports' organisation."""
    _check(reports, actor)
    if assignee is not None:
        for organisation_id in {r.organisation_id for r in reports}:
            member = Membership.objects.filter(
                user=assignee, organisation_id=organisation_id, is_active=True
            ).first()
            if member is None or not can(member.role, Capability.WRITE_CASES):
                raise ValidationError(_("This person cannot work on this organisation's reports."))
    changed = 0
    for report in reports:
        if report.assigned_to_id == (assignee.pk if assignee else None):
            continue
        old = str(report.assigned_to_id) if report.assigned_to_id else None
        report.assigned_to = assignee
        report.save(update_fields=["assigned_to"])
        record(
            "report.assigned",
            actor=actor,
            obj=report,
            old={"assigned_to": old},
            new={"assigned_to": str(assignee.pk) if assignee else None},
        )
        changed += 1
    return changed


@transaction.atomic
def close(reports: list[Report], reason: str, note: str = "", *, actor: Actor) -> int:
    """Close reports that need no case: a duplicate, spam, out of scope, or advice given. A
    report already in a case is refused (it is closed with its case)."""
    from amparo.intake.alarms import cancel_alarms

    _check(reports, actor)
    if reason not in CloseReason.values:
        raise ValidationError(_("Choose why the reports are closed."))
    in_cases = [r.reference for r in reports if _in_a_case(r)]
    if in_cases:
        raise ValidationError(
            _("These reports belong to a case and are closed with it: %(refs)s")
            % {"refs": ", ".join(in_cases)}
        )
    closed = 0
    for report in reports:
        if report.status not in OPEN:
            continue
        old = report.status
        report.status = ReportStatus.CLOSED
        report.closed_reason = reason
        report.closed_note = note.strip()
        if report.acknowledged_at is None:
            report.acknowledged_at = timezone.now()
            report.acknowledged_by = actor
        report.save(
            update_fields=[
                "status",
                "closed_reason",
                "closed_note",
                "acknowledged_at",
                "acknowledged_by",
            ]
        )
        cancel_alarms(report)
        record(
            "report.closed",
            actor=actor,
            obj=report,
            old={"status": old},
            new={"status": ReportStatus.CLOSED, "reason": reason, "with_note": bool(note.strip())},
        )
        closed += 1
    return closed


def attach(reports: list[Report], case: Any, *, actor: Actor) -> int:
    """Attach the reports to an existing case of the same organisation (each report keeps its
    own consent); they are acknowledged on the way."""
    from amparo.cases.services import link_report
    from amparo.intake.services import acknowledge

    _check(reports, actor)
    if any(r.organisation_id != case.organisation_id for r in reports):
        raise PermissionDenied
    in_cases = [r.reference for r in reports if _in_a_case(r)]
    if in_cases:
        raise ValidationError(
            _("These reports already belong to a case: %(refs)s") % {"refs": ", ".join(in_cases)}
        )
    with transaction.atomic():
        for report in reports:
            link_report(case, report, actor=actor)
            acknowledge(report, actor=actor)
    return len(reports)


# --- saved views ------------------------------------------------------------------------------


@transaction.atomic
def save_view(user: Any, organisation: Any, name: str, query: str) -> SavedView:
    """Save (or replace) the person's named view of the queue: the query string of its search
    and filters, without the page number."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the view a name."))
    if len(name) > 80 or len(query) > 1000:
        raise ValidationError(_("This view is too long to save."))
    view, created = SavedView.objects.update_or_create(
        user=user, organisation=organisation, name=name, defaults={"query": query}
    )
    record(
        "saved_view.saved",
        actor=user,
        obj=view,
        organisation=organisation,
        new={"name": name, "created": created},
    )
    return view


@transaction.atomic
def delete_view(view: SavedView, *, actor: User) -> None:
    if view.user_id != actor.pk:
        raise PermissionDenied
    record(
        "saved_view.deleted",
        actor=actor,
        obj=view,
        organisation=view.organisation,
        old={"name": view.name},
    )
    view.delete()


# --- the search index -------------------------------------------------------------------------


def index(report: Report) -> int:
    """(Re)build one report's word tokens; returns how many."""
    with transaction.atomic():
        SearchToken.objects.filter(report=report).delete()
        found = [] if report.erased_at else search.report_tokens(report)
        SearchToken.objects.bulk_create(
            SearchToken(report=report, organisation_id=report.organisation_id, token=token)
            for token in found
        )
        Report.objects.filter(pk=report.pk).update(search_indexed=True)
    return len(found)


def index_missing(limit: int | None = None) -> int:
    """Index the reports stored before search existed (or whose index failed); returns how
    many were indexed."""
    done = 0
    while limit is None or done < limit:
        batch = list(
            Report.objects.filter(search_indexed=False, erased_at__isnull=True)
            .select_related("organisation", "data_key")
            .order_by("received_at")[:INDEX_BATCH]
        )
        if not batch:
            break
        for report in batch:
            index(report)
            done += 1
    return done


@daily(INDEX_SEARCH)
def index_search_job(job: Any) -> None:
    """Scheduled at every worker start and daily: reports from before search existed."""
    index_missing()
