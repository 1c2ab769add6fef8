"""A platform decision as its statement of reasons says it, for the remedy ladder.

The statement is read by ``sor.parse_statement`` into Transparency Database columns
(``ParsedStatement.to_tdb()``); this maps them to the ladder's decision types and grounds so a
complaint is made from the statement without retyping it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import date
from typing import Any

__all__ = ["decision_from_statement"]

# Transparency Database decision codes (Art 17(3)(a), Art 24(5)) -> the ladder's decision types.
_ACCOUNT = {
    "DECISION_ACCOUNT_SUSPENDED": "account_suspended",
    "DECISION_ACCOUNT_TERMINATED": "account_terminated",
}
_VISIBILITY_REMOVED = {
    "DECISION_VISIBILITY_CONTENT_REMOVED",
    "DECISION_VISIBILITY_CONTENT_DISABLED",
}
_GROUNDS = {
    "DECISION_GROUND_ILLEGAL_CONTENT": "illegal_content",
    "DECISION_GROUND_INCOMPATIBLE_CONTENT": "incompatible_content",
}


def decision_from_statement(statement: Mapping[str, Any]) -> dict[str, Any]:
    """A decision as far as a parsed statement of reasons says it (Transparency Database
    column names, as ``ParsedStatement.to_tdb()`` gives them): ``decision_type``,
    ``decision_ground``, ``decided_on`` (from ``application_date``) and ``statement_reference``
    (the platform's content id, ``puid`` or ``platform_uid``). Unknown values are left out.

    The most restrictive measure wins: termination over suspension of the account, the
    account over the content, removal over lesser visibility restrictions.
    """
    found: dict[str, Any] = {}
    visibility = statement.get("decision_visibility") or []
    if isinstance(visibility, str):
        visibility = [visibility]
    account = statement.get("decision_account")
    if account in _ACCOUNT:
        found["decision_type"] = _ACCOUNT[account]
    elif any(v in _VISIBILITY_REMOVED for v in visibility):
        found["decision_type"] = "content_removed"
    elif visibility:
        found["decision_type"] = "visibility_restricted"
    elif statement.get("decision_provision"):
        found["decision_type"] = "service_restricted"
    elif statement.get("decision_monetary"):
        found["decision_type"] = "monetisation"
    ground = _GROUNDS.get(statement.get("decision_ground") or "")
    if ground:
        found["decision_ground"] = ground
    applied = statement.get("application_date")
    if isinstance(applied, str) and applied:
        with contextlib.suppress(ValueError):
            found["decided_on"] = date.fromisoformat(applied[:10])
    reference = statement.get("puid") or statement.get("platform_uid")
    if isinstance(reference, str) and reference.strip():
        found["statement_reference"] = reference.strip()[:200]
    return found
