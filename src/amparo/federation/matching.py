"""Matching a case against indicators received from partner servers.

On one server, matching compares keyed hashes under the group's key (``sharing.matching``).
A partner server's indicator arrives in clear (its organisation chose to share the accounts
with the group), so here the case's attacker accounts and the indicator's are normalised the
same way (``sharing.keys.tokens``) and compared on this server only: nothing about the case
is sent anywhere, and only counts of partner servers are returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from amparo.sharing import keys
from amparo.sharing.models import GroupMember, Kind, SharedItem
from amparo.sharing.services import case_tokens


@dataclass(frozen=True)
class RemoteMatches:
    """How many partner servers shared an indicator naming one of the case's attacker
    accounts, and per account of the case how many."""

    servers: int = 0
    per_account: list[tuple[str, int]] = field(default_factory=list)


def remote_matches_for_case(case: Any) -> RemoteMatches:
    tokens = {token for _kind, token in case_tokens(case)}
    if not tokens:
        return RemoteMatches()
    groups = GroupMember.objects.filter(
        organisation_id=case.organisation_id,
        status=GroupMember.Status.ACTIVE,
        match_cases=True,
    ).values("group_id")
    per_token: dict[str, set[str]] = {}
    items = SharedItem.objects.filter(
        group__in=groups,
        kind=Kind.INDICATOR,
        status=SharedItem.Status.SHARED,
        withdrawn_at__isnull=True,
    ).exclude(origin="")
    for item in items.only("origin", "fields"):
        values = [*item.fields.get("accounts", []), *item.fields.get("urls", [])]
        for _kind, token in keys.tokens(values, str(item.fields.get("platform") or "")):
            if token in tokens:
                per_token.setdefault(token, set()).add(item.origin)
    servers = set().union(*per_token.values()) if per_token else set()
    per_account = sorted(
        ((token.split(":", 2)[-1], len(origins)) for token, origins in per_token.items()),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return RemoteMatches(len(servers), per_account)
