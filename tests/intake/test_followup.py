"""The follow-up code lets a reporter come back without an account."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amparo.audit.models import AuditEvent
from amparo.intake.models import Message, Report
from tests.intake.conftest import valid_report
from tests.intake.test_public_form import CODE, submit


def reported(client: Client | None = None) -> tuple[Client, str, Report]:
    client = client or Client()
    code = CODE.search(submit(client, valid_report()).content.decode()).group(1)
    return client, code, Report.objects.get()


def open_with(code: str) -> Client:
    client = Client()
    response = client.post("/report/defenders/follow-up/", {"code": code})
    assert response.status_code == 302, response.content
    return client


def test_the_code_opens_the_report_and_a_wrong_code_does_not(people):
    _c, code, report = reported()
    client = open_with(code.upper().replace(" ", "-"))  # forgiving about case and separators
    page = client.get("/report/defenders/follow-up/report/").content.decode()
    assert report.reference in page
    wrong = Client().post(
        "/report/defenders/follow-up/", {"code": "apple banana cherry dog eagle fig"}
    )
    assert wrong.status_code == 200 and "could not find" in wrong.content.decode()


def test_the_code_works_only_at_its_own_organisation(people):
    _c, code, _report = reported()
    response = Client().post("/report/other/follow-up/", {"code": code})
    assert response.status_code == 200  # not found there


def test_the_reporter_answers_a_question(people, signed_in):
    _c, code, report = reported()
    from amparo.intake.services import ask_reporter

    ask_reporter(report, "Which day did the threats start?", actor=people.carlos)
    client = open_with(code)
    page = client.get("/report/defenders/follow-up/report/").content.decode()
    assert "Which day did the threats start?" in page
    client.post("/report/defenders/follow-up/report/", {"action": "answer", "body": "On Monday."})
    answer = Message.objects.get(direction="from_reporter")
    assert answer.body == "On Monday." and answer.created_at.minute % 15 == 0


def test_the_reporter_adds_evidence_changes_consent_and_asks_for_deletion(people):
    _c, code, report = reported()
    client = open_with(code)
    url = "/report/defenders/follow-up/report/"
    client.post(
        url,
        {
            "action": "evidence",
            "files": [SimpleUploadedFile("later.txt", b"more evidence", content_type="text/plain")],
        },
    )
    assert report.evidence.count() == 1
    client.post(
        url,
        {
            "action": "consent",
            "consent_contact": "no",
            "consent_share_identity": "no",
            "consent_collective": "no",
            "consent_statistics": "no",
        },
    )
    report.refresh_from_db()
    assert (report.consent_contact, report.consent_collective, report.consent_statistics) == (
        "no",
        "no",
        "no",
    )
    assert report.contact_method == ""
    event = AuditEvent.objects.get(action="report.consent_changed")
    assert event.old["consent_collective"] == "ask" and event.new["consent_collective"] == "no"
    client.post(url, {"action": "delete", "confirm": "yes"})
    report.refresh_from_db()
    assert report.deletion_requested


def test_leaving_ends_the_follow_up_session(people):
    _c, code, _report = reported()
    client = open_with(code)
    client.post("/report/defenders/follow-up/report/", {"action": "leave"})
    assert (
        client.get("/report/defenders/follow-up/report/")["Location"]
        == "/report/defenders/follow-up/"
    )


def test_codes_are_six_words_and_stored_only_as_a_slow_hash(people):
    _c, code, report = reported()
    assert re.fullmatch(r"[a-z]+( [a-z]+){5}", code)
    assert code.replace(" ", "") not in report.followup_digest
    from amparo.intake.followup import digest

    assert digest(code) == report.followup_digest


def test_code_words_are_plain_letters_so_they_are_copied_as_shown():
    from amparo.intake import followup

    words = followup._wordlist()
    assert len(words) > 7700 and all(re.fullmatch(r"[a-z]+", word) for word in words)
    # A code given out before the list was narrowed ("t-shirt") still opens its report.
    assert followup.digest("t-shirt apple") == followup.digest("t shirt apple")
