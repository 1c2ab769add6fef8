"""Canonical JSON: the exact bytes that are signed.

Keys sorted, no insignificant whitespace, UTF-8 without escaping, and no floating-point
numbers (their text form is not canonical across languages): integers, strings, booleans,
null, lists and objects only. The same value always gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Any


class NotCanonical(ValueError):
    pass


def _check(value: Any, path: str) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return
    if isinstance(value, float):
        raise NotCanonical(f"{path}: floating-point numbers are not allowed")
    if isinstance(value, list):
        for index, element in enumerate(value):
            _check(element, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, element in value.items():
            if not isinstance(key, str):
                raise NotCanonical(f"{path}: object keys must be strings")
            _check(element, f"{path}.{key}")
        return
    raise NotCanonical(f"{path}: {type(value).__name__} is not a JSON value")


def dumps(value: Any) -> bytes:
    _check(value, "$")
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")
