"""The protocol endpoint as a partner server uses it: signed pushes and pulls, tombstones,
and every refusal looking like an unknown address."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from amparo.engines.exchange.items import Item
from amparo.engines.federation import protocol

pytestmark = pytest.mark.django_db

T = "2026-11-30T10:00:00Z"


def me() -> tuple[str, bytes]:
    from amparo.federation.keys import server_key

    key = server_key()
    return key.key_id, bytes(key.public_key)


def north_indicator(item_id: str = "n-item-1", accounts=("@troll_one",), modified: str = T) -> Item:
    return Item.from_dict(
        {
            "kind": "indicator",
            "id": item_id,
            "created": T,
            "modified": modified,
            "distribution": "group",
            "fields": {"platform": "facebook", "accounts": list(accounts)},
        }
    )


def received(south):
    from amparo.sharing.models import SharedItem

    return SharedItem.objects.filter(origin="https://north.example.org", group=south.group)


def test_a_partners_pushed_indicator_arrives_in_the_linked_group_and_matches_a_case(
    south, north, linked
):
    from amparo.federation.matching import remote_matches_for_case

    case = south.case_with("@Troll_One\n@someone_else")
    key_id, public = me()
    message = north.seal(
        protocol.push_request("north-coalition", [protocol.upsert(1, north_indicator())]),
        recipient=key_id,
    )
    response = north.push(Client(), message)
    assert response.status_code == 200
    answer = north.open_answer(response, server_public=public, in_reply_to=message["nonce"])
    assert answer == {
        "type": "accepted",
        "in_reply_to": message["nonce"],
        "applied": 1,
        "rejected": [],
    }
    item = received(south).get()
    assert item.fields["accounts"] == ["@troll_one"] and item.remote_id == "n-item-1"
    found = remote_matches_for_case(case)
    assert found.servers == 1
    assert found.per_account == [("troll_one", 1)]


def test_a_tombstone_withdraws_the_item_and_it_stops_matching(south, north, linked):
    from amparo.federation.matching import remote_matches_for_case

    case = south.case_with("@troll_one")
    key_id, _ = me()
    north.push(
        Client(),
        north.seal(
            protocol.push_request("north-coalition", [protocol.upsert(1, north_indicator())]),
            recipient=key_id,
        ),
    )
    assert remote_matches_for_case(case).servers == 1
    response = north.push(
        Client(),
        north.seal(
            protocol.push_request("north-coalition", [protocol.withdraw(2, "n-item-1")]),
            recipient=key_id,
        ),
    )
    assert response.status_code == 200
    assert received(south).get().withdrawn_at is not None
    assert remote_matches_for_case(case).servers == 0
    # A replayed older upsert cannot bring it back.
    north.push(
        Client(),
        north.seal(
            protocol.push_request(
                "north-coalition",
                [protocol.upsert(3, north_indicator(modified="2027-01-01T00:00:00Z"))],
            ),
            recipient=key_id,
        ),
    )
    assert received(south).get().withdrawn_at is not None


def test_refusals_look_exactly_like_an_unknown_address(south, north, linked):
    from tests.federation.conftest import PartnerServer

    key_id, _ = me()
    unknown_address = Client().get("/federation/v1/nothing-here")
    good = north.seal(protocol.push_request("north-coalition", []), recipient=key_id)
    stranger = PartnerServer().seal(protocol.push_request("north-coalition", []), recipient=key_id)
    tampered = {**north.seal(protocol.push_request("north-coalition", []), recipient=key_id)}
    tampered["body"] = protocol.push_request("other-group", [])
    old = north.seal(
        protocol.push_request("north-coalition", []), recipient=key_id, now=1_700_000_000
    )
    assert north.push(Client(), good).status_code == 200
    refused = [
        north.push(Client(), good),  # the same message again
        north.push(Client(), stranger),
        north.push(Client(), tampered),
        north.push(Client(), old),
        north.push(
            Client(), north.seal(protocol.push_request("no-such-group", []), recipient=key_id)
        ),
        north.push(
            Client(),
            north.seal(protocol.push_request("north-coalition", []), recipient=key_id, sequence=1),
        ),
        Client().post("/federation/v1/changes", b"{}", content_type="application/json"),
        Client().get("/federation/v1/changes"),
    ]
    for response in refused:
        assert response.status_code == 404
        assert response.content == b"Not Found"
    assert unknown_address.status_code == 404


def test_a_partner_pulls_our_group_and_an_unshared_item_comes_as_a_tombstone(south, north, linked):
    from amparo.sharing.items import withdraw

    key_id, public = me()
    item = south.share_indicator(["@troll_one"])
    group = str(south.group.pk)

    def pull(since: int = 0) -> dict:
        message = north.seal(protocol.pull_request(group, since), recipient=key_id)
        response = north.pull(Client(), message)
        assert response.status_code == 200
        return north.open_answer(response, server_public=public, in_reply_to=message["nonce"])

    first = pull()
    assert [c["op"] for c in first["changes"]] == ["upsert"]
    shared = first["changes"][0]["item"]
    assert shared["id"] == str(item.pk) and shared["fields"]["accounts"] == ["@troll_one"]
    assert set(shared) == {"kind", "id", "created", "modified", "distribution", "fields"}
    withdraw(item, actor=south.sam)
    second = pull(first["next"] - 1)
    assert second["changes"] == [
        {"seq": second["changes"][0]["seq"], "op": "withdraw", "id": str(item.pk)}
    ]


def test_items_shared_only_as_hashes_and_items_from_other_partners_are_not_passed_on(
    south, north, linked
):
    from amparo.sharing.items import propose_indicators, review

    key_id, public = me()
    hashed = propose_indicators(
        south.org,
        platform="x",
        accounts=["@secret"],
        hashed_only=True,
        distribution="group",
        group=south.group,
        actor=south.sam,
    )
    review(hashed, approve=True, actor=south.sara)
    north.push(
        Client(),
        north.seal(
            protocol.push_request("north-coalition", [protocol.upsert(1, north_indicator())]),
            recipient=key_id,
        ),
    )
    message = north.seal(protocol.pull_request(str(south.group.pk), 0), recipient=key_id)
    answer = north.open_answer(
        north.pull(Client(), message), server_public=public, in_reply_to=message["nonce"]
    )
    assert answer["changes"] == []


def test_a_push_with_one_bad_item_keeps_the_good_ones(south, north, linked):
    key_id, public = me()
    body = protocol.push_request("north-coalition", [protocol.upsert(1, north_indicator())])
    body["changes"].append({"seq": 2, "op": "upsert", "item": {"kind": "case", "id": "c1"}})
    message = north.seal(body, recipient=key_id)
    answer = north.open_answer(
        north.push(Client(), message), server_public=public, in_reply_to=message["nonce"]
    )
    assert answer["applied"] == 1
    assert answer["rejected"][0]["seq"] == 2
    assert received(south).count() == 1


def test_a_suspended_partner_is_refused(south, north, linked):
    from amparo.federation import services

    services.set_partner_status(linked.partner, "suspended")
    key_id, _ = me()
    message = north.seal(protocol.push_request("north-coalition", []), recipient=key_id)
    assert north.push(Client(), message).status_code == 404


def test_nonces_older_than_twice_the_window_are_forgotten(south, north, linked, time_machine):
    from amparo.federation.models import SeenNonce
    from amparo.federation.replay import forget_old_nonces

    time_machine.move_to(datetime(2026, 12, 4, 12, 0, tzinfo=UTC), tick=False)
    key_id, _ = me()
    north.push(Client(), north.seal(protocol.push_request("north-coalition", []), recipient=key_id))
    assert SeenNonce.objects.count() == 1
    time_machine.move_to(datetime(2026, 12, 4, 12, 9, tzinfo=UTC), tick=False)
    assert forget_old_nonces() == 0
    time_machine.move_to(datetime(2026, 12, 4, 12, 11, tzinfo=UTC), tick=False)
    assert forget_old_nonces() == 1
