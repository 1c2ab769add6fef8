"""Sharing groups: creating them, inviting and answering, leaving, rotating the matching key,
and keeping members' keyed hashes (digests) up to date. Every write is audited.

Groups are coordinated by their owner organisation: its coordinators and administrators (the
``coordinate`` capability) create the group and invite members; a member's own coordinators
answer the invitation and may leave. Every departure moves the group to a new key epoch, so a
departed organisation's hashes stop matching at once and nothing new is hashed for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.models import Organisation
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.core import rls
from amparo.sharing import keys
from amparo.sharing.models import Digest, GroupKey, GroupMember, SharedItem, SharingGroup

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.accounts.types import Actor

ACTIVE = GroupMember.Status.ACTIVE
INVITED = GroupMember.Status.INVITED


def _coordinator(organisation_id: Any, actor: Actor) -> None:
    require_capability(actor, organisation_id, Capability.COORDINATE)


@transaction.atomic
def create_group(
    organisation: Organisation,
    *,
    name: str,
    hide_members: bool,
    actor: User,
    description: str = "",
) -> SharingGroup:
    """A new group owned by ``organisation``, which is its first member."""
    _coordinator(organisation.pk, actor)
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Give the group a name."))
    group = SharingGroup.objects.create(
        name=name[:120],
        description=description.strip()[:500],
        owner=organisation,
        hide_members=hide_members,
        created_by=actor,
    )
    GroupMember.objects.create(
        group=group,
        organisation=organisation,
        status=ACTIVE,
        invited_by=actor,
        answered_at=timezone.now(),
    )
    keys.create_key(group, group.epoch)
    refresh_digests(group, organisation)
    record(
        "sharing.group_created",
        actor=actor,
        obj=group,
        organisation=organisation,
        new={"hide_members": hide_members},
    )
    return group


@transaction.atomic
def invite(group: SharingGroup, organisation: Organisation, *, actor: Actor) -> GroupMember:
    """Invite ``organisation`` (again, if it declined or left before)."""
    _coordinator(group.owner_id, actor)
    if organisation.pk == group.owner_id:
        raise ValidationError(_("The owner is already a member."))
    member, created = GroupMember.objects.get_or_create(
        group=group, organisation=organisation, defaults={"invited_by": actor}
    )
    if not created:
        if member.status in (ACTIVE, INVITED):
            raise ValidationError(_("That organisation is already a member or invited."))
        member.status, member.invited_by, member.answered_at, member.left_at = (
            INVITED,
            actor,
            None,
            None,
        )
        member.save(update_fields=["status", "invited_by", "answered_at", "left_at"])
    record(
        "sharing.member_invited",
        actor=actor,
        obj=member,
        organisation=group.owner_id,
        new={"organisation": str(organisation.pk)},
    )
    return member


@transaction.atomic
def answer_invitation(member: GroupMember, *, accept: bool, actor: Actor) -> GroupMember:
    _coordinator(member.organisation_id, actor)
    if not GroupMember.objects.filter(pk=member.pk, status=INVITED).update(
        status=ACTIVE if accept else GroupMember.Status.DECLINED, answered_at=timezone.now()
    ):
        raise ValidationError(_("This invitation was already answered."))
    member.refresh_from_db()
    if accept:
        refresh_digests(member.group, member.organisation)
    record(
        "sharing.invitation_answered",
        actor=actor,
        obj=member,
        organisation=member.organisation_id,
        new={"status": member.status},
    )
    return member


@transaction.atomic
def set_matching(member: GroupMember, *, match_cases: bool, actor: Actor) -> GroupMember:
    """Whether the member's cases take part in matching (its own coordinators decide)."""
    _coordinator(member.organisation_id, actor)
    member.match_cases = match_cases
    member.save(update_fields=["match_cases"])
    refresh_digests(member.group, member.organisation)
    record(
        "sharing.matching_set",
        actor=actor,
        obj=member,
        organisation=member.organisation_id,
        new={"match_cases": match_cases},
    )
    return member


@transaction.atomic
def leave(member: GroupMember, *, actor: Actor) -> GroupMember:
    """The member leaves (its own coordinator) or is removed (the owner's coordinator). Its
    shared items in the group stop being shown to the group and the group key is rotated."""
    if member.organisation_id == member.group.owner_id:
        raise ValidationError(_("The owner cannot leave its own group."))
    own = _is_coordinator(member.organisation_id, actor)
    if not own:
        _coordinator(member.group.owner_id, actor)
    status = GroupMember.Status.LEFT if own else GroupMember.Status.REMOVED
    if not GroupMember.objects.filter(pk=member.pk, status__in=[ACTIVE, INVITED]).update(
        status=status, left_at=timezone.now()
    ):
        raise ValidationError(_("This organisation is no longer in the group."))
    member.refresh_from_db()
    with rls.bypass():  # the departed organisation's hashes, from whoever's request
        Digest.objects.filter(group=member.group, organisation=member.organisation_id).delete()
    record(
        "sharing.member_left",
        actor=actor,
        obj=member,
        organisation=member.organisation_id,
        new={"status": status},
    )
    rotate_key(member.group, actor=None, reason="departure")
    return member


def _is_coordinator(organisation_id: Any, actor: Actor) -> bool:
    try:
        _coordinator(organisation_id, actor)
    except PermissionDenied:
        return False
    return True


def refresh_organisation(organisation: Organisation, *, actor: Actor) -> int:
    """Hash the organisation's cases and indicators again in every group it is in (a
    coordinator's button; the worker does it daily)."""
    _coordinator(organisation.pk, actor)
    written = 0
    with transaction.atomic():
        for member in GroupMember.objects.filter(organisation=organisation, status=ACTIVE):
            written += refresh_digests(member.group, organisation)
        record(
            "sharing.digests_refreshed",
            actor=actor,
            organisation=organisation,
            new={"count": written},
        )
    return written


@transaction.atomic
def rotate_key(group: SharingGroup, *, actor: Actor, reason: str = "manual") -> int:
    """Move ``group`` to a new key epoch: a new random key, the old one retired (its wrapped
    bytes erased), every digest of the old epoch deleted, and the members' indicators hashed
    again under the new key (``tasks.rekey_group``; run here at once too, so matching never
    pauses). Returns the new epoch. ``actor`` None: done by the system on a departure."""
    if actor is not None:
        _coordinator(group.owner_id, actor)
    group = SharingGroup.objects.select_for_update().get(pk=group.pk)
    old = group.epoch
    group.epoch = old + 1
    group.save(update_fields=["epoch"])
    keys.create_key(group, group.epoch)
    GroupKey.objects.filter(group=group, epoch__lt=group.epoch).update(
        wrapped=None, retired_at=timezone.now()
    )
    keys.forget_keys()
    with rls.bypass():
        Digest.objects.filter(group=group, epoch__lt=group.epoch).delete()
    rekey_group(group)
    from amparo.sharing.tasks import rekey_group as rekey_job

    # Again in the background once committed: anything a member changed meanwhile.
    transaction.on_commit(lambda: rekey_job.enqueue(str(group.pk)))
    record(
        "sharing.key_rotated",
        actor=actor,
        obj=group,
        organisation=group.owner_id,
        old={"epoch": old},
        new={"epoch": group.epoch, "reason": reason},
    )
    return group.epoch


def rekey_group(group: SharingGroup) -> int:
    """Hash every active member's indicators under the group's live key (idempotent): the job
    members' indicators are re-keyed by after a rotation. Returns the digests written."""
    written = 0
    for member in GroupMember.objects.filter(group=group, status=ACTIVE).select_related(
        "organisation"
    ):
        written += refresh_digests(group, member.organisation)
    return written


def case_tokens(case: Any) -> list[tuple[str, str]]:
    """(kind, normalised token) of the attacker accounts named in the case's reports."""
    values: list[str] = []
    for link in case.report_links.select_related("report"):
        report = link.report
        if report.erased_at is not None:
            continue
        values += [str(v) for v in (report.accounts or {}).get("attackers", []) if v]
    return keys.tokens(values, case.platform)


def refresh_digests(group: SharingGroup, organisation: Any) -> int:
    """Replace ``organisation``'s digests in ``group`` by fresh ones under the live key: its
    open cases' attacker accounts (when it matches its cases) and its shared indicators."""
    from amparo.cases.models import Case

    org_id = getattr(organisation, "pk", organisation)
    member = GroupMember.objects.filter(group=group, organisation_id=org_id, status=ACTIVE).first()
    key = keys.group_key(group)
    rows: list[Digest] = []
    with rls.organisation(org_id):
        if member is not None and member.match_cases:
            for case in Case.objects.filter(organisation_id=org_id, is_open=True):
                for kind, token in case_tokens(case):
                    rows.append(
                        Digest(
                            group=group,
                            epoch=group.epoch,
                            organisation_id=org_id,
                            digest=keys.digest(key, token),
                            kind=kind,
                            case=case,
                        )
                    )
        if member is not None:
            for item in SharedItem.objects.filter(
                organisation_id=org_id,
                kind="indicator",
                group=group,
                status=SharedItem.Status.SHARED,
                withdrawn_at__isnull=True,
            ):
                rows += item_digests(item, group, key)
        Digest.objects.filter(group=group, organisation_id=org_id).delete()
        Digest.objects.bulk_create(rows)
    return len(rows)


def item_digests(item: SharedItem, group: SharingGroup, key: bytes) -> list[Digest]:
    """Digests of a shared indicator's accounts and URLs (shown in clear, or kept encrypted in
    ``private`` when it is shared only as hashes) under the group's live key."""
    fields = item.fields
    hidden = item.private or {}
    found: dict[tuple[str, str], None] = {}
    values = [
        *fields.get("accounts", []),
        *fields.get("urls", []),
        *hidden.get("accounts", []),
        *hidden.get("urls", []),
    ]
    for kind, token in keys.tokens(values, str(fields.get("platform") or "")):
        found[(kind, keys.digest(key, token))] = None
    return [
        Digest(
            group=group,
            epoch=group.epoch,
            organisation_id=item.organisation_id,  # type: ignore[misc]  # local items only
            digest=value,
            kind=kind,
            item=item,
        )
        for kind, value in found
    ]
