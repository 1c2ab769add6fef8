"""Logging that records what happened without recording what people wrote.

Tracebacks keep their frames (file, line, function) but lose the exception message, because
messages can carry values (a reporter's name in a ``ValueError``). Request objects attached by
Django are dropped so headers, client addresses and bodies never reach a log handler.
"""

from __future__ import annotations

import logging
import traceback


def scrubbed_traceback(exc_info: tuple) -> str:
    exc_type, _exc, tb = exc_info
    frames = traceback.extract_tb(tb)
    lines = ["Traceback (most recent call last):"]
    lines += [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
    lines.append(f"{exc_type.__module__}.{exc_type.__qualname__}: <message withheld>")
    return "\n".join(lines)


class ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = scrubbed_traceback(record.exc_info)
            record.exc_info = None
        if record.name == "django.request":
            # "Internal Server Error: /path?query" — keep the status, drop the path.
            status = getattr(record, "status_code", "")
            record.msg = "request failed with status %s"
            record.args = (status,)
        return True
