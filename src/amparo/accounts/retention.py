"""Retention: each organisation's policy (``RetentionPolicy``) applied once a day by the worker.

What goes, once older than the policy says:

* closed cases (``closed_at``) with everything on them (notes, tasks, timeline, decisions and
  remedy steps, escalations), and their reports: each report's own data key is shredded, its
  evidence files deleted, its row deleted (only erased when a referral still points at it);
* reports that never became cases and were closed or withdrawn (last activity: received,
  acknowledged, erased or last message): the same as a case's reports;
* files uploaded for campaign detection runs: the encrypted files are deleted and the run's
  list of inputs (their names) emptied; the campaigns found are kept;
* remedy documents: the encrypted PDF and the document's text; the step (codes, dates) is kept;
* failed background task results (campaign detection) and finished outbound messages: rows.

Cases, notes, remedy documents and uploads are encrypted under the organisation's key, which
cannot be shredded for one record: their rows and files are deleted instead, and on SQLite
``secure_delete`` zeroes the freed pages (the WAL is checkpointed after each run).

One audit event per organisation per run, ``retention.applied``, with counts only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from amparo.accounts.models import Organisation, RetentionPolicy
from amparo.audit.services import record
from amparo.worker.registry import daily

APPLY_RETENTION = "accounts.apply_retention"
DETECTION_TASK = "amparo.campaigns.tasks.run_detection"
DAYS_PER_MONTH = 30


@dataclass
class Counts:
    cases: int = 0
    reports: int = 0
    campaign_uploads: int = 0
    remedy_files: int = 0
    failed_tasks: int = 0
    outbound_messages: int = 0
    keys_shredded: int = 0
    files_deleted: int = 0


def _cutoff(now: datetime, *, days: int | None = None, months: int | None = None) -> datetime:
    return now - timedelta(days=(days or 0) + (months or 0) * DAYS_PER_MONTH)


# --- what is due ------------------------------------------------------------------------------


def due_cases(organisation: Organisation, policy: RetentionPolicy, now: datetime) -> QuerySet[Any]:
    from amparo.cases.models import Case
    from amparo.cases.states import Status

    if policy.closed_cases_months is None:
        return Case.objects.none()
    return Case.objects.filter(
        organisation=organisation,
        status=Status.CLOSED,
        closed_at__lt=_cutoff(now, months=policy.closed_cases_months),
    )


def due_reports(organisation: Organisation, policy: RetentionPolicy, now: datetime) -> list[Any]:
    """Closed or withdrawn reports that never became cases, with no activity since the cutoff."""
    from amparo.intake.choices import ReportStatus
    from amparo.intake.models import Report

    if policy.closed_cases_months is None:
        return []
    cutoff = _cutoff(now, months=policy.closed_cases_months)
    candidates = (
        Report.objects.filter(
            organisation=organisation,
            status__in=[ReportStatus.CLOSED, ReportStatus.WITHDRAWN],
            case_link__isnull=True,
            received_at__lt=cutoff,
        )
        .annotate(last_message=Max("messages__created_at"))
        .order_by()
    )
    due = []
    for report in candidates:
        moments = [report.acknowledged_at, report.erased_at, report.last_message]
        if all(m is None or m < cutoff for m in moments):
            due.append(report)
    return due


def due_uploads(organisation: Organisation, policy: RetentionPolicy, now: datetime) -> list[Any]:
    from amparo.campaigns.models import DetectionRun

    if policy.campaign_uploads_days is None:
        return []
    runs = DetectionRun.objects.filter(
        organisation=organisation,
        created_at__lt=_cutoff(now, days=policy.campaign_uploads_days),
    ).exclude(status__in=[DetectionRun.Status.QUEUED, DetectionRun.Status.RUNNING])
    return [run for run in runs if run.inputs]


def due_remedy_files(
    organisation: Organisation, policy: RetentionPolicy, now: datetime
) -> QuerySet[Any]:
    from django.db.models import Q

    from amparo.remedies.models import RemedyStep

    if policy.remedy_files_months is None:
        return RemedyStep.objects.none()
    return RemedyStep.objects.filter(
        organisation=organisation,
        created_at__lt=_cutoff(now, months=policy.remedy_files_months),
    ).exclude(Q(document_pdf="") & Q(document_text__isnull=True))


def due_failed_tasks(
    organisation: Organisation, policy: RetentionPolicy, now: datetime
) -> QuerySet[Any]:
    """Failed task results of the organisation's campaign detection runs (the only tasks with
    an organisation: their first argument is the run's id)."""
    from django_tasks_db.models import DBTaskResult

    from amparo.campaigns.models import DetectionRun
    from amparo.worker.compat import TaskResultStatus

    if policy.failed_tasks_days is None:
        return DBTaskResult.objects.none()
    failed = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED,
        task_path=DETECTION_TASK,
        finished_at__lt=_cutoff(now, days=policy.failed_tasks_days),
    )
    runs = {
        str(pk)
        for pk in DetectionRun.objects.filter(organisation=organisation).values_list(
            "pk", flat=True
        )
    }
    ids = [
        result.pk
        for result in failed.only("pk", "args_kwargs")
        if _first_argument(result.args_kwargs) in runs
    ]
    return DBTaskResult.objects.filter(pk__in=ids)


def _first_argument(args_kwargs: Any) -> str | None:
    args = (args_kwargs or {}).get("args") if isinstance(args_kwargs, dict) else None
    return str(args[0]) if args else None


def due_outbound(
    organisation: Organisation, policy: RetentionPolicy, now: datetime
) -> QuerySet[Any]:
    from amparo.core.models import OutboundMessage

    if policy.failed_tasks_days is None:
        return OutboundMessage.objects.none()
    return OutboundMessage.objects.filter(
        organisation=organisation,
        finished_at__lt=_cutoff(now, days=policy.failed_tasks_days),
    ).exclude(status=OutboundMessage.Status.PENDING)


def preview(organisation: Organisation, now: datetime | None = None) -> Counts | None:
    """What the next run would remove (counts), or None without a policy."""
    policy = RetentionPolicy.objects.filter(organisation=organisation).first()
    if policy is None:
        return None
    now = now or timezone.now()
    return Counts(
        cases=due_cases(organisation, policy, now).count(),
        reports=len(due_reports(organisation, policy, now)),
        campaign_uploads=len(due_uploads(organisation, policy, now)),
        remedy_files=due_remedy_files(organisation, policy, now).count(),
        failed_tasks=due_failed_tasks(organisation, policy, now).count(),
        outbound_messages=due_outbound(organisation, policy, now).count(),
    )


# --- removing it ------------------------------------------------------------------------------


def _remove_report(report: Any, counts: Counts, files: list[str]) -> None:
    """Shred the report's key (and the keys of files kept from an earlier form), delete its
    evidence, messages and row; a report a referral points at is only erased."""
    from amparo.intake.models import Evidence, Indicator, Message, Report, SearchToken
    from amparo.intake.services import ERASED_FIELDS
    from amparo.keyring.models import DataKey
    from amparo.keyring.services import shred

    items = list(Evidence.objects.filter(report=report))
    files.extend(n for e in items for n in (e.original_blob, e.clean_blob) if n)
    key_ids = {report.data_key_id, *(e.data_key_id for e in items)}
    Message.objects.filter(report=report).delete()
    Indicator.objects.filter(report=report).delete()
    SearchToken.objects.filter(report=report).delete()
    Evidence.objects.filter(report=report).delete()
    if Report.objects.filter(pk=report.pk, referral__isnull=False).exists():
        Report.objects.filter(pk=report.pk).update(erased_at=timezone.now(), **ERASED_FIELDS)
    else:
        Report.objects.filter(pk=report.pk).delete()
    for key in DataKey.objects.filter(pk__in=key_ids, shredded_at__isnull=True):
        shred(key, actor=None)
        counts.keys_shredded += 1
    counts.reports += 1


def _remove_case(case: Any, counts: Counts, files: list[str]) -> None:
    from amparo.cases.models import Case
    from amparo.intake.models import Report
    from amparo.remedies.models import RemedyStep

    files.extend(
        name
        for name in RemedyStep.objects.filter(decision__case=case).values_list(
            "document_pdf", flat=True
        )
        if name
    )
    reports = list(Report.objects.filter(case_link__case=case))
    Case.objects.filter(pk=case.pk).delete()  # notes, tasks, timeline, decisions, ... cascade
    for report in reports:
        _remove_report(report, counts, files)
    counts.cases += 1


def apply_policy(organisation: Organisation, now: datetime | None = None) -> Counts | None:
    """Apply the organisation's policy once; returns the counts, or None without a policy."""
    from amparo.keyring import blobs

    policy = RetentionPolicy.objects.filter(organisation=organisation).first()
    if policy is None:
        return None
    now = now or timezone.now()
    counts = Counts()
    files: list[str] = []
    with transaction.atomic():
        for case in due_cases(organisation, policy, now):
            _remove_case(case, counts, files)
        for report in due_reports(organisation, policy, now):
            _remove_report(report, counts, files)
        for run in due_uploads(organisation, policy, now):
            files.extend(item["blob"] for item in run.inputs or [] if item.get("blob"))
            run.inputs = []
            run.save(update_fields=["inputs"])
            counts.campaign_uploads += 1
        for step in due_remedy_files(organisation, policy, now):
            if step.document_pdf:
                files.append(step.document_pdf)
            step.document_pdf = ""
            step.document_text = None
            step.save(update_fields=["document_pdf", "document_text"])
            counts.remedy_files += 1
        counts.failed_tasks, _ = due_failed_tasks(organisation, policy, now).delete()
        counts.outbound_messages, _ = due_outbound(organisation, policy, now).delete()
        counts.files_deleted = len(files)
        record("retention.applied", organisation=organisation, obj=policy, new=asdict(counts))

        def delete_files() -> None:
            # Once the rows that named them are gone for good.
            for name in files:
                blobs.delete(name)

        transaction.on_commit(delete_files)
        if connection.vendor == "sqlite":
            transaction.on_commit(_checkpoint)
    return counts


def _checkpoint() -> None:
    """Move the WAL into the main file, whose freed pages ``secure_delete`` zeroes."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@daily(APPLY_RETENTION)
def apply_retention(job: Any) -> None:
    """Daily: every organisation's retention policy."""
    for policy in RetentionPolicy.objects.select_related("organisation"):
        apply_policy(policy.organisation)
