"""Every change to a case: atomic, one timeline event and one audit event each, actor keyword-only."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.cases import states
from amparo.cases.models import Case, CaseEvent, CaseReport, Note, Tag, Task
from amparo.intake import services as intake_services
from amparo.intake.models import Report
from amparo.keyring.services import organisation_key

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _require_writer(case_or_org: Any, actor: Actor) -> None:
    organisation_id = getattr(case_or_org, "organisation_id", None) or case_or_org.pk
    require_capability(actor, organisation_id, Capability.WRITE_CASES)


def record_event(case: Case, kind: str, *, actor: Actor, old: Any = None, new: Any = None) -> None:
    """Add one line to the case's timeline (codes only, never content or labels).

    The public way for other domains (escalations, remedies, collective actions) to write on a
    case's timeline: their own audit events stay theirs; this writes the cases domain's table.
    """
    CaseEvent.objects.create(case=case, actor=actor, kind=kind, old=old, new=new)


def _event(case: Case, kind: str, *, actor: Actor, old: Any = None, new: Any = None) -> None:
    record_event(case, kind, actor=actor, old=old, new=new)
    record(f"case.{kind}", actor=actor, obj=case, old=old, new=new)


def _touch(case: Case) -> None:
    from amparo.cases.clocks import next_due_at

    case.updated_at = timezone.now()
    case.next_due_at = next_due_at(case)  # tasks, escalation and remedy clocks (cases/clocks.py)
    case.save(update_fields=["updated_at", "next_due_at"])


@transaction.atomic
def open_case(organisation: Any, *, reports: list[Report], title: str, actor: Actor) -> Case:
    """Open a case from one or more reports of the organisation."""
    _require_writer(organisation, actor)
    if not reports:
        raise ValidationError(_("A case needs at least one report."))
    if any(r.organisation_id != organisation.pk for r in reports):
        raise PermissionDenied
    if CaseReport.objects.filter(report__in=reports).exists():
        raise ValidationError(_("One of these reports already belongs to a case."))
    first = min(reports, key=lambda r: (r.urgency_rank, r.received_at))
    now = timezone.now()
    case = Case(
        organisation=organisation,
        data_key=organisation_key(organisation),
        incident_type=first.incident_type,
        platform=first.platform,
        country=first.country,
        queue=first.queue,
        urgency_level=first.urgency_level,
        urgency_rank=first.urgency_rank,
        opened_at=now,
        updated_at=now,
    )
    case.title = title.strip()[:300] or first.reference
    for _attempt in range(5):
        case.reference = "C-" + "".join(secrets.choice(_ALPHABET) for _ in range(7))
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            break
        except IntegrityError:
            continue
    CaseReport.objects.bulk_create(CaseReport(case=case, report=r) for r in reports)
    intake_services.mark_in_progress(list(reports))
    _event(
        case,
        "opened",
        actor=actor,
        new={"reports": [str(r.pk) for r in reports], "status": case.status},
    )
    return case


@transaction.atomic
def link_report(case: Case, report: Report, *, actor: Actor) -> None:
    _require_writer(case, actor)
    if report.organisation_id != case.organisation_id:
        raise PermissionDenied
    if CaseReport.objects.filter(report=report).exists():
        raise ValidationError(_("This report already belongs to a case."))
    CaseReport.objects.create(case=case, report=report)
    _event(case, "report_linked", actor=actor, new={"report": str(report.pk)})
    _touch(case)


@transaction.atomic
def transition_case(
    case: Case,
    to: str,
    *,
    actor: Actor,
    outcome: str = "",
    account_restored_on: Any = None,
    system: bool = False,
) -> Case:
    """Move a case to ``to`` if the state machine allows it; exactly one audit event.

    ``system``: a move the application makes itself, with no person acting (``actor`` None),
    when an escalation's e-mail left in the worker; the state machine still decides."""
    if system and actor is not None:
        raise ValueError("a system move has no actor")
    if not system:
        _require_writer(case, actor)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if to not in states.allowed(case.status):
        raise ValidationError(
            _("A case cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": states.Status(case.status).label,
                "to": states.Status(to).label if to in states.Status.values else to,
            }
        )
    if to in states.NEEDS_OUTCOME and not (outcome or case.outcome):
        raise ValidationError(_("Choose an outcome to resolve or close a case."))
    if outcome and outcome not in dict(states.CHOOSABLE_OUTCOMES):
        raise ValidationError(_("Unknown outcome."))
    old = {"status": case.status, "outcome": case.outcome}
    case.status = to
    if outcome:
        case.outcome = outcome
    if account_restored_on:
        case.account_restored_on = account_restored_on
    case.closed_at = timezone.now() if to == states.Status.CLOSED else None
    if (
        to not in states.NEEDS_OUTCOME
        and to != states.Status.CLOSED
        and old["status"] in states.NEEDS_OUTCOME
    ):
        case.outcome = ""  # reopened
    case.is_open = to in states.OPEN  # the open views' index; Case.save keeps it in step too
    case.updated_at = timezone.now()
    case.save(
        update_fields=[
            "status",
            "is_open",
            "outcome",
            "account_restored_on",
            "closed_at",
            "updated_at",
        ]
    )
    _event(
        case,
        "transitioned",
        actor=actor,
        old=old,
        new={"status": case.status, "outcome": case.outcome},
    )
    _tell_reporters(case)
    return case


def _tell_reporters(case: Case) -> None:
    """The reporters see the case's status on their follow-up page, as a status message (a code;
    the page shows it in the reporter's language)."""
    for link in case.report_links.select_related("report"):
        intake_services.post_status(link.report, case.status)


@transaction.atomic
def assign_case(case: Case, assignee: Any, *, actor: Actor) -> Case:
    _require_writer(case, actor)
    if assignee is not None:
        _require_writer(case, assignee)
    old = {"assignee": case.assignee_id}
    case.assignee = assignee
    case.updated_at = timezone.now()
    case.save(update_fields=["assignee", "updated_at"])
    _event(
        case, "assigned", actor=actor, old=old, new={"assignee": assignee.pk if assignee else None}
    )
    return case


@transaction.atomic
def add_note(case: Case, body: str, *, actor: Actor) -> Note:
    _require_writer(case, actor)
    note = Note(
        organisation_id=case.organisation_id, case=case, data_key_id=case.data_key_id, author=actor
    )
    note.body = body
    note.save()
    _event(case, "note_added", actor=actor, new={"note": str(note.pk)})
    _touch(case)
    return note


@transaction.atomic
def add_task(
    case: Case, title: str, *, due_at: datetime | None, actor: Actor, assignee: Any = None
) -> Task:
    _require_writer(case, actor)
    task = Task(
        organisation_id=case.organisation_id,
        case=case,
        data_key_id=case.data_key_id,
        due_at=due_at,
        assignee=assignee,
    )
    task.title = title
    task.save()
    _event(
        case,
        "task_added",
        actor=actor,
        new={"task": str(task.pk), "due": due_at.isoformat() if due_at else None},
    )
    _touch(case)
    return task


@transaction.atomic
def complete_task(task: Task, *, actor: Actor) -> Task:
    _require_writer(task.case, actor)
    if task.done_at is None:
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        _event(task.case, "task_done", actor=actor, new={"task": str(task.pk)})
        _touch(task.case)
    return task


@transaction.atomic
def set_tags(case: Case, names: list[str], *, actor: Actor) -> None:
    from django.utils.text import slugify

    _require_writer(case, actor)
    wanted = sorted({slugify(n)[:40] for n in names if slugify(n)})
    old = sorted(case.tags.values_list("name", flat=True))
    if wanted == old:
        return
    tags = [
        Tag.objects.get_or_create(organisation_id=case.organisation_id, name=n)[0] for n in wanted
    ]
    case.tags.set(tags)
    _event(case, "tagged", actor=actor, old={"tags": old}, new={"tags": wanted})
    _touch(case)


def bulk_transition(
    cases: list[Case], to: str, *, actor: Actor, outcome: str = ""
) -> tuple[int, list[str]]:
    """Apply one transition to many cases; each is audited exactly like a single one.
    Returns (how many changed, references that could not change)."""
    changed, refused = 0, []
    for case in cases:
        try:
            transition_case(case, to, actor=actor, outcome=outcome)
            changed += 1
        except (ValidationError, PermissionDenied):
            refused.append(case.reference)
    return changed, refused


def bulk_assign(cases: list[Case], assignee: Any, *, actor: Actor) -> int:
    for case in cases:
        assign_case(case, assignee, actor=actor)
    return len(cases)
