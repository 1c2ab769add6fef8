"""STIX 2.1 and MISP: exports validate with the formats' own validators and import back."""

from __future__ import annotations

import json

import pytest

from amparo.engines.exchange import misp, stix, tlp, validation
from amparo.engines.exchange.items import Distribution, Item, ItemError

T = "2026-11-30T10:00:00Z"


def item(**data):
    base = {"created": T, "modified": "2026-12-01T09:30:00Z", "distribution": "group"}
    return Item.from_dict(base | data)


@pytest.fixture
def items():
    return [
        item(
            kind="indicator",
            id="7a1c0f7e-0000-4000-8000-000000000001",
            fields={
                "platform": "x",
                "accounts": ["@troll_o'ne", "@troll\\two"],
                "urls": ["https://example.org/doxx?a=1&b='2'"],
                "fingerprints": ["simhash:9f3a0c1b"],
                "pattern": "coordinated_reporting burst same_text",
            },
        ),
        item(
            kind="indicator",
            id="7a1c0f7e-0000-4000-8000-000000000002",
            distribution="network",
            fields={"platform": "facebook", "accounts": ["troll3"]},
        ),
        item(
            kind="incident",
            id="7a1c0f7e-0000-4000-8000-000000000003",
            fields={
                "platform": "facebook",
                "incident_type": "account_suspended",
                "country": "MX",
                "week": "2026-W48",
                "at_risk_group": "journalist",
                "narrative": "Page suspended after a wave of false reports.",
            },
        ),
    ]


def by_id(found):
    return sorted(found, key=lambda i: i.id)


def test_a_stix_export_passes_the_oasis_validator_and_imports_back_unchanged(items):
    text = stix.to_bundle(items, sender={"id": "org-1", "name": "Defenders Helpline"})
    result = validation.validate_stix(text)
    assert result.valid, result.errors
    back, skipped = stix.from_bundle(text)
    assert skipped == []
    assert by_id(back) == by_id(items)


def test_stix_indicators_use_the_documented_patterns_and_tlp_2_markings(items):
    bundle = json.loads(stix.to_bundle(items))
    patterns = {o["pattern"] for o in bundle["objects"] if o["type"] == "indicator"}
    assert (
        "[user-account:account_login = '@troll_o\\'ne' AND user-account:account_type = 'x']"
        in patterns
    )
    assert "[url:value = 'https://example.org/doxx?a=1&b=\\'2\\'']" in patterns
    markings = {o["id"]: o for o in bundle["objects"] if o["type"] == "marking-definition"}
    assert set(markings) == {tlp.MARKINGS["amber"][0], tlp.MARKINGS["green"][0]}
    amber = markings[tlp.MARKINGS["amber"][0]]
    assert amber["extensions"][tlp.TLP_EXTENSION]["tlp_2_0"] == "amber"
    campaigns = [o for o in bundle["objects"] if o["type"] == "campaign"]
    assert campaigns[0]["objective"] == "coordinated_reporting burst same_text"
    assert any(
        o["type"] == "relationship" and o["relationship_type"] == "indicates"
        for o in bundle["objects"]
    )


def test_the_sharing_organisation_is_named_only_when_allowed(items):
    hidden = json.loads(stix.to_bundle(items))
    assert not [o for o in hidden["objects"] if o["type"] == "identity"]
    assert not [
        o
        for o in hidden["objects"]
        if o.get("created_by_ref", tlp.TLP_CREATED_BY) != tlp.TLP_CREATED_BY
    ]
    named = json.loads(stix.to_bundle(items, sender={"id": "org-1", "name": "Defenders Helpline"}))
    assert [o["name"] for o in named["objects"] if o["type"] == "identity"] == [
        "Defenders Helpline"
    ]


def test_hashed_only_indicators_collective_actions_and_risk_periods_are_left_out():
    kept_out = [
        item(
            kind="indicator", id="h1", fields={"platform": "x", "hashed": True, "accounts_count": 3}
        ),
        item(kind="collective_action", id="c1", fields={"title": "Join us"}),
        item(kind="risk_period", id="r1", fields={"title": "Elections", "starts_on": "2026-12-01"}),
    ]
    bundle = json.loads(stix.to_bundle(kept_out))
    assert {o["type"] for o in bundle.get("objects", [])} <= {"marking-definition"}
    event = json.loads(misp.to_json(kept_out))["Event"]
    assert not event.get("Object")


def test_a_misp_export_validates_against_misps_schema_and_imports_back_unchanged(items):
    text = misp.to_json(items, info="Coalition export")
    result = validation.validate_misp(text)
    assert result.valid, result.errors
    back, skipped = misp.from_json(text)
    assert skipped == []
    assert by_id(back) == by_id(items)


def test_misp_objects_carry_tlp_and_amparo_tags(items):
    event = json.loads(misp.to_json(items))["Event"]
    assert {t["name"] for t in event["Tag"]} == {"tlp:amber"}
    names = {o["name"] for o in event["Object"]}
    assert names == {"user-account", "url", "annotation", "incident"}
    tags = {t["name"] for o in event["Object"] for a in o["Attribute"] for t in a.get("Tag", [])}
    assert {"tlp:amber", "tlp:green", 'amparo:kind="indicator"', 'amparo:kind="incident"'} <= tags


def test_the_misp_validator_catches_a_broken_event(items):
    event = json.loads(misp.to_json(items))
    event["Event"]["Object"][0]["surprise"] = "not in the format"
    result = validation.validate_misp(json.dumps(event))
    assert not result.valid
    assert "surprise" in result.errors[0]


def test_the_stix_validator_catches_a_broken_bundle(items):
    bundle = json.loads(stix.to_bundle(items))
    indicator = next(o for o in bundle["objects"] if o["type"] == "indicator")
    del indicator["pattern"]
    assert not validation.validate_stix(json.dumps(bundle)).valid


def test_import_leaves_out_what_it_does_not_understand_and_says_why(items):
    bundle = json.loads(stix.to_bundle(items))
    bundle["objects"].append(
        {
            "type": "indicator",
            "spec_version": "2.1",
            "id": "indicator--0b8d4f5e-4f4b-4c8e-9a55-8bb0c3b1c111",
            "created": T,
            "modified": T,
            "pattern": "[file:hashes.'SHA-256' = 'aa']",
            "pattern_type": "stix",
            "valid_from": T,
        }
    )
    bundle["objects"].append(
        {"type": "malware", "id": "malware--0b8d4f5e-4f4b-4c8e-9a55-8bb0c3b1c112"}
    )
    back, skipped = stix.from_bundle(json.dumps(bundle))
    assert len(back) == 3
    assert len(skipped) == 2 and "pattern not understood" in skipped[0]
    with pytest.raises(ItemError, match="bundle"):
        stix.from_bundle('{"type": "report"}')


def test_an_import_without_markings_stays_in_the_importing_organisation(items):
    bundle = json.loads(stix.to_bundle(items[:1]))
    for obj in bundle["objects"]:
        obj.pop("object_marking_refs", None)
    back, _ = stix.from_bundle(json.dumps(bundle))
    assert back[0].distribution == Distribution.ORGANISATION


def test_an_item_keeps_only_its_kinds_fields_and_refuses_bad_values():
    loaded = item(kind="incident", id="i9", fields={"platform": "x", "reporter_name": "Lucía"})
    assert "reporter_name" not in loaded.fields
    with pytest.raises(ItemError, match="accounts"):
        item(kind="indicator", id="i8", fields={"accounts": "not-a-list"})
    with pytest.raises(ItemError, match="time zone"):
        Item.from_dict(
            {
                "kind": "incident",
                "id": "i7",
                "created": "2026-01-01T00:00:00",
                "distribution": "group",
            }
        )
