"""The report queue: search, filters, saved views, and bulk actions (one POST view per kind)."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.access import actor_of, membership_for
from amparo.accounts.models import Membership, User
from amparo.accounts.roles import Capability, can
from amparo.core.platforms import platform_name
from amparo.intake import access, queue, search
from amparo.intake.choices import CloseReason, IncidentType, ReportStatus, UrgencyLevel
from amparo.intake.models import Report, SavedView

#: The query-string keys a saved view keeps (not the page number).
FILTER_KEYS = (
    "q",
    "status",
    "platform",
    "incident_type",
    "country",
    "queue",
    "urgency",
    "received_from",
    "received_to",
    "assigned",
)


class QueueFilters(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=300)
    status = forms.CharField(required=False)
    platform = forms.CharField(required=False, max_length=32)
    incident_type = forms.ChoiceField(choices=[("", ""), *IncidentType.choices], required=False)
    country = forms.CharField(required=False, max_length=2)
    queue = forms.CharField(required=False, max_length=40)
    urgency = forms.ChoiceField(choices=[("", ""), *UrgencyLevel.choices], required=False)
    received_from = forms.DateField(label=gettext_lazy("Received from"), required=False)
    received_to = forms.DateField(label=gettext_lazy("Received until"), required=False)
    assigned = forms.CharField(required=False, max_length=40)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            raise ValidationError(_("The first day must come before the last."))
        return data


def _filtered(
    reports: QuerySet[Report], data: dict[str, Any], organisation: Any, user: Any
) -> QuerySet[Report]:
    status = data.get("status") or "open"
    if status == "open":
        reports = reports.filter(status__in=queue.OPEN)
    elif status in ReportStatus.values:
        reports = reports.filter(status=status)
    for key, column in (
        ("platform", "platform"),
        ("incident_type", "incident_type"),
        ("queue", "queue"),
        ("urgency", "urgency_level"),
    ):
        if data.get(key):
            reports = reports.filter(**{column: data[key]})
    if data.get("country"):
        reports = reports.filter(country=data["country"].upper())
    if data.get("received_from"):
        reports = reports.filter(received_at__date__gte=data["received_from"])
    if data.get("received_to"):
        reports = reports.filter(received_at__date__lte=data["received_to"])
    assigned = data.get("assigned") or ""
    if assigned == "me":
        reports = reports.filter(assigned_to=user)
    elif assigned == "none":
        reports = reports.filter(assigned_to__isnull=True)
    elif assigned:
        reports = reports.filter(assigned_to_id=int(assigned) if assigned.isdigit() else None)
    if data.get("q"):
        platforms = reports.values_list("platform", flat=True).distinct()
        reports = reports.filter(search.matching(organisation, data["q"], set(platforms)))
    return reports


def _me(request: HttpRequest) -> User:
    """The signed-in person (every view here is behind ``login_required``)."""
    return cast(User, request.user)


def _workers(organisation: Any) -> list[Membership]:
    return [
        m
        for m in Membership.objects.filter(organisation=organisation, is_active=True)
        .select_related("user")
        .order_by("user__email")
        if can(m.role, Capability.WRITE_CASES)
    ]


@login_required
@require_safe
def queue_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    everything = access.reports_for(request.user, org_slug)
    membership = access.reading_membership(request.user, org_slug)
    organisation = membership.organisation
    filters = QueueFilters(request.GET or None)
    data: dict[str, Any] = {}
    if filters.is_bound:
        filters.is_valid()  # the valid fields filter; the others show their error
        data = {k: v for k, v in filters.cleaned_data.items() if k not in filters.errors}
    # Reports held as a possible flood have a queue of their own (views_held).
    reports = _filtered(
        everything.filter(held=False).only(*access.QUEUE_FIELDS), data, organisation, request.user
    )
    page = Paginator(
        reports.select_related("assigned_to").order_by(
            "urgency_rank", "-urgency_score", "received_at"
        ),
        50,
    ).get_page(request.GET.get("page"))
    can_work = can(membership.role, Capability.WRITE_CASES)
    query = urlencode([(k, request.GET[k]) for k in FILTER_KEYS if request.GET.get(k)])
    return render(
        request,
        "intake/queue.html",
        {
            "organisation": organisation,
            "membership": membership,
            "page": page,
            "filters": filters,
            "values": {k: request.GET.get(k, "") for k in FILTER_KEYS},
            "query": query,
            "queues": list(everything.values_list("queue", flat=True).distinct().order_by("queue")),
            "platforms": [
                (slug, platform_name(slug))
                for slug in everything.values_list("platform", flat=True)
                .distinct()
                .order_by("platform")
            ],
            "countries": [
                c
                for c in everything.values_list("country", flat=True).distinct().order_by("country")
                if c
            ],
            "status": request.GET.get("status", "open"),
            "statuses": ReportStatus.choices,
            "levels": UrgencyLevel.choices,
            "incident_types": IncidentType.choices,
            "close_reasons": CloseReason.choices,
            "workers": _workers(organisation) if can_work else [],
            "saved_views": SavedView.objects.filter(user=_me(request), organisation=organisation)
            if can_work
            else [],
            "can_work": can_work,
            "held": everything.filter(held=True).count() if can_work else 0,
        },
    )


def _back(request: HttpRequest, org_slug: str) -> HttpResponse:
    query = request.POST.get("query", "")
    target = redirect("intake_queue", org_slug)
    if query:
        target["Location"] += "?" + urlencode(
            [(k, v) for k, v in _pairs(query) if k in FILTER_KEYS]
        )
    return target


def _pairs(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=False)[:20]


def _working_membership(request: HttpRequest, org_slug: str) -> Membership:
    """Only people who work on reports act on the queue or keep views of it (else 404)."""
    return membership_for(request.user, org_slug, Capability.WRITE_CASES)


def _chosen(request: HttpRequest, org_slug: str) -> list[Report]:
    """The ticked reports, or with ``scope=all`` every report the queue's search and filters
    show (at most ``queue.MAX_BULK`` + 1, so that more than allowed is refused, not cut)."""
    membership = _working_membership(request, org_slug)
    visible = access.reports_for(request.user, org_slug).filter(held=False)
    if request.POST.get("scope") == "all":
        filters = QueueFilters(dict(_pairs(request.POST.get("query", ""))))
        filters.is_valid()
        data = {k: v for k, v in filters.cleaned_data.items() if k not in filters.errors}
        matching = _filtered(visible, data, membership.organisation, request.user)
        return list(matching.order_by("received_at")[: queue.MAX_BULK + 1])
    ids = request.POST.getlist("report")[: queue.MAX_BULK + 1]
    try:
        return list(visible.filter(pk__in=ids))
    except ValidationError:  # not a report id
        return []


@login_required
@require_POST
def queue_bulk(request: HttpRequest, org_slug: str) -> HttpResponse:
    """One action on the reports ticked in the queue: acknowledge, assign, close, attach."""
    reports = _chosen(request, org_slug)
    action = request.POST.get("action", "")
    try:
        if action == "acknowledge":
            n = queue.acknowledge_all(reports, actor=actor_of(request))
            messages.success(request, _("%(n)d reports acknowledged.") % {"n": n})
        elif action == "assign":
            who = request.POST.get("assignee", "")
            assignee = None
            if who:
                member = (
                    next(
                        (m for m in _workers(reports[0].organisation) if str(m.user_id) == who),
                        None,
                    )
                    if reports
                    else None
                )
                if member is None:
                    raise ValidationError(_("Choose someone who can work on reports."))
                assignee = member.user
            n = queue.assign(reports, assignee, actor=actor_of(request))
            messages.success(request, _("%(n)d reports assigned.") % {"n": n})
        elif action == "close":
            n = queue.close(
                reports,
                request.POST.get("reason", ""),
                request.POST.get("note", "")[:2000],
                actor=actor_of(request),
            )
            messages.success(request, _("%(n)d reports closed.") % {"n": n})
        elif action == "attach":
            from amparo.cases.access import case_by_reference

            reference = request.POST.get("case", "")
            if not reference.strip():
                raise ValidationError(_("Give the reference of the case (C-…)."))
            try:
                case = case_by_reference(request.user, org_slug, reference)
            except Http404:
                raise ValidationError(
                    _("No case of yours has the reference %(ref)s.") % {"ref": reference}
                ) from None
            n = queue.attach(reports, case, actor=actor_of(request))
            messages.success(
                request, _("%(n)d reports attached to %(ref)s.") % {"n": n, "ref": case.reference}
            )
        else:
            raise ValidationError(_("Choose what to do with the reports."))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return _back(request, org_slug)


@login_required
@require_POST
def saved_view_save(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = _working_membership(request, org_slug)
    query = urlencode(
        [(k, v) for k, v in _pairs(request.POST.get("query", "")) if k in FILTER_KEYS]
    )
    try:
        view = queue.save_view(
            request.user, membership.organisation, request.POST.get("name", ""), query
        )
        messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return _back(request, org_slug)


@login_required
@require_POST
def saved_view_delete(request: HttpRequest, org_slug: str, view_id: str) -> HttpResponse:
    membership = _working_membership(request, org_slug)
    try:
        view = SavedView.objects.get(
            pk=view_id, user=_me(request), organisation=membership.organisation
        )
    except SavedView.DoesNotExist:
        raise Http404 from None
    queue.delete_view(view, actor=actor_of(request))
    messages.success(request, _("View deleted."))
    return redirect("intake_queue", org_slug)
