"""Handlers for scheduled jobs, registered by kind from any app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Handler = Callable[[Any], None]
_handlers: dict[str, Handler] = {}
_daily: list[str] = []


def scheduled(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _handlers[kind] = func
        return func

    return register


def handler_for(kind: str) -> Handler | None:
    return _handlers.get(kind)


def daily(kind: str) -> Callable[[Handler], Handler]:
    """A scheduled job run once a day: scheduled at each worker start for today (one run a day
    however often workers restart) and, after each run, for the next day."""

    def register(func: Handler) -> Handler:
        def run_and_reschedule(job: Any) -> None:
            from datetime import timedelta

            from django.utils import timezone

            from amparo.worker.services import schedule

            func(job)
            tomorrow = timezone.now() + timedelta(hours=24)
            schedule(kind, key=f"{kind}:{tomorrow:%Y-%m-%d}", due_at=tomorrow)

        _handlers[kind] = run_and_reschedule
        if kind not in _daily:
            _daily.append(kind)
        return func

    return register


def daily_kinds() -> list[str]:
    return list(_daily)
