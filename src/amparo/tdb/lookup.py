"""The case page's window on the DSA Transparency Database: statements for a content id.

The store is the directory ``AMPARO_TDB_DIR`` (default ``AMPARO_DATA_DIR/tdb``) filled by
``amparo tdb ingest``. Nothing is fetched from the internet.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings

# Amparo platform slug -> the platform_name the Transparency Database uses.
TDB_NAMES = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "threads": "Threads",
    "whatsapp": "WhatsApp",
    "youtube": "YouTube",
    "google-search": "Google Search",
    "tiktok": "TikTok",
    "x": "X",
    "telegram": "Telegram",
    "linkedin": "LinkedIn",
    "snapchat": "Snapchat",
    "bluesky": "Bluesky",
    "vk": "VK",
    "reddit": "Reddit",
}


def store_dir() -> Path:
    return Path(os.environ.get("AMPARO_TDB_DIR") or Path(settings.DATA_DIR) / "tdb")


def statements_for(platform: str, content_id: str) -> dict[str, Any]:
    from amparo.engines.tdb import find_statements

    directory = store_dir()
    if not (directory / "rows").exists() and not any(directory.glob("*")):
        return {"available": False, "rows": []}
    name = TDB_NAMES.get(platform, platform)
    try:
        rows = find_statements(str(directory), name, content_id.strip(), limit=20)
    except Exception:
        return {"available": False, "rows": []}
    return {"available": True, "rows": rows}


def statements_for_case(case: Any, reports: list[Any], content_id: str = "") -> dict[str, Any]:
    if not content_id:
        return {"available": store_dir().exists(), "rows": [], "asked": False}
    result = statements_for(case.platform, content_id)
    result["asked"] = True
    result["content_id"] = content_id
    return result
