"""The follow-up code and the reporter's file names exist only in the response that shows
them: never in the database file, its WAL or shared memory, the session or cache tables, the
logs or a temporary file. The public pages leave no long-lived cookie and create no session
until the reporter opens the follow-up page (and then only a browser-session cookie)."""

from __future__ import annotations

import base64
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
import zlib
from collections.abc import Iterator
from http.cookies import Morsel

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from amparo.intake.models import Report
from tests.intake.conftest import valid_report
from tests.intake.test_no_device_traces import search_tree
from tests.intake.test_public_form import CODE

SUBMISSION = re.compile(r'name="submission" value="([^"]+)"')


def _new_temp_files(since: float) -> list[str]:
    found = []
    for folder, _dirs, files in os.walk(tempfile.gettempdir()):
        for name in files:
            path = os.path.join(folder, name)
            try:
                if os.stat(path).st_mtime >= since:
                    found.append(path)
            except OSError:
                continue
    return found


ENCODED = re.compile(rb"[A-Za-z0-9_+/-]{16,}={0,2}")


def _decodings(data: bytes) -> Iterator[bytes]:
    """The bytes, and every base64 run in them decoded (and inflated when zlib-compressed):
    session data is signed, zlib-compressed base64 and cache values base64 pickles, readable
    by anyone with the file and no key."""
    yield data
    for match in ENCODED.finditer(data):
        chunk = match.group(0).rstrip(b"=")
        padded = chunk + b"=" * (-len(chunk) % 4)
        # the URL-safe alphabet reads a run of the common letters as the standard one does;
        # the standard alphabet is tried only where its own letters appear
        decoders = [base64.urlsafe_b64decode]
        if b"+" in chunk or b"/" in chunk:
            decoders.append(base64.b64decode)
        for decode in decoders:
            try:
                raw = decode(padded)
            except ValueError:
                continue
            yield raw
            if raw[:1] == b"x":  # a zlib stream starts with 0x78
                try:
                    yield zlib.decompressobj().decompress(raw)
                except zlib.error:
                    pass


def _read_elsewhere(path: str) -> bytes | None:
    """The file's bytes, read by another process: opening and closing the SQLite file here
    would drop this process's own SQLite locks (see tests.conftest.file_contains)."""
    code = "import sys; sys.stdout.buffer.write(open(sys.argv[1], 'rb').read())"
    result = subprocess.run([sys.executable, "-c", code, path], capture_output=True, check=False)
    return result.stdout if result.returncode == 0 else None


def _contains(path: str, needles: list[bytes]) -> bool:
    data = _read_elsewhere(path)
    if data is None:
        return False
    return any(n in blob for blob in _decodings(data) for n in needles)


@pytest.mark.django_db(transaction=True)
def test_code_and_file_name_are_found_nowhere_after_the_whole_flow(caplog):
    from amparo.accounts.services import create_organisation

    assert connection.vendor != "sqlite" or os.path.isfile(
        settings.DATABASES["default"]["TEST"]["NAME"]
    )
    create_organisation(name="Trace Org", slug="defenders", actor=None)
    caplog.set_level(logging.DEBUG)
    started = time.time() - 1
    filename = f"evidence-{uuid.uuid4().hex[:12]}-canary.txt"
    client = Client()
    form = client.get("/report/defenders/").content.decode()
    submission = SUBMISSION.search(form).group(1)
    upload = SimpleUploadedFile(filename, b"The notice I received.", content_type="text/plain")
    payload = {**valid_report(), "submission": submission, "files": [upload]}
    response = client.post("/report/defenders/", payload)
    assert response.status_code == 200
    page = response.content.decode()
    code = CODE.search(page).group(1)
    assert filename in page  # the receipt, in this response only

    # A reload sends the same form again: no second report, and the code is not shown again.
    upload.seek(0)
    again = client.post("/report/defenders/", payload)
    assert again.status_code == 200 and "already received" in again.content.decode()
    assert code not in again.content.decode() and "followup-code" not in again.content.decode()
    assert Report.objects.count() == 1
    assert (
        "followup-code"
        not in client.get("/report/defenders/received/", follow=True).content.decode()
    )

    # The follow-up page with the code.
    follow = client.post("/report/defenders/follow-up/", {"code": code})
    assert follow.status_code == 302
    status = client.get("/report/defenders/follow-up/report/").content.decode()
    assert filename in status
    client.post("/report/defenders/follow-up/report/", {"action": "answer", "body": "More."})
    client.post("/report/defenders/follow-up/report/", {"action": "leave"})

    needles = [code.encode(), code.replace(" ", "-").encode(), filename.encode()]
    # The database file, its WAL (still there: the connection is open) and shared memory, the
    # blobs: every file under the data folder, read as raw bytes.
    if connection.vendor == "sqlite":
        name = settings.DATABASES["default"]["TEST"]["NAME"]
        assert os.path.exists(name + "-wal") and os.path.getsize(name + "-wal") > 0
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(name + suffix):
                assert not _contains(name + suffix, needles), suffix
    assert search_tree(str(settings.DATA_DIR), needles) == []
    for folder, _dirs, files in os.walk(settings.DATA_DIR):
        assert not [f for f in files if _contains(os.path.join(folder, f), needles)], folder
    # The log records, formatted and raw.
    assert not any(n.decode() in caplog.text for n in needles)
    assert not any(n.decode() in repr(r.__dict__) for r in caplog.records for n in needles)
    # The session and cache tables, decoded.
    from django.contrib.sessions.models import Session

    for session in Session.objects.all():
        assert not any(n.decode() in repr(session.get_decoded()) for n in needles)
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM amparo_cache")
        for (value,) in cursor.fetchall():
            raw = base64.b64decode(value)
            assert not any(n in raw or n in value.encode() for n in needles)
    # New temporary files anywhere under the temporary folder.
    assert [p for p in _new_temp_files(started) if _contains(p, needles)] == []


def _cookies(response) -> dict[str, Morsel]:
    return dict(response.cookies.items())


def _long_lived(response) -> list[str]:
    """Cookies set with a lifetime (deletions, empty with Max-Age=0, are fine)."""
    return [
        name
        for name, morsel in _cookies(response).items()
        if morsel.value and (morsel["max-age"] or morsel["expires"])
    ]


def test_public_pages_leave_no_long_lived_cookie_and_no_session(people):
    client = Client()
    responses = {
        "form": client.get("/report/defenders/"),
        "form in Spanish": client.get("/report/defenders/?lang=es"),
        "form with a mistake": client.post("/report/defenders/", valid_report(narrative="")),
    }
    submission = SUBMISSION.search(responses["form"].content.decode()).group(1)
    responses["received"] = client.post(
        "/report/defenders/", {**valid_report(), "submission": submission}
    )
    code = CODE.search(responses["received"].content.decode()).group(1)
    responses["reload"] = client.post(
        "/report/defenders/", {**valid_report(), "submission": submission}
    )
    responses["old received address"] = client.get("/report/defenders/received/")
    responses["follow-up form"] = client.get("/report/defenders/follow-up/?lang=fr")
    assert settings.CSRF_COOKIE_NAME in _cookies(responses["form"])
    for label, response in responses.items():
        assert _long_lived(response) == [], label
        assert settings.SESSION_COOKIE_NAME not in _cookies(response), label
    assert settings.SESSION_COOKIE_NAME not in client.cookies

    # Opening the report makes a session: a browser-session cookie, ended on the server after
    # 30 minutes.
    opened = client.post("/report/defenders/follow-up/", {"code": code})
    assert settings.SESSION_COOKIE_NAME in _cookies(opened)
    assert _long_lived(opened) == []
    status = client.get("/report/defenders/follow-up/report/")
    assert status.status_code == 200 and _long_lived(status) == []
    from amparo.intake import views_public

    real = time.time
    try:
        views_public.time.time = lambda: real() + views_public.FOLLOWUP_SECONDS + 1  # type: ignore[method-assign]
        expired = client.get("/report/defenders/follow-up/report/")
    finally:
        views_public.time.time = real  # type: ignore[method-assign]
    assert expired.status_code == 302 and expired["Location"] == "/report/defenders/follow-up/"
