"""Scheduled detection runs over what the organisation collected: the files uploaded for its
runs within the window, read again every day or week by the worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from amparo.accounts.models import Membership
from amparo.audit.models import AuditEvent
from amparo.campaigns import schedules
from amparo.campaigns.models import DetectionRun, DetectionSchedule
from amparo.campaigns.services import execute
from amparo.worker.models import ScheduledJob
from tests.campaigns_app.test_campaigns_app import posts_csv

RUNS = "/o/defenders/campaigns/"
MONDAY = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def upload(client, name: str = "posts.csv") -> DetectionRun:
    client.post(RUNS, {"posts": SimpleUploadedFile(name, posts_csv()), "case_actions": "1"})
    return DetectionRun.objects.filter(schedule__isnull=True).order_by("-created_at").first()


def test_a_weekly_schedule_reads_every_file_collected_in_its_window(
    people, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(people.alice)
    with time_machine.travel(MONDAY - timedelta(days=40), tick=False):
        upload(client, "old.csv")  # outside a 30-day window
    with time_machine.travel(MONDAY - timedelta(days=3), tick=False):
        upload(client, "week1.csv")
    with time_machine.travel(MONDAY, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"{RUNS}schedules/",
                {"name": "Weekly sweep", "every_days": "7", "window_days": "30"},
            )
        assert response.status_code == 302
        schedule = DetectionSchedule.objects.get()
        # Created now, the worker is asked to look at once, not only at its daily round.
        assert ScheduledJob.objects.filter(key__startswith=f"{schedules.JOB}:now:").exists()
        started = schedules.start_due()
    assert len(started) == 1
    run = started[0]
    assert run.schedule == schedule and run.inputs == [] and run.created_by == people.alice
    assert [item["name"] for _src, item in schedules.collected_inputs(run)] == ["week1.csv"]
    execute(run)
    run.refresh_from_db()
    # The same file uploaded twice would not double the posts: 220 distinct posts in week1.csv.
    assert run.status == "done" and run.stats["posts"] == 220 and run.stats["campaigns"] >= 1
    schedule.refresh_from_db()
    assert schedule.next_run_at == datetime(2026, 11, 9, tzinfo=UTC)
    with time_machine.travel(MONDAY + timedelta(days=6, hours=14), tick=False):
        assert schedules.start_due() == []  # 23:30 the day before
    with time_machine.travel(MONDAY + timedelta(days=6, hours=15), tick=False):
        assert len(schedules.start_due()) == 1  # 00:30 on the day it is due
    assert AuditEvent.objects.filter(action="campaigns.schedule_created").count() == 1


def test_nothing_collected_is_a_finished_run_with_nothing_found(people):
    schedule = schedules.create_schedule(
        people.org,
        actor=people.alice,
        name="Daily",
        every_days=1,
        window_days=7,
        params={},
        include_case_actions=False,
    )
    (run,) = schedules.start_due()
    execute(run)
    run.refresh_from_db()
    assert (run.status, run.stage, run.stats["campaigns"]) == ("done", "nothing collected", 0)
    assert run.schedule == schedule


def test_a_schedule_pauses_itself_when_its_creator_can_no_longer_run(people, signed_in):
    schedule = schedules.create_schedule(
        people.org,
        actor=people.adam,
        name="Daily",
        every_days=1,
        window_days=7,
        params={},
        include_case_actions=True,
    )
    Membership.objects.filter(user=people.adam, organisation=people.org).update(is_active=False)
    assert schedules.start_due() == []
    schedule.refresh_from_db()
    assert not schedule.active and schedule.note == "creator_cannot_run"
    client = signed_in(people.alice)
    assert "can no longer start runs" in client.get(RUNS).content.decode()
    client.post(f"{RUNS}schedules/{schedule.pk}/resume/")
    (run,) = schedules.start_due()
    assert run.created_by == people.alice


def test_bad_schedules_are_refused_with_a_message(people, signed_in):
    client = signed_in(people.alice)
    response = client.post(
        f"{RUNS}schedules/", {"name": "x", "every_days": "3", "window_days": "0"}, follow=True
    )
    assert not DetectionSchedule.objects.exists()
    page = response.content.decode()
    assert "Select a valid choice" in page and "greater than or equal to 1" in page
    with pytest.raises(Exception, match="from 1 to"):
        schedules.create_schedule(
            people.org,
            actor=people.alice,
            name="x",
            every_days=7,
            window_days=1000,
            params={},
            include_case_actions=True,
        )


def test_only_coordinators_of_the_organisation_touch_schedules(people, signed_in):
    schedule = schedules.create_schedule(
        people.org,
        actor=people.alice,
        name="Daily",
        every_days=1,
        window_days=7,
        params={},
        include_case_actions=True,
    )
    for user in (people.carlos, people.otto):
        client = signed_in(user)
        assert client.post(f"{RUNS}schedules/{schedule.pk}/delete/").status_code == 404
        assert (
            client.post(
                f"{RUNS}schedules/", {"name": "x", "every_days": "1", "window_days": "7"}
            ).status_code
            == 404
        )
    assert DetectionSchedule.objects.count() == 1
    client = signed_in(people.alice)
    client.post(f"{RUNS}schedules/{schedule.pk}/pause/")
    schedule.refresh_from_db()
    assert not schedule.active
    client.post(f"{RUNS}schedules/{schedule.pk}/delete/")
    assert not DetectionSchedule.objects.exists()
