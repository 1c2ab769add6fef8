"""The demo seeder makes a hidden group with the helplines in it and items they shared."""

from __future__ import annotations

from typing import Any


def test_the_demo_sharing_seeder_makes_a_hidden_group(db: Any) -> None:
    from amparo.demo.seed import seed
    from amparo.demo.sharing import seed_sharing
    from amparo.sharing.models import GroupMember, SharedItem, SharingGroup

    seed()
    seed_sharing()
    group = SharingGroup.objects.get()
    assert group.hide_members and group.owner.slug == "schutzraum"
    assert GroupMember.objects.filter(group=group, status="active").count() == 4
    assert SharedItem.objects.filter(group=group, status="shared").exists()
    seed_sharing()  # a second run changes nothing
    assert SharingGroup.objects.count() == 1
