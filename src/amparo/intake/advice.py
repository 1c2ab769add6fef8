"""Safety advice shown right after a report, per platform and incident type, in the reporter's
language. The text lives in data files (data/advice/<language>.json) so people who are not
programmers can maintain and translate it; missing entries fall back to English."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DIR = Path(__file__).resolve().parent / "data" / "advice"


@lru_cache(maxsize=32)
def _load(language: str) -> dict:
    path = DIR / f"{language}.json"
    if not path.exists() or not language.isalpha():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def languages() -> list[str]:
    return sorted(p.stem for p in DIR.glob("*.json"))


def advice_for(language: str, platform: str, incident_type: str) -> dict[str, list[str]]:
    local, english = _load(language), _load("en")

    def pick(*path: str) -> list[str]:
        for source in (local, english):
            node = source
            for part in path:
                node = node.get(part, {}) if isinstance(node, dict) else {}
            if node:
                return list(node)
        return []

    return {
        "incident": pick("incident", incident_type),
        "platform": pick("platform", platform) or pick("platform", "other"),
        "general": pick("general"),
    }
