"""Reporter-side times are kept coarse, so a timestamp cannot be matched against network logs."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

COARSE_MINUTES = 15


def coarse(moment: datetime | None = None) -> datetime:
    moment = moment or timezone.now()
    return moment.replace(
        minute=moment.minute - moment.minute % COARSE_MINUTES, second=0, microsecond=0
    )
