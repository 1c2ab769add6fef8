"""Nothing that identifies the reporter's device is stored: no address, no user agent."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from tests.intake.conftest import png_bytes, valid_report
from tests.test_encryption import pg_dump

ADDRESS = "203.0.113.197"
FORWARDED = "198.18.77.231"
AGENT = "CanaryBrowser/9.9 (reporter-device-7c1e)"


def search_tree(root: str, needles: list[bytes]) -> list[str]:
    """Search every file under root from another process (see tests.conftest.file_contains)."""
    code = (
        "import os,sys\n"
        "needles=[bytes.fromhex(h) for h in sys.argv[2:]]\n"
        "for d,_,fs in os.walk(sys.argv[1]):\n"
        "  for f in fs:\n"
        "    p=os.path.join(d,f)\n"
        "    try: data=open(p,'rb').read()\n"
        "    except OSError: continue\n"
        "    if any(n in data for n in needles): print(p)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, root, *[n.hex() for n in needles]],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


@pytest.mark.django_db(transaction=True)
def test_address_and_user_agent_are_found_nowhere():
    from amparo.accounts.services import create_organisation

    create_organisation(name="Trace Org", slug="defenders", actor=None)
    buffer = io.StringIO()
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    previous = [h.setStream(buffer) for h in handlers]
    try:
        client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR=FORWARDED)
        photo = SimpleUploadedFile("p.jpg", png_bytes(), content_type="image/jpeg")
        response = client.post("/report/defenders/", {**valid_report(), "files": [photo]})
        assert response.status_code == 200
        page = response.content.decode()
        code = page.split("<strong>")[1].split("</strong>")[0] if "<strong>" in page else ""
        client.post("/report/defenders/follow-up/", {"code": code})
        client.post(
            "/report/defenders/follow-up/report/", {"action": "answer", "body": "More details."}
        )
        client.post("/report/defenders/", {**valid_report(narrative="")})  # a failed one too
        logging.getLogger("amparo").warning("marker line so the buffer is known to work")
    finally:
        for handler, stream in zip(handlers, previous, strict=True):
            handler.setStream(stream)
    logs = buffer.getvalue()
    assert "marker line" in logs
    for needle in (ADDRESS, FORWARDED, AGENT, "reporter-device"):
        assert needle not in logs

    needles = [ADDRESS.encode(), FORWARDED.encode(), AGENT.encode(), b"reporter-device-7c1e"]
    assert search_tree(str(settings.DATA_DIR), needles) == []  # database file, WAL, blobs
    if connection.vendor == "postgresql":
        dump = pg_dump(settings)
        assert not any(n in dump for n in needles)
    assert os.path.isdir(settings.AMPARO_BLOB_DIR)
