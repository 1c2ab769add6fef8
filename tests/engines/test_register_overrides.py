"""Per-organisation overrides of the escalation register."""

from __future__ import annotations

import json

import pytest

from amparo.engines.register import Kind, RegisterError, load_overrides, load_register

PARTNER = {
    "code": "org.meta-partner-desk",
    "kind": "trusted_partner",
    "name": "Our Meta partner escalation (role address)",
    "platforms": ["facebook", "instagram"],
    "eligibility": {
        "trusted_partners_only": True,
        "affected_users": False,
        "notifiers": True,
        "representatives": True,
        "note": "Our caseworkers, for consenting HRDs",
    },
    "required_fields": ["content_urls", "explanation"],
    "languages": ["es", "en"],
    "expected_response_hours": 12,
    "response_time_basis": "practice",
    "reached_by": "escalations@helpline.example",
    "legal_basis": "Meta Trusted Partner programme",
}


@pytest.fixture(scope="module")
def register():
    return load_register()


def test_overrides_add_change_disable(register):
    mine = register.with_overrides(
        {
            "organisation": "Example Helpline",
            "add": [PARTNER],
            "change": {
                "tiktok.dsa_complaint": {"expected_response_hours": 36, "notes": "measured 2026"},
                "dsc.ie": {"eligibility": {"note": "we file these for Irish users"}},
            },
            "disable": ["x.appeal_form"],
        }
    )
    assert mine.organisation == "Example Helpline"
    assert mine.channel("tiktok.dsa_complaint").expected_response_hours == 36
    assert mine.channel("dsc.ie").eligibility.countries == ("IE",)  # merged, not replaced
    assert mine.channel("x.appeal_form").disabled
    assert "x.appeal_form" not in {c.code for c in mine.channels_for("x", user_in_eu=False)}
    found = mine.channels_for(
        "facebook", user_in_eu=False, role="representative", is_trusted_partner=True
    )
    assert found[0].code in {"org.meta-partner-desk", "meta.trusted_partner"}
    assert "org.meta-partner-desk" in {c.code for c in found}
    # the shipped register is untouched
    assert register.channel("tiktok.dsa_complaint").expected_response_hours == 168
    assert not register.channel("x.appeal_form").disabled


def test_overrides_from_a_file(register, tmp_path):
    path = tmp_path / "ours.json"
    path.write_text(json.dumps({"change": {"x.in_app_appeal": {"priority": 99}}}))
    mine = register.with_overrides(load_overrides(path), source=str(path))
    assert mine.channels_for("x", user_in_eu=False)[0].code == "x.in_app_appeal"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"add": [{**PARTNER, "reached_by": "maria.garcia@helpline.example"}]},
            "not a role address",
        ),
        ({"add": [{**PARTNER, "kind": "whatsapp_group"}]}, "unknown kind 'whatsapp_group'"),
        (
            {"add": [{**PARTNER, "required_fields": ["home_address"]}]},
            "unknown field 'home_address'",
        ),
        ({"add": [{**PARTNER, "platforms": ["myspace"]}]}, "unknown platform 'myspace'"),
        (
            {"add": [{k: v for k, v in PARTNER.items() if k != "platforms"}]},
            "must list its 'platforms'",
        ),
        ({"add": [{**PARTNER, "code": "x.in_app_appeal"}]}, "exists already"),
        (
            {"add": [{**PARTNER, "eligibility": {"note": "x", "notifiers": True}}]},
            "trusted_partners_only",
        ),
        ({"change": {"nope.channel": {"notes": "x"}}}, "no channel 'nope.channel'"),
        ({"change": {"x.in_app_appeal": {"expected_response_hours": -1}}}, "positive number"),
        ({"change": {"x.in_app_appeal": {"colour": "blue"}}}, "unknown keys"),
        (
            {"change": {"tiktok.dsa_complaint": {"eligibility": {"eu_users_only": False}}}},
            "eu_users_only",
        ),
        ({"disable": ["nope.channel"]}, "no channel 'nope.channel' to disable"),
        ({"remove": ["x.in_app_appeal"]}, "unknown keys"),
        ({"notes": "ask juan.perez@platform.example"}, "not a role address"),
    ],
)
def test_bad_overrides_fail_naming_the_problem(register, overrides, message):
    with pytest.raises(RegisterError, match=r"ours\.json") as err:
        register.with_overrides(overrides, source="ours.json")
    assert message in str(err.value)


def test_an_added_channel_validates_like_shipped_data(register):
    mine = register.with_overrides({"add": [PARTNER]})
    added = mine.channel("org.meta-partner-desk")
    assert added.kind is Kind.TRUSTED_PARTNER and added.source == "overrides"


def test_the_documented_example_is_valid(register):
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "escalation-register.md").read_text()
    example = re.search(r"```json\n(.*?)```", doc, re.S).group(1)
    mine = register.with_overrides(json.loads(example), source="docs example")
    assert mine.channel("org.meta-partner-desk").kind is Kind.TRUSTED_PARTNER
    assert mine.channel("x.appeal_form").disabled
