"""The case page's window on the DSA Transparency Database: statements for a content id.

The store is the directory ``AMPARO_TDB_DIR`` (default ``AMPARO_DATA_DIR/tdb``) filled by
``amparo tdb ingest``. Nothing is fetched from the internet.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)

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
    """Statements of reasons in the local store for ``platform``'s ``content_id``.

    ``available`` is false when nothing has been ingested; ``error`` is true when the store
    exists but could not be read (a damaged file, say): the case page says so rather than
    pretending there is no statement, and the cause goes to the log. ``unknown_platform`` is
    true when the store holds no statement of the platform at all, which is not the same as
    no statement for this content id. The platform matches without regard to case or to the
    spelling of the dump file names, and the id is trimmed.
    """
    from amparo.engines.tdb.cases import UnknownPlatform, find_statements

    directory = store_dir()
    if not (directory / "rows").is_dir():
        return {"available": False, "error": False, "rows": []}
    name = TDB_NAMES.get(platform, platform)
    try:
        rows = find_statements(str(directory), name, content_id.strip(), limit=20)
    except UnknownPlatform:
        # not the same as "no statement with this content id": nothing of the platform at all
        return {
            "available": True,
            "error": False,
            "rows": [],
            "unknown_platform": True,
            "platform_name": name,
        }
    except Exception:
        log.exception("reading the Transparency Database store at %s failed", directory)
        return {"available": True, "error": True, "rows": []}
    return {"available": True, "error": False, "rows": rows, "unknown_platform": False}


def statements_for_case(case: Any, reports: list[Any], content_id: str = "") -> dict[str, Any]:
    if not content_id:
        return {"available": (store_dir() / "rows").is_dir(), "rows": [], "asked": False}
    result = statements_for(case.platform, content_id)
    result["asked"] = True
    result["content_id"] = content_id
    return result
