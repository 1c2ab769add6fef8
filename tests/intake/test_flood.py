"""Floods must not silence the helpline: nothing is counted per client address, so a flood from
one address (which behind a proxy or an onion service is everyone's) blocks no one else."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.test import Client

from amparo.audit.models import AuditEvent
from amparo.intake import throttle
from amparo.intake.models import Report
from amparo.worker.models import ScheduledJob
from tests.conftest import PASSWORD, give_totp, totp_now, wait_for_fresh_totp_window
from tests.intake.conftest import valid_report
from tests.intake.test_public_form import CODE, submit

FOLLOWUP = "/report/defenders/follow-up/"
ONE_ADDRESS = "10.0.0.1"  # the reverse proxy, or the onion service, that everyone comes through


#: Ten minutes into a calendar hour: the budget is counted per hour, so a flood that ran across
#: the hour's end would start a fresh budget half-way (CI once ran this test at 12:59:45).
MID_HOUR = 1_796_000_000 // 3600 * 3600 + 600


@pytest.fixture(autouse=True)
def _fresh_counters(monkeypatch):
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: MID_HOUR))
    caches["intake"].clear()
    yield
    caches["intake"].clear()


def alarms(report: Report) -> int:
    return ScheduledJob.objects.filter(key__contains=str(report.pk)).count()


def code_of(response) -> str:
    assert response.status_code == 200
    found = CODE.search(response.content.decode())
    assert found, "the received page shows a follow-up code"
    return found.group(1)


# --- the public form: a budget that holds, never refuses, the excess ---------------------------


def test_reports_above_the_budget_are_held_silently_without_alarms(people, settings):
    settings.AMPARO_INTAKE_LIMIT_PER_HOUR = 2
    client = Client(REMOTE_ADDR=ONE_ADDRESS)
    pages = [
        submit(client, valid_report(narrative=f"Report number {i} about my account."))
        for i in range(3)
    ]
    codes = [code_of(page) for page in pages]  # the same "received" page, with a code, for all
    normal, held = Report.objects.filter(held=False), Report.objects.filter(held=True)
    assert normal.count() == 2 and held.count() == 1
    assert all(alarms(r) == 2 for r in normal) and alarms(held.get()) == 0
    assert AuditEvent.objects.filter(action="report.received", new__held=True).count() == 1
    # The held reporter can still follow up, and sees nothing different.
    response = Client().post(FOLLOWUP, {"code": codes[2]})
    assert response.status_code == 302


def test_the_budget_is_per_organisation_and_hour(db):
    from django.conf import settings

    limit = settings.AMPARO_INTAKE_LIMIT_PER_HOUR
    hour = 3600 * 500_000
    assert not any(throttle.over_budget("org-a", now=hour + 1) for _ in range(limit))
    assert throttle.over_budget("org-a", now=hour + 2)
    assert not throttle.over_budget("org-b", now=hour + 3)  # another organisation
    assert not throttle.over_budget("org-a", now=hour + 3600)  # the next hour


def test_an_immediate_risk_report_is_never_held_nor_refused(people, settings):
    settings.AMPARO_INTAKE_LIMIT_PER_HOUR = 1
    settings.AMPARO_INTAKE_HELD_MAX = 1
    client = Client(REMOTE_ADDR=ONE_ADDRESS)
    for _ in range(2):
        code_of(submit(client, valid_report()))
    assert submit(client, valid_report()).status_code == 429  # the ceiling of held reports
    for flag in ("danger_now", "arrest_risk"):
        code_of(submit(client, valid_report(**{flag: "on"})))
        urgent = Report.objects.get(**{flag: True})
        assert not urgent.held and alarms(urgent) == 2


def test_beyond_the_ceiling_of_held_reports_nothing_is_stored(people, settings):
    settings.AMPARO_INTAKE_LIMIT_PER_HOUR = 1
    settings.AMPARO_INTAKE_HELD_MAX = 2
    client = Client(REMOTE_ADDR=ONE_ADDRESS)
    for _ in range(3):
        code_of(submit(client, valid_report()))
    refused = submit(client, valid_report())
    assert refused.status_code == 429 and "followup-code" not in refused.content.decode()
    assert Report.objects.count() == 3 and Report.objects.filter(held=True).count() == 2


def _held_reports(settings, n: int) -> list[Report]:
    settings.AMPARO_INTAKE_LIMIT_PER_HOUR = 1
    client = Client(REMOTE_ADDR=ONE_ADDRESS)
    for i in range(n + 1):
        code_of(submit(client, valid_report(narrative=f"Junk text {i} with nothing real.")))
    return list(Report.objects.filter(held=True))


def test_staff_see_held_reports_apart_and_release_them(people, settings, signed_in):
    first, second, third = _held_reports(settings, 3)
    staff = signed_in(people.carlos)  # a caseworker
    queue = staff.get("/o/defenders/reports/").content.decode()
    assert first.reference not in queue and "3 reports held as a possible flood" in queue
    page = staff.get("/o/defenders/reports/held/").content.decode()
    assert all(r.reference in page for r in (first, second, third))
    assert "Junk text" in page  # enough of the text to judge it
    response = staff.post(
        "/o/defenders/reports/held/release/",
        {"scope": "chosen", "report": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert not first.held and alarms(first) == 2  # into the queue, alarms counted from now
    assert first.reference in staff.get("/o/defenders/reports/").content.decode()
    released = AuditEvent.objects.filter(action="report.released")
    assert released.count() == 2 and released.first().actor_id == people.carlos.pk
    assert Report.objects.filter(held=True).count() == 1


def test_staff_discard_all_held_reports_crypto_shredded_and_audited(people, settings, signed_in):
    held = _held_reports(settings, 3)
    staff = signed_in(people.carlos)
    # A count that is no longer right (more were held meanwhile) changes nothing.
    staff.post("/o/defenders/reports/held/discard/", {"scope": "all", "expected": "2"})
    assert Report.objects.filter(held=True, erased_at__isnull=True).count() == 3
    staff.post("/o/defenders/reports/held/discard/", {"scope": "all", "expected": "3"})
    for report in held:
        report.refresh_from_db()
        report.data_key.refresh_from_db()
        assert report.erased_at is not None and report.narrative is None
        assert report.data_key.shredded_at is not None
    assert AuditEvent.objects.filter(action="report.discarded").count() == 3
    assert Report.objects.filter(held=False, erased_at__isnull=True).count() == 1  # untouched


def test_viewers_cannot_act_on_held_reports(people, settings, signed_in):
    (report,) = _held_reports(settings, 1)
    viewer = signed_in(people.vera)
    assert viewer.get("/o/defenders/reports/held/").status_code in (403, 404)
    response = viewer.post("/o/defenders/reports/held/discard/", {"report": [report.pk]})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.held and report.erased_at is None


# --- follow-up codes: limited per code, never per client ---------------------------------------


def test_a_wrong_code_tried_too_often_slows_only_itself(people):
    genuine = code_of(submit(Client(), valid_report()))
    attacker = Client(REMOTE_ADDR=ONE_ADDRESS)
    same = "apple banana cherry dog eagle fig"
    answers = [attacker.post(FOLLOWUP, {"code": same}).status_code for _ in range(12)]
    assert answers == [200] * throttle.FOLLOWUP_TRIES + [429] * 2
    assert attacker.post(FOLLOWUP, {"code": "apple banana cherry dog eagle gem"}).status_code == 200
    # Another reporter, through the same address, is not slowed.
    assert Client(REMOTE_ADDR=ONE_ADDRESS).post(FOLLOWUP, {"code": genuine}).status_code == 302


def test_a_code_used_too_often_slows_only_its_own_report(people):
    client = Client()
    first = code_of(submit(client, valid_report()))
    second = code_of(submit(client, valid_report()))
    for _ in range(throttle.FOLLOWUP_TRIES):
        assert Client().post(FOLLOWUP, {"code": first}).status_code == 302
    assert Client().post(FOLLOWUP, {"code": first}).status_code == 429
    assert Client().post(FOLLOWUP, {"code": second}).status_code == 302


# --- everything at once, from one address -------------------------------------------------------

JUNK_TYPES = ["harassment", "account_suspended", "content_removed", "impersonation", "other"]


def test_a_flood_from_one_address_blocks_no_one(people, settings):
    """1,000 junk reports, 100 wrong follow-up codes and 50 failed sign-ins for unknown e-mails,
    all from one address; then a genuine urgent report, a genuine follow-up and a staff sign-in
    from the same address all succeed."""
    settings.AMPARO_INTAKE_LIMIT_PER_HOUR = 10
    settings.AMPARO_INTAKE_HELD_MAX = 40  # small, so the test stays fast: the rest is refused
    genuine_code = code_of(submit(Client(REMOTE_ADDR=ONE_ADDRESS), valid_report()))

    flood = Client(REMOTE_ADDR=ONE_ADDRESS)
    statuses: dict[int, int] = {}
    for i in range(1000):
        junk = valid_report(
            incident_type=JUNK_TYPES[i % len(JUNK_TYPES)],
            narrative=f"Please help, my account number {i} was blocked for no reason at all.",
            affected=f"https://example.com/user{i}",
            attackers="",
            reporter_name=f"Person {i}",
            consent_contact="no",
            contact_method="",
            contact_value="",
            contact_safety="",
        )
        status = flood.post("/report/defenders/", junk).status_code
        statuses[status] = statuses.get(status, 0) + 1
    junk_in_queue = Report.objects.filter(held=False).count() - 1  # less the genuine one
    held = Report.objects.filter(held=True).count()
    refused = statuses.get(429, 0)
    assert statuses.get(200, 0) + refused == 1000
    assert junk_in_queue == 10 - 1 and held == 40 and refused == 1000 - 9 - 40

    # 60 different wrong codes, and one wrong code 40 times: only that one is slowed.
    guesses = [f"wrong code number {i} of junk" for i in range(60)] + ["one more wrong code"] * 40
    wrong = [flood.post(FOLLOWUP, {"code": guess}).status_code for guess in guesses]
    assert wrong.count(200) == 60 + throttle.FOLLOWUP_TRIES
    assert wrong.count(429) == 40 - throttle.FOLLOWUP_TRIES

    for i in range(50):
        flood.post("/accounts/login/", {"login": f"nobody{i}@example.org", "password": "x"})

    # The genuine reporter in danger, through the same address: received, queued, alarmed.
    urgent = submit(
        Client(REMOTE_ADDR=ONE_ADDRESS),
        valid_report(danger_now="on", narrative="They know where I live and are coming tonight."),
    )
    code_of(urgent)
    report = Report.objects.get(danger_now=True)
    assert not report.held and alarms(report) == 2 and report.urgency_level == "critical"

    # The genuine follow-up, through the same address.
    assert Client(REMOTE_ADDR=ONE_ADDRESS).post(FOLLOWUP, {"code": genuine_code})["Location"]

    # A member of staff signs in, through the same address, with password and TOTP.
    wait_for_fresh_totp_window()
    secret = give_totp(people.carlos)
    staff = Client(REMOTE_ADDR=ONE_ADDRESS)
    step = staff.post("/accounts/login/", {"login": people.carlos.email, "password": PASSWORD})
    assert step.status_code == 302 and step["Location"].startswith("/accounts/2fa/authenticate/")
    assert staff.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)}).status_code == 302
    assert "_auth_user_id" in staff.session


def test_a_malformed_choice_of_held_reports_is_said_and_changes_nothing(
    people, settings, signed_in
):
    (report,) = _held_reports(settings, 1)
    staff = signed_in(people.carlos)
    response = staff.post(
        "/o/defenders/reports/held/release/", {"report": ["not-an-id"]}, follow=True
    )
    assert "Choose reports from the list." in response.content.decode()
    report.refresh_from_db()
    assert report.held
    assert staff.post("/o/defenders/reports/held/", {"report": [report.pk]}).status_code == 405
