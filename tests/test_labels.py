"""Codes shown to staff have words: every channel kind and campaign kind has a label."""

from __future__ import annotations

from amparo.core.templatetags.labels import (
    CAMPAIGN_KINDS,
    CHANNEL_KINDS,
    campaign_kind,
    channel_kind,
    platform_label,
)
from amparo.engines.campaigns.model import BURST_KIND, FLASH_MOB_KIND, KIND_BY_SIGNAL
from amparo.engines.register.vocabulary import Kind


def test_every_channel_kind_has_words():
    assert {k.value for k in Kind} == set(CHANNEL_KINDS)
    assert channel_kind("dsa_notice") == "Notice of illegal content (DSA Art 16)"


def test_every_campaign_kind_has_words():
    assert {*KIND_BY_SIGNAL.values(), BURST_KIND, FLASH_MOB_KIND} <= set(CAMPAIGN_KINDS)
    assert campaign_kind("copy_paste") != "copy_paste"


def test_platforms_by_display_name():
    assert platform_label("x") == "X (Twitter)"
