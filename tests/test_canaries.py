"""Sensitive values never appear in clear in the database, the logs or error reports."""

from __future__ import annotations

import logging
import os
import uuid

import pytest
from django.db import connection
from django.test import Client, override_settings

from tests.conftest import file_contains
from tests.test_encryption import pg_dump
from tests.testapp.models import Dossier


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF="tests.testapp.urls", DEBUG=False)
def test_canaries_stay_out_of_database_logs_and_error_pages(settings):
    import io

    from amparo.accounts.services import create_organisation

    # Read what the configured console handler (with its scrubbing filter) really writes.
    buffer = io.StringIO()
    handlers = [
        h
        for h in logging.getLogger().handlers + logging.getLogger("django.request").handlers
        if isinstance(h, logging.StreamHandler)
        and any(type(f).__name__ == "ScrubFilter" for f in h.filters)
    ]
    assert handlers
    previous = [h.setStream(buffer) for h in handlers]

    org = create_organisation(name="Canary Org", slug="canary", actor=None)
    canary = f"CANARY-{uuid.uuid4().hex}"
    contact = f"+99-{uuid.uuid4().int % 10**10}"
    dossier = Dossier.objects.create(
        organisation=org, secret_text=canary, contacts={"phone": contact}
    )
    logging.getLogger("amparo").info("dossier %s stored", dossier.pk)

    client = Client(raise_request_exception=False)
    assert client.get(f"/test/dossier/{dossier.pk}/").status_code == 200
    response = client.get(f"/test/dossier/{dossier.pk}/fail/")
    assert response.status_code == 500
    assert canary.encode() not in response.content and contact.encode() not in response.content

    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)
    logs = buffer.getvalue()
    assert "request failed with status 500" in logs  # the error was reported ...
    assert "ValueError" in logs
    assert canary not in logs and contact not in logs  # ... without the content

    if connection.vendor == "sqlite":
        name = settings.DATABASES["default"]["TEST"]["NAME"]
        assert file_contains(name, b"SQLite format 3")
        for suffix in ("", "-wal"):
            if os.path.exists(name + suffix):
                assert not file_contains(name + suffix, canary.encode())
                assert not file_contains(name + suffix, contact.encode())
    else:
        dump = pg_dump(settings)
        assert canary.encode() not in dump and contact.encode() not in dump


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.diagnosis_urls", DEBUG=False)
def test_canaries_stay_out_of_the_access_log_and_the_error_id_record():
    import re

    from tests.test_diagnosis import ERROR_ID, console_logs

    in_query, in_form, in_message = (f"CANARY-{uuid.uuid4().hex}" for _ in range(3))
    client = Client(raise_request_exception=False)
    with console_logs() as buffer:
        # A query string, a POSTed form field and the message of an ordinary exception.
        page = client.get(f"/test/fail/value/?q={in_message}&other={in_query}")
        client.post(f"/test/ok/x/?q={in_query}", {"q": in_form, "code": in_form})
        client.post("/test/fail/value/", {"q": in_form})
    logs = buffer.getvalue()
    assert page.status_code == 500
    error_id = re.search(ERROR_ID, page.content.decode()).group(0)
    assert f"request failed with status 500 error_id={error_id}" in logs
    assert "builtins.ValueError at" in logs and "<message withheld>" in logs
    assert re.search(r"amparo\.access GET /test/fail/value/ 500 \d+ms error_id=", logs)
    assert re.search(r"amparo\.access POST /test/ok/<str:code>/ 200 \d+ms", logs)
    for canary in (in_query, in_form, in_message):
        assert canary not in logs and canary not in page.content.decode()
    assert "CANARY" not in logs
