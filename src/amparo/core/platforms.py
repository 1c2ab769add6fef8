"""The maintained list of platforms (data/platforms.json), shared by intake and escalation."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "platforms.json"


@lru_cache(maxsize=1)
def platforms() -> list[dict[str, str]]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def platform_choices() -> list[tuple[str, str]]:
    return [(p["slug"], p["name"]) for p in platforms()]


def platform_name(slug: str) -> str:
    return next((p["name"] for p in platforms() if p["slug"] == slug), slug)


def is_platform(slug: str) -> bool:
    return any(p["slug"] == slug for p in platforms())
