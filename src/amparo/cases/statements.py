"""Statements of reasons of the DSA Transparency Database matched to a case, and saved on it.

The content id comes from the platform's answer to an escalation (parsed once when the answer
was recorded: ``escalations/lifecycle.py``), or is typed on the case page. The look-up reads the
local store (``amparo.tdb.lookup``); what matches is saved, encrypted, with one timeline row and
one audit event. Saving the same statement for the same content id again changes nothing.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amparo.cases.models import StatementMatch
from amparo.cases.services import _event, _require_writer

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

#: The statement's fields kept on the case (the Transparency Database's own column names).
KEPT = (
    "uuid",
    "created_at",
    "category",
    "decision_ground",
    "decision_visibility",
    "decision_account",
    "decision_monetary",
    "decision_provision",
    "automated_detection",
    "automated_decision",
    "source_type",
    "content_type",
    "territorial_scope",
)


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    kept = {name: row.get(name) for name in KEPT if row.get(name) not in (None, "", [])}
    return json.loads(json.dumps(kept, default=str))


def matches_for(case: Any) -> list[StatementMatch]:
    return list(case.statement_matches.select_related("data_key", "saved_by"))


@transaction.atomic
def save_match(
    case: Any, *, content_id: str, row: dict[str, Any], actor: Actor, escalation: Any = None
) -> StatementMatch:
    _require_writer(case, actor)
    statement = _plain(row)
    if not statement.get("uuid"):
        raise ValidationError(_("This statement has no identifier to save."))
    for match in matches_for(case):
        if match.content_id == content_id and (match.statement or {}).get("uuid") == str(
            statement["uuid"]
        ):
            return match
    match = StatementMatch(
        organisation_id=case.organisation_id,
        case=case,
        data_key_id=case.data_key_id,
        from_escalation=getattr(escalation, "pk", None),
        saved_by=actor,
    )
    match.content_id = content_id
    match.statement = statement
    match.save()
    _event(
        case,
        "statement_matched",
        actor=actor,
        new={"match": str(match.pk), "source": "escalation" if escalation else "typed"},
    )
    return match


def lookup_and_save(
    case: Any, content_id: str, *, actor: Actor, escalation: Any = None
) -> StatementMatch | None:
    """Look ``content_id`` up; the newest statement found is saved on the case."""
    from amparo.tdb.lookup import statements_for

    content_id = content_id.strip()
    if not content_id:
        return None
    found = statements_for(case.platform, content_id)
    if not found.get("rows"):
        return None
    return save_match(
        case, content_id=content_id, row=found["rows"][0], actor=actor, escalation=escalation
    )


def save_found(case: Any, content_id: str, statement_uuid: str, *, actor: Actor) -> StatementMatch:
    """Save the statement ``statement_uuid`` found for ``content_id`` (looked up again here:
    what is saved is what the store holds, never what a form sent)."""
    from amparo.tdb.lookup import statements_for

    content_id = content_id.strip()[:200]
    found = statements_for(case.platform, content_id) if content_id else {"rows": []}
    for row in found.get("rows", []):
        if str(row.get("uuid")) == statement_uuid.strip():
            return save_match(case, content_id=content_id, row=row, actor=actor)
    raise ValidationError(_("No such statement for this content id in the store on this server."))
