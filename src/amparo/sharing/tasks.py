"""Background work for sharing groups (run by ``amparo worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def rekey_group(group_id: str) -> int:
    """Hash every member's indicators again under the group's live key (idempotent)."""
    from amparo.sharing.models import SharingGroup
    from amparo.sharing.services import rekey_group as rekey

    return rekey(SharingGroup.objects.get(pk=group_id))
