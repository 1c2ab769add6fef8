"""The rules a dossier's members must keep: Art 86 mandates, their dates and scope, the names
they allow, and figures that match the members.

Art 86(1) DSA lets a recipient *mandate* a body to exercise their rights under Arts 20, 21
and 53 on their behalf; Art 90 applies Directive (EU) 2020/1828 to representative actions. A
filing made on someone's behalf is lawful only inside what they mandated: after the mandate
was given, before it was revoked, for a remedy it names, against the platform it names. A name
may leave the organisation only with the member's consent to its disclosure.
"""

from __future__ import annotations

from typing import Any

from .schema import compute_figures, parse_timestamp


def _member_problems(member: dict[str, Any], platform: str) -> list[str]:
    who = f"member {member['pseudonym']!r}"
    mandate = member["mandate"]
    problems: list[str] = []
    if mandate is None:
        problems.append(f"{who}: has no mandate (Art 86(1) DSA: only mandated members)")
        if "name" in member:
            problems.append(f"{who}: the name is included without a mandate allowing it")
        return problems
    given = parse_timestamp(mandate["given_at"])
    revoked = parse_timestamp(mandate["revoked_at"]) if mandate["revoked_at"] else None
    if revoked is not None and revoked < given:
        problems.append(f"{who}: the mandate was revoked before it was given")
    if platform not in mandate["scope"]["platforms"]:
        problems.append(f"{who}: the mandate does not cover the platform {platform!r}")
    if "name" in member and (not mandate["disclose_name"] or revoked is not None):
        problems.append(f"{who}: the name is included but the mandate does not allow disclosure")
    remedies = mandate["scope"]["remedies"]
    for filing in member["filings"]:
        what = f"{who}: filing {filing['kind']} of {filing['filed_at']}"
        filed = parse_timestamp(filing["filed_at"])
        if filed < given:
            problems.append(f"{what} is before the mandate was given ({mandate['given_at']})")
        if revoked is not None and filed >= revoked:
            problems.append(f"{what} is after the mandate was revoked ({mandate['revoked_at']})")
        if filing["kind"] not in remedies:
            covered = ", ".join(remedies) or "nothing"
            problems.append(f"{what} is outside the mandate's scope (it covers: {covered})")
    outcome = member["outcome"]
    if outcome["state"] == "restored" and not outcome["restored_at"]:
        problems.append(f"{who}: the outcome is 'restored' without restored_at")
    return problems


def mandate_problems(dossier: dict[str, Any]) -> list[str]:
    """Every member's mandate against its filings, one line per problem. ``dossier`` must
    already fit the schema."""
    platform = dossier["action"]["platform"]
    problems: list[str] = []
    for member in dossier["members"]:
        problems += _member_problems(member, platform)
    return problems


def figure_problems(dossier: dict[str, Any]) -> list[str]:
    """The counts in ``figures`` against the members (the rate and median are the
    organisation's own statement and are only range-checked by the schema)."""
    stated = dossier["figures"]
    actual = compute_figures(dossier["members"])
    problems = [
        f"$.figures.{name}: says {stated[name]}, the members give {actual[name]}"
        for name in ("members", "mandates_given", "mandates_revoked", "restored")
        if stated[name] != actual[name]
    ]
    kinds = set(stated["filings_by_kind"]) | set(actual["filings_by_kind"])
    for kind in sorted(kinds):
        said, found = stated["filings_by_kind"].get(kind, 0), actual["filings_by_kind"].get(kind, 0)
        if said != found:
            problems.append(
                f"$.figures.filings_by_kind.{kind}: says {said}, the members give {found}"
            )
    return problems
