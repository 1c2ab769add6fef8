"""Matching without showing cases: how many other organisations in an organisation's groups
face the same attacker accounts or URLs, and asking them to connect.

A case's attacker accounts are hashed under each group's live key (``sharing.keys``) and
compared with the digests other active members stored (their open cases, their shared
indicators). Only counts come back; the other organisations, their cases and their digests
stay on the server. Only members that let their own cases take part in matching learn anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.core import rls
from amparo.sharing import keys
from amparo.sharing.models import ConnectInvite, ConnectRequest, Digest, GroupMember
from amparo.sharing.services import case_tokens

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.accounts.types import Actor


@dataclass(frozen=True)
class CaseMatches:
    """What the case page may show: how many other organisations face at least one of the
    case's attacker accounts, and for each of the case's own accounts how many face it."""

    organisations: int = 0
    per_account: list[tuple[str, int]] = field(default_factory=list)
    _others: frozenset[Any] = field(default=frozenset(), repr=False)


def _groups(organisation_id: Any) -> list[Any]:
    return [
        m.group
        for m in GroupMember.objects.filter(
            organisation_id=organisation_id, status=GroupMember.Status.ACTIVE, match_cases=True
        ).select_related("group")
    ]


def matches_for_case(case: Any) -> CaseMatches:
    tokens = case_tokens(case)
    if not tokens:
        return CaseMatches()
    groups = _groups(case.organisation_id)
    others: set[Any] = set()
    per_token: dict[str, set[Any]] = {token: set() for _kind, token in tokens}
    for group in groups:
        key = keys.group_key(group)
        by_digest = {keys.digest(key, token): token for _kind, token in tokens}
        members = GroupMember.objects.filter(group=group, status=GroupMember.Status.ACTIVE).values(
            "organisation_id"
        )
        # Row-level security: the count crosses organisations; only ids leave this block.
        with rls.bypass():
            rows = (
                Digest.objects.filter(group=group, epoch=group.epoch, digest__in=list(by_digest))
                .exclude(organisation_id=case.organisation_id)
                .filter(organisation_id__in=members)
                .values_list("digest", "organisation_id")
                .distinct()
            )
            for value, org_id in rows:
                others.add(org_id)
                per_token[by_digest[value]].add(org_id)
    per_account = sorted(
        ((token.split(":", 2)[-1], len(orgs)) for token, orgs in per_token.items() if orgs),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return CaseMatches(len(others), per_account, frozenset(others))


@transaction.atomic
def ask_to_connect(case: Any, *, purpose: str, message: str, actor: User) -> ConnectRequest:
    """Ask the organisations that face the case's attacker accounts to connect. They are
    told the requesting organisation's name, the purpose and the message; never the case.
    The requester is never told who they are unless they accept."""
    require_capability(actor, case.organisation_id, Capability.WRITE_CASES)
    if purpose not in ConnectRequest.Purpose.values:
        raise ValidationError(_("Choose what you propose."))
    found = matches_for_case(case)
    if not found.organisations:
        raise ValidationError(_("No other organisation in your network faces these accounts."))
    request = ConnectRequest.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        purpose=purpose,
        message=message.strip()[:500],
        created_by=actor,
    )
    ConnectInvite.objects.bulk_create(
        ConnectInvite(request=request, organisation_id=org_id) for org_id in found._others
    )
    record(
        "sharing.connect_asked",
        actor=actor,
        obj=request,
        organisation=case.organisation_id,
        new={"purpose": purpose, "recipients": found.organisations},
    )
    return request


@transaction.atomic
def answer_connect(invite: ConnectInvite, *, accept: bool, actor: Actor) -> ConnectInvite:
    require_capability(actor, invite.organisation_id, Capability.WRITE_CASES)
    status = ConnectInvite.Status.ACCEPTED if accept else ConnectInvite.Status.DECLINED
    from django.utils import timezone

    if not ConnectInvite.objects.filter(pk=invite.pk, status=ConnectInvite.Status.PENDING).update(
        status=status, answered_by=actor, answered_at=timezone.now()
    ):
        raise ValidationError(_("This request was already answered."))
    invite.refresh_from_db()
    record(
        "sharing.connect_answered",
        actor=actor,
        obj=invite,
        organisation=invite.organisation_id,
        new={"status": status},
    )
    return invite
