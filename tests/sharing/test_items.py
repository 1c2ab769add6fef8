"""Shared items: review before anything leaves, unsharing, the reporter canary, items from
another server, the coordinator's figures and campaign detection."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.sharing.conftest import case_with, client_for, group_of

NAME = "Zenobia Canarywright"
CONTACT = "canary.contact.7391@example.org"
STORY = "NARRATIVECANARY the trolls doxxed me"


def _canary_case(net: Any, **consents: Any) -> Any:
    return case_with(
        net.north,
        net.nico,
        attackers="@troll_one",
        reporter_name=NAME,
        contact_method="email",
        contact_value=CONTACT,
        narrative=f"I am {NAME}, write to {CONTACT}. {STORY}",
        **consents,
    )


def test_an_incident_leaves_only_after_a_second_person_approves_and_unsharing_removes_it(
    net: Any,
) -> None:
    from amparo.audit.models import AuditEvent

    group = group_of(net.north, net.nora, [(net.south, net.sara)], hidden=False)
    case = _canary_case(net)
    nico = client_for(net.nico)
    response = nico.post(
        reverse("sharing_case", args=["north", case.pk]),
        {"distribution": "group", "group": str(group.pk), "at_risk_group": "journalist"},
    )
    assert response.status_code == 302
    item = case.organisation.shared_items.get()
    assert item.status == "proposed"
    south = client_for(net.sam)
    assert south.get(reverse("sharing_item", args=["south", item.pk])).status_code == 404

    # The proposer cannot approve (a caseworker has no coordinate capability anyway) ...
    nico.post(reverse("sharing_item_approve", args=["north", item.pk]))
    item.refresh_from_db()
    assert item.status == "proposed"
    # ... nor can a coordinator who proposed it herself.
    own = _proposed_by_coordinator(net, group)
    client_for(net.nora).post(reverse("sharing_item_approve", args=["north", own.pk]))
    own.refresh_from_db()
    assert own.status == "proposed"

    client_for(net.nora).post(reverse("sharing_item_approve", args=["north", item.pk]))
    item.refresh_from_db()
    assert item.status == "shared"
    page = south.get(reverse("sharing_item", args=["south", item.pk])).content.decode()
    assert "Journalist or media worker" in page and case.reference not in page
    assert str(item.pk) in south.get(reverse("sharing_home", args=["south"])).content.decode()

    nico.post(reverse("sharing_item_withdraw", args=["north", item.pk]))
    item.refresh_from_db()
    assert item.status == "withdrawn" and item.withdrawn_at is not None
    assert south.get(reverse("sharing_item", args=["south", item.pk])).status_code == 404
    assert str(item.pk) not in south.get(reverse("sharing_home", args=["south"])).content.decode()
    assert (
        str(item.pk)
        not in south.get(reverse("sharing_items_json", args=["south"])).content.decode()
    )
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"sharing.item_proposed", "sharing.item_reviewed", "sharing.item_withdrawn"} <= actions


def _proposed_by_coordinator(net: Any, group: Any) -> Any:
    from amparo.sharing import items

    return items.propose_collective_action(
        net.north,
        reference="",
        title="T",
        description="D",
        distribution="group",
        group=group,
        actor=net.nora,
    )


def test_the_reporter_canary_is_never_shared_unless_consented_and_chosen(net: Any) -> None:
    from amparo.sharing import items

    group = group_of(net.north, net.nora, [(net.south, net.sara)], hidden=False)
    target = {"distribution": "group", "group": group}

    # Consent to collective work not given: no narrative, whatever the caseworker wants.
    case = _canary_case(net, consent_collective="ask", consent_share_identity="yes")
    with pytest.raises(ValidationError):
        items.propose_incident(case, include_narrative=True, actor=net.nico, **target)
    plain = items.propose_incident(case, actor=net.nico, **target)
    # Consented, but the caseworker did not choose it: no narrative.
    consented = _canary_case(net, consent_collective="yes", consent_share_identity="yes")
    unchosen = items.propose_incident(consented, actor=net.nico, **target)
    # Consented and chosen: the story goes, never the name or the contact.
    chosen = items.propose_incident(consented, include_narrative=True, actor=net.nico, **target)

    for item in (plain, unchosen):
        text = json.dumps(item.to_exchange_dict())
        assert "NARRATIVECANARY" not in text and "Canarywright" not in text
        assert "canary.contact" not in text
    text = json.dumps(chosen.to_exchange_dict())
    assert "NARRATIVECANARY" in text
    assert "Canarywright" not in text and "Zenobia" not in text and "canary.contact" not in text
    assert consented.reference not in text and str(consented.pk) not in text

    # A reporter who refused statistics: the case is not shared at all.
    refused = _canary_case(net, consent_statistics="no")
    with pytest.raises(ValidationError):
        items.propose_incident(refused, actor=net.nico, **target)


def test_indicators_shared_only_as_hashes_match_but_are_not_shown(net: Any) -> None:
    from amparo.sharing import items
    from amparo.sharing.matching import matches_for_case

    group = group_of(net.north, net.nora, [(net.south, net.sara)], hidden=False)
    south_case = case_with(net.south, net.sam, attackers="@Hidden_Troll")
    indicator = items.propose_indicators(
        net.north,
        platform="facebook",
        accounts=["@hidden_troll"],
        hashed_only=True,
        distribution="group",
        group=group,
        actor=net.nico,
    )
    assert matches_for_case(south_case).organisations == 0  # not reviewed yet
    items.review(indicator, approve=True, actor=net.nora)
    assert matches_for_case(south_case).organisations == 1
    page = client_for(net.sam).get(reverse("sharing_item", args=["south", indicator.pk]))
    assert "hidden_troll" not in page.content.decode().lower()
    assert "hidden_troll" not in json.dumps(indicator.to_exchange_dict())
    # Rotation hashes it again from the encrypted copy; withdrawal stops the match.
    from amparo.sharing.services import rotate_key

    rotate_key(group, actor=net.nora)
    assert matches_for_case(south_case).organisations == 1
    items.withdraw(indicator, actor=net.nico)
    assert matches_for_case(south_case).organisations == 0


def test_items_received_from_another_server_are_created_updated_and_withdrawn(net: Any) -> None:
    from amparo.sharing import items

    group = group_of(net.north, net.nora, [(net.south, net.sara)], hidden=False)
    data = {
        "kind": "indicator",
        "id": "remote-1",
        "created": "2026-12-01T10:00:00+00:00",
        "modified": "2026-12-01T10:00:00+00:00",
        "distribution": "group",
        "fields": {"platform": "x", "accounts": ["remote_troll"], "secret_extra": "dropped"},
    }
    item = items.receive_remote_item(group, data, origin="https://amparo.partner.example")
    assert item.fields == {"platform": "x", "accounts": ["remote_troll"]}
    south = client_for(net.sam)
    assert (
        "remote_troll"
        in south.get(reverse("sharing_item", args=["south", item.pk])).content.decode()
    )
    newer = {**data, "modified": "2026-12-02T10:00:00+00:00", "fields": {"accounts": ["b"]}}
    assert items.receive_remote_item(
        group, newer, origin="https://amparo.partner.example"
    ).fields == {"accounts": ["b"]}
    # A replayed older message changes nothing.
    items.receive_remote_item(group, data, origin="https://amparo.partner.example")
    item.refresh_from_db()
    assert item.fields == {"accounts": ["b"]}
    with pytest.raises(ValidationError):
        items.receive_remote_item(group, {**data, "modified": "2026-12-03T10:00:00"}, origin="o")
    assert items.withdraw_remote_item(group, "remote-1", origin="https://amparo.partner.example")
    assert south.get(reverse("sharing_item", args=["south", item.pk])).status_code == 404
    # Withdrawn is final: a later copy does not revive it.
    again = {**data, "modified": "2026-12-09T10:00:00+00:00"}
    assert items.receive_remote_item(
        group, again, origin="https://amparo.partner.example"
    ).withdrawn_at


def test_psi_tells_only_the_requester_which_of_its_accounts_match(net: Any) -> None:
    from amparo.sharing.models import PsiExchange

    case_with(net.north, net.nico, attackers="@troll_one\n@only_north")
    case_with(net.south, net.sam, attackers="@TROLL_ONE\n@only_south_secret")
    nora = client_for(net.nora)
    nora.post(reverse("sharing_psi_request", args=["north"]), {"partner": str(net.south.pk)})
    exchange = PsiExchange.objects.get()
    assert exchange.requester_size == 2
    assert "troll_one" not in exchange.request_message
    sara = client_for(net.sara)
    asked = sara.get(reverse("sharing_psi", args=["south", exchange.pk])).content.decode()
    assert "only_north" not in asked and "troll_one" not in asked
    sara.post(reverse("sharing_psi_accept", args=["south", exchange.pk]))
    result = nora.get(reverse("sharing_psi", args=["north", exchange.pk])).content.decode()
    assert "1 of your accounts is also faced by the partner" in result
    assert "troll_one" in result and "only_north" not in result.split("psi-matched")[1]
    assert "only_south_secret" not in result
    partner_view = sara.get(reverse("sharing_psi", args=["south", exchange.pk])).content.decode()
    assert "also faced" not in partner_view and "only_north" not in partner_view
    assert (
        client_for(net.leo).get(reverse("sharing_psi", args=["lone", exchange.pk])).status_code
        == 404
    )


def test_the_coordinator_sees_suppressed_figures_and_runs_detection_on_shared_posts(
    net: Any,
) -> None:
    from amparo.campaigns.models import DetectionRun
    from amparo.sharing import items

    group = group_of(net.north, net.nora, [(net.south, net.sara)], hidden=False)
    case = case_with(net.south, net.sam, attackers="@t")
    for _ in range(12):
        item = items.propose_incident(case, distribution="group", group=group, actor=net.sam)
        items.review(item, approve=True, actor=net.sara)
    item = items.propose_incident(
        case_with(net.south, net.sam, attackers="@u", platform="tiktok"),
        distribution="group",
        group=group,
        actor=net.sam,
    )
    items.review(item, approve=True, actor=net.sara)
    page = client_for(net.nora).get(reverse("sharing_aggregates", args=["north", group.pk]))
    text = page.content.decode()
    assert "&lt;10" in text
    # The 1 is hidden, and so is the 12 beside it that would give it away from the total 13.
    assert ">1<" not in text and ">12<" not in text and ">13<" in text

    posts = [
        {
            "id": str(i),
            "account": f"acct{i % 5}",
            "timestamp": f"2026-12-01T10:00:{i:02d}Z",
            "text": "Same words",
        }
        for i in range(10)
    ]
    indicator = items.propose_indicators(
        net.south,
        platform="x",
        accounts=["acct1"],
        posts=posts,
        distribution="group",
        group=group,
        actor=net.sam,
    )
    items.review(indicator, approve=True, actor=net.sara)
    response = client_for(net.nora).post(reverse("sharing_group_detect", args=["north", group.pk]))
    run = DetectionRun.objects.get()
    assert response.status_code == 302 and run.organisation == net.north
    assert run.include_case_actions is False


def test_a_risk_period_and_a_campaign_are_shared_from_the_sharing_page(net: Any) -> None:
    from django.utils import timezone

    from amparo.campaigns.models import Campaign, DetectionRun
    from amparo.intake.models import RiskPeriod
    from amparo.keyring.services import organisation_key
    from amparo.sharing import items

    group = group_of(net.north, net.nora, [(net.south, net.sara)], hidden=False)
    period = RiskPeriod.objects.create(
        organisation=net.north,
        country="MX",
        kind="election",
        starts_on="2027-05-01",
        ends_on="2027-06-10",
        note="General election",
    )
    nico = client_for(net.nico)
    nico.post(
        reverse("sharing_risk_period", args=["north"]),
        {"source": str(period.pk), "distribution": "group", "group": str(group.pk)},
    )
    shared = net.north.shared_items.get(kind="risk_period")
    assert shared.fields["starts_on"] == "2027-05-01"
    items.review(shared, approve=True, actor=net.nora)
    page = client_for(net.sam).get(reverse("sharing_item", args=["south", shared.pk]))
    assert "Election" in page.content.decode() and "General election" in page.content.decode()

    run = DetectionRun.objects.create(
        organisation=net.north, data_key=organisation_key(net.north), created_by=net.nora, inputs=[]
    )
    campaign = Campaign(
        organisation=net.north,
        data_key=organisation_key(net.north),
        run=run,
        engine_id="c1",
        kind="text",
        score=0.9,
        account_count=2,
        item_count=2,
        starts_at=timezone.now(),
        ends_at=timezone.now(),
        signals=["near_duplicate_text"],
    )
    campaign.detail = {
        "accounts": ["bot_a", "bot_b"],
        "items": [
            {"id": "1", "account": "bot_a", "timestamp": "2026-12-01T10:00:00Z", "text": "x"}
        ],
    }
    campaign.save()
    client_for(net.nora).post(
        reverse("sharing_campaign", args=["north"]),
        {"source": str(campaign.pk), "distribution": "group", "group": str(group.pk)},
    )
    indicator = net.north.shared_items.get(kind="indicator")
    assert indicator.fields["accounts"] == ["bot_a", "bot_b"]
    assert indicator.fields["posts"][0]["account"] == "bot_a"
    assert indicator.status == "proposed"  # waits for another coordinator
    # A caseworker cannot share a campaign (coordinators run and read them).
    response = nico.post(reverse("sharing_campaign", args=["north"]), {"source": str(campaign.pk)})
    assert response.status_code == 404
