"""Logging that records what happened without recording what people wrote.

Tracebacks keep their frames (file, line, function) but lose the exception message, because
messages can carry values (a reporter's name in a ``ValueError``). Only messages of exceptions
that describe the machine rather than the people — database, configuration and network errors —
are kept, and then with every value redacted (:func:`redact`): identifiers such as table,
column, constraint and database names stay, quoted literals and row values become ``…``.

Request objects attached by Django are dropped so headers, client addresses and bodies never
reach a log handler; request paths are replaced by their route pattern. Every unhandled
exception gets a short error id (:func:`new_error_id`), shown on the error page and logged on
the same record as the exception's type, code location and (redacted) message.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import sqlite3
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

#: Crockford's base32 without I, L, O, U: easy to read out over the phone.
_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)
WITHHELD = "<message withheld>"
_MAX_MESSAGE = 400

#: Attribute of the request that carries its error id (set by amparo.core.middleware).
ERROR_ID_ATTRIBUTE = "amparo_error_id"


def new_error_id() -> str:
    """A short random id such as ``7F3K-9Q2M`` (40 bits)."""
    chars = "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


# --- Which messages may be kept --------------------------------------------------------------


def _diagnosable_types() -> tuple[type[BaseException], ...]:
    from django.core.exceptions import ImproperlyConfigured
    from django.db import Error as DatabaseError

    from amparo.conf.env import ConfigurationError

    kinds: list[type[BaseException]] = [
        DatabaseError,
        sqlite3.Error,
        ImproperlyConfigured,
        ConfigurationError,
        # Network and file-system errors: ConnectionError, TimeoutError (socket.timeout),
        # smtplib.SMTPException and urllib.error.URLError are all OSError subclasses.
        OSError,
    ]
    try:
        import psycopg

        kinds.append(psycopg.Error)
    except ImportError:  # pragma: no cover - psycopg is a dependency, but not on every box
        pass
    return tuple(kinds)


def is_diagnosable(exc: BaseException | None) -> bool:
    """Database, configuration and network errors: their (redacted) message is logged."""
    return exc is not None and isinstance(exc, _diagnosable_types())


# --- Redaction ----------------------------------------------------------------------------------

#: Words after which PostgreSQL and SQLite put an identifier in double quotes
#: (``relation "x" does not exist``, ``near "VALUES": syntax error``).
_NAMING_WORDS = frozenset(
    {
        "relation",
        "table",
        "column",
        "constraint",
        "index",
        "schema",
        "database",
        "role",
        "user",
        "sequence",
        "type",
        "function",
        "view",
        "trigger",
        "extension",
        "near",
        "operator",
        "collation",
        "domain",
        "tablespace",
        "cursor",
        "savepoint",
    }
)
#: Words after which a host name in double quotes is kept (``connection to server at "db"``,
#: ``could not translate host name "db" to address``): operators' configuration, not content.
_HOST_WORDS = frozenset({"at", "name"})
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_$]{0,62}(?:\.[A-Za-z_][A-Za-z0-9_$]{0,62}){0,2}")
_HOST = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[?[0-9A-Fa-f:.]{2,45}\]?")
#: Letters that may prefix a string literal: b'…' (bytes), E'…' and X'…' (SQL), r'…', u'…'.
_PREFIXES = frozenset({"b", "r", "u", "f", "rb", "br", "e", "n", "x"})
_QUOTES = "'\"`"

_SQL_LINE = re.compile(r"(\bLINE \d+:).*$", re.MULTILINE)
_CARET_LINE = re.compile(r"^\s*\^\s*$\n?", re.MULTILINE)
_KEY_VALUES = re.compile(r"(Key \(.*?\))=\(.*\)")
_FAILING_ROW = re.compile(r"(Failing row contains )\(.*\)")
_EMAIL = re.compile(r"[^\s'\"`()<>,;]+@[^\s'\"`()<>,;]+")
_UUID = re.compile(
    r"\b[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\b"
)
# A number standing alone (not part of an identifier such as ``report_2025010``).
_LONG_NUMBER = re.compile(r"(?<![A-Za-z0-9_])\d{7,}(?![A-Za-z0-9_])")


def _preceding_word(text: str, index: int) -> str:
    """The word right before a quote at ``index``, separated by exactly one space."""
    if index < 2 or text[index - 1] != " ":
        return ""
    start = index - 1
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return text[start : index - 1].lower()


def _opens_literal(text: str, index: int) -> bool:
    if index == 0 or not text[index - 1].isalnum():
        return True
    start = index
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    word = text[start:index].lower()
    return word in _PREFIXES and (start == 0 or not text[start - 1].isalnum())


def _closing(text: str, quote: str, start: int) -> int:
    """Index just past the literal that opened at ``start``; ``len(text)`` when unclosed."""
    position = start + 1
    while True:
        found = text.find(quote, position)
        if found == -1:
            return len(text)
        backslashes = 0
        while found - 1 - backslashes > start and text[found - 1 - backslashes] == "\\":
            backslashes += 1
        if backslashes % 2:  # \' escapes the quote: the literal goes on
            position = found + 1
            continue
        following = text[found + 1 : found + 2]
        if following == quote:  # '' is a quote inside an SQL literal
            position = found + 2
            continue
        if following.isalnum():  # an apostrophe inside a word (O'Brien)
            position = found + 1
            continue
        return found + 1


def _redact_literals(text: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char in _QUOTES and not _opens_literal(text, index):
            following = text[index + 1 : index + 2]
            if not following.isalnum():
                # A quote that neither opens a literal nor sits inside a word (can't): the
                # quotes cannot be paired with confidence, so everything between the first
                # and the last quote goes.
                first = min(text.find(q) for q in _QUOTES if q in text)
                last = max(text.rfind(q) for q in _QUOTES)
                return f"{text[:first]}…{text[last + 1 :]}"
        if char not in _QUOTES or not _opens_literal(text, index):
            out.append(char)
            index += 1
            continue
        end = _closing(text, char, index)
        closed = end > index + 1 and text[end - 1] == char
        content = text[index + 1 : end - 1] if closed else ""
        word = _preceding_word(text, index)
        keep = (
            closed
            and char == '"'
            and (
                (word in _NAMING_WORDS and _IDENTIFIER.fullmatch(content) is not None)
                or (word in _HOST_WORDS and _HOST.fullmatch(content) is not None)
            )
        )
        out.append(text[index:end] if keep else (f"{char}…{char}" if closed else f"{char}…"))
        index = end
    return "".join(out)


def redact(message: str) -> str:
    """Keep what describes the machine (identifiers, error codes), remove values.

    * ``'…'`` — every single-quoted (or back-quoted) literal, whatever it holds;
    * ``"…"`` — double-quoted text, except an identifier right after a naming word
      (``relation "amparo_cache"``, ``constraint "accounts_user_email_key"``,
      ``database "amparo"``, ``near "VALUES"``) or a host after ``server at``/``host name``;
    * ``Key (email)=(…)`` and ``Failing row contains (…)`` — row values in PostgreSQL details;
    * ``LINE 1: …`` — the SQL text PostgreSQL quotes back (it may hold bound values);
    * e-mail addresses, UUIDs and runs of 7 or more digits (phone numbers, ids).
    """
    text = _SQL_LINE.sub(r"\1 …", message)
    text = _CARET_LINE.sub("", text)
    text = _KEY_VALUES.sub(r"\1=(…)", text)
    text = _FAILING_ROW.sub(r"\1(…)", text)
    text = _redact_literals(text)
    text = _EMAIL.sub("…", text)
    text = _UUID.sub("…", text)
    text = _LONG_NUMBER.sub("…", text)
    text = text.strip()
    if len(text) > _MAX_MESSAGE:
        text = text[:_MAX_MESSAGE] + "…"
    return text


def exception_message(exc: BaseException | None) -> str:
    """The redacted message of a diagnosable exception; ``<message withheld>`` otherwise."""
    if exc is None or not is_diagnosable(exc):
        return WITHHELD
    try:
        text = str(exc)
    except Exception:
        return WITHHELD
    return redact(text) or "(no message)"


def _one_line(text: str) -> str:
    return " | ".join(part.strip() for part in text.splitlines() if part.strip())


def code_location(tb: TracebackType | None) -> str:
    """``amparo/site/health.py:40 in health_report``: the innermost frame inside the amparo package
    (the innermost frame at all when none is)."""
    frames = traceback.extract_tb(tb) if tb is not None else []
    if not frames:
        return "-"
    chosen = frames[-1]
    for frame in reversed(frames):
        if os.path.abspath(frame.filename).startswith(_PACKAGE_DIR + os.sep):
            chosen = frame
            break
    filename = os.path.abspath(chosen.filename)
    if filename.startswith(_PACKAGE_DIR + os.sep):
        filename = os.path.relpath(filename, os.path.dirname(_PACKAGE_DIR))
    return f"{filename}:{chosen.lineno} in {chosen.name}"


def describe_exception(exc: BaseException) -> str:
    """One line: ``module.Type at file:line in function: redacted message``."""
    kind = type(exc)
    return (
        f"{kind.__module__}.{kind.__qualname__} at {code_location(exc.__traceback__)}: "
        f"{_one_line(exception_message(exc))}"
    )


def scrubbed_traceback(exc_info: tuple) -> str:
    exc_type, exc, tb = exc_info
    frames = traceback.extract_tb(tb)
    lines = ["Traceback (most recent call last):"]
    lines += [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
    message = _one_line(exception_message(exc))
    lines.append(f"{exc_type.__module__}.{exc_type.__qualname__}: {message}")
    return "\n".join(lines)


# --- Requests -----------------------------------------------------------------------------------


def route_of(request: Any) -> str:
    """The matched route pattern (``/o/<slug:org_slug>/cases/``), never the concrete path."""
    match = getattr(request, "resolver_match", None)
    route = getattr(match, "route", None)
    if route is None:
        return "-"
    return "/" + _one_line(str(route)).replace(" ", "%20")


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_of(request: Any) -> str:
    method = getattr(request, "method", None) or "-"
    return method if method in _METHODS else "OTHER"


_HOST_CHARACTERS = re.compile(r"[^A-Za-z0-9.:\[\]-]")


def _refused_host(request: Any) -> str:
    meta = getattr(request, "META", {}) or {}
    raw = str(meta.get("HTTP_X_FORWARDED_HOST") or meta.get("HTTP_HOST") or "")
    host = _HOST_CHARACTERS.sub("?", raw)
    return (host[:40] + "…") if len(host) > 40 else (host or "-")


def _paths_of(request: Any) -> set[str]:
    paths = set()
    for name in ("path", "path_info"):
        value = getattr(request, name, None)
        if isinstance(value, str):
            paths |= {value, value.encode("unicode_escape").decode("ascii")}
    return paths


class ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "amparo_scrubbed", False):
            return True  # already scrubbed by another handler's filter
        record.amparo_scrubbed = True
        request = getattr(record, "request", None)
        if hasattr(record, "request"):
            record.request = None
        exc = record.exc_info[1] if record.exc_info and record.exc_info[0] else None
        if record.name.startswith("django.security.") and exc is not None:
            self._refused(record, request, exc)
            return True
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = scrubbed_traceback(record.exc_info)
            record.exc_info = None
        if record.name == "django.request":
            # "Internal Server Error: /path?query" — keep the status, drop the path.
            status = getattr(record, "status_code", "")
            record.msg = "request failed with status %s"
            record.args = (status,)
            if request is not None:
                error_id = getattr(request, ERROR_ID_ATTRIBUTE, None) or "-"
                record.msg += " error_id=%s %s %s"
                record.args += (error_id, method_of(request), route_of(request))
            if exc is not None:
                record.msg += ": %s"
                record.args += (describe_exception(exc),)
        elif request is not None and isinstance(record.args, tuple):
            # e.g. django.security.csrf "Forbidden (%s): %s" with the request's path.
            paths = _paths_of(request)
            record.args = tuple(
                route_of(request) if isinstance(arg, str) and arg in paths else arg
                for arg in record.args
            )
        return True

    @staticmethod
    def _refused(record: logging.LogRecord, request: Any, exc: BaseException) -> None:
        """A SuspiciousOperation (wrong Host header, too many fields...): one warning line,
        no traceback, no attacker-supplied text except a sanitised, truncated host name."""
        kind = type(exc).__name__
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info, record.exc_text = None, None
        status = getattr(record, "status_code", 400)
        if kind == "DisallowedHost":
            record.msg = "refused a request with status %s: %s (host %s is not in ALLOWED_HOSTS)"
            record.args = (status, kind, _refused_host(request))
        else:
            record.msg = "refused a request with status %s: %s"
            record.args = (status, kind)
