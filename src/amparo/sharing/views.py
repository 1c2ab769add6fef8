"""Pages of sharing groups and shared items. One POST view per action; reads through
``sharing.access`` (outsiders get 404), writes through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.access import actor_of, membership_for
from amparo.accounts.models import Organisation
from amparo.accounts.roles import Capability, can
from amparo.cases.access import case_for
from amparo.sharing import access, aggregates, forms, items, labels, services
from amparo.sharing.models import ConnectInvite, ConnectRequest, GroupMember, PsiExchange


def _guarded(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    """Run a service call; its refusal is a message, a missing right a 404."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, done)
    return True


def _partner_choices(organisation: Organisation) -> list[tuple[str, str]]:
    ids = access.visible_partner_ids(organisation)
    return [(str(o.pk), o.name) for o in Organisation.objects.filter(pk__in=ids).order_by("name")]


def _group_choices(organisation: Organisation) -> list[tuple[str, str]]:
    return [
        (str(m.group_id), m.group.name)
        for m in GroupMember.objects.filter(
            organisation=organisation, status=GroupMember.Status.ACTIVE
        ).select_related("group")
    ]


def _target(form: forms.ShareTargetForm, organisation: Organisation) -> dict[str, Any]:
    """The distribution, group and partners chosen, as the services take them."""
    data = form.cleaned_data
    group = None
    if data.get("group"):
        group = access.groups_of(organisation).filter(pk=data["group"]).first()
    ids = set(data.get("partners") or []) & {
        str(p) for p in access.visible_partner_ids(organisation)
    }
    return {
        "distribution": data["distribution"],
        "group": group,
        "partners": list(Organisation.objects.filter(pk__in=ids)),
    }


def _origin(item: Any, organisation: Organisation) -> str:
    if item.organisation_id is None:
        return _("A partner server")
    if access.origin_visible(item, organisation):
        return item.organisation.name
    return _("A member of %(group)s") % {"group": item.group.name}


@login_required
@require_safe
def home(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    organisation = membership.organisation
    coordinator = can(membership.role, Capability.COORDINATE)
    writer = can(membership.role, Capability.WRITE_CASES)
    received = access.items_for(organisation).select_related("organisation", "group")
    target = {"groups": _group_choices(organisation), "partners": _partner_choices(organisation)}
    return render(
        request,
        "sharing/home.html",
        {
            "organisation": organisation,
            "coordinator": coordinator,
            "writer": writer,
            "groups": access.groups_of(organisation).select_related("owner"),
            "invitations": GroupMember.objects.filter(
                organisation=organisation, status=GroupMember.Status.INVITED
            ).select_related("group"),
            "received": [(item, _origin(item, organisation)) for item in received[:200]],
            "own": access.own_items(organisation).select_related("group", "proposed_by")[:200],
            "incoming": ConnectInvite.objects.filter(organisation=organisation).select_related(
                "request__organisation"
            )[:100],
            "sent": ConnectRequest.objects.filter(organisation=organisation).prefetch_related(
                "invites__organisation"
            )[:100],
            "exchanges": PsiExchange.objects.filter(organisation=organisation).select_related(
                "partner"
            )[:50]
            if coordinator
            else [],
            "psi_incoming": PsiExchange.objects.filter(partner=organisation).select_related(
                "organisation"
            )[:50]
            if coordinator
            else [],
            "group_form": forms.GroupForm(),
            "indicator_form": forms.IndicatorForm(**target),
            "collective_form": forms.CollectiveActionForm(**target),
            "psi_form": forms.PsiForm(choices=target["partners"]),
            "period_form": forms.SourceForm(sources=_periods(organisation), **target),
            "campaign_form": forms.SourceForm(sources=_campaigns(organisation), **target)
            if coordinator
            else None,
        },
    )


@login_required
@require_POST
def group_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = membership_for(request.user, org_slug, Capability.COORDINATE).organisation
    form = forms.GroupForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the group a name."))
        return redirect("sharing_home", org_slug)
    made: list[Any] = []
    if _guarded(
        request,
        lambda: made.append(
            services.create_group(
                organisation,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                hide_members=form.cleaned_data["hide_members"],
                actor=actor_of(request),
            )
        ),
        _("The group was created."),
    ):
        return redirect("sharing_group", org_slug, made[0].pk)
    return redirect("sharing_home", org_slug)


@login_required
@require_safe
def group_detail(request: HttpRequest, org_slug: str, group_id: str) -> HttpResponse:
    group, organisation = access.group_for(request.user, org_slug, group_id)
    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    owner_coordinator = group.owner_id == organisation.pk and can(
        membership.role, Capability.COORDINATE
    )
    own_row = group.members.filter(organisation=organisation).first()
    members = access.visible_members(group, organisation)
    taken = {str(m.organisation_id) for m in group.members.filter(status__in=["active", "invited"])}
    invite_choices = [c for c in _partner_choices(organisation) if c[0] not in taken]
    return render(
        request,
        "sharing/group.html",
        {
            "organisation": organisation,
            "group": group,
            "members": members,
            "sees_members": access.sees_members(group, organisation),
            "own_row": own_row,
            "is_owner": group.owner_id == organisation.pk,
            "owner_coordinator": owner_coordinator,
            "coordinator": can(membership.role, Capability.COORDINATE),
            "invite_form": forms.InviteForm(choices=invite_choices) if owner_coordinator else None,
        },
    )


@login_required
@require_safe
def group_json(request: HttpRequest, org_slug: str, group_id: str) -> JsonResponse:
    """The group as data (for scripts): the same members the page shows, nothing more."""
    group, organisation = access.group_for(request.user, org_slug, group_id)
    members = access.visible_members(group, organisation)
    return JsonResponse(
        {
            "id": str(group.pk),
            "name": group.name,
            "hide_members": group.hide_members,
            "members": [{"organisation": m.organisation.name, "status": m.status} for m in members],
        }
    )


@login_required
@require_safe
def items_json(request: HttpRequest, org_slug: str) -> JsonResponse:
    """Items shared with the organisation, as ``to_exchange_dict`` gives them, with who shared
    them only where the viewer may know it."""
    organisation = membership_for(request.user, org_slug, Capability.VIEW_CASES).organisation
    out = []
    for item in access.items_for(organisation).select_related("organisation", "group")[:500]:
        data = item.to_exchange_dict()
        data["shared_by"] = _origin(item, organisation)
        out.append(data)
    return JsonResponse({"items": out})


@login_required
@require_POST
def group_invite(request: HttpRequest, org_slug: str, group_id: str) -> HttpResponse:
    group, organisation = access.group_for(request.user, org_slug, group_id, Capability.COORDINATE)
    form = forms.InviteForm(request.POST, choices=_partner_choices(organisation))
    if not form.is_valid():
        messages.error(request, _("Choose an organisation."))
    else:
        invited = Organisation.objects.get(pk=form.cleaned_data["organisation"])
        _guarded(
            request,
            lambda: services.invite(group, invited, actor=actor_of(request)),
            _("The organisation was invited."),
        )
    return redirect("sharing_group", org_slug, group.pk)


def _member(request: HttpRequest, org_slug: str, member_id: str) -> GroupMember:
    """A member row the user's organisation may act on: its own, or any of a group it owns."""
    organisation = membership_for(request.user, org_slug, Capability.COORDINATE).organisation
    try:
        member = GroupMember.objects.select_related("group", "organisation").get(pk=member_id)
    except (GroupMember.DoesNotExist, ValueError):
        raise Http404 from None
    if organisation.pk not in (member.organisation_id, member.group.owner_id):
        raise Http404
    return member


@login_required
@require_POST
def member_accept(request: HttpRequest, org_slug: str, member_id: str) -> HttpResponse:
    member = _member(request, org_slug, member_id)
    _guarded(
        request,
        lambda: services.answer_invitation(member, accept=True, actor=actor_of(request)),
        _("You joined the group."),
    )
    return redirect("sharing_home", org_slug)


@login_required
@require_POST
def member_decline(request: HttpRequest, org_slug: str, member_id: str) -> HttpResponse:
    member = _member(request, org_slug, member_id)
    _guarded(
        request,
        lambda: services.answer_invitation(member, accept=False, actor=actor_of(request)),
        _("The invitation was declined."),
    )
    return redirect("sharing_home", org_slug)


@login_required
@require_POST
def member_leave(request: HttpRequest, org_slug: str, member_id: str) -> HttpResponse:
    member = _member(request, org_slug, member_id)
    _guarded(
        request,
        lambda: services.leave(member, actor=actor_of(request)),
        _("The organisation is no longer in the group; the group key was rotated."),
    )
    return redirect("sharing_home", org_slug)


@login_required
@require_POST
def group_rotate(request: HttpRequest, org_slug: str, group_id: str) -> HttpResponse:
    group, _org = access.group_for(request.user, org_slug, group_id, Capability.COORDINATE)
    _guarded(
        request,
        lambda: services.rotate_key(group, actor=actor_of(request)),
        _("The group key was rotated; members' indicators were hashed again."),
    )
    return redirect("sharing_group", org_slug, group.pk)


@login_required
@require_POST
def refresh(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = membership_for(request.user, org_slug, Capability.COORDINATE).organisation
    _guarded(
        request,
        lambda: services.refresh_organisation(organisation, actor=actor_of(request)),
        _("Your cases' accounts were hashed again for matching."),
    )
    return redirect("sharing_home", org_slug)


@login_required
@require_safe
def group_aggregates(request: HttpRequest, org_slug: str, group_id: str) -> HttpResponse:
    group, organisation = access.group_for(request.user, org_slug, group_id, Capability.COORDINATE)
    if group.owner_id != organisation.pk:
        raise Http404
    form = forms.BreakdownForm(request.GET or None)
    rows = (
        form.cleaned_data["rows"] if form.is_valid() and form.cleaned_data["rows"] else "platform"
    )
    table = aggregates.incident_table(group, actor=actor_of(request), rows=rows)
    posts, actions = aggregates.shared_posts_and_actions(group)
    return render(
        request,
        "sharing/aggregates.html",
        {
            "organisation": organisation,
            "group": group,
            "form": form,
            "table": table,
            "columns": [labels.value_label("incident_type", c) for c in table.columns],
            "lines": list(
                zip(
                    [labels.value_label(rows, r) for r in table.rows],
                    table.cells,
                    table.row_totals,
                    strict=True,
                )
            ),
            "threshold": aggregates.THRESHOLD,
            "posts": len(posts),
            "actions": len(actions),
        },
    )


@login_required
@require_POST
def group_detect(request: HttpRequest, org_slug: str, group_id: str) -> HttpResponse:
    group, organisation = access.group_for(request.user, org_slug, group_id, Capability.COORDINATE)
    if group.owner_id != organisation.pk:
        raise Http404
    runs: list[Any] = []
    if _guarded(
        request,
        lambda: runs.append(aggregates.start_group_detection(group, actor=actor_of(request))),
        _("Campaign detection started over what members shared."),
    ):
        return redirect("campaign_run", org_slug, runs[0].pk)
    return redirect("sharing_aggregates", org_slug, group.pk)


@login_required
@require_safe
def item_detail(request: HttpRequest, org_slug: str, item_id: str) -> HttpResponse:
    item, organisation, own = access.item_for(request.user, org_slug, item_id)
    membership = membership_for(request.user, org_slug, Capability.VIEW_CASES)
    return render(
        request,
        "sharing/item.html",
        {
            "organisation": organisation,
            "item": item,
            "own": own,
            "origin": _origin(item, organisation),
            "rows": labels.field_rows(item.fields),
            "posts": len(item.fields.get("posts", [])),
            "reviewer": own
            and can(membership.role, Capability.COORDINATE)
            and item.proposed_by_id != request.user.pk,
            "writer": own and can(membership.role, Capability.WRITE_CASES),
        },
    )


def _own_item(request: HttpRequest, org_slug: str, item_id: str) -> Any:
    item, _organisation, own = access.item_for(request.user, org_slug, item_id)
    if not own:
        raise Http404
    return item


@login_required
@require_POST
def item_approve(request: HttpRequest, org_slug: str, item_id: str) -> HttpResponse:
    item = _own_item(request, org_slug, item_id)
    _guarded(
        request,
        lambda: items.review(item, approve=True, actor=actor_of(request)),
        _("Approved: it is shared."),
    )
    return redirect("sharing_item", org_slug, item.pk)


@login_required
@require_POST
def item_reject(request: HttpRequest, org_slug: str, item_id: str) -> HttpResponse:
    item = _own_item(request, org_slug, item_id)
    _guarded(
        request,
        lambda: items.review(item, approve=False, actor=actor_of(request)),
        _("Not approved: it stays in your organisation."),
    )
    return redirect("sharing_item", org_slug, item.pk)


@login_required
@require_POST
def item_withdraw(request: HttpRequest, org_slug: str, item_id: str) -> HttpResponse:
    item = _own_item(request, org_slug, item_id)
    _guarded(
        request,
        lambda: items.withdraw(item, actor=actor_of(request)),
        _("Withdrawn: no one it was shared with sees it any more."),
    )
    return redirect("sharing_item", org_slug, item.pk)


@login_required
def share_case(request: HttpRequest, org_slug: str, case_id: str) -> HttpResponse:
    case = case_for(request.user, org_slug, case_id, write=True)
    organisation = case.organisation
    target = {"groups": _group_choices(organisation), "partners": _partner_choices(organisation)}
    form = forms.IncidentForm(request.POST or None, **target)
    if request.method == "POST" and form.is_valid():
        made: list[Any] = []
        if _guarded(
            request,
            lambda: made.append(
                items.propose_incident(
                    case,
                    at_risk_group=form.cleaned_data["at_risk_group"],
                    include_narrative=form.cleaned_data["include_narrative"],
                    actor=actor_of(request),
                    **_target(form, organisation),
                )
            ),
            _("Proposed: a coordinator reviews it before it leaves your organisation."),
        ):
            return redirect("sharing_item", org_slug, made[0].pk)
    return render(
        request,
        "sharing/share_case.html",
        {"organisation": organisation, "case": case, "form": form},
    )


@login_required
@require_POST
def share_indicators(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = membership_for(request.user, org_slug, Capability.WRITE_CASES).organisation
    form = forms.IndicatorForm(
        request.POST,
        groups=_group_choices(organisation),
        partners=_partner_choices(organisation),
    )
    if not form.is_valid():
        messages.error(request, _("Check the indicators and who may see them."))
        return redirect("sharing_home", org_slug)
    data = form.cleaned_data
    _guarded(
        request,
        lambda: items.propose_indicators(
            organisation,
            platform=data["platform"].strip().lower(),
            accounts=data["accounts"].splitlines(),
            urls=data["urls"].splitlines(),
            pattern=data["pattern"],
            hashed_only=data["hashed_only"],
            actor=actor_of(request),
            **_target(form, organisation),
        ),
        _("Proposed: a coordinator reviews it before it leaves your organisation."),
    )
    return redirect("sharing_home", org_slug)


@login_required
@require_POST
def share_collective(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = membership_for(request.user, org_slug, Capability.WRITE_CASES).organisation
    form = forms.CollectiveActionForm(
        request.POST,
        groups=_group_choices(organisation),
        partners=_partner_choices(organisation),
    )
    if not form.is_valid():
        messages.error(request, _("Give the action a title and a description."))
        return redirect("sharing_home", org_slug)
    data = form.cleaned_data
    _guarded(
        request,
        lambda: items.propose_collective_action(
            organisation,
            reference=data["reference"],
            title=data["title"],
            description=data["description"],
            actor=actor_of(request),
            **_target(form, organisation),
        ),
        _("Proposed: a coordinator reviews it before it leaves your organisation."),
    )
    return redirect("sharing_home", org_slug)


def _periods(organisation: Organisation) -> list[tuple[str, str]]:
    from amparo.intake.models import RiskPeriod

    return [
        (str(p.pk), f"{p.country} · {p.get_kind_display()} · {p.starts_on} – {p.ends_on}")
        for p in RiskPeriod.objects.filter(organisation=organisation)
    ]


def _campaigns(organisation: Organisation) -> list[tuple[str, str]]:
    from amparo.campaigns.models import Campaign

    return [
        (str(c.pk), f"{c.starts_at:%Y-%m-%d} · {c.account_count} · {c.get_review_display()}")
        for c in Campaign.objects.filter(organisation=organisation).exclude(review="dismissed")[
            :100
        ]
    ]


def _posted_source(
    request: HttpRequest, organisation: Organisation, sources: list[tuple[str, str]]
) -> forms.SourceForm:
    """The posted choice of something to share and who may see it (a group or a partner)."""
    return forms.SourceForm(
        request.POST,
        sources=sources,
        groups=_group_choices(organisation),
        partners=_partner_choices(organisation),
    )


@login_required
@require_POST
def share_risk_period(request: HttpRequest, org_slug: str) -> HttpResponse:
    from amparo.intake.models import RiskPeriod

    organisation = membership_for(request.user, org_slug, Capability.WRITE_CASES).organisation
    form = _posted_source(request, organisation, _periods(organisation))
    if not form.is_valid():
        messages.error(request, _("Choose a period and who may see it."))
        return redirect("sharing_home", org_slug)
    period = RiskPeriod.objects.get(pk=form.cleaned_data["source"], organisation=organisation)
    _guarded(
        request,
        lambda: items.propose_risk_period(
            period, actor=actor_of(request), **_target(form, organisation)
        ),
        _("Proposed: a coordinator reviews it before it leaves your organisation."),
    )
    return redirect("sharing_home", org_slug)


@login_required
@require_POST
def share_campaign(request: HttpRequest, org_slug: str) -> HttpResponse:
    from amparo.campaigns.models import Campaign

    organisation = membership_for(request.user, org_slug, Capability.COORDINATE).organisation
    form = _posted_source(request, organisation, _campaigns(organisation))
    if not form.is_valid():
        messages.error(request, _("Choose a campaign and who may see it."))
        return redirect("sharing_home", org_slug)
    campaign = Campaign.objects.get(pk=form.cleaned_data["source"], organisation=organisation)
    _guarded(
        request,
        lambda: items.propose_from_campaign(
            campaign, actor=actor_of(request), **_target(form, organisation)
        ),
        _("Proposed: another coordinator reviews it before it leaves your organisation."),
    )
    return redirect("sharing_home", org_slug)
