"""Post addresses to the content ids platforms publish, platform by platform."""

from __future__ import annotations

import pytest

from amparo.engines.tdb.content_urls import Resolved, Unresolved, instagram_media_id, resolve

CASES = [
    # Facebook
    ("https://www.facebook.com/permalink.php?story_fbid=10159&id=100044", "Facebook",
     ("10159", "100044_10159")),
    ("https://m.facebook.com/story.php?story_fbid=42&id=7", "Facebook", ("42", "7_42")),
    ("https://www.facebook.com/100044/posts/123456/", "Facebook", ("123456", "100044_123456")),
    ("https://www.facebook.com/SomePage/posts/123456", "Facebook", ("123456",)),
    ("https://www.facebook.com/groups/12345/posts/67890/", "Facebook", ("67890", "12345_67890")),
    ("https://www.facebook.com/groups/12345/permalink/67890/", "Facebook",
     ("67890", "12345_67890")),
    ("https://www.facebook.com/photo.php?fbid=555&set=a.1", "Facebook", ("555",)),
    ("https://www.facebook.com/watch/?v=987", "Facebook", ("987",)),
    ("https://www.facebook.com/SomePage/videos/321/", "Facebook", ("321",)),
    ("https://www.facebook.com/reel/777", "Facebook", ("777",)),
    ("fb.com/profile.php?id=100001", "Facebook", ("100001",)),
    # Instagram
    ("https://www.instagram.com/p/CxYz12AbC_d/", "Instagram",
     ("CxYz12AbC_d", "3195531936112848861")),
    ("https://instagram.com/reel/C1a2B3c4D5e/?igsh=abc", "Instagram",
     ("C1a2B3c4D5e", "3268162102382050910")),
    ("https://www.instagram.com/someone/p/CxYz12AbC_d/", "Instagram",
     ("CxYz12AbC_d", "3195531936112848861")),
    ("https://www.instagram.com/stories/someone/3195531936112848861/", "Instagram",
     ("3195531936112848861",)),
    # X / Twitter
    ("https://twitter.com/Someone/status/1717181920212223242?s=20", "X",
     ("1717181920212223242",)),
    ("https://mobile.twitter.com/someone/status/1717181920212223242/photo/1", "X",
     ("1717181920212223242",)),
    ("x.com/i/web/status/123", "X", ("123",)),
    ("https://x.com/i/user/44196397", "X", ("44196397",)),
    # YouTube
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s", "YouTube", ("dQw4w9WgXcQ",)),
    ("https://youtu.be/dQw4w9WgXcQ?si=abc", "YouTube", ("dQw4w9WgXcQ",)),
    ("https://m.youtube.com/shorts/abcDEF12345", "YouTube", ("abcDEF12345",)),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ", "YouTube", ("dQw4w9WgXcQ",)),
    ("https://www.youtube.com/live/dQw4w9WgXcQ", "YouTube", ("dQw4w9WgXcQ",)),
    ("https://www.youtube.com/channel/UCuAXFkgsw1L7xaCfnd5JJOw", "YouTube",
     ("UCuAXFkgsw1L7xaCfnd5JJOw",)),
    # TikTok
    ("https://www.tiktok.com/@someone/video/7291829384756473829?lang=en", "TikTok",
     ("7291829384756473829",)),
    ("https://www.tiktok.com/@someone/photo/7291829384756473829", "TikTok",
     ("7291829384756473829",)),
    ("https://m.tiktok.com/v/7291829384756473829.html", "TikTok", ("7291829384756473829",)),
    ("https://www.tiktok.com/embed/v2/7291829384756473829", "TikTok", ("7291829384756473829",)),
    # LinkedIn
    ("https://www.linkedin.com/feed/update/urn:li:activity:7123456789012345678/", "LinkedIn",
     ("urn:li:activity:7123456789012345678", "7123456789012345678")),
    ("https://www.linkedin.com/posts/jane-doe_title-activity-7123456789012345678-AbCd",
     "LinkedIn", ("urn:li:activity:7123456789012345678", "7123456789012345678")),
    ("https://www.linkedin.com/feed/update/urn:li:ugcPost:7000000000000000001", "LinkedIn",
     ("urn:li:ugcPost:7000000000000000001", "7000000000000000001")),
    ("https://www.linkedin.com/feed/update/urn:li:share:7000000000000000002", "LinkedIn",
     ("urn:li:share:7000000000000000002", "7000000000000000002")),
    # Telegram
    ("https://t.me/somechannel/1234", "Telegram",
     ("somechannel/1234", "https://t.me/somechannel/1234")),
    ("https://t.me/s/somechannel/1234", "Telegram",
     ("somechannel/1234", "https://t.me/somechannel/1234")),
    ("https://telegram.me/somechannel/1234?single", "Telegram",
     ("somechannel/1234", "https://t.me/somechannel/1234")),
    ("https://t.me/c/1234567/89", "Telegram", ("c/1234567/89", "https://t.me/c/1234567/89")),
]  # fmt: skip


@pytest.mark.parametrize(("url", "platform", "ids"), CASES, ids=[c[0] for c in CASES])
def test_a_post_address_gives_its_platform_and_candidate_ids(url, platform, ids):
    found = resolve(url)
    assert isinstance(found, Resolved), found
    assert (found.platform, found.candidates) == (platform, ids)


@pytest.mark.parametrize(
    ("url", "code", "platform"),
    [
        ("https://vm.tiktok.com/ZMabc123/", "short_link", "TikTok"),
        ("https://fb.watch/abcDEF/", "short_link", "Facebook"),
        ("https://www.facebook.com/share/p/1AbCdEf/", "short_link", "Facebook"),
        ("https://lnkd.in/eXyZ", "short_link", "LinkedIn"),
        ("https://t.co/abc", "short_link", ""),
        ("https://www.facebook.com/SomePage/posts/pfbid02AbCdEf", "encrypted_id", "Facebook"),
        ("https://www.facebook.com/permalink.php?story_fbid=pfbid0Ab&id=1", "encrypted_id",
         "Facebook"),
        ("https://x.com/someone", "no_id", "X"),
        ("https://www.tiktok.com/@someone", "no_id", "TikTok"),
        ("https://www.instagram.com/someone/", "no_id", "Instagram"),
        ("https://t.me/somechannel", "no_id", "Telegram"),
        ("https://www.linkedin.com/in/jane-doe/", "no_id", "LinkedIn"),
        ("https://example.org/post/1", "unknown_site", ""),
        ("7291829384756473829", "not_a_url", ""),
        ("urn:li:activity:7123456789012345678", "not_a_url", ""),
    ],
)  # fmt: skip
def test_what_cannot_be_resolved_offline_says_why(url, code, platform):
    found = resolve(url)
    assert isinstance(found, Unresolved), found
    assert (found.code, found.platform) == (code, platform)


def test_instagram_short_codes_decode_to_media_ids():
    assert instagram_media_id("B") == "1"
    assert instagram_media_id("BA") == "64"
    assert instagram_media_id("_") == "63"
    assert instagram_media_id("not valid!") is None
    # Codes of private posts are longer; the first 11 characters hold the id.
    assert instagram_media_id("CxYz12AbC_dEXTRAstuff") == instagram_media_id("CxYz12AbC_d")
