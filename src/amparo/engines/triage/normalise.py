"""Canonical forms of URLs and account handles, to suggest links between reports.

Two reports about the same post or the same attacker account rarely quote it the same
way: ``https://mobile.twitter.com/Attacker/status/1?s=20`` and ``x.com/attacker/status/1``
are one post. ``normalise_url`` and ``normalise_handle`` map such variants to one string.

Canonical URL form:

* scheme ``https``; no user name or password; no default port;
* host lower case, without a leading ``www.``, ``m.``, ``mobile.``, ``mbasic.``,
  ``web.`` or ``touch.``; ``twitter.com`` becomes ``x.com`` (X is the platform's
  current name), ``fb.com`` becomes ``facebook.com``, ``instagr.am`` ``instagram.com``;
* tracking parameters dropped (``utm_*``, ``fbclid``, ``gclid``, ``igshid``, ``igsh``,
  ``si``, ``ref``, ``ref_src``, ``ref_url``, ``mibextid``, ``feature``, ``_r``, ``_t``,
  ``is_from_webapp``, ``sender_device``, ``share_*``; on x.com also ``s`` and ``t``),
  the rest sorted;
* fragment dropped; trailing slash dropped;
* ``youtu.be/ID``, ``youtube.com/shorts/ID``, ``youtube.com/embed/ID`` and
  ``youtube.com/live/ID`` become ``youtube.com/watch?v=ID``;
* on x.com the path is lower-cased (user names there are case-insensitive; post ids are
  digits). Other paths keep their case: YouTube, Instagram and Facebook ids are
  case-sensitive.

Both functions are idempotent: normalising a normalised value returns it unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

_HOST_PREFIXES = ("www.", "m.", "mobile.", "mbasic.", "web.", "touch.")
_HOST_ALIASES = {
    "twitter.com": "x.com",
    "fb.com": "facebook.com",
    "instagr.am": "instagram.com",
    "youtube-nocookie.com": "youtube.com",
    "telegram.me": "t.me",
}
_TRACKING = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "igshid",
    "igsh",
    "si",
    "ref",
    "ref_src",
    "ref_url",
    "mibextid",
    "feature",
    "_r",
    "_t",
    "is_from_webapp",
    "sender_device",
    "sender_web_id",
    "rdid",
    "__cft__[0]",
    "__tn__",
}
_TRACKING_PREFIXES = ("utm_", "share_")
_X_ONLY = {"s", "t"}
_DEFAULT_PORTS = {"80", "443"}
_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
# "mailto:", "tel:", "javascript:" - a scheme without "//" (a host's port has digits).
_OTHER_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+\-]*:(?!\d|//)", re.IGNORECASE)


def _host(netloc: str) -> str:
    host = netloc.rsplit("@", 1)[-1]
    port = ""
    if host.startswith("["):
        return host.lower()
    if ":" in host:
        host, port = host.rsplit(":", 1)
    host = host.strip(".").lower()
    changed = True
    while changed:
        changed = False
        for prefix in _HOST_PREFIXES:
            if host.startswith(prefix) and host.count(".") >= 2:
                host = host[len(prefix) :]
                changed = True
    host = _HOST_ALIASES.get(host, host)
    if port and port not in _DEFAULT_PORTS:
        host = f"{host}:{port}"
    return host


def _youtube_id(host: str, path: str) -> str | None:
    if host == "youtu.be":
        video = path.strip("/").split("/")[0]
        return video or None
    if host == "youtube.com":
        parts = [p for p in path.split("/") if p]
        if len(parts) >= 2 and parts[0] in ("shorts", "embed", "live", "v"):
            return parts[1]
    return None


def _keep_param(key: str, host: str) -> bool:
    k = key.lower()
    if k in _TRACKING or k.startswith(_TRACKING_PREFIXES):
        return False
    return not (host == "x.com" and k in _X_ONLY)


def normalise_url(url: str) -> str:
    """Canonical form of ``url`` for matching (see the module docstring).

    Input that is not a URL comes back stripped of surrounding white space.
    """
    if not isinstance(url, str):
        return ""
    raw = unicodedata.normalize("NFC", url).strip()
    if not raw or _OTHER_SCHEME_RE.match(raw):
        return raw
    candidate = raw if _SCHEME_RE.match(raw) else "https://" + raw.lstrip("/")
    try:
        parts = urlsplit(candidate)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.netloc or " " in parts.netloc:
            return raw
        host = _host(parts.netloc)
        bare = host.split(":")[0]
        if not host or ("." not in bare and bare != "localhost"):
            return raw
        path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~%")
        query = [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if _keep_param(k, host)
        ]
        video = _youtube_id(host, path)
        if video:
            host, path = "youtube.com", "/watch"
            query = [(k, v) for k, v in query if k != "v"] + [("v", video)]
        if host == "x.com":
            path = path.lower()
        path = path.rstrip("/")
        query_string = urlencode(sorted(query), doseq=True, safe=":/@!$'()*,;")
        return urlunsplit(("https", host, path, query_string, ""))
    except (ValueError, UnicodeError):
        return raw


# First path segments that are not accounts, per host.
_NOT_ACCOUNTS = {
    "x.com": {"i", "home", "search", "explore", "hashtag", "intent", "share", "settings"},
    "instagram.com": {"p", "reel", "reels", "explore", "stories", "tv", "accounts"},
    "facebook.com": {
        "groups",
        "pages",
        "watch",
        "events",
        "photo",
        "photo.php",
        "story.php",
        "permalink.php",
        "sharer",
        "share",
        "hashtag",
        "people",
    },
    "tiktok.com": {"tag", "music", "discover", "search"},
    "t.me": {"s", "joinchat", "addstickers", "share"},
    "youtube.com": {
        "watch",
        "shorts",
        "embed",
        "live",
        "results",
        "playlist",
        "feed",
        "channel",
        "c",
        "user",
    },
}


def _handle_from_url(url: str) -> str | None:
    canonical = normalise_url(url)
    if not canonical.startswith("https://"):
        return None
    parts = urlsplit(canonical)
    host = parts.hostname or ""
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if host == "facebook.com" and segments[:1] == ["profile.php"]:
        ident = dict(parse_qsl(parts.query)).get("id")
        return ident or None
    if host == "facebook.com" and segments[:1] == ["people"] and len(segments) >= 3:
        return segments[2]
    if host == "youtube.com" and len(segments) >= 2 and segments[0] in ("c", "user", "channel"):
        return segments[1]
    if not segments:
        return None
    first = segments[0]
    stripped = first.lstrip("@")
    if first.lower() in _NOT_ACCOUNTS.get(host, set()) and not first.startswith("@"):
        return None
    if first.startswith("@") and host not in _NOT_ACCOUNTS:
        # Fediverse profile: https://instance/@name -> name@instance
        return f"{stripped}@{host}" if stripped else None
    return stripped or None


_URLISH = re.compile(
    r"^(?:[a-z][a-z0-9+.\-]*://)?(?:www\.|m\.|mobile\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/",
    re.IGNORECASE,
)


def normalise_handle(handle: str, platform: str | None = None) -> str:
    """Canonical form of an account handle: ``'@Name'`` -> ``'name'``.

    A profile URL (``facebook.com/name``, ``x.com/name``, ``instagram.com/name``,
    ``tiktok.com/@name``, ``t.me/name``, ``youtube.com/@name``) gives its handle. NFKC and
    case folding apply; a leading ``@`` and surrounding white space go. Fediverse handles
    keep their instance (``@a@example.social`` -> ``a@example.social``). ``platform``
    (``"x"``, ``"tiktok"``…) is accepted for the caller's clarity and changes nothing for
    the platforms above, whose handles are case-insensitive.
    """
    if not isinstance(handle, str):
        return ""
    text = unicodedata.normalize("NFKC", handle).strip()
    if _URLISH.match(text) or _SCHEME_RE.match(text):
        found = _handle_from_url(text)
        if found is not None:
            text = found
    text = unicodedata.normalize("NFKC", text.casefold())
    previous = None
    while text != previous:
        previous = text
        text = unicodedata.normalize("NFKC", text.strip().lstrip("@").rstrip("/").casefold())
    return text
