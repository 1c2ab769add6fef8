"""The daily refresh of every member's keyed hashes (cases opened or closed since)."""

from __future__ import annotations

from typing import Any

from amparo.worker.registry import daily

REFRESH_DIGESTS = "sharing.refresh_digests"


@daily(REFRESH_DIGESTS)
def refresh_all(job: Any) -> None:
    from amparo.sharing.models import SharingGroup
    from amparo.sharing.services import rekey_group

    for group in SharingGroup.objects.all():
        rekey_group(group)
