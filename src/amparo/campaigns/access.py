"""Reads of the campaigns domain: detection runs, their campaigns and schedules belong to an
organisation and are read by its coordinators and administrators only (``COORDINATE``);
anyone else, and any id that is not one, gets 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from amparo.accounts.access import membership_for
from amparo.accounts.models import Organisation
from amparo.accounts.roles import Capability
from amparo.campaigns.models import Campaign, DetectionRun, DetectionSchedule


def organisation_for(user: Any, org_slug: str) -> Organisation:
    return membership_for(user, org_slug, Capability.COORDINATE).organisation


def run_for(user: Any, org_slug: str, run_id: Any) -> DetectionRun:
    organisation = organisation_for(user, org_slug)
    try:
        return DetectionRun.objects.get(pk=run_id, organisation=organisation)
    except (DetectionRun.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def campaign_for(user: Any, org_slug: str, campaign_id: Any) -> Campaign:
    organisation = organisation_for(user, org_slug)
    try:
        return Campaign.objects.select_related("run", "data_key").get(
            pk=campaign_id, organisation=organisation
        )
    except (Campaign.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def schedule_for(user: Any, org_slug: str, schedule_id: Any) -> DetectionSchedule:
    organisation = organisation_for(user, org_slug)
    try:
        return DetectionSchedule.objects.get(pk=schedule_id, organisation=organisation)
    except (DetectionSchedule.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
