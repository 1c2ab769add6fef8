from __future__ import annotations

from collections.abc import Callable

from allauth.account.internal.flows.login import record_authentication
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts import access, services
from amparo.accounts.forms import (
    AcceptInvitationForm,
    InviteForm,
    OrganisationIdentityForm,
    RetentionPolicyForm,
    RoleForm,
)
from amparo.accounts.models import (
    Invitation,
    Membership,
    MFAResetRequest,
    RetentionPolicy,
    User,
)
from amparo.accounts.roles import Capability, can
from amparo.audit.selectors import events_for_organisation


def _actor(request: HttpRequest) -> User:
    """The signed-in person (every view that writes is behind ``login_required``)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_safe
def organisations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/organisations.html",
        {"memberships": access.memberships_for(request.user)},
    )


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    slug = request.POST.get("organisation", "")
    membership = next(
        (m for m in access.memberships_for(request.user) if m.organisation.slug == slug), None
    )
    if membership is None:
        raise Http404
    services.switch_organisation(request, membership)
    return redirect("home")


@login_required
def members(request: HttpRequest, org_slug: str) -> HttpResponse:
    me = access.membership_for(request.user, org_slug, Capability.VIEW_MEMBERS)
    organisation = me.organisation
    manage = can(me.role, Capability.MANAGE_MEMBERS)
    form = InviteForm()
    invitation_link = None
    if request.method == "POST":
        if not manage:
            raise Http404
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                _invitation, token = services.invite(
                    organisation,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    actor=_actor(request),
                )
            except ValidationError as exc:
                _error(request, exc)
            else:
                invitation_link = request.build_absolute_uri(
                    reverse("accept_invitation", args=[token])
                )
                form = InviteForm()
    context = {
        "organisation": organisation,
        "me": me,
        "manage": manage,
        "members": access.members_of(organisation),
        "invitations": Invitation.objects.filter(
            organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
        )
        if manage
        else [],
        "resets": MFAResetRequest.objects.filter(
            organisation=organisation, status=MFAResetRequest.Status.PENDING
        ).select_related("target", "requested_by")
        if manage
        else [],
        "form": form,
        "invitation_link": invitation_link,
    }
    return render(request, "accounts/members.html", context)


@login_required
@require_safe
def member_detail(request: HttpRequest, org_slug: str, membership_id: str) -> HttpResponse:
    membership = access.member_for(request.user, org_slug, membership_id, Capability.VIEW_MEMBERS)
    return _member_page(request, membership)


def _member_page(
    request: HttpRequest, membership: Membership, *, form: RoleForm | None = None
) -> HttpResponse:
    """A member's page; the role ``form`` as it was sent when it needs correcting."""
    me = access.membership_for(request.user, membership.organisation.slug, Capability.VIEW_MEMBERS)
    if form is None:
        form = RoleForm(
            initial={"role": membership.role, "is_shift_lead": membership.is_shift_lead}
        )
    return render(
        request,
        "accounts/member_detail.html",
        {
            "organisation": membership.organisation,
            "membership": membership,
            "manage": can(me.role, Capability.MANAGE_MEMBERS),
            "form": form,
        },
    )


# One view per thing done on a member's page, each at its own address, for administrators
# (anyone else gets 404, as for a page they cannot see).


def _member_to_manage(request: HttpRequest, org_slug: str, membership_id: str) -> Membership:
    return access.member_for(request.user, org_slug, membership_id, Capability.MANAGE_MEMBERS)


def _act_on_member(
    request: HttpRequest,
    membership: Membership,
    act: Callable[[], object],
    done: str,
    form: RoleForm | None = None,
) -> HttpResponse:
    """Run one action on a membership: back to the member's page saying ``done``, or the page
    again saying why the service refused, with what was typed (``form``)."""
    try:
        act()
    except ValidationError as exc:
        _error(request, exc)
        return _member_page(request, membership, form=form)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, done)
    return redirect("member_detail", membership.organisation.slug, membership.pk)


@login_required
@require_POST
def member_role(request: HttpRequest, org_slug: str, membership_id: str) -> HttpResponse:
    membership = _member_to_manage(request, org_slug, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _member_page(request, membership, form=form)
    return _act_on_member(
        request,
        membership,
        lambda: services.change_role(
            membership,
            form.cleaned_data["role"],
            actor=_actor(request),
            is_shift_lead=form.cleaned_data["is_shift_lead"],
        ),
        _("Role changed."),
        form,
    )


def _set_active(
    request: HttpRequest, org_slug: str, membership_id: str, active: bool
) -> HttpResponse:
    membership = _member_to_manage(request, org_slug, membership_id)
    return _act_on_member(
        request,
        membership,
        lambda: services.set_membership_active(membership, active, actor=_actor(request)),
        _("Membership updated."),
    )


@login_required
@require_POST
def member_deactivate(request: HttpRequest, org_slug: str, membership_id: str) -> HttpResponse:
    return _set_active(request, org_slug, membership_id, active=False)


@login_required
@require_POST
def member_activate(request: HttpRequest, org_slug: str, membership_id: str) -> HttpResponse:
    return _set_active(request, org_slug, membership_id, active=True)


@login_required
@require_POST
def member_mfa_reset(request: HttpRequest, org_slug: str, membership_id: str) -> HttpResponse:
    membership = _member_to_manage(request, org_slug, membership_id)
    return _act_on_member(
        request,
        membership,
        lambda: services.request_mfa_reset(membership, actor=_actor(request)),
        _("Reset requested. A second administrator must approve it."),
    )


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, org_slug: str, invitation_id: str) -> HttpResponse:
    invitation = access.invitation_for(request.user, org_slug, invitation_id)
    try:
        services.revoke_invitation(invitation, actor=_actor(request))
        messages.success(request, _("Invitation revoked."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("members", org_slug)


@login_required
@require_POST
def decide_mfa_reset(request: HttpRequest, org_slug: str, reset_id: str) -> HttpResponse:
    reset = access.mfa_reset_for(request.user, org_slug, reset_id)
    try:
        services.decide_mfa_reset(
            reset, approve=request.POST.get("decision") == "approve", actor=_actor(request)
        )
        messages.success(request, _("Decision recorded."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("members", org_slug)


@login_required
@require_safe
def audit_log(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access.organisation_for(request.user, org_slug, Capability.VIEW_AUDIT)
    page = Paginator(events_for_organisation(organisation), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit.html", {"organisation": organisation, "page": page})


@login_required
def retention(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The organisation's retention policy, and what its next daily run would remove."""
    from amparo.accounts import retention as policies

    organisation = access.organisation_for(request.user, org_slug, Capability.MANAGE_RETENTION)
    policy = RetentionPolicy.objects.filter(organisation=organisation).first()
    initial = {f: getattr(policy or RetentionPolicy(), f) for f in services.RETENTION_FIELDS}
    form = RetentionPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_retention_policy(organisation, form.cleaned_data, actor=_actor(request))
        except ValidationError as exc:
            _error(request, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Retention policy saved."))
            return redirect("retention", org_slug)
    return render(
        request,
        "accounts/retention.html",
        {
            "organisation": organisation,
            "policy": policy,
            "form": form,
            "due": policies.preview(organisation),
        },
    )


@login_required
def organisation_settings(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The organisation's legal identity, role address for notices and statuses (coordinators
    and administrators; ``accounts.identity``)."""
    from amparo.accounts import identity
    from amparo.core.countries import country_choices
    from amparo.escalations.register import shipped

    organisation = access.organisation_for(request.user, org_slug, Capability.COORDINATE)
    countries = country_choices()
    territory = shipped()
    form = OrganisationIdentityForm(
        request.POST or None,
        initial={f: getattr(organisation, f) for f in identity.FIELDS},
        countries=countries,
        member_states=[(c, n) for c, n in countries if territory.dsa_applies(c)],
        programmes=identity.programme_choices(organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            identity.update_identity(organisation, form.cleaned_data, actor=_actor(request))
        except ValidationError as exc:
            _error(request, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Saved."))
            return redirect("organisation_settings", org_slug)
    return render(
        request,
        "accounts/organisation.html",
        {"organisation": organisation, "form": form},
    )


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                membership = services.accept_invitation(token, user=request.user)
            except ValidationError as exc:
                _error(request, exc)
                return redirect("home")
            services.switch_organisation(request, membership)
            messages.success(
                request, _("You joined %(org)s.") % {"org": membership.organisation.name}
            )
            return redirect("home")
        return render(request, "accounts/invitation_join.html", {"invitation": invitation})
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.accept_invitation(
                token,
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            record_authentication(request, membership.user, "password", email=invitation.email)
            services.switch_organisation(request, membership)
            messages.success(request, _("Welcome. Set up two-factor authentication to continue."))
            return redirect("mfa_activate_totp")
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form}
    )
