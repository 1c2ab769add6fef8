"""Every change to organisations, people, roles and sign-in security goes through here.

Each function is atomic, takes the acting user keyword-only and writes one audit event.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.access import SESSION_ORG_KEY
from amparo.accounts.models import (
    Invitation,
    Membership,
    MFAResetRequest,
    Organisation,
    RetentionPolicy,
    User,
)
from amparo.accounts.roles import Capability, Role, can
from amparo.audit.services import record

if TYPE_CHECKING:
    from amparo.accounts.types import Actor


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require(membership: Membership | None, capability: str) -> None:
    if membership is None or not membership.is_active or not can(membership.role, capability):
        raise PermissionDenied


def _actor_membership(actor: User, organisation: Organisation) -> Membership | None:
    return Membership.objects.filter(user=actor, organisation=organisation, is_active=True).first()


@transaction.atomic
def create_organisation(
    *,
    name: str,
    slug: str,
    kind: str = Organisation.Kind.CSO,
    country: str = "",
    default_language: str = "en",
    actor: Actor,
) -> Organisation:
    organisation = Organisation.objects.create(
        name=name, slug=slug, kind=kind, country=country, default_language=default_language
    )
    record(
        "organisation.created",
        actor=actor,
        obj=organisation,
        organisation=organisation,
        new={"kind": kind, "country": country},
    )
    return organisation


@transaction.atomic
def add_member(
    organisation: Organisation,
    user: User,
    role: str,
    *,
    actor: Actor,
    is_shift_lead: bool = False,
) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        defaults={"role": role, "is_shift_lead": is_shift_lead},
    )
    if not created:
        raise ValidationError(_("This person is already a member of the organisation."))
    record("member.added", actor=actor, obj=membership, new={"role": role, "user": user.pk})
    return membership


@transaction.atomic
def invite(
    organisation: Organisation, *, email: str, role: str, actor: User
) -> tuple[Invitation, str]:
    """Create a single-use invitation; returns it and the token (shown once, never stored)."""
    _require(_actor_membership(actor, organisation), Capability.MANAGE_MEMBERS)
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email.strip().lower(),
        role=role,
        token_hash=_token_hash(token),
        created_by=actor,
        expires_at=timezone.now() + timedelta(hours=settings.AMPARO_INVITATION_HOURS),
    )
    record("invitation.created", actor=actor, obj=invitation, new={"role": role})
    return invitation, token


def find_invitation(token: str) -> Invitation | None:
    """A usable invitation for this token, or None (expired, used, revoked or unknown)."""
    invitation = (
        Invitation.objects.filter(token_hash=_token_hash(token))
        .select_related("organisation")
        .first()
    )
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        return None
    if invitation.expires_at <= timezone.now():
        return None
    return invitation


@transaction.atomic
def accept_invitation(
    token: str,
    *,
    user: User | None = None,
    password: str | None = None,
    display_name: str = "",
) -> Membership:
    """Join with an invitation: an existing signed-in user, or a new account with a password."""
    invitation = find_invitation(token)
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid any more."))
    # Claim the invitation atomically, so two simultaneous uses cannot both succeed.
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    if claimed != 1:
        raise ValidationError(_("This invitation link is not valid any more."))
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("Sign in first, then open the invitation link again."))
        user = User.objects.create_user(
            invitation.email,
            password,
            display_name=display_name,
            preferred_language=invitation.organisation.default_language,
        )
        record("user.created", actor=user, obj=user, organisation=invitation.organisation)
    membership = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    if membership is not None:
        old = membership.role
        membership.role, membership.is_active = invitation.role, True
        membership.save(update_fields=["role", "is_active"])
        record(
            "member.rejoined",
            actor=user,
            obj=membership,
            old={"role": old},
            new={"role": invitation.role},
        )
    else:
        membership = Membership.objects.create(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
        record(
            "member.joined",
            actor=user,
            obj=membership,
            new={"role": invitation.role, "invitation": str(invitation.pk)},
        )
    return membership


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, actor: User) -> None:
    _require(_actor_membership(actor, invitation.organisation), Capability.MANAGE_MEMBERS)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("This invitation was already used or revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record("invitation.revoked", actor=actor, obj=invitation)


def _other_active_admins(membership: Membership) -> bool:
    return (
        Membership.objects.filter(
            organisation=membership.organisation, role=Role.ADMIN, is_active=True
        )
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def change_role(
    membership: Membership, role: str, *, actor: User, is_shift_lead: bool | None = None
) -> Membership:
    _require(_actor_membership(actor, membership.organisation), Capability.MANAGE_MEMBERS)
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    if (
        membership.role == Role.ADMIN
        and role != Role.ADMIN
        and not _other_active_admins(membership)
    ):
        raise ValidationError(_("An organisation must keep at least one administrator."))
    old = {"role": membership.role, "shift_lead": membership.is_shift_lead}
    membership.role = role
    if is_shift_lead is not None:
        membership.is_shift_lead = is_shift_lead
    membership.save(update_fields=["role", "is_shift_lead"])
    record(
        "member.role_changed",
        actor=actor,
        obj=membership,
        old=old,
        new={"role": role, "shift_lead": membership.is_shift_lead},
    )
    return membership


@transaction.atomic
def set_membership_active(membership: Membership, active: bool, *, actor: User) -> Membership:
    _require(_actor_membership(actor, membership.organisation), Capability.MANAGE_MEMBERS)
    if not active and membership.role == Role.ADMIN and not _other_active_admins(membership):
        raise ValidationError(_("An organisation must keep at least one administrator."))
    if membership.is_active == active:
        return membership
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    record(
        "member.activated" if active else "member.deactivated",
        actor=actor,
        obj=membership,
        old={"active": not active},
        new={"active": active},
    )
    if not active:
        # Their open sessions lose this organisation at once.
        rotate_security_stamp(membership.user, reason="membership.deactivated", actor=actor)
    return membership


def rotate_security_stamp(
    user: User, *, reason: str, actor: Actor, request: HttpRequest | None = None
) -> None:
    """End every session of ``user`` (keeping ``request``'s own session if it is the user's)."""
    import uuid

    User.objects.filter(pk=user.pk).update(security_stamp=uuid.uuid4())
    user.refresh_from_db(fields=["security_stamp"])
    record("user.sessions_revoked", actor=actor, obj=user, new={"reason": reason})
    if (
        request is not None
        and getattr(request, "user", None) is not None
        and request.user.pk == user.pk
    ):
        update_session_auth_hash(request, user)


@transaction.atomic
def disable_user(user: User, *, actor: User) -> None:
    """Disable an account everywhere; all its sessions end immediately."""
    admin_orgs = Membership.objects.filter(user=actor, role=Role.ADMIN, is_active=True).values(
        "organisation"
    )
    if not Membership.objects.filter(user=user, organisation__in=admin_orgs).exists():
        raise PermissionDenied
    user.is_active = False
    user.save(update_fields=["is_active"])
    record("user.disabled", actor=actor, obj=user, old={"active": True}, new={"active": False})
    rotate_security_stamp(user, reason="user.disabled", actor=actor)


@transaction.atomic
def request_mfa_reset(target_membership: Membership, *, actor: User) -> MFAResetRequest:
    organisation = target_membership.organisation
    _require(_actor_membership(actor, organisation), Capability.MANAGE_MEMBERS)
    if target_membership.user_id == actor.pk:
        raise ValidationError(_("You cannot reset your own two-factor authentication."))
    pending = MFAResetRequest.objects.filter(
        organisation=organisation,
        target=target_membership.user,
        status=MFAResetRequest.Status.PENDING,
    ).first()
    if pending:
        return pending
    reset = MFAResetRequest.objects.create(
        organisation=organisation, target=target_membership.user, requested_by=actor
    )
    record("mfa_reset.requested", actor=actor, obj=reset, new={"target": target_membership.user_id})
    return reset


@transaction.atomic
def decide_mfa_reset(reset: MFAResetRequest, *, approve: bool, actor: User) -> MFAResetRequest:
    """A second administrator approves or rejects. Approval removes every authenticator."""
    from allauth.mfa.models import Authenticator

    _require(_actor_membership(actor, reset.organisation), Capability.MANAGE_MEMBERS)
    reset = MFAResetRequest.objects.select_for_update().get(pk=reset.pk)
    if reset.status != MFAResetRequest.Status.PENDING:
        raise ValidationError(_("This request was already decided."))
    if reset.requested_by_id == actor.pk:
        raise ValidationError(_("A different administrator must approve this reset."))
    if reset.target_id == actor.pk:
        raise ValidationError(
            _("You cannot approve a reset of your own two-factor authentication.")
        )
    reset.status = MFAResetRequest.Status.APPROVED if approve else MFAResetRequest.Status.REJECTED
    reset.decided_by = actor
    reset.decided_at = timezone.now()
    reset.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        "mfa_reset.decided",
        actor=actor,
        obj=reset,
        old={"status": "pending"},
        new={"status": reset.status},
    )
    if approve:
        removed, _detail = Authenticator.objects.filter(user=reset.target).delete()
        record(
            "mfa.reset",
            actor=actor,
            obj=reset.target,
            organisation=reset.organisation,
            new={"authenticators_removed": removed},
        )
        rotate_security_stamp(reset.target, reason="mfa.reset", actor=actor)
    return reset


def switch_organisation(request: HttpRequest, membership: Membership) -> None:
    request.session[SESSION_ORG_KEY] = str(membership.organisation_id)


class SetupRefused(ValidationError):
    """`amparo setup` would take over an organisation that already has an administrator."""


@transaction.atomic
def set_up_organisation(
    *,
    name: str,
    slug: str,
    admin_email: str,
    kind: str = Organisation.Kind.HELPLINE,
    country: str = "",
    default_language: str = "en",
) -> tuple[Organisation, Invitation, str, bool]:
    """The first organisation of an installation and a single-use invitation for its first admin.

    Run from the server's command line (``amparo setup``), where nobody is signed in yet: the
    invitation has no creator and the audit events no actor. The invited person sets a password
    and enrols TOTP on first visit. Run again for an organisation that has no active
    administrator (the invitation was lost or expired), it revokes the earlier unused invitations
    and issues a new one; it refuses an organisation that has an administrator, whose members are
    managed in the app. Returns the organisation, the invitation, its token (shown once, never
    stored) and whether the organisation was created.
    """
    admin_email = admin_email.strip().lower()
    organisation = Organisation.objects.select_for_update().filter(slug=slug).first()
    created = organisation is None
    if organisation is None:
        if kind not in Organisation.Kind.values:
            raise ValidationError(_("Unknown kind of organisation."))
        organisation = create_organisation(
            name=name,
            slug=slug,
            kind=kind,
            country=country,
            default_language=default_language,
            actor=None,
        )
    elif Membership.objects.filter(
        organisation=organisation, role=Role.ADMIN, is_active=True, user__is_active=True
    ).exists():
        raise SetupRefused(
            _("%(org)s already has an administrator: invite people from its Members page.")
            % {"org": organisation.name}
        )
    now = timezone.now()
    earlier = list(
        Invitation.objects.filter(
            organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
        )
    )
    Invitation.objects.filter(pk__in=[i.pk for i in earlier]).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=admin_email,
        role=Role.ADMIN,
        token_hash=_token_hash(token),
        created_by=None,
        expires_at=now + timedelta(hours=settings.AMPARO_INVITATION_HOURS),
    )
    for revoked in earlier:
        record("invitation.revoked", actor=None, obj=revoked)
    record("invitation.created", actor=None, obj=invitation, new={"role": Role.ADMIN})
    return organisation, invitation, token, created


RETENTION_FIELDS = (
    "closed_cases_months",
    "campaign_uploads_days",
    "remedy_files_months",
    "failed_tasks_days",
)


@transaction.atomic
def set_retention_policy(
    organisation: Organisation, values: dict[str, int | None], *, actor: User
) -> RetentionPolicy:
    """Create or change the organisation's retention policy (administrators only)."""
    _require(_actor_membership(actor, organisation), Capability.MANAGE_RETENTION)
    policy = RetentionPolicy.objects.select_for_update().filter(organisation=organisation).first()
    created = policy is None
    if policy is None:
        policy = RetentionPolicy(organisation=organisation)
    old = None if created else {f: getattr(policy, f) for f in RETENTION_FIELDS}
    for field in RETENTION_FIELDS:
        value = values.get(field)
        if value is not None and (not isinstance(value, int) or value < 1):
            raise ValidationError(_("Retention periods must be whole numbers of at least 1."))
        setattr(policy, field, value)
    policy.updated_by = actor
    policy.save()
    record(
        "retention.policy_set",
        actor=actor,
        obj=policy,
        organisation=organisation,
        old=old,
        new={f: getattr(policy, f) for f in RETENTION_FIELDS},
    )
    return policy
