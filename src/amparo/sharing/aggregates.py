"""What a coalition coordinator sees across the group: counts of the incidents members shared
with the group, with small-count suppression, and campaign detection over the posts and
enforcement actions members shared as campaign indicators."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.sharing.models import Distribution, Kind, SharedItem, SharingGroup
from amparo.sharing.suppression import Table, suppress

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

THRESHOLD = 10


def group_items(group: SharingGroup, kind: str) -> list[SharedItem]:
    """Approved, not withdrawn items of ``kind`` shared with the group (local and remote)."""
    return list(
        SharedItem.objects.filter(
            group=group,
            distribution=Distribution.GROUP,
            kind=kind,
            status=SharedItem.Status.SHARED,
            withdrawn_at__isnull=True,
        )
    )


def require_coordinator(group: SharingGroup, actor: Actor) -> None:
    """The group's coordinator: a coordinator or administrator of its owner organisation."""
    require_capability(actor, group.owner_id, Capability.COORDINATE)


def incident_table(group: SharingGroup, *, actor: Actor, rows: str = "platform") -> Table:
    """Shared incidents counted by ``rows`` (platform or country) and incident type."""
    require_coordinator(group, actor)
    if rows not in ("platform", "country", "at_risk_group", "week"):
        raise ValidationError(_("Unknown breakdown."))
    counts: dict[tuple[str, str], int] = {}
    for item in group_items(group, Kind.INCIDENT):
        key = (str(item.fields.get(rows) or "-"), str(item.fields.get("incident_type") or "-"))
        counts[key] = counts.get(key, 0) + 1
    row_names = sorted({r for r, _c in counts})
    column_names = sorted({c for _r, c in counts})
    return suppress(row_names, column_names, counts, THRESHOLD)


def shared_posts_and_actions(
    group: SharingGroup,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    posts: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    for item in group_items(group, Kind.INDICATOR):
        platform = str(item.fields.get("platform") or "")
        for post in item.fields.get("posts", []):
            if isinstance(post, dict) and post.get("account") and post.get("timestamp"):
                posts.append(
                    {"platform": platform, **post, "id": f"{item.pk}:{post.get('id', len(posts))}"}
                )
        for action in item.fields.get("actions", []):
            if isinstance(action, dict) and action.get("account") and action.get("timestamp"):
                actions.append({"platform": platform, **action})
    return posts, actions


def start_group_detection(
    group: SharingGroup, *, actor: Actor, params: dict[str, Any] | None = None
) -> Any:
    """Campaign detection (``campaigns.services.start_run``, the usual background run) over
    the posts and enforcement actions members shared with the group. The run belongs to the
    owner organisation and is found on its campaign pages."""
    from amparo.campaigns.services import start_run

    require_coordinator(group, actor)
    posts, actions = shared_posts_and_actions(group)
    if not posts:
        raise ValidationError(_("No member shared posts with this group yet."))

    def jsonl(rows: list[dict[str, Any]]) -> bytes:
        return "\n".join(json.dumps(r, ensure_ascii=False, default=str) for r in rows).encode()

    return start_run(
        group.owner,
        actor=actor,
        posts=[("shared-posts.jsonl", jsonl(posts))],
        actions=[("shared-actions.jsonl", jsonl(actions))] if actions else [],
        include_case_actions=False,
        params=params or {},
    )
