"""The worker is a real process: it survives being killed mid-task, claims scheduled jobs
atomically, and reports its heartbeat to /healthz."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from amparo.worker import services
from amparo.worker.models import Heartbeat, ScheduledJob
from amparo.worker.registry import scheduled

CALLS: list[int] = []


@scheduled("test.count")
def count_job(job):
    CALLS.append(job.pk)


@scheduled("test.explode")
def explode_job(job):
    raise RuntimeError("boom")


def test_a_due_job_is_claimed_by_exactly_one_worker(db):
    job = services.schedule("test.count", key="k1", due_at=timezone.now() - timedelta(seconds=1))
    first = services.claim_due("worker-a")
    second = services.claim_due("worker-b")
    assert [j.pk for j in first] == [job.pk]
    assert second == []


def test_future_jobs_wait_and_scheduling_is_idempotent(db):
    later = timezone.now() + timedelta(hours=1)
    a = services.schedule("test.count", key="same", due_at=later)
    b = services.schedule("test.count", key="same", due_at=later + timedelta(minutes=5))
    assert a.pk == b.pk
    assert ScheduledJob.objects.get().due_at == later + timedelta(minutes=5)
    assert services.claim_due("w") == []


def test_jobs_run_and_failures_are_retried_later(db):
    CALLS.clear()
    services.schedule("test.count", key="ok", due_at=timezone.now())
    services.schedule("test.explode", key="bad", due_at=timezone.now())
    for job in services.claim_due("w"):
        try:
            services.run_job(job)
        except RuntimeError:
            pass
    assert len(CALLS) == 1
    bad = ScheduledJob.objects.get(key="bad")
    assert bad.status == ScheduledJob.Status.PENDING and bad.attempts == 1
    assert bad.due_at > timezone.now() and bad.error == "RuntimeError"


def test_jobs_of_a_dead_worker_go_back_to_the_queue(db):
    job = services.schedule(
        "test.count", key="orphan", due_at=timezone.now() - timedelta(minutes=5)
    )
    services.claim_due("dead-worker", now=timezone.now() - timedelta(minutes=2))
    assert ScheduledJob.objects.get(pk=job.pk).status == ScheduledJob.Status.CLAIMED
    services.recover_abandoned()
    assert ScheduledJob.objects.get(pk=job.pk).status == ScheduledJob.Status.PENDING


def test_healthz_needs_a_live_worker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "worker": "no recent heartbeat"}
    services.beat("w1", 1, "host", timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    Heartbeat.objects.update(last_seen=timezone.now() - timedelta(minutes=5))
    assert client.get("/healthz").status_code == 503


def _start_worker() -> subprocess.Popen:
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tests.settings",
        AMPARO_TEST_DB_NAME=str(connection.settings_dict["NAME"]),
        AMPARO_WORKER_LEASE_SECONDS="5",
        PYTHONPATH=os.getcwd(),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "amparo.cli", "worker", "--interval", "0.2", "--heartbeat", "1"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait(predicate, timeout: float, what: str, worker: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if worker.poll() is not None:
            break
        time.sleep(0.2)
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    log = worker.stderr.read().decode()[-2000:] if worker.stderr else ""
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{log}")


@pytest.mark.django_db(transaction=True)
def test_a_task_survives_its_worker_being_killed_and_completes_once(tmp_path):
    from django_tasks_db.models import DBTaskResult

    from tests.testapp.models import TaskAttempt, TaskRun
    from tests.testapp.tasks import gated_marker

    token = uuid.uuid4().hex
    gate = tmp_path / "gate"
    gated_marker.enqueue(token, str(gate))
    first = _start_worker()
    try:
        _wait(
            lambda: TaskAttempt.objects.filter(token=token).exists(), 60, "the task to start", first
        )
        os.killpg(first.pid, signal.SIGKILL)  # mid-task: it is waiting at the gate
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert not TaskRun.objects.filter(token=token).exists()
    assert DBTaskResult.objects.get().status == "RUNNING"

    gate.touch()
    second = _start_worker()
    try:
        _wait(
            lambda: TaskRun.objects.filter(token=token).exists(),
            90,
            "the task to be recovered and finish",
            second,
        )
        _wait(
            lambda: DBTaskResult.objects.get().status == "SUCCESSFUL",
            20,
            "the result to be recorded",
            second,
        )
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        try:
            second.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(second.pid, signal.SIGKILL)
    assert TaskRun.objects.filter(token=token).count() == 1
    assert TaskAttempt.objects.filter(token=token).count() == 2


def test_a_job_whose_worker_keeps_dying_fails_after_max_attempts(db):
    job = services.schedule("test.count", key="poison", due_at=timezone.now() - timedelta(hours=1))
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        ScheduledJob.objects.filter(pk=job.pk).update(due_at=timezone.now() - timedelta(hours=1))
        assert services.claim_due(f"dead-{attempt}", now=timezone.now() - timedelta(minutes=2))
        services.recover_abandoned()
        job.refresh_from_db()
        assert job.attempts == attempt and job.error == "WorkerLost"
    assert job.status == ScheduledJob.Status.FAILED and job.finished_at is not None
    assert services.failed_work()["failed_jobs"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_task_that_kills_its_worker_is_tried_three_times_then_failed(client):
    """A poison task must not kill every worker forever: each worker that picks it up dies,
    the next gives it back, and after MAX_TASK_ATTEMPTS deaths it is marked failed, audited and
    counted in /healthz; the last worker lives on."""
    from django_tasks_db.models import DBTaskResult

    from amparo.audit.models import AuditEvent
    from tests.testapp.models import TaskAttempt
    from tests.testapp.tasks import kills_its_worker

    token = uuid.uuid4().hex
    kills_its_worker.enqueue(token)
    for attempt in range(1, services.MAX_TASK_ATTEMPTS + 1):
        worker = _start_worker()
        try:
            _wait(
                lambda n=attempt: TaskAttempt.objects.filter(token=token).count() == n,
                60,
                f"attempt {attempt}",
                worker,
            )
            assert worker.wait(timeout=20) == -signal.SIGKILL  # the task killed it
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
    result = DBTaskResult.objects.get()
    assert result.status == "RUNNING" and len(result.worker_ids) == services.MAX_TASK_ATTEMPTS

    survivor = _start_worker()
    try:
        _wait(
            lambda: DBTaskResult.objects.get().status == "FAILED", 60, "the task to fail", survivor
        )
        time.sleep(1.5)  # had it been given back, the survivor would run it and die
        assert survivor.poll() is None
    finally:
        os.killpg(survivor.pid, signal.SIGTERM)
        try:
            survivor.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(survivor.pid, signal.SIGKILL)
    assert TaskAttempt.objects.filter(token=token).count() == services.MAX_TASK_ATTEMPTS
    result = DBTaskResult.objects.get()
    assert result.exception_class_path == "amparo.worker.services.WorkerLost"
    event = AuditEvent.objects.get(action="task.gave_up")
    assert event.new["attempts"] == 3 and event.new["task"] == str(result.pk)
    worker = client.get("/healthz").json()["details"]["worker"]
    assert worker["tasks_that_killed_their_worker"] == 1 and worker["failed_tasks"] == 1
