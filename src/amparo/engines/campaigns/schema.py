"""Canonical columns of the two inputs and the default column mapping.

Every reader turns its input into these columns; every detector reads only these.
A mapping (``{"canonical": "column in the file"}``) overrides the aliases below.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

POST_REQUIRED = ("id", "account", "timestamp")
POST_OPTIONAL = (
    "text",
    "urls",
    "platform",
    "reply_to",
    "repost_of",
    "hashtags",
    "media",
    "account_created",
)
POST_COLUMNS = POST_REQUIRED + POST_OPTIONAL

ACTION_REQUIRED = ("action", "timestamp")
ACTION_OPTIONAL = ("account", "item", "platform", "community")
ACTION_COLUMNS = ACTION_REQUIRED + ACTION_OPTIONAL

#: The actions that count towards an enforcement burst. ``restored`` is kept in the
#: data (it is evidence of a wrongful action) but never counted as pressure.
ENFORCEMENT_ACTIONS = ("suspended", "removed", "restricted")
ACTION_VALUES = (*ENFORCEMENT_ACTIONS, "restored")
ACTION_SYNONYMS = {
    "suspend": "suspended",
    "suspension": "suspended",
    "banned": "suspended",
    "ban": "suspended",
    "remove": "removed",
    "removal": "removed",
    "deleted": "removed",
    "takedown": "removed",
    "taken_down": "removed",
    "restrict": "restricted",
    "restriction": "restricted",
    "limited": "restricted",
    "shadowban": "restricted",
    "restore": "restored",
    "reinstated": "restored",
    "reinstate": "restored",
}

# Aliases tried in order when no mapping names the column: the first one present wins.
POST_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "post_id", "message_id", "tweet_id", "item_id", "status_id", "uid"),
    "account": (
        "account",
        "user_id",
        "author_id",
        "account_id",
        "user",
        "author",
        "screen_name",
        "username",
    ),
    "timestamp": (
        "timestamp",
        "created_at",
        "time",
        "datetime",
        "date",
        "published_at",
        "created_time",
    ),
    "text": ("text", "message", "full_text", "content", "body", "caption"),
    "urls": ("urls", "links", "expanded_urls", "url", "link"),
    "platform": ("platform", "network", "site"),
    "reply_to": (
        "reply_to",
        "in_reply_to_status_id",
        "reply_id",
        "in_reply_to_id",
        "parent_id",
    ),
    "repost_of": (
        "repost_of",
        "retweeted_status_id",
        "repost_id",
        "retweet_id",
        "reshare_of",
        "shared_id",
    ),
    "hashtags": ("hashtags", "tags"),
    "media": (
        "media",
        "media_hashes",
        "media_hash",
        "image_hash",
        "phash",
        "pdq",
        "video_hash",
    ),
    "account_created": (
        "account_created",
        "account_created_at",
        "user_created_at",
        "author_created_at",
    ),
}

ACTION_ALIASES: dict[str, tuple[str, ...]] = {
    "action": ("action", "decision", "enforcement", "kind", "type"),
    "timestamp": ("timestamp", "time", "created_at", "date", "datetime", "decided_at"),
    "account": ("account", "user_id", "account_id", "author_id", "user", "target_account"),
    "item": ("item", "item_id", "post_id", "content_id", "message_id", "tweet_id"),
    "platform": ("platform", "network", "site"),
    "community": ("community", "group", "community_id", "cohort"),
}

#: Schema of the canonical posts table that every detector reads.
POSTS_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("account", pa.string()),
        ("timestamp", pa.int64()),
        ("text", pa.string()),
        ("urls", pa.list_(pa.string())),
        ("platform", pa.string()),
        ("reply_to", pa.string()),
        ("repost_of", pa.string()),
        ("hashtags", pa.list_(pa.string())),
        ("media", pa.list_(pa.string())),
        ("account_created", pa.int64()),
    ]
)

ACTIONS_SCHEMA = pa.schema(
    [
        ("action", pa.string()),
        ("timestamp", pa.int64()),
        ("account", pa.string()),
        ("item", pa.string()),
        ("platform", pa.string()),
        ("community", pa.string()),
    ]
)


def load_mapping(path: str | Path | None) -> dict[str, dict[str, str]]:
    """Read a column mapping file.

    The file is JSON, either flat (``{"id": "tweet_id", "account": "user_id"}``, applied
    to posts) or split by input (``{"posts": {...}, "actions": {...}}``).
    """
    if path is None:
        return {"posts": {}, "actions": {}}
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a column mapping is a JSON object")
    if "posts" in data or "actions" in data:
        posts, actions = data.get("posts", {}), data.get("actions", {})
    else:
        posts, actions = data, {}
    for name, section, known in (
        ("posts", posts, POST_COLUMNS),
        ("actions", actions, ACTION_COLUMNS),
    ):
        unknown = sorted(set(section) - set(known))
        if unknown:
            raise ValueError(f"{path}: unknown {name} column(s) in mapping: {', '.join(unknown)}")
    return {"posts": dict(posts), "actions": dict(actions)}


def resolve_columns(
    present: list[str],
    aliases: dict[str, tuple[str, ...]],
    mapping: dict[str, str],
) -> dict[str, str]:
    """Return ``{canonical: source column}`` for the canonical columns found in ``present``."""
    lower = {c.lower(): c for c in present}
    out: dict[str, str] = {}
    for canonical, candidates in aliases.items():
        if canonical in mapping:
            source = mapping[canonical]
            if source not in present:
                raise ValueError(
                    f"column mapping names {source!r} for {canonical!r}, "
                    f"but the input has only: {', '.join(present)}"
                )
            out[canonical] = source
            continue
        for cand in candidates:
            if cand in lower and lower[cand] not in out.values():
                out[canonical] = lower[cand]
                break
    return out
