"""What must never leave: a reporter's name, contact, narrative or anything else they typed,
in any dataset and any format, through the pages or the API; and a reporter who did not agree
to be counted leaves only empty statistics."""

from __future__ import annotations

from amparo.exports import registry
from tests.exports.conftest import CANARIES, all_text, body, read_csv, read_json

FORMATS = ("csv", "json", "xlsx")
DOWNLOAD = "/o/defenders/exports/download/"


def _assert_clean(text: str, where: str) -> None:
    folded = text.casefold()
    for canary in CANARIES:
        assert canary not in folded, f"{canary!r} left in {where}"


def test_no_canary_leaves_in_any_dataset_through_the_pages(world, signed_in):
    client = signed_in(world.alice)
    names = [d.name for d in registry.all_datasets()]
    assert {"reports", "cases", "escalations", "remedies", "figures", "audit"} <= set(names)
    # A control: the canaries are in the database's clear text as read by the app.
    assert world.first.reporter["name"].casefold().startswith("zephyrine")
    for name in names:
        for fmt in FORMATS:
            response = client.get(DOWNLOAD, {"dataset": name, "format": fmt, "bom": "on"})
            assert response.status_code == 200, name
            _assert_clean(all_text(fmt, body(response)), f"{name}.{fmt}")


def test_no_canary_leaves_through_the_api(world, client):
    from amparo.exports.services import create_export_token

    _token, secret = create_export_token(
        world.org, name="all", datasets=registry.all_datasets(), actor=world.alice
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    listed = client.get("/api/v1/exports/", **auth).json()
    assert len(listed) == len(registry.all_datasets())
    for dataset in listed:
        for fmt in FORMATS:
            response = client.get(f"/api/v1/exports/{dataset['name']}", {"format": fmt}, **auth)
            assert response.status_code == 200
            _assert_clean(all_text(fmt, body(response)), f"api {dataset['name']}.{fmt}")


def test_a_reporter_who_declined_leaves_only_empty_statistics(world, signed_in):
    client = signed_in(world.alice)
    doc = read_json(body(client.get(DOWNLOAD, {"dataset": "reports", "format": "json"})))
    declined = [r for r in doc["rows"] if r["consent_statistics"] == "no"]
    assert len(declined) == 1
    (row,) = declined
    consented = [c["name"] for c in doc["columns"] if "with consent" in c["description"]]
    assert set(consented) == {
        "incident_type",
        "platform",
        "country",
        "language",
        "occurred_on",
        "urgency",
        "danger_now",
        "minor_involved",
        "arrest_risk",
        "home_address_exposed",
        "under_attack_now",
        "case",
    }
    assert all(row[name] is None for name in consented), row
    assert row["reporter"] and row["received_on"] and row["channel"] == "web_form"
    # A control: the consenting report's statistics are there.
    counted = next(r for r in doc["rows"] if r["case"] == world.case.reference)
    assert counted["platform"] == "facebook" and counted["incident_type"] == "account_suspended"

    csv_rows = read_csv(body(client.get(DOWNLOAD, {"dataset": "reports"})))
    (csv_row,) = [r for r in csv_rows if r["consent_statistics"] == "no"]
    assert all(csv_row[name] == "" for name in consented)


def test_the_case_of_a_reporter_who_declined_hides_its_statistics(world, signed_in):
    rows = read_csv(body(signed_in(world.alice).get(DOWNLOAD, {"dataset": "cases"})))
    by_reference = {r["reference"]: r for r in rows}
    declined = by_reference[world.declined_case.reference]
    assert (declined["platform"], declined["country"], declined["incident_type"]) == ("", "", "")
    assert declined["reports"] == "1"
    kept = by_reference[world.case.reference]
    assert (kept["platform"], kept["country"]) == ("facebook", "DE")


def test_a_platform_filter_does_not_give_away_a_declined_platform(world, signed_in):
    """Noor's report is on TikTok; kept by a TikTok filter, its row would say so."""
    client = signed_in(world.alice)
    for dataset in ("reports", "cases"):
        tiktok = {"dataset": dataset, "platform": "tiktok"}
        assert read_csv(body(client.get(DOWNLOAD, tiktok))) == []
        facebook = {"dataset": dataset, "platform": "facebook"}
        assert read_csv(body(client.get(DOWNLOAD, facebook)))


def test_pseudonyms_differ_between_organisations(world, client):
    from amparo.exports.services import create_export_token
    from tests.exports.conftest import submit

    submit(world.other_org)  # the same contact, at Other Org
    pseudonyms = []
    for org, actor in ((world.org, world.alice), (world.other_org, world.otto)):
        _t, secret = create_export_token(
            org, name="p", datasets=[registry.get("reports")], actor=actor
        )
        rows = read_csv(
            body(client.get("/api/v1/exports/reports", HTTP_AUTHORIZATION=f"Bearer {secret}"))
        )
        pseudonyms.append(
            {r["reporter"] for r in rows if r["incident_type"] == "account_suspended"}
        )
    assert len(pseudonyms[0]) == 1 and len(pseudonyms[1]) == 1
    assert pseudonyms[0].isdisjoint(pseudonyms[1])


def test_escalations_of_a_declined_case_cannot_be_joined_to_it(world, signed_in):
    """Its escalation's platform is the organisation's own act and stays; the case reference
    that would tie it to the case's emptied statistics does not."""
    from amparo.escalations import register
    from amparo.escalations import services as escalations

    channel = register.channels_for_case(world.declined_case)[0]
    escalations.create(world.declined_case, channel.code, actor=world.carlos)
    rows = read_csv(body(signed_in(world.alice).get(DOWNLOAD, {"dataset": "escalations"})))
    assert sorted(r["case"] for r in rows) == ["", world.case.reference]
    assert {r["platform"] for r in rows} == {"facebook", "tiktok"}
