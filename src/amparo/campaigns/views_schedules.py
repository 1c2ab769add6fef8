"""Scheduled detection runs: set one up, pause, resume or delete it (coordinators only)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amparo.accounts.access import actor_of, membership_for
from amparo.accounts.roles import Capability
from amparo.campaigns import access, schedules
from amparo.campaigns.forms import DetectionForm
from amparo.campaigns.models import DetectionSchedule


class ScheduleForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80)
    every_days = forms.TypedChoiceField(
        label=gettext_lazy("How often"), choices=DetectionSchedule.Every.choices, coerce=int
    )
    window_days = forms.IntegerField(
        label=gettext_lazy("Over the files uploaded in the last (days)"),
        min_value=1,
        max_value=schedules.MAX_WINDOW_DAYS,
        initial=30,
    )


@login_required
@require_POST
def schedule_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = membership_for(request.user, org_slug, Capability.COORDINATE).organisation
    form, detection = ScheduleForm(request.POST), DetectionForm(request.POST, prefix="s")
    if form.is_valid() and detection.is_valid():
        try:
            schedules.create_schedule(
                organisation,
                actor=actor_of(request),
                params=detection.params(),
                include_case_actions=detection.cleaned_data["case_actions"],
                **form.cleaned_data,
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Scheduled. The first run starts in a few minutes."))
    else:
        for errors in (*form.errors.values(), *detection.errors.values()):
            for error in errors:
                messages.error(request, str(error))
    return redirect("campaign_runs", org_slug)


@login_required
@require_POST
def schedule_action(
    request: HttpRequest, org_slug: str, schedule_id: str, action: str
) -> HttpResponse:
    schedule = access.schedule_for(request.user, org_slug, schedule_id)
    if action == "delete":
        schedules.delete_schedule(schedule, actor=actor_of(request))
    else:
        schedules.set_active(schedule, action == "resume", actor=actor_of(request))
    return redirect("campaign_runs", org_slug)
