"""Who may see what, for organisations and their members. The only place querysets of
organisation-scoped objects are built for a user: anything outside the user's organisations or
role raises Http404, so an outsider cannot even learn that an object exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from amparo.accounts.models import Invitation, Membership, MFAResetRequest, Organisation, User
from amparo.accounts.roles import Capability, can

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

SESSION_ORG_KEY = "amparo_org"
M = TypeVar("M", bound=models.Model)


def memberships_for(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_amparo_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True).select_related("organisation")
        )
        user._amparo_memberships = cached
    return cached


def membership_in(user: Any, organisation_id: Any) -> Membership | None:
    for membership in memberships_for(user):
        if str(membership.organisation_id) == str(organisation_id):
            return membership
    return None


def current_membership(request: HttpRequest) -> Membership | None:
    memberships = memberships_for(request.user)
    if not memberships:
        return None
    wanted = request.session.get(SESSION_ORG_KEY)
    for membership in memberships:
        if str(membership.organisation_id) == wanted:
            return membership
    return memberships[0]


def actor_of(request: HttpRequest) -> User:
    """The signed-in person a view acts for: what it passes to services as ``actor``.

    Views that write are behind ``login_required``, so this is the user; an anonymous request
    that reaches one all the same gets :class:`PermissionDenied` rather than acting as nobody.
    """
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def membership_for(user: Any, org_slug: str, capability: str) -> Membership:
    """The user's membership of the organisation ``org_slug`` if it grants ``capability``."""
    for membership in memberships_for(user):
        if membership.organisation.slug == org_slug and can(membership.role, capability):
            return membership
    raise Http404


def require_capability(actor: Actor, organisation_id: Any, capability: str) -> Membership:
    """For services: ``actor``'s active membership of the organisation if it grants
    ``capability``, else :class:`PermissionDenied` (views turn it into a 404).

    It reads the database rather than the per-request cache of :func:`memberships_for`, so a
    role changed or a membership ended a moment ago counts at once.
    """
    membership = Membership.objects.filter(
        user=actor, organisation_id=organisation_id, is_active=True
    ).first()
    if membership is None or not can(membership.role, capability):
        raise PermissionDenied
    return membership


def organisation_for(user: Any, org_slug: str, capability: str) -> Organisation:
    return membership_for(user, org_slug, capability).organisation


def _scoped(model: type[M], user: Any, org_slug: str, capability: str, pk: Any) -> M:
    organisation = organisation_for(user, org_slug, capability)
    try:
        return model._default_manager.get(pk=pk, organisation=organisation)
    except (model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise Http404 from None


def member_for(user: Any, org_slug: str, membership_id: Any, capability: str) -> Membership:
    return _scoped(Membership, user, org_slug, capability, membership_id)


def invitation_for(user: Any, org_slug: str, invitation_id: Any) -> Invitation:
    return _scoped(Invitation, user, org_slug, Capability.MANAGE_MEMBERS, invitation_id)


def mfa_reset_for(user: Any, org_slug: str, reset_id: Any) -> MFAResetRequest:
    return _scoped(MFAResetRequest, user, org_slug, Capability.MANAGE_MEMBERS, reset_id)


def members_of(organisation: Organisation) -> models.QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__email")
    )
