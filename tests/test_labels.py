"""Codes shown to staff have words: every channel kind and campaign kind has a label."""

from __future__ import annotations

from amparo.core.labels import (
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


def test_every_response_basis_and_incident_type_has_words():
    from amparo.core.labels import RESPONSE_BASES, response_basis
    from amparo.engines.register.vocabulary import ResponseBasis
    from amparo.intake.choices import IncidentType
    from amparo.site.templatetags.labels import incident_type

    assert {b.value for b in ResponseBasis} == set(RESPONSE_BASES)
    assert response_basis("platform_statement") == "as the platform states"
    assert all(incident_type(t.value) != t.value for t in IncidentType)
