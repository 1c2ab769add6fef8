"""Retention policies: what is past the policy is crypto-shredded or deleted, nothing else."""

from __future__ import annotations

import io
import os
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection

from tests.conftest import file_contains

T0 = datetime(2030, 1, 10, 9, 0, tzinfo=UTC)


def _report(org: Any, narrative: str, *, file: bytes | None = None) -> Any:
    from amparo.intake import evidence
    from amparo.intake.forms import ReportForm
    from amparo.intake.services import submit_report
    from tests.intake.conftest import valid_report

    form = ReportForm(valid_report(narrative=narrative))
    assert form.is_valid(), form.errors
    files = [("note.txt", evidence.check(file))] if file else []
    return submit_report(
        org, form.report_fields(), channel="web_form", language="en", files=files
    ).report


def _detection_run(org: Any, actor: Any, content: bytes) -> Any:
    from amparo.campaigns.models import DetectionRun
    from amparo.keyring import blobs
    from amparo.keyring.services import organisation_key

    key = organisation_key(org)
    run = DetectionRun(organisation=org, data_key=key, created_by=actor)
    run.status = DetectionRun.Status.DONE
    blob, _size = blobs.store(key, io.BytesIO(content), blobs.blob_aad(org.pk, "detection", run.pk))
    run.inputs = [{"blob": blob, "name": "posts.csv", "format": "csv", "kind": "posts"}]
    run.save(force_insert=True)
    return run


def _failed_task(run: Any, canary: str) -> Any:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.create(
        status="FAILED",
        finished_at=timezone.now(),
        args_kwargs={"args": [str(run.pk)], "kwargs": {}},
        task_path="amparo.campaigns.tasks.run_detection",
        backend_name="default",
        queue_name="default",
        run_after=timezone.now(),
        exception_class_path="builtins.ValueError",
        traceback=f"Traceback ...\nValueError: {canary}\n",
    )


def _remedy(case: Any, actor: Any, facts: str) -> Any:
    from django.utils import timezone

    from amparo.remedies import services as remedies

    case.country = "DE"
    case.save(update_fields=["country"])
    decision = remedies.record_decision(
        case,
        decision_type="account_suspended",
        informed_on=timezone.localdate(),
        decided_on=None,
        represented=False,
        actor=actor,
    )
    return remedies.prepare_step(
        decision,
        "art20_complaint",
        language="en",
        facts=facts,
        arguments="",
        requested="",
        include_identity=False,
        actor=actor,
    )


def _blob_dir_contains(settings: Any, names: list[str], needle: bytes) -> bool:
    root = settings.AMPARO_BLOB_DIR
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if needle in open(os.path.join(dirpath, name), "rb").read():  # noqa: SIM115
                return True
    return any((root / n[:2] / n).exists() for n in names)


def _database_contains(settings: Any, needle: bytes) -> bool:
    if connection.vendor != "sqlite":
        from tests.test_encryption import pg_dump

        return needle in pg_dump(settings)
    name = settings.DATABASES["default"]["TEST"]["NAME"]
    assert file_contains(name, b"SQLite format 3")  # control: the real file is read
    return any(
        file_contains(name + suffix, needle)
        for suffix in ("", "-wal")
        if os.path.exists(name + suffix)
    )


def _run_job() -> None:
    from amparo.accounts.retention import APPLY_RETENTION
    from amparo.worker.registry import handler_for

    handler = handler_for(APPLY_RETENTION)
    assert handler is not None
    handler(None)


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_removes_what_is_past_the_policy_and_nothing_else(people, settings):
    from django_tasks_db.models import DBTaskResult

    from amparo.accounts.models import RetentionPolicy
    from amparo.accounts.services import set_retention_policy
    from amparo.audit.models import AuditEvent
    from amparo.campaigns.models import DetectionRun
    from amparo.cases.models import Case, Note
    from amparo.cases.services import add_note, open_case, transition_case
    from amparo.intake.choices import ReportStatus
    from amparo.intake.models import Evidence, Report
    from amparo.keyring.models import DataKey
    from amparo.remedies.models import RemedyStep

    canary = f"CANARY-{uuid.uuid4().hex}"
    needle = canary.encode()
    with time_machine.travel(T0, tick=False) as clock:
        set_retention_policy(
            people.org,
            {
                "closed_cases_months": 24,
                "campaign_uploads_days": 30,
                "remedy_files_months": 12,
                "failed_tasks_days": 30,
            },
            actor=people.alice,
        )
        # A closed case: its report has the canary in the narrative and an evidence file.
        in_case = _report(people.org, f"Narrative {canary}", file=f"file {canary}".encode())
        closed = open_case(people.org, reports=[in_case], title="closed", actor=people.carlos)
        add_note(closed, f"note {canary}", actor=people.carlos)
        step = _remedy(closed, people.carlos, f"facts {canary}")
        transition_case(closed, "closed", outcome="advice_given", actor=people.carlos)
        # A report that never became a case, closed.
        lone = _report(people.org, f"Lone {canary}", file=f"lone {canary}".encode())
        Report.objects.filter(pk=lone.pk).update(status=ReportStatus.CLOSED)
        # A campaign upload and its failed detection task.
        run = _detection_run(people.org, people.alice, f"post,{canary}\n".encode())
        task = _failed_task(run, canary)
        # An open case: untouched however old.
        kept_report = _report(people.org, "still being worked on")
        open_one = open_case(people.org, reports=[kept_report], title="open", actor=people.carlos)
        kept_note = add_note(open_one, "kept", actor=people.carlos)
        # Another organisation without a policy keeps everything.
        other_report = _report(people.other_org, "other", file=b"other file")
        Report.objects.filter(pk=other_report.pk).update(status=ReportStatus.CLOSED)
        other_run = _detection_run(people.other_org, people.otto, b"other,post\n")
        other_task = _failed_task(other_run, "other")

        keys = [in_case.data_key_id, lone.data_key_id]
        blob_names = [
            n
            for e in Evidence.objects.filter(report__in=[in_case, lone])
            for n in (e.original_blob, e.clean_blob)
            if n
        ]
        blob_names += [run.inputs[0]["blob"], RemedyStep.objects.get(pk=step.pk).document_pdf]
        assert all((settings.AMPARO_BLOB_DIR / n[:2] / n).exists() for n in blob_names)
        assert _database_contains(settings, needle)  # control: the traceback is plain text

        clock.move_to(T0 + timedelta(days=25 * 31))
        from amparo.accounts.retention import preview

        due = preview(people.org)
        assert due is not None
        assert (due.cases, due.reports, due.campaign_uploads, due.failed_tasks) == (1, 1, 1, 1)
        assert preview(people.other_org) is None

        _run_job()

    # Gone or shredded.
    assert not Case.objects.filter(pk=closed.pk).exists()
    assert not Report.objects.filter(pk__in=[in_case.pk, lone.pk]).exists()
    assert not Evidence.objects.filter(report_id__in=[in_case.pk, lone.pk]).exists()
    assert not RemedyStep.objects.filter(pk=step.pk).exists()
    assert not DBTaskResult.objects.filter(pk=task.pk).exists()
    assert DetectionRun.objects.get(pk=run.pk).inputs == []
    for key in DataKey.objects.filter(pk__in=keys):
        assert key.shredded_at is not None and key.wrapped is None
    # Untouched: the open case and the organisation without a policy.
    assert Case.objects.get(pk=open_one.pk).status != "closed"
    assert Note.objects.get(pk=kept_note.pk).body == "kept"
    assert Report.objects.get(pk=kept_report.pk).narrative == "still being worked on"
    assert Report.objects.get(pk=other_report.pk).narrative == "other"
    assert Evidence.objects.filter(report=other_report).exists()
    assert DetectionRun.objects.get(pk=other_run.pk).inputs
    assert DBTaskResult.objects.filter(pk=other_task.pk).exists()
    assert RetentionPolicy.objects.filter(organisation=people.other_org).count() == 0

    # One audit event for the organisation, counts only.
    events = AuditEvent.objects.filter(action="retention.applied")
    assert [str(e.organisation_id) for e in events] == [str(people.org.pk)]
    counts = events.get().new
    assert counts["cases"] == 1 and counts["reports"] == 2
    assert counts["campaign_uploads"] == 1 and counts["failed_tasks"] == 1
    assert counts["keys_shredded"] == 2 and counts["files_deleted"] == len(blob_names)
    assert canary not in str(counts)

    # The canary is nowhere: database file, WAL, blob directory.
    assert not _blob_dir_contains(settings, blob_names, needle)
    assert not _database_contains(settings, needle)


@pytest.mark.django_db(transaction=True)
def test_remedy_documents_go_and_the_case_stays(people, settings):
    from amparo.accounts.retention import apply_policy
    from amparo.accounts.services import set_retention_policy
    from amparo.audit.models import AuditEvent
    from amparo.cases.models import Case
    from amparo.cases.services import open_case
    from amparo.remedies.models import RemedyStep

    with time_machine.travel(T0, tick=False) as clock:
        set_retention_policy(
            people.org,
            {"remedy_files_months": 1, "closed_cases_months": None},
            actor=people.alice,
        )
        case = open_case(
            people.org, reports=[_report(people.org, "x")], title="t", actor=people.carlos
        )
        step = _remedy(case, people.carlos, "facts")
        pdf = RemedyStep.objects.get(pk=step.pk).document_pdf
        assert pdf and (settings.AMPARO_BLOB_DIR / pdf[:2] / pdf).exists()
        clock.move_to(T0 + timedelta(days=40))
        counts = apply_policy(people.org)
    assert counts is not None and counts.remedy_files == 1 and counts.cases == 0
    step = RemedyStep.objects.get(pk=step.pk)
    assert step.document_pdf == "" and step.document_text is None
    assert not (settings.AMPARO_BLOB_DIR / pdf[:2] / pdf).exists()
    assert Case.objects.filter(pk=case.pk).exists()
    assert AuditEvent.objects.filter(action="retention.applied").count() == 1


@pytest.mark.django_db
def test_without_a_policy_nothing_runs(people):
    from amparo.accounts.retention import APPLY_RETENTION, apply_policy
    from amparo.audit.models import AuditEvent
    from amparo.worker.registry import daily_kinds

    assert APPLY_RETENTION in daily_kinds()  # scheduled at each worker start, then daily
    assert apply_policy(people.org) is None
    assert not AuditEvent.objects.filter(action="retention.applied").exists()


@pytest.mark.django_db
def test_admins_edit_the_policy_and_see_what_is_due(people, signed_in):
    from amparo.accounts.models import RetentionPolicy
    from amparo.audit.models import AuditEvent

    client = signed_in(people.alice)
    page = client.get(_url("defenders"))
    assert page.status_code == 200
    response = client.post(
        _url("defenders"),
        {
            "closed_cases_months": "18",
            "campaign_uploads_days": "",
            "remedy_files_months": "6",
            "failed_tasks_days": "14",
        },
    )
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(organisation=people.org)
    assert (policy.closed_cases_months, policy.campaign_uploads_days) == (18, None)
    event = AuditEvent.objects.get(action="retention.policy_set")
    assert event.new["remedy_files_months"] == 6 and event.actor_id == people.alice.pk
    page = client.get(_url("defenders"))
    assert b"Removed at the next daily run" in page.content
    assert client.post(_url("defenders"), {"closed_cases_months": "0"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["otto", "carlos", "vera"])
def test_others_get_404(people, signed_in, who):
    from amparo.accounts.models import RetentionPolicy

    client = signed_in(getattr(people, who))
    assert client.get(_url("defenders")).status_code == 404
    assert client.post(_url("defenders"), {"closed_cases_months": "1"}).status_code == 404
    assert not RetentionPolicy.objects.exists()


def _url(slug: str) -> str:
    from django.urls import reverse

    return reverse("retention", args=[slug])
