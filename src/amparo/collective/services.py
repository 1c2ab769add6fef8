"""Writes of collective redress: open an action, invite partners, decide proposals, approve a
partner's case, record outcomes, move the action. Each write is audited; mandates are in
``mandates.py``, filings in ``filings.py``, the finding of members in ``proposals.py``."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.collective import states
from amparo.collective.models import ActionPartner, CollectiveAction, Member, Proposal
from amparo.core import rls
from amparo.engines.remedies.ladder import DECISION_GROUNDS, DECISION_TYPES
from amparo.keyring.services import organisation_key

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.accounts.types import Actor

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _coordinator(organisation_id: Any, actor: Actor) -> None:
    require_capability(actor, organisation_id, Capability.COORDINATE)


@transaction.atomic
def open_action(
    organisation: Any,
    *,
    title: str,
    platform: str,
    decision_type: str,
    decision_ground: str,
    window_start: date,
    window_end: date,
    community: str = "",
    campaign: Any = None,
    actor: Actor,
) -> CollectiveAction:
    """A coordinator opens an action against ``platform`` for a pattern: the same decision
    type and statement-of-reasons ground (Art 17(3)(d)-(e)), a window, a community."""
    _coordinator(organisation.pk, actor)
    if decision_type not in DECISION_TYPES:
        raise ValidationError(_("Unknown decision type."))
    if decision_ground and decision_ground not in DECISION_GROUNDS:
        raise ValidationError(_("Unknown ground of the decision."))
    if window_end < window_start:
        raise ValidationError(_("The window cannot end before it starts."))
    if not platform:
        raise ValidationError(_("Choose the platform."))
    if campaign is not None and campaign.organisation_id != organisation.pk:
        raise PermissionDenied
    action = CollectiveAction(
        organisation=organisation,
        data_key=organisation_key(organisation),
        reference="CA-" + "".join(secrets.choice(_ALPHABET) for _ in range(6)),
        title=title.strip()[:200] or platform,
        platform=platform,
        decision_type=decision_type,
        decision_ground=decision_ground,
        window_start=window_start,
        window_end=window_end,
        community=community.strip()[:120],
        campaign=campaign,
        opened_at=timezone.now(),
        created_by=actor,
    )
    action.save()
    record(
        "collective.action_opened",
        actor=actor,
        obj=action,
        new={
            "platform": platform,
            "decision_type": decision_type,
            "ground": decision_ground,
            "campaign": str(campaign.pk) if campaign else None,
        },
    )
    return action


@transaction.atomic
def add_partner(action: CollectiveAction, partner: Any, *, actor: Actor) -> ActionPartner:
    """Invite a partner organisation on the same server: its cases may be proposed, and join
    once its own caseworker approves each."""
    _coordinator(action.organisation_id, actor)
    if partner.pk == action.organisation_id:
        raise ValidationError(_("Your own organisation is already in the action."))
    link, _created = ActionPartner.objects.get_or_create(action=action, organisation=partner)
    record("collective.partner_added", actor=actor, obj=action, new={"partner": str(partner.pk)})
    return link


def _next_pseudonym(action: CollectiveAction) -> str:
    taken = set(Member.objects.filter(action=action).values_list("pseudonym", flat=True))
    n = len(taken) + 1
    while f"M-{n:02d}" in taken:
        n += 1
    return f"M-{n:02d}"


@transaction.atomic
def accept_proposal(proposal: Proposal, *, actor: User) -> Member:
    """The coordinator accepts a proposed case: it becomes a member at once when it is their
    organisation's, and waits for the partner's caseworker's approval otherwise."""
    action = proposal.action
    _coordinator(action.organisation_id, actor)
    with rls.bypass():
        if not Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.PENDING).update(
            status=Proposal.Status.ACCEPTED, decided_by=actor, decided_at=timezone.now()
        ):
            raise ValidationError(_("This proposal was already decided."))
        own = proposal.organisation_id == action.organisation_id
        now = timezone.now()
        member = Member.objects.create(
            action=action,
            organisation_id=proposal.organisation_id,
            case=proposal.case,
            pseudonym=_next_pseudonym(action),
            added_by=actor,
            approved_by=actor if own else None,
            approved_at=now if own else None,
        )
        if not own:
            from amparo.intake.notifying import notify, team

            notify(
                team(proposal.organisation),
                proposal.organisation,
                "collective_member_proposed",
                link="collective_list",
                object_id="",
            )
        record(
            "collective.proposal_accepted",
            actor=actor,
            obj=proposal,
            organisation=action.organisation_id,
            new={"member": str(member.pk), "case": str(proposal.case_id)},
        )
    return member


@transaction.atomic
def reject_proposal(proposal: Proposal, *, actor: Actor) -> Proposal:
    _coordinator(proposal.action.organisation_id, actor)
    with rls.bypass():
        if not Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.PENDING).update(
            status=Proposal.Status.REJECTED, decided_by=actor, decided_at=timezone.now()
        ):
            raise ValidationError(_("This proposal was already decided."))
        record(
            "collective.proposal_rejected",
            actor=actor,
            obj=proposal,
            organisation=proposal.action.organisation_id,
            new={"case": str(proposal.case_id)},
        )
    proposal.status = Proposal.Status.REJECTED
    return proposal


@transaction.atomic
def approve_member(member: Member, *, actor: Actor) -> Member:
    """The partner's caseworker approves their own case joining the action (each
    organisation keeps its cases: nothing of it flows before this)."""
    require_capability(actor, member.organisation_id, Capability.WRITE_CASES)
    if not Member.objects.filter(pk=member.pk, approved_at__isnull=True).update(
        approved_by=actor, approved_at=timezone.now()
    ):
        raise ValidationError(_("This case was already approved."))
    member.refresh_from_db()
    record(
        "collective.member_approved", actor=actor, obj=member, new={"action": str(member.action_id)}
    )
    return member


@transaction.atomic
def add_own_case(action: CollectiveAction, case: Any, *, actor: User) -> Member:
    """A caseworker adds their own organisation's case to an action of their organisation or
    one their organisation is a partner of: it joins approved (it is their case)."""
    require_capability(actor, case.organisation_id, Capability.WRITE_CASES)
    allowed = (
        case.organisation_id == action.organisation_id
        or action.partners.filter(organisation_id=case.organisation_id).exists()
    )
    if not allowed:
        raise PermissionDenied
    with rls.bypass():
        if Member.objects.filter(action=action, case=case).exists():
            raise ValidationError(_("This case is already in the action."))
        now = timezone.now()
        member = Member.objects.create(
            action=action,
            organisation_id=case.organisation_id,
            case=case,
            pseudonym=_next_pseudonym(action),
            added_by=actor,
            approved_by=actor,
            approved_at=now,
        )
        record(
            "collective.member_added",
            actor=actor,
            obj=member,
            organisation=case.organisation_id,
            new={"action": str(action.pk), "case": str(case.pk)},
        )
    return member


OUTCOMES = ("pending", "restored", "upheld", "reversed_on_appeal", "withdrawn")


@transaction.atomic
def record_outcome(
    member: Member,
    *,
    outcome: str,
    decided_at: datetime | None,
    restored_at: datetime | None,
    actor: Actor,
) -> Member:
    """What became of the member's account or content: restored (when), the decision upheld,
    reversed on appeal, or withdrawn. The coordinator, or the case's own organisation."""
    if outcome not in OUTCOMES:
        raise ValidationError(_("Unknown outcome."))
    try:
        _coordinator(member.action.organisation_id, actor)
    except PermissionDenied:
        require_capability(actor, member.organisation_id, Capability.WRITE_CASES)
    now = timezone.now()
    if (decided_at and decided_at > now) or (restored_at and restored_at > now):
        raise ValidationError(_("An outcome cannot be in the future."))
    if outcome == "restored" and restored_at is None:
        restored_at = decided_at or now
    if restored_at and decided_at and restored_at < decided_at:
        raise ValidationError(_("The account cannot be restored before the decision."))
    with rls.bypass():
        old = member.outcome
        Member.objects.filter(pk=member.pk).update(
            outcome=outcome,
            decided_at=decided_at or (now if outcome != "pending" else None),
            restored_at=restored_at if outcome == "restored" else None,
        )
        member.refresh_from_db()
        record(
            "collective.outcome_recorded",
            actor=actor,
            obj=member,
            organisation=member.action.organisation_id,
            old=old,
            new=outcome,
        )
    return member


@transaction.atomic
def move_action(action: CollectiveAction, to: str, *, actor: Actor) -> CollectiveAction:
    _coordinator(action.organisation_id, actor)
    current = (
        CollectiveAction.objects.filter(pk=action.pk).values_list("status", flat=True).first()
        or action.status
    )
    states.check_action(current, to)
    if not CollectiveAction.objects.filter(pk=action.pk, status=current).update(status=to):
        raise ValidationError(_("This action was changed a moment ago; open it again."))
    action.status = to
    record("collective.action_moved", actor=actor, obj=action, old=current, new=to)
    return action
