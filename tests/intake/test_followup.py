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


DIGITS = re.compile(r'<p class="followup-code" dir="ltr"><strong>([0-9 ]+)</strong>')


def test_reporters_writing_in_arabic_get_digits_they_can_type_in_any_script(people):
    response = Client().post("/report/defenders/?lang=ar", valid_report())
    page = response.content.decode()
    code = DIGITS.search(page).group(1)
    groups = code.split()
    assert len(groups) == 6 and all(len(g) == 4 and g.isdigit() for g in groups)
    assert "اكتب هذه الأرقام الأربعة والعشرين" in page  # said in the reporter's language
    # Typed on an Arabic keyboard (Arabic-Indic digits), without the spaces: still the code.
    arabic = code.replace(" ", "").translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    client = open_with(arabic)
    assert (
        Report.objects.get().reference
        in client.get("/report/defenders/follow-up/report/").content.decode()
    )
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    open_with(persian)


def test_latin_script_reporters_keep_six_words_and_digit_codes_need_every_digit(people):
    from amparo.intake import followup

    assert len(followup.new_code("es").split()) == 6
    assert not followup.is_digits(followup.new_code("es"))
    assert followup.is_digits(followup.new_code("uk")) and followup.is_digits(
        followup.new_code("fa")
    )
    assert followup.normalise("1234-5678 ٩٠١٢") == "123456789012"
    response = Client().post("/report/defenders/?lang=ru", valid_report())
    code = DIGITS.search(response.content.decode()).group(1)
    wrong = Client().post("/report/defenders/follow-up/", {"code": code[:-1]})
    assert wrong.status_code == 200 and "could not find" in wrong.content.decode()


def test_the_follow_up_page_says_what_happened_in_plain_words(people):
    from django.utils import translation

    from amparo.cases.services import open_case, transition_case
    from amparo.intake import queue

    _c, code, report = reported()
    client = open_with(code)

    def status() -> tuple[str, str]:
        page = client.get("/report/defenders/follow-up/report/").content.decode()
        found = re.search(r'<dd id="report-status">([^<]*)</dd>', page).group(1)
        outcome = re.search(r'<dd id="report-outcome">([^<]*)</dd>', page)
        return found, outcome.group(1) if outcome else ""

    assert status() == ("Received, waiting for a caseworker", "")
    case = open_case(people.org, reports=[report], title="t", actor=people.carlos)
    assert status() == ("We are working on it.", "")
    for step in ("triaged", "in_progress", "escalated"):
        transition_case(case, step, actor=people.carlos)
    assert status() == ("We raised it with the platform and are waiting for its answer.", "")
    transition_case(case, "resolved", actor=people.carlos, outcome="account_restored")
    assert status() == ("Closed.", "The platform restored the account.")
    # In Spanish, as the reporter reads it; staff words never appear.
    client.cookies["django_language"] = "es"
    page = client.get("/report/defenders/follow-up/report/").content.decode()
    assert "La plataforma restableció la cuenta." in page and "resolved" not in page
    # A report closed without a case as a duplicate is told so.
    code2 = CODE.search(submit(Client(), valid_report()).content.decode()).group(1)
    other = Report.objects.exclude(pk=report.pk).get()
    queue.close([other], "duplicate", "", actor=people.carlos)
    second = open_with(code2)
    with translation.override("en"):
        page = second.get("/report/defenders/follow-up/report/").content.decode()
    assert "We already have this report, and we handle it there." in page
