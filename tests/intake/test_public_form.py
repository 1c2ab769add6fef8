"""The public report form: works without JavaScript, in 13 languages, stores nothing about the
reporter's device, never loses what was typed."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amparo.intake.models import Evidence, Report
from tests.intake.conftest import png_bytes, valid_report

REPORTER_LANGUAGES = ["en", "es", "fr", "pt", "ar", "fa", "ur", "ru", "uk", "tr", "vi", "id", "sw"]
CODE = re.compile(r'<p class="followup-code" lang="en"><strong>([a-z ]+)</strong>')


def submit(client: Client, data: dict, files: list | None = None, org: str = "defenders"):
    payload = dict(data)
    if files:
        payload["files"] = files
    return client.post(f"/report/{org}/", payload)


@pytest.mark.parametrize("language", REPORTER_LANGUAGES)
def test_the_form_exists_in_every_reporter_language(people, language):
    response = Client().get(f"/report/defenders/?lang={language}")
    assert response.status_code == 200
    page = response.content.decode()
    direction = "rtl" if language in ("ar", "fa", "ur") else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert "<script" not in page  # works with JavaScript off
    assert re.search(r'(src|href)="https?://', page) is None  # nothing from another origin
    assert len(response.content) < 80_000  # small for a slow connection


def test_a_report_is_received_with_a_follow_up_code_and_advice(people):
    client = Client()
    response = submit(client, valid_report())
    assert response.status_code == 200  # the "received" page is the POST's own response
    page = response.content.decode()
    code = CODE.search(page).group(1)
    assert len(code.split()) == 6
    assert "Accounts Center" in page  # Facebook-specific steps to secure the account
    report = Report.objects.get()
    assert report.followup_digest and code not in report.followup_digest
    assert report.narrative.startswith("My page was suspended")
    assert report.received_at.minute % 15 == 0 and report.received_at.second == 0  # coarse time
    # Shown once: the old "received" address does not show the code.
    assert (
        "followup-code"
        not in client.get("/report/defenders/received/", follow=True).content.decode()
    )


def test_a_mistake_keeps_what_was_typed_and_the_accepted_files(people):
    client = Client()
    photo = SimpleUploadedFile("screenshot.jpg", png_bytes(), content_type="image/jpeg")
    response = submit(
        client,
        valid_report(narrative="", incident_type="harassment", reporter_name="Nour"),
        [photo],
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Nour"' in page
    assert re.search(r'<input[^>]*value="harassment"[^>]*checked', page)
    assert "screenshot.jpg" in page  # the file is kept ...
    token = re.search(r'name="evidence_token" value="([^"]+)"', page).group(1)
    assert not Report.objects.exists()
    fixed = valid_report(
        incident_type="harassment", narrative="They keep sending threats.", evidence_token=token
    )
    response = submit(client, fixed)
    assert response.status_code == 200 and CODE.search(response.content.decode())
    report = Report.objects.get()
    assert [e.filename for e in report.evidence.all()] == ["screenshot.jpg"]  # ... and attached


def test_a_bad_file_is_refused_with_a_reason_and_nothing_else_is_lost(people):
    client = Client()
    exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    good = SimpleUploadedFile("notice.txt", b"Your account was disabled", content_type="text/plain")
    response = submit(client, valid_report(), [exe, good])
    # The report is stored with the good file; the bad one is set aside, named, with a reason.
    assert response.status_code == 200
    page = response.content.decode()
    assert "followup-code" in page
    assert "photo.jpg" in page and "not accepted" in page
    report = Report.objects.get()
    assert [e.filename for e in report.evidence.all()] == ["notice.txt"]
    assert report.messages.get().status_code == "file_set_aside"


def test_the_honeypot_stores_nothing(people):
    response = submit(Client(), valid_report(website="http://spam.example"))
    assert response.status_code == 200 and "followup-code" not in response.content.decode()
    assert not Report.objects.exists()


def test_sensitive_fields_are_encrypted_at_rest(people):
    from django.db import connection

    submit(
        Client(), valid_report(narrative="Secret narrative ZQX-4471", reporter_name="Name ZQX-4472")
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative, reporter, accounts FROM intake_report")
        row = b"".join(bytes(v) for v in cursor.fetchone())
    assert b"ZQX-44" not in row and b"troll_one" not in row and b"1234 5678" not in row


def test_evidence_hash_is_the_receipt(people):
    import hashlib

    data = png_bytes()
    client = Client()
    response = submit(
        client, valid_report(), [SimpleUploadedFile("a.jpg", data, content_type="image/jpeg")]
    )
    page = response.content.decode()
    assert hashlib.sha256(data).hexdigest() in page
    assert Evidence.objects.get().sha256 == hashlib.sha256(data).hexdigest()


def test_an_unknown_organisation_is_404(db):
    assert Client().get("/report/no-such-org/").status_code == 404
