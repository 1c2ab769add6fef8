"""Handlers for scheduled jobs, registered by kind from any app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Handler = Callable[[Any], None]
_handlers: dict[str, Handler] = {}


def scheduled(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _handlers[kind] = func
        return func

    return register


def handler_for(kind: str) -> Handler | None:
    return _handlers.get(kind)
