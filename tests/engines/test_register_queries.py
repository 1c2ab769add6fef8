"""Eligibility filtering and ordering of the escalation register."""

from __future__ import annotations

import pytest

from amparo.engines.register import PERSONAL_FIELDS, Field, Kind, Role, load_register

DSA_ONLY = {Kind.DSA_COMPLAINT, Kind.ODS, Kind.DSA_NOTICE}


@pytest.fixture(scope="module")
def register():
    return load_register()


@pytest.mark.parametrize("slug", ["facebook", "tiktok", "youtube", "x", "telegram", "bluesky"])
@pytest.mark.parametrize("role", list(Role))
def test_a_non_eu_user_gets_no_art_20_or_21_channel(register, slug, role):
    found = register.channels_for(slug, user_in_eu=False, role=role, country="BR")
    assert not [c for c in found if c.kind in DSA_ONLY]
    assert not [c for c in found if c.legal_basis.startswith(("DSA Art 20", "DSA Art 21"))]
    assert all(not c.eligibility.eu_users_only for c in found)


def test_an_eu_user_gets_the_dsa_ladder(register):
    found = register.channels_for("facebook", user_in_eu=True, role="affected_user", country="DE")
    kinds = [c.kind for c in found]
    assert Kind.DSA_COMPLAINT in kinds and Kind.ODS in kinds and Kind.REGULATOR in kinds
    assert found[-1].code == "dsc.de"
    assert kinds.index(Kind.DSA_COMPLAINT) < kinds.index(Kind.ODS)


def test_a_country_in_the_eu_implies_an_eu_user(register):
    found = register.channels_for("tiktok", user_in_eu=False, country="FR")
    assert any(c.kind is Kind.DSA_COMPLAINT for c in found)


def test_only_trusted_flaggers_see_trusted_flagger_channels(register):
    plain = register.channels_for("tiktok", user_in_eu=True, role=Role.NOTIFIER)
    assert not [c for c in plain if c.eligibility.trusted_flaggers_only]
    flagged = register.channels_for(
        "tiktok", user_in_eu=True, role=Role.NOTIFIER, is_trusted_flagger=True
    )
    assert flagged[0].code == "dsa.trusted_flagger"  # most effective first
    outside = register.channels_for(
        "tiktok", user_in_eu=False, role=Role.NOTIFIER, is_trusted_flagger=True
    )
    assert not [c for c in outside if c.eligibility.trusted_flaggers_only]  # Art 22 is EU law


def test_only_trusted_partners_see_partner_channels(register):
    plain = register.channels_for("instagram", user_in_eu=False, role="representative")
    assert "meta.trusted_partner" not in {c.code for c in plain}
    partner = register.channels_for(
        "instagram", user_in_eu=False, role="representative", is_trusted_partner=True
    )
    assert partner[0].code == "meta.trusted_partner"


def test_roles_select_channels(register):
    affected = {
        c.kind for c in register.channels_for("youtube", user_in_eu=True, role="affected_user")
    }
    notifier = {c.kind for c in register.channels_for("youtube", user_in_eu=True, role="notifier")}
    assert Kind.IN_APP_APPEAL in affected and Kind.DSA_NOTICE not in affected
    assert Kind.DSA_NOTICE in notifier and Kind.IN_APP_APPEAL not in notifier
    rep_eu = register.channels_for("youtube", user_in_eu=True, role="representative")
    assert any(c.kind is Kind.DSA_COMPLAINT for c in rep_eu)  # Art 86 priority complaint
    with pytest.raises(ValueError):
        register.channels_for("youtube", user_in_eu=True, role="journalist")


def test_country_limited_routes(register):
    uk = {c.code for c in register.channels_for("x", user_in_eu=False, country="GB")}
    assert "route.gb.report-harmful-content" in uk and "reg.gb.ofcom" in uk
    assert "route.gb.report-harmful-content" not in {
        c.code for c in register.channels_for("x", user_in_eu=False, country="KE")
    }
    young = register.channels_for("x", user_in_eu=False, country="GB", user_age=12)
    assert "route.gb.report-harmful-content" not in {c.code for c in young}


def test_ordering_is_most_effective_first(register):
    found = register.channels_for(
        "facebook", user_in_eu=True, role="representative", is_trusted_partner=True, country="IE"
    )
    ranks = [c.rank for c in found]
    assert ranks == sorted(ranks, reverse=True)
    assert found[0].kind is Kind.TRUSTED_PARTNER


def test_unknown_platform_is_a_clear_error(register):
    with pytest.raises(KeyError, match="myspace"):
        register.channels_for("myspace", user_in_eu=True)


def test_data_minimisation_vocabulary(register):
    notice = register.channel("tiktok.dsa_notice")
    assert Field.GOOD_FAITH_STATEMENT in notice.required_fields
    assert notice.may_carry >= set(notice.required_fields)
    assert Field.AFFECTED_USER_CONTACT not in notice.may_carry
    assert Field.AFFECTED_USER_IDENTITY in PERSONAL_FIELDS
    for c in register.channels:
        if c.kind is Kind.ODS or c.kind is Kind.REGULATOR:
            assert Field.AFFECTED_USER_CONTACT not in c.may_carry, c.code
