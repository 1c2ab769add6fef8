"""Every write of the scorecards domain: atomic, the actor keyword-only, one audit event each."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.core.platforms import is_platform
from amparo.scorecards import publishing
from amparo.scorecards.actions import BY_NUMBER
from amparo.scorecards.card import build
from amparo.scorecards.indicators import Period
from amparo.scorecards.models import Assessment, Finding, Publication
from amparo.scorecards.suppression import DEFAULT_THRESHOLD

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.accounts.types import Actor


def check_period(start: date, end: date) -> Period:
    if end < start:
        raise ValidationError(_("The period must end on or after the day it starts."))
    return Period(start, end)


@transaction.atomic
def record_assessment(
    organisation: Any,
    *,
    platform: str,
    action: int,
    finding: str,
    summary: str,
    source_title: str,
    source_url: str,
    source_date: date,
    assessed_on: date | None = None,
    actor: User,
) -> Assessment:
    """Record what a dated, linked source shows about the platform and one action. The newest
    assessment of an action is the one the scorecard shows; older ones stay, dated."""
    require_capability(actor, organisation.pk, Capability.WRITE_CASES)
    assessed_on = assessed_on or timezone.localdate()
    if action not in BY_NUMBER:
        raise ValidationError(_("Choose one of the ten actions."))
    if not is_platform(platform):
        raise ValidationError(_("Unknown platform."))
    if finding not in Finding.values:
        raise ValidationError(_("Unknown finding."))
    if not source_url.startswith(("https://", "http://")):
        raise ValidationError(_("Give a link to the source (https://...)."))
    if source_date > timezone.localdate() or assessed_on > timezone.localdate():
        raise ValidationError(
            _("A date of the source or of the assessment cannot be in the future.")
        )
    if not summary.strip() or not source_title.strip():
        raise ValidationError(_("Say what the source shows and name it."))
    assessment = Assessment.objects.create(
        organisation=organisation,
        platform=platform,
        action=action,
        finding=finding,
        summary=summary.strip(),
        source_title=source_title.strip(),
        source_url=source_url.strip(),
        source_date=source_date,
        assessed_on=assessed_on,
        recorded_by=actor,
    )
    record(
        "scorecard.assessment_recorded",
        actor=actor,
        obj=assessment,
        new={"platform": platform, "action": action, "finding": finding},
    )
    return assessment


@transaction.atomic
def withdraw_assessment(assessment: Assessment, *, actor: Actor) -> Assessment:
    require_capability(actor, assessment.organisation_id, Capability.WRITE_CASES)
    changed = Assessment.objects.filter(pk=assessment.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if not changed:
        raise ValidationError(_("This assessment was already withdrawn."))
    assessment.refresh_from_db()
    record(
        "scorecard.assessment_withdrawn",
        actor=actor,
        obj=assessment,
        new={"platform": assessment.platform, "action": assessment.action},
    )
    return assessment


def publish(
    organisation: Any,
    *,
    platform: str,
    start: date,
    end: date,
    actor: User,
    threshold: int = DEFAULT_THRESHOLD,
) -> Publication:
    """Freeze the scorecard as published files (slow work first, then a short transaction)."""
    require_capability(actor, organisation.pk, Capability.COORDINATE)
    if not is_platform(platform):
        raise ValidationError(_("Unknown platform."))
    if threshold < 2:
        raise ValidationError(_("The threshold of small counts must be at least 2."))
    period = check_period(start, end)
    card = build(organisation, platform, period, threshold=threshold)
    files = publishing.render(card, timezone.localdate())
    with transaction.atomic():
        publication = Publication.objects.create(
            organisation=organisation,
            platform=platform,
            period_start=start,
            period_end=end,
            threshold=threshold,
            language=get_language() or "en",
            html=files.html,
            methodology_html=files.methodology_html,
            csv=files.csv,
            pdf=files.pdf,
            sha256=files.digests(),
            published_by=actor,
        )
        record(
            "scorecard.published",
            actor=actor,
            obj=publication,
            new={
                "platform": platform,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "threshold": threshold,
            },
        )
    return publication
