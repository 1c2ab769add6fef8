"""The change feed's messages: tombstones, rejections, catching up."""

from __future__ import annotations

import pytest

from amparo.engines.exchange.items import Item
from amparo.engines.federation import protocol

T = "2026-11-30T10:00:00Z"


def indicator(item_id="i1", accounts=("@troll_one",)):
    return Item.from_dict(
        {
            "kind": "indicator",
            "id": item_id,
            "created": T,
            "modified": T,
            "distribution": "group",
            "fields": {"platform": "x", "accounts": list(accounts)},
        }
    )


def test_an_unshared_item_reaches_a_partner_only_as_its_tombstone():
    feed = [protocol.upsert(10, indicator()), protocol.withdraw(11, "i1")]
    latest = protocol.latest_per_item(feed)
    assert [c.to_dict() for c in latest] == [{"seq": 11, "op": "withdraw", "id": "i1"}]
    body = protocol.push_request("group-1", latest)
    changes, rejected = protocol.read_changes(body["changes"])
    assert rejected == []
    assert changes[0].op == "withdraw" and changes[0].item is None


def test_one_bad_change_is_rejected_and_the_good_ones_are_kept():
    body = protocol.push_request("group-1", [protocol.upsert(1, indicator())])
    body["changes"].append({"seq": 2, "op": "upsert", "item": {"kind": "case", "id": "x"}})
    body["changes"].append({"seq": 3, "op": "rename"})
    changes, rejected = protocol.read_changes(body["changes"])
    assert [c.seq for c in changes] == [1]
    assert [r["seq"] for r in rejected] == [2, 3]
    assert "kind" in rejected[0]["reason"]


def test_fields_outside_the_format_do_not_cross():
    raw = indicator().to_dict()
    raw["fields"]["case_notes"] = "Reporter Lucía, +52 55 1234 5678"
    changes, _ = protocol.read_changes([{"seq": 1, "op": "upsert", "item": raw}])
    assert "case_notes" not in changes[0].item.fields


def test_requests_are_read_strictly():
    assert protocol.read_request(protocol.pull_request("g-1", 5)) == ("pull", "g-1", 5)
    with pytest.raises(protocol.ProtocolError):
        protocol.read_request({"type": "pull", "group": "g-1", "since": -1})
    with pytest.raises(protocol.ProtocolError):
        protocol.read_request({"type": "delete", "group": "g-1"})
    with pytest.raises(protocol.ProtocolError):
        protocol.read_changes([{}] * (protocol.MAX_CHANGES + 1))


def test_a_response_must_answer_this_request():
    body = protocol.changes_response("nonce-1", "g", [], more=False, next_seq=0)
    assert protocol.read_response(body, expected="changes", in_reply_to="nonce-1")
    with pytest.raises(protocol.ProtocolError):
        protocol.read_response(body, expected="changes", in_reply_to="nonce-2")
