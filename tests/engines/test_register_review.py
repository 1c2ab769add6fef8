"""The register reviewed for the law: DSA territory, the four elements of an Art 16 notice,
legal-ground suggestions, the organisation's statuses and own channels, choosing an Art 21
body, and the wording of the windows."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from amparo.engines.register import (
    ART16_ELEMENTS,
    EEA_NON_EU,
    EU_MEMBER_STATES,
    INCIDENT_TYPES,
    Field,
    Kind,
    RegisterError,
    Role,
    load_register,
)
from amparo.engines.register.loader import DATA


@pytest.fixture(scope="module")
def register():
    return load_register()


def test_norway_iceland_and_liechtenstein_are_not_dsa_territory_unless_the_register_says_so(
    register, tmp_path
):
    assert register.dsa_territory == EU_MEMBER_STATES
    for code in EEA_NON_EU:
        assert not register.dsa_applies(code)
        assert register.regulator_for(code) is None
        assert not [
            c
            for c in register.channels_for("tiktok", user_in_eu=False, country=code)
            if c.eligibility.eu_users_only
        ]
    assert (
        register.dsa_applies("el") and register.dsa_applies("DE") and not register.dsa_applies("")
    )
    # Once incorporated into the EEA Agreement, the data says so and the DSA routes open.
    shutil.copytree(DATA, tmp_path / "data")
    territory = tmp_path / "data" / "law" / "territory.json"
    doc = json.loads(territory.read_text())
    doc["eea_states_applying"] = ["NO"]
    territory.write_text(json.dumps(doc))
    widened = load_register(tmp_path / "data")
    assert widened.dsa_applies("NO")
    assert any(
        c.kind is Kind.DSA_COMPLAINT
        for c in widened.channels_for("tiktok", user_in_eu=False, country="NO")
    )
    doc["eea_states_applying"] = ["CH"]
    territory.write_text(json.dumps(doc))
    with pytest.raises(RegisterError, match="eea_states_applying"):
        load_register(tmp_path / "data")


def test_every_art16_channel_asks_for_the_four_elements_and_a_requested_action(register):
    notices = [c for c in register.channels if c.is_art16_notice]
    assert {c.kind for c in notices} == {Kind.DSA_NOTICE, Kind.TRUSTED_PARTNER}
    assert "dsa.trusted_flagger" in {c.code for c in notices}
    for c in notices:
        assert set(ART16_ELEMENTS) - {Field.LEGAL_GROUND} <= set(c.required_fields), c.code
        assert Field.LEGAL_GROUND in c.may_carry and Field.REQUESTED_ACTION in c.may_carry, c.code
        assert "Art 16(1)" in c.eligibility.note or "Art 22" in c.eligibility.note, c.code


def test_the_windows_are_worded_as_the_regulation_has_them(register):
    for c in register.channels:
        text = f"{c.notes} {c.eligibility.note}"
        assert "complete complaint" not in text, c.code
        if c.kind is Kind.DSA_COMPLAINT:
            assert "Art 20(1)" in text and "Art 20(2)" in text, c.code
            assert "At least 6 months from the day the user was informed" not in text, c.code
        if c.kind is Kind.REGULATOR and c.code.startswith("dsc."):
            assert "transmits it to the coordinator of establishment" in c.eligibility.note


def test_legal_grounds_are_suggested_per_country_and_incident_type(register):
    cited = {g.code: g.citation for g in register.grounds_for("DE", "threats_of_violence")}
    assert cited["de.stgb.241"] == "§ 241 StGB (Bedrohung)"
    assert {"de.stgb.130", "de.stgb.111"} <= set(cited)
    assert "de.stgb.187" not in cited  # defamation is not a threat
    smear = {g.code for g in register.grounds_for("FR", "smear_campaign")}
    assert {"fr.l1881.32", "fr.l1881.24"} <= smear
    assert {g.code for g in register.grounds_for("fr", "ncii")} >= {"fr.cp.226-2-1"}
    doxxing = [g.code for g in register.grounds_for("NL", "doxxing")]
    assert doxxing[0] == "nl.sr.285d" and doxxing[-1].startswith("eu.gdpr.")  # Union law last
    # A country without entries still gets Union law; an unrelated incident type gets nothing.
    assert [g.country for g in register.grounds_for("MX", "doxxing")] == ["EU", "EU"]
    assert register.grounds_for("MX", "internet_shutdown") == []
    for country in ("DE", "FR", "ES", "IT", "PL", "NL", "IE", "EU"):
        assert any(g.country == country for g in register.legal_grounds), country
    for g in register.legal_grounds:
        assert set(g.incident_types) <= INCIDENT_TYPES and g.provision and g.law, g.code
        assert re.search(r"\d", g.provision), g.code  # a provision has a number


def test_broken_legal_grounds_name_file_and_entry(tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    file = tmp_path / "data" / "law" / "legal_grounds.json"
    doc = json.loads(file.read_text())
    doc["grounds"][0]["incident_types"] = ["treason"]
    file.write_text(json.dumps(doc))
    with pytest.raises(
        RegisterError, match=r"legal_grounds\.json: de\.stgb\.241: 'incident_types'"
    ):
        load_register(tmp_path / "data")


def test_the_priority_route_needs_the_trusted_flagger_status(register):
    plain = register.channels_for("youtube", user_in_eu=True, role=Role.NOTIFIER, country="DE")
    assert "dsa.trusted_flagger" not in {c.code for c in plain}
    flagged = register.channels_for(
        "youtube", user_in_eu=True, role=Role.NOTIFIER, country="DE", is_trusted_flagger=True
    )
    assert flagged[0].code == "dsa.trusted_flagger"


def test_a_partner_programme_opens_its_own_channels_only(register):
    assert {"meta.trusted-partner", "youtube.priority-flagger"} <= set(register.programmes())
    meta = register.channels_for(
        "instagram", user_in_eu=False, role="notifier", partner_programmes=["meta.trusted-partner"]
    )
    assert meta[0].code == "meta.trusted_partner"
    youtube = register.channels_for(
        "youtube", user_in_eu=False, role="notifier", partner_programmes=["meta.trusted-partner"]
    )
    assert "youtube.priority_flagger" not in {c.code for c in youtube}
    assert "youtube.priority_flagger" in {
        c.code
        for c in register.channels_for(
            "youtube",
            user_in_eu=False,
            role="notifier",
            partner_programmes=["youtube.priority-flagger"],
        )
    }


OWN = {
    "organisation": "Example Helpline",
    "add": [
        {
            "code": "org.meta-desk",
            "kind": "trusted_partner",
            "name": "Our Meta partner intake",
            "platforms": ["facebook"],
            "eligibility": {
                "trusted_partners_only": True,
                "affected_users": False,
                "notifiers": True,
                "note": "Our caseworkers",
            },
            "required_fields": ["content_urls", "explanation"],
            "languages": ["es"],
            "expected_response_hours": 24,
            "response_time_basis": "practice",
            "reached_by": "portal: our partner account",
            "legal_basis": "Meta Trusted Partner programme",
        }
    ],
}


def test_the_organisations_own_channels_are_offered_to_it(register):
    mine = register.with_overrides(OWN)
    assert mine.channel("org.meta-desk").own and not mine.channel("meta.trusted_partner").own
    found = mine.channels_for("facebook", user_in_eu=False, role="notifier")
    assert found[0].code == "org.meta-desk"
    # Changing or disabling it keeps it the organisation's own.
    changed = register.with_overrides(
        {**OWN, "change": {"org.meta-desk": {"expected_response_hours": 12}}}
    )
    assert changed.channel("org.meta-desk").own
    # A shipped programme channel is still for members only.
    assert "meta.trusted_partner" not in {c.code for c in found}


def test_art86_channels_need_an_organisation_constituted_in_a_member_state(register):
    eu = register.channels_for("facebook", user_in_eu=True, role="representative", country="DE")
    assert "facebook.dsa_complaint" in {c.code for c in eu}
    outside = register.channels_for(
        "facebook", user_in_eu=True, role="representative", country="DE", organisation_in_eu=False
    )
    assert "facebook.dsa_complaint" not in {c.code for c in outside}


def test_the_person_chooses_among_the_bodies_that_take_the_dispute(register):
    all_bodies = {c.code for c in register.ods_bodies_for("instagram")}
    assert len(all_bodies) >= 3  # a choice, not "the verified one"
    german = {c.code for c in register.ods_bodies_for("instagram", language="de")}
    assert german == {"ods.user-rights"}
    assert register.ods_bodies_for("instagram", language="pl") == []
    # A body that states the matters it takes is filtered by the kind of decision.
    narrowed = register.with_overrides(
        {
            "change": {
                "ods.adroit": {
                    "details": {
                        "coverage": {p: "x" for p in register.channel("ods.adroit").platforms},
                        "decision_types": ["content_removed"],
                    }
                }
            }
        }
    )
    assert "ods.adroit" in {
        c.code for c in narrowed.ods_bodies_for("x", decision_type="content_removed")
    }
    assert "ods.adroit" not in {
        c.code for c in narrowed.ods_bodies_for("x", decision_type="account_suspended")
    }
