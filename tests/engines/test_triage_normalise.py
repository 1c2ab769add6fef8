"""Canonical URLs and handles, used to suggest links between reports."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.engines.triage import normalise_handle, normalise_url

URLS = [
    (
        "https://mobile.twitter.com/Attacker/status/123?s=20&t=abc#frag",
        "https://x.com/attacker/status/123",
    ),
    ("x.com/attacker/status/123/", "https://x.com/attacker/status/123"),
    ("http://www.twitter.com/Attacker/status/123", "https://x.com/attacker/status/123"),
    ("https://youtu.be/dQw4w9WgXcQ?si=abc", "https://youtube.com/watch?v=dQw4w9WgXcQ"),
    (
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ&feature=share",
        "https://youtube.com/watch?v=dQw4w9WgXcQ",
    ),
    ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "https://youtube.com/watch?v=dQw4w9WgXcQ"),
    (
        "https://www.facebook.com/profile.php?id=100&fbclid=zz&mibextid=1",
        "https://facebook.com/profile.php?id=100",
    ),
    (
        "https://www.instagram.com/p/CxYz123/?igshid=abc&utm_source=ig",
        "https://instagram.com/p/CxYz123",
    ),
    ("HTTP://WWW.Example.COM:80/a/?utm_source=x&b=2&a=1", "https://example.com/a?a=1&b=2"),
    ("https://user:secret@example.com:8443/x", "https://example.com:8443/x"),
    (
        "https://www.tiktok.com/@Some.One/video/7300000000000000000?is_from_webapp=1&sender_device=pc",
        "https://tiktok.com/@Some.One/video/7300000000000000000",
    ),
    ("https://example.com/", "https://example.com"),
    ("  https://example.com/path?ref=home  ", "https://example.com/path"),
]


@pytest.mark.parametrize(("url", "expected"), URLS)
def test_normalise_url(url, expected):
    assert normalise_url(url) == expected
    assert normalise_url(expected) == expected


def test_variants_meet():
    variants = [
        "https://twitter.com/Foo/status/1?s=19",
        "https://x.com/foo/status/1",
        "mobile.twitter.com/FOO/status/1/",
        "https://www.x.com/foo/status/1#reply",
    ]
    assert len({normalise_url(v) for v in variants}) == 1


@pytest.mark.parametrize(
    "odd", ["", "   ", "not a url", "http://[broken", "mailto:a@b.c", "ftp://x.org/a"]
)
def test_non_urls_come_back_stripped(odd):
    assert normalise_url(odd) == odd.strip()


HANDLES = [
    ("@Name", None, "name"),
    ("  @ＮａｍｅＸ ", None, "namex"),
    ("https://www.facebook.com/Some.Person", "facebook", "some.person"),
    ("https://x.com/Foo/status/1", "x", "foo"),
    ("twitter.com/Foo", None, "foo"),
    ("https://www.instagram.com/some_one/?hl=en", "instagram", "some_one"),
    ("https://www.tiktok.com/@Some.One?lang=en", "tiktok", "some.one"),
    ("t.me/ChannelX", "telegram", "channelx"),
    ("https://www.youtube.com/@Channel", "youtube", "channel"),
    ("https://www.facebook.com/profile.php?id=1000123", "facebook", "1000123"),
    ("@a@Example.Social", "mastodon", "a@example.social"),
    ("https://example.social/@bob", None, "bob@example.social"),
    ("Straße", None, "strasse"),
]


@pytest.mark.parametrize(("handle", "platform", "expected"), HANDLES)
def test_normalise_handle(handle, platform, expected):
    assert normalise_handle(handle, platform) == expected
    assert normalise_handle(normalise_handle(handle, platform), platform) == expected


_url_like = st.builds(
    lambda scheme, sub, host, path, query, frag: f"{scheme}{sub}{host}{path}{query}{frag}",
    st.sampled_from(["", "http://", "https://", "HTTPS://"]),
    st.sampled_from(["", "www.", "m.", "mobile.", "WWW."]),
    st.sampled_from(
        ["x.com", "twitter.com", "youtu.be", "youtube.com", "example.org", "t.me", "Fb.com"]
    ),
    st.lists(st.text("abcXYZ019-_.~%@", min_size=1, max_size=8), max_size=4).map(
        lambda parts: "/" + "/".join(parts)
    ),
    st.lists(
        st.tuples(
            st.sampled_from(["utm_source", "s", "t", "v", "id", "si", "q", "a"]),
            st.text("abc123", max_size=4),
        ),
        max_size=4,
    ).map(lambda kv: ("?" + "&".join(f"{k}={v}" for k, v in kv)) if kv else ""),
    st.sampled_from(["", "#x", "#"]),
)


@settings(max_examples=150, deadline=None)
@given(_url_like)
def test_normalise_url_is_idempotent(url):
    once = normalise_url(url)
    assert normalise_url(once) == once


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_normalise_url_is_idempotent_on_any_text(text):
    once = normalise_url(text)
    assert normalise_url(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_normalise_handle_is_idempotent(text):
    once = normalise_handle(text)
    assert normalise_handle(once) == once
