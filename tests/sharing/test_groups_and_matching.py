"""Sharing groups on one server: who sees whom, matching attacker accounts by keyed hashes,
departures and key rotation, asking to connect."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.sharing.conftest import case_with, client_for, group_of


def test_two_helplines_in_a_group_learn_they_face_the_same_account(net: Any) -> None:
    north_case = case_with(net.north, net.nico, attackers="@Troll_One")
    south_case = case_with(net.south, net.sam, attackers="https://www.facebook.com/troll_one")
    # Coordinated by a third organisation; the two helplines do not see each other.
    group_of(net.desk, net.pia, [(net.north, net.nora), (net.south, net.sara)], hidden=True)

    page = client_for(net.nico).get(reverse("case_detail", args=["north", north_case.pk]))
    text = page.content.decode()
    assert "1 other organisation in your network faces this account" in text
    assert south_case.reference not in text
    assert "Helpline South" not in text

    page = client_for(net.sam).get(reverse("case_detail", args=["south", south_case.pk]))
    text = page.content.decode()
    assert "1 other organisation in your network faces this account" in text
    assert north_case.reference not in text
    assert "Helpline North" not in text


def test_an_organisation_in_no_group_sees_no_network_panel(net: Any) -> None:
    case = case_with(net.lone, net.leo, attackers="@troll_one")
    case_with(net.north, net.nico, attackers="@troll_one")
    page = client_for(net.leo).get(reverse("case_detail", args=["lone", case.pk]))
    assert "in your network" not in page.content.decode()


def test_a_member_of_group_a_sees_nothing_of_group_b(net: Any) -> None:
    from amparo.sharing import items

    group_a = group_of(net.north, net.nora, [(net.south, net.sara)], hidden=False, name="Alpha")
    group_b = group_of(net.desk, net.pia, [(net.lone, net.leo)], hidden=False, name="Bravo")
    case_with(net.lone, net.leo, attackers="@shared_troll")
    south_case = case_with(net.south, net.sam, attackers="@shared_troll")
    item = items.propose_collective_action(
        net.lone,
        reference="CA-9",
        title="Group B only action",
        description="Join us",
        distribution="group",
        group=group_b,
        actor=net.leo,
    )
    items.review(item, approve=True, actor=_second_admin(net.lone))

    south = client_for(net.sara)
    assert south.get(reverse("sharing_group", args=["south", group_b.pk])).status_code == 404
    assert south.get(reverse("sharing_group_json", args=["south", group_b.pk])).status_code == 404
    assert south.get(reverse("sharing_item", args=["south", item.pk])).status_code == 404
    home = south.get(reverse("sharing_home", args=["south"])).content.decode()
    assert group_a.name in home and group_b.name not in home
    assert (
        "Group B only action"
        not in south.get(reverse("sharing_items_json", args=["south"])).content.decode()
    )
    # The same account in a case of group B's member is no match for group A.
    case_page = south.get(reverse("case_detail", args=["south", south_case.pk])).content.decode()
    assert "No other organisation in your network faces" in case_page


def _second_admin(organisation: Any) -> Any:
    from amparo.accounts import services
    from amparo.accounts.models import User

    user = User.objects.create_user(f"second@{organisation.slug}.example", "x" * 20)
    services.add_member(organisation, user, "coordinator", actor=None)
    return user


def test_hidden_membership_hides_names_on_pages_and_in_the_api(net: Any) -> None:
    from amparo.sharing import items

    group = group_of(net.north, net.nora, [(net.south, net.sara), (net.desk, net.pia)], hidden=True)
    item = items.propose_collective_action(
        net.desk,
        reference="",
        title="Joint complaint about mass reporting",
        description="Looking for members",
        distribution="group",
        group=group,
        actor=net.pia,
    )
    items.review(item, approve=True, actor=_second_admin(net.desk))

    south = client_for(net.sara)
    for name in ("sharing_group", "sharing_group_json"):
        text = south.get(reverse(name, args=["south", group.pk])).content.decode()
        assert "Helpline South" in text  # its own membership
        assert "Press Freedom Desk" not in text and "Helpline North" not in text
    for url in (
        reverse("sharing_home", args=["south"]),
        reverse("sharing_items_json", args=["south"]),
        reverse("sharing_item", args=["south", item.pk]),
    ):
        text = south.get(url).content.decode()
        assert "Joint complaint" in text or "sharing/" in url
        assert "Press Freedom Desk" not in text
    # The referral list on a case of a member: hidden members are not listed.
    case = case_with(net.south, net.sam, attackers="@x_troll")
    text = south.get(reverse("case_detail", args=["south", case.pk])).content.decode()
    assert "Press Freedom Desk" not in text and "Lone Org" in text
    # The owner sees every member.
    owner = client_for(net.nora).get(reverse("sharing_group_json", args=["north", group.pk]))
    names = {m["organisation"] for m in owner.json()["members"]}
    assert names == {"Helpline North", "Helpline South", "Press Freedom Desk"}


def test_a_hidden_member_cannot_be_referred_to_by_guessing_its_id(net: Any) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    from amparo.cases.referrals import refer

    group_of(net.north, net.nora, [(net.desk, net.pia)], hidden=True)
    case = case_with(net.lone, net.leo, attackers="@x")
    with pytest.raises(ValidationError):
        refer(case, net.desk, actor=net.leo, reporter_agreed=True)
    # A co-member of a visible group, or any organisation in no hidden group, still can be.
    assert refer(case, net.south, actor=net.leo, reporter_agreed=True).to_organisation == net.south


def test_a_departing_member_loses_the_key_and_matches_nothing_new(net: Any) -> None:
    from amparo.sharing import keys
    from amparo.sharing.matching import matches_for_case
    from amparo.sharing.models import Digest, GroupKey, GroupMember

    north_case = case_with(net.north, net.nico, attackers="@troll_one")
    case_with(net.south, net.sam, attackers="@troll_one")
    group = group_of(net.north, net.nora, [(net.south, net.sara)], hidden=True)
    old_key = keys.group_key(group)
    assert matches_for_case(north_case).organisations == 1

    member = GroupMember.objects.get(group=group, organisation=net.south)
    response = client_for(net.sara).post(reverse("sharing_leave", args=["south", member.pk]))
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.epoch == 2
    assert GroupKey.objects.get(group=group, epoch=1).wrapped is None  # retired, erased
    keys.forget_keys()
    assert keys.group_key(group) != old_key
    assert not Digest.objects.filter(organisation=net.south).exists()
    assert not Digest.objects.filter(group=group, epoch=1).exists()
    # North's own cases were hashed again under the new key.
    assert Digest.objects.filter(group=group, epoch=2, organisation=net.north).exists()

    new_south_case = case_with(net.south, net.sam, attackers="@troll_one")
    assert matches_for_case(north_case).organisations == 0
    assert matches_for_case(new_south_case).organisations == 0
    # South's pages no longer show the group.
    south = client_for(net.sara)
    assert south.get(reverse("sharing_group", args=["south", group.pk])).status_code == 404


def test_the_group_key_is_never_in_clear_in_the_database(net: Any) -> None:
    from django.db import connection

    from amparo.sharing import keys

    group = group_of(net.north, net.nora, [(net.south, net.sara)], hidden=False)
    raw = keys.group_key(group)
    keys.forget_keys()
    assert keys.group_key(group) == raw  # opened with the KEK again
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                for value in row:
                    blob = value if isinstance(value, bytes | memoryview) else str(value).encode()
                    blob = bytes(blob)
                    assert raw not in blob and raw.hex().encode() not in blob, table


def test_asking_to_connect_reveals_no_case_and_the_answer_is_recorded(net: Any) -> None:
    from amparo.audit.models import AuditEvent
    from amparo.sharing.models import ConnectInvite

    north_case = case_with(net.north, net.nico, attackers="@troll_one")
    south_case = case_with(net.south, net.sam, attackers="@troll_one")
    group_of(net.desk, net.pia, [(net.north, net.nora), (net.south, net.sara)], hidden=True)
    north = client_for(net.nico)
    north.post(
        reverse("sharing_connect", args=["north", north_case.pk]),
        {"purpose": "collective_action", "message": "Shall we file together?"},
    )
    invite = ConnectInvite.objects.get()
    assert invite.organisation == net.south
    south = client_for(net.sam)
    home = south.get(reverse("sharing_home", args=["south"])).content.decode()
    assert "Helpline North faces an attacker account" in home
    assert "Shall we file together?" in home
    assert north_case.reference not in home and str(north_case.pk) not in home
    # The requester does not learn who was asked until they accept.
    assert (
        "Helpline South" not in north.get(reverse("sharing_home", args=["north"])).content.decode()
    )
    south.post(reverse("sharing_connect_accept", args=["south", invite.pk]))
    invite.refresh_from_db()
    assert invite.status == "accepted"
    assert (
        "Helpline South accepted"
        in north.get(reverse("sharing_home", args=["north"])).content.decode()
    )
    assert (
        south_case.reference
        not in north.get(reverse("sharing_home", args=["north"])).content.decode()
    )
    assert AuditEvent.objects.filter(action="sharing.connect_answered").exists()


def test_outsiders_and_readers_get_404(net: Any) -> None:
    from amparo.sharing import items

    group = group_of(net.north, net.nora, [(net.south, net.sara)], hidden=False)
    item = items.propose_collective_action(
        net.north,
        reference="",
        title="T",
        description="D",
        distribution="group",
        group=group,
        actor=net.nico,
    )
    leo = client_for(net.leo)
    for name, args in (
        ("sharing_group", ["north", group.pk]),
        ("sharing_group", ["lone", group.pk]),
        ("sharing_item", ["lone", item.pk]),
        ("sharing_item", ["north", item.pk]),
        ("sharing_aggregates", ["lone", group.pk]),
        ("sharing_home", ["north"]),
    ):
        assert leo.get(reverse(name, args=args)).status_code == 404, name
    for name, args in (
        ("sharing_item_approve", ["lone", item.pk]),
        ("sharing_item_withdraw", ["lone", item.pk]),
        ("sharing_group_rotate", ["lone", group.pk]),
        ("sharing_group_invite", ["lone", group.pk]),
    ):
        assert leo.post(reverse(name, args=args)).status_code == 404, name
    # A member that is not the owner cannot see the coordinator's figures or rotate the key.
    sara = client_for(net.sara)
    assert sara.get(reverse("sharing_aggregates", args=["south", group.pk])).status_code == 404
    sara.post(reverse("sharing_group_rotate", args=["south", group.pk]))
    group.refresh_from_db()
    assert group.epoch == 1
