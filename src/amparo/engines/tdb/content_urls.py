"""From a post's address to the content id a platform puts in ``platform_uid``.

A statement of reasons names the content by the platform's own id, never by its URL, so a list
of post URLs (what a helpline or a researcher has) must be turned into ids before it can be
matched against the store. :func:`resolve` knows the URL shapes of the major platforms and
gives, for each, the platform's name as the database spells it and the *candidate* ids, most
likely first: what exactly a platform writes into ``platform_uid`` is not documented, so where
two forms are plausible (a LinkedIn ``urn:li:activity:N`` or ``N``; an Instagram short code or
the numeric media id it encodes; a Facebook post id alone or as ``<page id>_<post id>``)
both are tried. A bare number that only means something within a channel (a Telegram
message number) is never a candidate on its own.

What cannot be resolved offline says why (:class:`Unresolved`): short links (``vm.tiktok.com``,
``fb.watch``, ``lnkd.in``, ``t.co``, Facebook ``/share/`` links) hide the id behind a redirect,
and Facebook's ``pfbid…`` post ids are encrypted; open the link and paste the full address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from ..triage.normalise import normalise_url


@dataclass(frozen=True)
class Resolved:
    platform: str  # as the Transparency Database writes ``platform_name``
    candidates: tuple[str, ...]  # content ids to look for, most likely first
    kind: str = "post"  # "post", "video", "account", "message", ...


@dataclass(frozen=True)
class Unresolved:
    code: str  # "short_link", "encrypted_id", "no_id", "unknown_site", "not_a_url"
    platform: str = ""
    message: str = ""


#: URL host → platform name in the database.
HOSTS: dict[str, str] = {
    "x.com": "X",
    "twitter.com": "X",
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "music.youtube.com": "YouTube",
    "tiktok.com": "TikTok",
    "vm.tiktok.com": "TikTok",
    "vt.tiktok.com": "TikTok",
    "instagram.com": "Instagram",
    "facebook.com": "Facebook",
    "fb.watch": "Facebook",
    "linkedin.com": "LinkedIn",
    "lnkd.in": "LinkedIn",
    "t.me": "Telegram",
    "telegram.org": "Telegram",
}
SHORT_LINK_HOSTS = frozenset({"vm.tiktok.com", "vt.tiktok.com", "fb.watch", "lnkd.in", "t.co"})

_INSTAGRAM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_DIGITS = re.compile(r"^\d+$")


def looks_like_url(text: str) -> bool:
    """``https://…``, ``www.…`` or ``host.tld/path`` (a bare id never has a slash and a dot
    before it)."""
    text = text.strip()
    if re.match(r"^[a-z][a-z0-9+.\-]*://", text, re.IGNORECASE):
        return True
    head = text.split("/", 1)[0]
    return "/" in text and "." in head and " " not in head


def instagram_media_id(shortcode: str) -> str | None:
    """The numeric media id an Instagram short code encodes (base 64, first 11 characters:
    longer codes of private posts carry more after them)."""
    code = shortcode[:11]
    value = 0
    for ch in code:
        i = _INSTAGRAM_ALPHABET.find(ch)
        if i < 0:
            return None
        value = value * 64 + i
    return str(value) if value else None


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def _x(parts: list[str], query: dict[str, list[str]]) -> Resolved | Unresolved:
    for i, seg in enumerate(parts[:-1]):
        if seg in ("status", "statuses") and _DIGITS.match(parts[i + 1]):
            return Resolved("X", (parts[i + 1],))
    if len(parts) >= 3 and parts[:2] == ["i", "user"] and _DIGITS.match(parts[2]):
        return Resolved("X", (parts[2],), "account")
    if len(parts) == 1:
        return Unresolved("no_id", "X", "an account page: its id is a number not in the URL")
    return Unresolved("no_id", "X", "no post id in this X address")


def _youtube(host: str, parts: list[str], query: dict[str, list[str]]) -> Resolved | Unresolved:
    if query.get("v"):
        return Resolved("YouTube", (query["v"][0],), "video")
    if host == "youtu.be" and parts:
        return Resolved("YouTube", (parts[0],), "video")
    if len(parts) >= 2 and parts[0] in ("shorts", "embed", "live", "v"):
        return Resolved("YouTube", (parts[1],), "video")
    if len(parts) >= 2 and parts[0] == "channel":
        return Resolved("YouTube", (parts[1],), "account")
    if len(parts) >= 2 and parts[0] == "post":
        return Resolved("YouTube", (parts[1],), "post")
    return Unresolved("no_id", "YouTube", "no video, post or channel id in this address")


def _tiktok(host: str, parts: list[str]) -> Resolved | Unresolved:
    if host in SHORT_LINK_HOSTS:
        return Unresolved("short_link", "TikTok")
    for i, seg in enumerate(parts[:-1]):
        if seg in ("video", "photo", "v") and _DIGITS.match(parts[i + 1].removesuffix(".html")):
            return Resolved("TikTok", (parts[i + 1].removesuffix(".html"),), "video")
    if parts and parts[0] == "v" and len(parts) >= 2:
        candidate = parts[1].removesuffix(".html")
        if _DIGITS.match(candidate):
            return Resolved("TikTok", (candidate,), "video")
    if parts[:1] == ["embed"] and parts[-1:] and _DIGITS.match(parts[-1]):
        return Resolved("TikTok", (parts[-1],), "video")
    if len(parts) == 1 and parts[0].startswith("@"):
        return Unresolved("no_id", "TikTok", "an account page: its id is a number not in the URL")
    if parts[:1] == ["t"]:
        return Unresolved("short_link", "TikTok")
    return Unresolved("no_id", "TikTok", "no video id in this TikTok address")


def _instagram(parts: list[str]) -> Resolved | Unresolved:
    if len(parts) >= 2 and parts[0] in ("p", "reel", "reels", "tv"):
        code = parts[1]
        media = instagram_media_id(code)
        return Resolved("Instagram", (code, media) if media else (code,))
    if len(parts) >= 3 and parts[0] == "stories" and _DIGITS.match(parts[2]):
        return Resolved("Instagram", (parts[2],), "story")
    if len(parts) >= 3 and parts[1] in ("p", "reel"):
        media = instagram_media_id(parts[2])
        return Resolved("Instagram", (parts[2], media) if media else (parts[2],))
    if len(parts) == 1:
        return Unresolved(
            "no_id", "Instagram", "an account page: its id is a number not in the URL"
        )
    return Unresolved("no_id", "Instagram", "no post id in this Instagram address")


def _facebook(host: str, parts: list[str], query: dict[str, list[str]]) -> Resolved | Unresolved:
    if host in SHORT_LINK_HOSTS or parts[:1] == ["share"]:
        return Unresolved("short_link", "Facebook")
    q = {k: v[0] for k, v in query.items() if v}
    if "story_fbid" in q:
        story = q["story_fbid"]
        if story.startswith("pfbid"):
            return Unresolved("encrypted_id", "Facebook")
        owner = q.get("id", "")
        return Resolved("Facebook", (story, f"{owner}_{story}") if owner else (story,))
    if "fbid" in q:
        return Resolved("Facebook", (q["fbid"],), "photo")
    if parts[:1] == ["watch"] and "v" in q:
        return Resolved("Facebook", (q["v"],), "video")
    if parts[:1] == ["profile.php"] and "id" in q:
        return Resolved("Facebook", (q["id"],), "account")
    if parts[:1] == ["groups"] and len(parts) >= 4 and parts[2] in ("posts", "permalink"):
        group, post = parts[1], parts[3]
        if post.startswith("pfbid"):
            return Unresolved("encrypted_id", "Facebook")
        return Resolved("Facebook", (post, f"{group}_{post}"))
    for marker, kind in (("posts", "post"), ("videos", "video"), ("reel", "video")):
        if marker in parts[:-1]:
            post = parts[parts.index(marker) + 1]
            if post.startswith("pfbid"):
                return Unresolved("encrypted_id", "Facebook")
            owner = parts[0] if parts[0] != marker else ""
            ids = (post, f"{owner}_{post}") if owner and _DIGITS.match(owner) else (post,)
            return Resolved("Facebook", ids, kind)
    if len(parts) == 1:
        return Unresolved(
            "no_id", "Facebook", "a page or account: its id is a number not in the URL"
        )
    return Unresolved("no_id", "Facebook", "no post id in this Facebook address")


_LINKEDIN_URN = re.compile(r"urn:li:(activity|share|ugcPost):(\d+)", re.IGNORECASE)
_LINKEDIN_SLUG = re.compile(r"-(activity|share|ugcPost)-(\d+)", re.IGNORECASE)


def _linkedin(host: str, path: str) -> Resolved | Unresolved:
    if host in SHORT_LINK_HOSTS:
        return Unresolved("short_link", "LinkedIn")
    found = _LINKEDIN_URN.search(path) or _LINKEDIN_SLUG.search(path)
    if found:
        kind = {"activity": "activity", "share": "share", "ugcpost": "ugcPost"}[
            found.group(1).lower()
        ]
        number = found.group(2)
        return Resolved("LinkedIn", (f"urn:li:{kind}:{number}", number))
    return Unresolved("no_id", "LinkedIn", "no post id in this LinkedIn address")


def _telegram(parts: list[str]) -> Resolved | Unresolved:
    if parts[:1] == ["s"]:
        parts = parts[1:]
    if len(parts) >= 3 and parts[0] == "c" and _DIGITS.match(parts[2]):
        chat, message = parts[1], parts[2]
        ids = (f"c/{chat}/{message}", f"https://t.me/c/{chat}/{message}")
        return Resolved("Telegram", ids, "message")
    if len(parts) >= 2 and _DIGITS.match(parts[1]):
        channel, message = parts[0], parts[1]
        ids = (f"{channel}/{message}", f"https://t.me/{channel}/{message}")
        return Resolved("Telegram", ids, "message")
    if len(parts) == 1:
        return Unresolved("no_id", "Telegram", "a channel: no message number in the URL")
    return Unresolved("no_id", "Telegram", "no message number in this Telegram address")


def resolve(url: str) -> Resolved | Unresolved:
    """The platform and candidate content ids of a post's ``url`` (see the module docstring)."""
    text = url.strip()
    if not looks_like_url(text):
        return Unresolved("not_a_url", message="not a web address")
    raw_host = urlsplit(text if "://" in text else "https://" + text).hostname or ""
    raw_host = raw_host.lower().removeprefix("www.")
    canonical = normalise_url(text)
    parts = urlsplit(canonical)
    host = parts.hostname or ""
    if raw_host in SHORT_LINK_HOSTS:
        return Unresolved("short_link", HOSTS.get(raw_host, ""))
    platform = HOSTS.get(host)
    if platform is None and host.endswith(".tiktok.com"):
        platform = "TikTok"
    if platform is None:
        return Unresolved("unknown_site", message=f"no rule for {host or 'this address'}")
    query = parse_qs(parts.query)
    segments = _segments(parts.path)
    if platform == "X":
        return _x(segments, query)
    if platform == "YouTube":
        return _youtube(host, segments, query)
    if platform == "TikTok":
        return _tiktok(raw_host if raw_host in SHORT_LINK_HOSTS else host, segments)
    if platform == "Instagram":
        return _instagram(segments)
    if platform == "Facebook":
        return _facebook(host, segments, query)
    if platform == "LinkedIn":
        return _linkedin(host, parts.path)
    return _telegram(segments)
