"""Merging one open case of an organisation into another.

Everything the merged case gathered moves to the surviving case: its reports (each keeps its own
consent: a report's consent lives on the report and nothing about it changes), notes, tasks,
tags, statement matches, escalations, platform decisions with their remedy steps, and referrals.
Escalations and remedy decisions have no service that moves them to another case, so their case
is changed here, in the same transaction, by :func:`_move_rows` (one place that updates the
foreign keys). The merged case is closed with the outcome "merged", a note that names the
surviving case, a timeline event on both cases, and one audit event each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.cases import clocks, states
from amparo.cases.models import Case, CaseReport, CaseTag, Note, Referral, StatementMatch, Task
from amparo.cases.services import _event, _require_writer

if TYPE_CHECKING:
    from amparo.accounts.types import Actor


def _move_rows(merged: Case, surviving: Case) -> dict[str, int]:
    """Point every row of ``merged`` at ``surviving``; how many of each kind moved."""
    from amparo.escalations.models import Escalation
    from amparo.remedies.models import PlatformDecision

    moved = {
        "reports": CaseReport.objects.filter(case=merged).update(case=surviving),
        "notes": Note.objects.filter(case=merged).update(case=surviving),
        "tasks": Task.objects.filter(case=merged).update(case=surviving),
        "statement_matches": StatementMatch.objects.filter(case=merged).update(case=surviving),
        "escalations": Escalation.objects.filter(case=merged).update(case=surviving),
        "decisions": PlatformDecision.objects.filter(case=merged).update(case=surviving),
        "referrals": Referral.objects.filter(case=merged).update(case=surviving),
    }
    had = set(CaseTag.objects.filter(case=surviving).values_list("tag_id", flat=True))
    tags = list(CaseTag.objects.filter(case=merged).values_list("tag_id", flat=True))
    CaseTag.objects.bulk_create(
        CaseTag(case=surviving, tag_id=tag_id) for tag_id in tags if tag_id not in had
    )
    CaseTag.objects.filter(case=merged).delete()
    moved["tags"] = len(tags)
    return moved


@transaction.atomic
def merge_cases(surviving: Case, merged: Case, *, actor: Actor) -> Case:
    """Merge ``merged`` into ``surviving``; refused for the same case, another organisation's
    case (PermissionDenied), a closed case or someone who may not change cases."""
    _require_writer(surviving, actor)
    if merged.organisation_id != surviving.organisation_id:
        raise PermissionDenied
    if merged.pk == surviving.pk:
        raise ValidationError(_("A case cannot be merged into itself."))
    # Lock both rows in a fixed order, so that two merges at once cannot cross.
    locked = {
        c.pk: c
        for c in Case.objects.select_for_update()
        .filter(pk__in=[surviving.pk, merged.pk])
        .order_by("pk")
    }
    surviving, merged = locked[surviving.pk], locked[merged.pk]
    if not surviving.is_open or not merged.is_open:
        raise ValidationError(_("Only open cases can be merged."))
    moved = _move_rows(merged, surviving)
    note = Note(
        organisation_id=merged.organisation_id,
        case=merged,
        data_key_id=merged.data_key_id,
        author=actor,
    )
    note.body = _("Merged into %(reference)s.") % {"reference": surviving.reference}
    note.save()
    old = {"status": merged.status, "outcome": merged.outcome}
    now = timezone.now()
    merged.status = states.Status.CLOSED
    merged.outcome = states.Outcome.MERGED
    merged.closed_at = now
    merged.updated_at = now
    merged.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    clocks.refresh(merged)
    _event(
        merged,
        "merged_into",
        actor=actor,
        old=old,
        new={"into": surviving.reference, "status": merged.status, "outcome": merged.outcome},
    )
    surviving.updated_at = now
    surviving.save(update_fields=["updated_at"])
    clocks.refresh(surviving)
    _event(surviving, "merged_from", actor=actor, new={"from": merged.reference, **moved})
    return surviving
