"""Who may see which sharing groups, members and shared items. Anything outside what an
organisation may see raises Http404, so an outsider cannot learn that it exists."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from amparo.accounts.access import membership_for
from amparo.accounts.models import Organisation
from amparo.accounts.roles import Capability
from amparo.sharing.models import (
    ConnectInvite,
    Distribution,
    GroupMember,
    PsiExchange,
    SharedItem,
    SharingGroup,
)

ACTIVE = GroupMember.Status.ACTIVE
INVITED = GroupMember.Status.INVITED


def active_group_ids(organisation: Any) -> QuerySet[GroupMember, Any]:
    return GroupMember.objects.filter(organisation=organisation, status=ACTIVE).values("group_id")


def groups_of(organisation: Any) -> QuerySet[SharingGroup]:
    """Groups the organisation owns, belongs to or is invited to."""
    return SharingGroup.objects.filter(
        Q(owner=organisation)
        | Q(members__organisation=organisation, members__status__in=[ACTIVE, INVITED])
    ).distinct()


def sees_members(group: SharingGroup, organisation: Any) -> bool:
    return not group.hide_members or group.owner_id == getattr(organisation, "pk", organisation)


def visible_members(group: SharingGroup, organisation: Any) -> list[GroupMember]:
    """The member rows ``organisation`` may see: all current ones, or only its own when the
    group hides its membership (the owner always sees them all)."""
    rows = group.members.select_related("organisation").filter(status__in=[ACTIVE, INVITED])
    if not sees_members(group, organisation):
        rows = rows.filter(organisation=organisation)
    return list(rows)


def group_for(user: Any, org_slug: str, group_id: Any, capability: str = Capability.VIEW_CASES):
    organisation = membership_for(user, org_slug, capability).organisation
    try:
        return groups_of(organisation).get(pk=group_id), organisation
    except (SharingGroup.DoesNotExist, ValueError):
        raise Http404 from None


def items_for(organisation: Any) -> QuerySet[SharedItem]:
    """Items shared with ``organisation`` by others (approved and not withdrawn), by the
    item's distribution level: named partners, a group it is an active member of, the whole
    network of this server, or public."""
    return (
        SharedItem.objects.filter(status=SharedItem.Status.SHARED, withdrawn_at__isnull=True)
        .filter(
            Q(distribution__in=[Distribution.NETWORK, Distribution.PUBLIC])
            | Q(distribution=Distribution.PARTNERS, partners=organisation)
            | Q(distribution=Distribution.GROUP, group__in=active_group_ids(organisation))
        )
        .exclude(organisation=organisation)
        .distinct()
    )


def own_items(organisation: Any) -> QuerySet[SharedItem]:
    return SharedItem.objects.filter(organisation=organisation)


def item_for(user: Any, org_slug: str, item_id: Any) -> tuple[SharedItem, Organisation, bool]:
    """(item, viewer's organisation, whether it is the viewer's own item)."""
    organisation = membership_for(user, org_slug, Capability.VIEW_CASES).organisation
    try:
        item = own_items(organisation).get(pk=item_id)
        return item, organisation, True
    except (SharedItem.DoesNotExist, ValueError):
        pass
    try:
        return items_for(organisation).get(pk=item_id), organisation, False
    except (SharedItem.DoesNotExist, ValueError):
        raise Http404 from None


def origin_visible(item: SharedItem, organisation: Any) -> bool:
    """Whether ``organisation`` may see who shared ``item``: not when it came through a group
    that hides its membership (unless the viewer owns the group)."""
    if item.distribution == Distribution.GROUP and item.group is not None:
        return sees_members(item.group, organisation)
    return True


def visible_partner_ids(organisation: Any) -> set[Any]:
    """Organisations ``organisation`` may name (the referral list, partners to share with, PSI).

    An organisation in no group that hides its membership is listed to everyone, as before
    sharing groups existed. One that is in such a group is listed only to those that know it
    through a visible relation: a co-member of a group whose members are shown, the owner of a
    group it belongs to (or a member of a group it owns, whose members are shown)."""
    own = getattr(organisation, "pk", organisation)
    hidden = set(
        GroupMember.objects.filter(group__hide_members=True, status__in=[ACTIVE, INVITED])
        .exclude(organisation_id=own)
        .values_list("organisation_id", flat=True)
    )
    everyone = set(Organisation.objects.exclude(pk=own).values_list("pk", flat=True))
    mine = list(
        SharingGroup.objects.filter(
            Q(owner_id=own) | Q(members__organisation_id=own, members__status=ACTIVE)
        )
        .distinct()
        .values_list("pk", "owner_id", "hide_members")
    )
    known: set[Any] = set()
    for group_id, owner_id, hide in mine:
        if owner_id == own or not hide:
            known |= set(
                GroupMember.objects.filter(group_id=group_id, status=ACTIVE).values_list(
                    "organisation_id", flat=True
                )
            )
    return (everyone - hidden) | (known & everyone)


def connect_invite_for(user: Any, org_slug: str, invite_id: Any) -> ConnectInvite:
    organisation = membership_for(user, org_slug, Capability.WRITE_CASES).organisation
    try:
        return ConnectInvite.objects.select_related("request__organisation").get(
            pk=invite_id, organisation=organisation
        )
    except (ConnectInvite.DoesNotExist, ValueError):
        raise Http404 from None


def psi_for(user: Any, org_slug: str, exchange_id: Any) -> tuple[PsiExchange, Organisation]:
    organisation = membership_for(user, org_slug, Capability.COORDINATE).organisation
    try:
        exchange = PsiExchange.objects.select_related("organisation", "partner").get(
            Q(organisation=organisation) | Q(partner=organisation), pk=exchange_id
        )
    except (PsiExchange.DoesNotExist, ValueError):
        raise Http404 from None
    return exchange, organisation
