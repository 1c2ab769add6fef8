"""Operators can diagnose failures — error ids, redacted messages, an access log, /healthz —
and still no reporter content reaches a log line."""

from __future__ import annotations

import io
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import connections
from django.db.utils import OperationalError
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from amparo.core.logging import code_location, exception_message, new_error_id, redact

ERROR_ID = r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}"
TLS_PROXY = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "ALLOWED_HOSTS": ["amparo.example.org"],
}


@contextmanager
def console_logs() -> Iterator[io.StringIO]:
    """What the configured console handlers (with their scrubbing filter) really write."""
    buffer = io.StringIO()
    handlers = {
        h
        for h in logging.getLogger().handlers + logging.getLogger("django.request").handlers
        if isinstance(h, logging.StreamHandler)
        and any(type(f).__name__ == "ScrubFilter" for f in h.filters)
    }
    assert handlers
    previous = [(h, h.setStream(buffer)) for h in handlers]
    try:
        yield buffer
    finally:
        for handler, stream in previous:
            handler.setStream(stream)


def canary() -> str:
    return f"CANARY{uuid.uuid4().hex[:12]}"


# --- Redaction ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("no such table: amparo_cache", "no such table: amparo_cache"),
        ('relation "amparo_cache" does not exist', 'relation "amparo_cache" does not exist'),
        (
            'connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "amparo_x" '
            "does not exist",
            'connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "amparo_x" '
            "does not exist",
        ),
        ('near "VALUES": syntax error', 'near "VALUES": syntax error'),
        (
            'duplicate key value violates unique constraint "accounts_user_email_key"\n'
            "DETAIL:  Key (email)=(maria@example.org) already exists.",
            'duplicate key value violates unique constraint "accounts_user_email_key"\n'
            "DETAIL:  Key (email)=(…) already exists.",
        ),
        (
            'null value in column "name" of relation "t" violates not-null constraint\n'
            "DETAIL:  Failing row contains (1, null, Maria Lopez).",
            'null value in column "name" of relation "t" violates not-null constraint\n'
            "DETAIL:  Failing row contains (…).",
        ),
        ("INSERT INTO t VALUES ('Maria', 'it''s')", "INSERT INTO t VALUES ('…', '…')"),
        ('invalid input syntax for type uuid: "Maria"', 'invalid input syntax for type uuid: "…"'),
        (
            'value "123456789012" is out of range for type integer',
            'value "…" is out of range for type integer',
        ),
        (
            "[Errno 2] No such file or directory: '/srv/x'",
            "[Errno 2] No such file or directory: '…'",
        ),
        ("(550, b'no mailbox for maria')", "(550, b'…')"),
        ("can't adapt type 'dict'", "can't adapt type '…'"),
        ("call +99-1234567890 or maria@example.org", "call +99-… or …"),
        ("unclosed 'Maria Lopez", "unclosed '…"),
        (
            "<urlopen error [Errno 111] Connection refused>",
            "<urlopen error [Errno 111] Connection refused>",
        ),
    ],
)
def test_redaction_keeps_identifiers_and_removes_values(message, expected):
    assert redact(message) == expected


def test_sql_quoted_back_by_postgresql_is_dropped():
    message = (
        'column "secret" does not exist\n'
        "LINE 1: SELECT secret FROM t WHERE name = 'Maria' AND phone = 5550123\n"
        "               ^"
    )
    assert redact(message) == 'column "secret" does not exist\nLINE 1: …'


_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
# The text around a value is the driver's own: it may hold balanced literals, never a stray
# quote (a stray quote makes pairing ambiguous; redact() then removes all it cannot pair).
_around = st.lists(
    st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="'\"`\\"),
        max_size=15,
    )
    | st.builds(repr, _text),
    max_size=3,
).map(" ".join)
_value_contexts = [
    # (template, how the value is quoted) — every place a driver or Python puts a value.
    "INSERT INTO t (a) VALUES ({sql})",
    "unnamed portal parameter $1 = {sql}",
    "error: {repr}",
    "SMTPRecipientsRefused({{{repr}: (550, b'x')}})",
    'invalid input syntax for type integer: "{dq}"',
    'value "{dq}" is out of range',
    # With client-side binding the value reaches the SQL text as a literal token.
    'syntax error at or near "{sql}"',
    "DETAIL:  Key (email)=({raw}) already exists.",
    "DETAIL:  Failing row contains (1, {raw}, 2).",
    "LINE 1: SELECT 1 WHERE a = {raw}",
]


@hypothesis_settings(max_examples=300, deadline=None)
@given(inner=_text, context=st.sampled_from(_value_contexts), prefix=_around, suffix=_around)
def test_no_value_survives_redaction(inner, context, prefix, suffix):
    value = f"CANARY{inner}CANARY"
    if "{raw}" in context and ("\n" in value or "\r" in value):
        value = value.replace("\n", " ").replace("\r", " ")
    if "{dq}" in context:
        # PostgreSQL doubles a double quote inside a quoted identifier or value.
        value = value.replace('"', '""')
    if "{raw}" in context and ")" in inner:
        # A value cannot be told from the text after it once it holds ") already exists".
        value = value.replace(")", "]")
    message = context.format(
        sql="'" + value.replace("'", "''") + "'", repr=repr(value), dq=value, raw=value
    )
    redacted = redact(f"{prefix.replace('CANARY', '')} {message} {suffix.replace('CANARY', '')}")
    assert "CANARY" not in redacted


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[a-z_][a-z0-9_]{0,30}", fullmatch=True))
def test_identifiers_survive_redaction(name):
    for message in (
        f"no such table: {name}",
        f'relation "{name}" does not exist',
        f'database "{name}" does not exist',
        f'column "{name}" of relation "{name}" does not exist',
    ):
        assert redact(message) == message


def test_only_database_configuration_and_network_errors_keep_a_message():
    import smtplib
    import sqlite3
    import urllib.error

    from django.core.exceptions import ImproperlyConfigured

    from amparo.conf.env import ConfigurationError

    secret = canary()
    for exc in (
        OperationalError(f"no such table: amparo_cache '{secret}'"),
        sqlite3.OperationalError(f"no such table: amparo_cache '{secret}'"),
        ImproperlyConfigured(f"bad setting amparo_cache '{secret}'"),
        ConfigurationError(f"bad setting amparo_cache '{secret}'"),
        ConnectionRefusedError(f"refused amparo_cache '{secret}'"),
        TimeoutError(f"timed out amparo_cache '{secret}'"),
        smtplib.SMTPException(f"smtp amparo_cache '{secret}'"),
        urllib.error.URLError(f"url amparo_cache '{secret}'"),
    ):
        kept = exception_message(exc)
        assert "amparo_cache" in kept and secret not in kept, exc
    for exc in (
        ValueError(secret),
        KeyError(secret),
        RuntimeError(f"'{secret}'"),
        TypeError(secret),
    ):
        assert exception_message(exc) == "<message withheld>"


def test_code_location_is_the_innermost_frame_inside_amparo(monkeypatch):
    from amparo.conf.env import READ, ConfigurationError, env_secret

    monkeypatch.setenv("AMPARO_DIAGNOSIS_TEST_FILE", "/nonexistent/amparo-diagnosis")
    try:
        with pytest.raises(ConfigurationError) as caught:
            env_secret("AMPARO_DIAGNOSIS_TEST")
    finally:
        READ.discard("AMPARO_DIAGNOSIS_TEST")
        READ.discard("AMPARO_DIAGNOSIS_TEST_FILE")
    # The cause was raised inside pathlib, called from amparo: the amparo frame is named.
    cause = caught.value.__cause__
    assert re.fullmatch(
        r"amparo/conf/env\.py:\d+ in env_secret", code_location(cause.__traceback__)
    )
    assert re.fullmatch(
        r"amparo/conf/env\.py:\d+ in env_secret", code_location(caught.value.__traceback__)
    )


def test_error_ids_are_short_and_random():
    ids = {new_error_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(re.fullmatch(ERROR_ID, i) for i in ids)


# --- Error ids ---------------------------------------------------------------------------------


@override_settings(ROOT_URLCONF="tests.diagnosis_urls", DEBUG=False)
def test_an_unhandled_exception_gets_an_error_id_on_the_page_and_in_the_log(db):
    secret = canary()
    client = Client(raise_request_exception=False)
    with console_logs() as logs:
        response = client.get(f"/test/fail/value/?q={secret}")
    assert response.status_code == 500
    page = response.content.decode()
    error_id = re.search(
        rf"Error id: <code>({ERROR_ID})</code>\. Give this to your administrator\.", page
    )
    assert error_id, page
    error_id = error_id.group(1)
    lines = [line for line in logs.getvalue().splitlines() if error_id in line]
    record = next(line for line in lines if "django.request" in line)
    assert re.search(
        rf"ERROR django\.request request failed with status 500 error_id={error_id} GET "
        r"/test/fail/value/: builtins\.ValueError at \S*tests/diagnosis_urls\.py:\d+ in "
        r"fail_with_value: <message withheld>$",
        record,
    ), record
    assert any(
        "amparo.access GET /test/fail/value/ 500" in line and f"error_id={error_id}" in line
        for line in lines
    )
    assert secret not in logs.getvalue() and secret not in page


@override_settings(ROOT_URLCONF="tests.diagnosis_urls", DEBUG=False)
def test_a_database_error_keeps_the_table_name_and_loses_the_value(db):
    secret = canary()
    client = Client(raise_request_exception=False)
    with console_logs() as logs:
        assert client.get(f"/test/fail/database/?q={secret}").status_code == 500
    text = logs.getvalue()
    assert re.search(
        r"request failed with status 500 error_id=\S+ GET /test/fail/database/: "
        r"django\.db\.utils\.ProgrammingError at \S+ in fail_in_database: "
        r'relation "amparo_missing" does not exist \| LINE 1: …$',
        text,
        re.MULTILINE,
    ), text
    # The scrubbed traceback keeps its frames and ends with the same redacted message.
    assert 'django.db.utils.ProgrammingError: relation "amparo_missing" does not exist' in text
    assert secret not in text


@override_settings(ROOT_URLCONF="tests.diagnosis_urls", DEBUG=False)
def test_a_real_missing_table_is_diagnosable(db):
    secret = canary()
    client = Client(raise_request_exception=False)
    with console_logs() as logs:
        assert client.get(f"/test/fail/sqlite/?q={secret}").status_code == 500
    text = logs.getvalue()
    assert "amparo_missing_table" in text and "<message withheld>" not in text
    assert secret not in text


@override_settings(ROOT_URLCONF="tests.diagnosis_urls", DEBUG=False)
def test_a_configuration_error_is_diagnosable_without_its_value(db):
    secret = canary()
    client = Client(raise_request_exception=False)
    with console_logs() as logs:
        assert client.get(f"/test/fail/configuration/?q={secret}").status_code == 500
    text = logs.getvalue()
    assert "ImproperlyConfigured" in text
    assert "AMPARO_SOMETHING must be a whole number; got '…'" in text
    assert secret not in text


def test_the_error_page_needs_no_database():
    from django.test import RequestFactory

    from amparo.core.views import server_error

    request = RequestFactory().get("/")
    request.amparo_error_id = "7F3K-9Q2M"
    with mock.patch.object(connections["default"], "cursor", side_effect=AssertionError):
        response = server_error(request)
    assert response.status_code == 500
    assert b"Error id: <code>7F3K-9Q2M</code>" in response.content


# --- Access log --------------------------------------------------------------------------------


@override_settings(ROOT_URLCONF="tests.diagnosis_urls")
def test_the_access_log_has_method_route_status_and_duration_only(db):
    secret = canary()
    client = Client()
    with console_logs() as logs:
        client.get(
            f"/test/ok/{secret}/?q={secret}",
            HTTP_USER_AGENT=f"UA-{secret}",
            REMOTE_ADDR="203.0.113.77",
        )
        client.get(f"/nothing/here/{secret}/")
        client.post("/test/ok/x/", {"q": secret})
    lines = [line for line in logs.getvalue().splitlines() if " amparo.access " in line]
    assert len(lines) == 3, lines
    assert re.search(r" INFO amparo\.access GET /test/ok/<str:code>/ 200 \d+ms$", lines[0])
    assert re.search(r" INFO amparo\.access GET - 404 \d+ms$", lines[1])
    assert re.search(r" INFO amparo\.access POST /test/ok/<str:code>/ 200 \d+ms$", lines[2])
    text = logs.getvalue()
    assert secret not in text and "203.0.113.77" not in text and "UA-" not in text


def test_a_follow_up_code_never_reaches_a_log_line(client, db):
    from amparo.accounts.services import create_organisation

    create_organisation(name="Org", slug="org", actor=None)
    code = "-".join(canary() for _ in range(4))
    with console_logs() as logs:
        client.get("/report/org/follow-up/")
        client.post("/report/org/follow-up/", {"code": code})
        client.get(f"/report/org/follow-up/?code={code}")
    text = logs.getvalue()
    assert "amparo.access POST /report/<slug:org_slug>/follow-up/ 200" in text
    assert code not in text and "CANARY" not in text and "/report/org/" not in text


# --- /healthz ----------------------------------------------------------------------------------


def _beat() -> None:
    from amparo.worker import services

    services.beat("w1", 1, "host", timezone.now())


@override_settings(**TLS_PROXY)
def test_healthz_answers_a_plain_loopback_probe_behind_the_tls_proxy_settings(db):
    client = Client()
    response = client.get("/healthz", HTTP_HOST="127.0.0.1")
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["checks"] == {"database": "ok", "worker": "no recent heartbeat"}
    assert body["details"]["worker"]["live"] == 0
    _beat()
    response = client.get("/healthz", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]
    head = client.head("/healthz", HTTP_HOST="127.0.0.1")
    assert head.status_code == 200 and head.content == b""
    # Everything else still gets the HTTPS redirect and the Host check.
    assert client.get("/", HTTP_HOST="amparo.example.org").status_code == 301
    assert client.get("/healthz/", HTTP_HOST="127.0.0.1").status_code == 400


def test_healthz_says_the_database_is_down_and_the_worker_unknown(client, db):
    _beat()
    secret = canary()
    failure = OperationalError(
        f"connection to server at \"db.internal\" failed: password '{secret}'"
    )
    with (
        console_logs() as logs,
        mock.patch.object(connections["default"], "cursor", side_effect=failure),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["checks"] == {"database": "unreachable", "worker": "unknown"}
    error = body["details"]["database"]
    assert error["error"] == "OperationalError" and re.fullmatch(ERROR_ID, error["error_id"])
    text = logs.getvalue()
    assert re.search(
        rf"WARNING amparo\.health health check of the database failed error_id={error['error_id']}: "
        r"django\.db\.utils\.OperationalError at amparo/site/health\.py:\d+ in health_report: "
        r"connection to server at \"db\.internal\" failed: password '…'",
        text,
    ), text
    assert secret not in text and secret not in response.content.decode()


def test_healthz_says_unknown_when_the_heartbeats_cannot_be_read(client, db):
    with mock.patch(
        "amparo.worker.services.live_worker_ids",
        side_effect=OperationalError("no such table: worker_heartbeat"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "worker": "unknown"}


def test_healthz_includes_outbound_details_when_available(client, db, monkeypatch):
    from amparo.outbound import services as outbound

    real = client.get("/healthz").json()["details"]["outbound"]
    assert {"pending", "failed"} <= set(real)
    monkeypatch.setattr(outbound, "health_details", lambda: {"pending": 3})
    assert client.get("/healthz").json()["details"]["outbound"] == {"pending": 3}


# --- Refused hosts -----------------------------------------------------------------------------


@override_settings(ALLOWED_HOSTS=["amparo.example.org"], DEBUG=False)
def test_a_wrong_host_is_one_warning_line_without_traceback(db):
    client = Client()
    with console_logs() as logs:
        response = client.get(
            "/report/org/follow-up/?code=x", HTTP_HOST="evil.example.net\nFAKE LINE" + "x" * 80
        )
    assert response.status_code == 400
    text = logs.getvalue()
    security = [line for line in text.splitlines() if "django.security" in line]
    assert len(security) == 1, text
    assert re.search(
        r"WARNING django\.security\.DisallowedHost refused a request with status 400: "
        r"DisallowedHost \(host evil\.example\.net\?FAKE\?LINExxx\S*… is not in ALLOWED_HOSTS\)$",
        security[0],
    ), security[0]
    assert "Traceback" not in text and "FAKE LINE" not in text and "x" * 60 not in text
    assert "amparo.access GET - 400" in text
