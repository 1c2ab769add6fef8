"""Amparo proposes members for a collective action; the coordinator accepts or rejects each.

A case of the coordinator's organisation or of a partner (``ActionPartner``) on the action's
platform is proposed, with every reason found:

* ``decision``: a platform decision recorded on the case (``remedies.PlatformDecision``) of the
  action's type and statement-of-reasons ground (Art 17(3)(d)-(e)), the person informed within
  the window;
* ``incident``: no decision recorded yet, but the case is about that kind of decision and
  opened within the window;
* ``campaign_burst`` / ``co_action``: an affected account of the case's reports is among the
  accounts of an enforcement burst or a co-action group found by campaign detection (or the
  campaign was linked to the case by hand);
* ``statement``: a statement of reasons of the DSA Transparency Database saved on the case
  (``cases.StatementMatch``) has the action's ground and was made within the window.

Reasons hold codes, counts and dates, never an account or a name.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from amparo.audit.services import record
from amparo.collective.models import CollectiveAction, Member, Proposal
from amparo.core import rls
from amparo.engines.campaigns.model import BURST_KIND

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

TDB_GROUND = {
    "illegal_content": "DECISION_GROUND_ILLEGAL_CONTENT",
    "incompatible_content": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
}
#: The report's incident type for each decision type (cases without a recorded decision).
INCIDENT_FOR = {
    "account_suspended": {"account_suspended", "false_mass_reporting"},
    "account_terminated": {"account_suspended"},
    "content_removed": {"content_removed", "false_mass_reporting"},
}


def _in_window(action: CollectiveAction, day: date | None) -> bool:
    return day is not None and action.window_start <= day <= action.window_end


def _campaigns(action: CollectiveAction) -> list[Any]:
    from amparo.campaigns.models import Campaign, DetectionRun

    found = list(
        Campaign.objects.filter(
            organisation_id=action.organisation_id, run__status=DetectionRun.Status.DONE
        )
        .exclude(review=Campaign.Review.DISMISSED)
        .select_related("data_key")
        .prefetch_related("cases")
    )
    start, end = action.window_start, action.window_end
    return [
        c
        for c in found
        if c.pk == action.campaign_id or (c.starts_at.date() <= end and c.ends_at.date() >= start)
    ]


def _handles(case: Any) -> set[str]:
    from amparo.engines.triage import normalise_handle

    handles: set[str] = set()
    for link in case.report_links.select_related("report", "report__data_key"):
        report = link.report
        for handle in (report.accounts or {}).get("affected", []):
            handles.add(normalise_handle(handle, report.platform))
    return handles


def reasons_for(action: CollectiveAction, case: Any, campaigns: list[Any]) -> list[dict[str, Any]]:
    reasons: list[dict[str, Any]] = []
    ground = action.decision_ground
    decisions = [
        d
        for d in case.decisions.all()
        if d.decision_type == action.decision_type
        and (not ground or not d.decision_ground or d.decision_ground == ground)
        and _in_window(action, d.decided_on or d.informed_on)
    ]
    if decisions:
        first = decisions[0]
        reasons.append(
            {
                "code": "decision",
                "decision_type": first.decision_type,
                "ground": first.decision_ground,
                "on": (first.decided_on or first.informed_on).isoformat(),
            }
        )
    elif case.incident_type in INCIDENT_FOR.get(
        action.decision_type, {action.decision_type}
    ) and _in_window(action, timezone.localdate(case.opened_at)):
        reasons.append(
            {
                "code": "incident",
                "incident_type": case.incident_type,
                "on": timezone.localdate(case.opened_at).isoformat(),
            }
        )
    handles = _handles(case) if campaigns else set()
    for campaign in campaigns:
        accounts = set((campaign.detail or {}).get("accounts") or [])
        shared = len(handles & accounts)
        linked = campaign.organisation_id == case.organisation_id and any(
            c.pk == case.pk for c in campaign.cases.all()
        )
        if shared or linked:
            reasons.append(
                {
                    "code": "campaign_burst" if campaign.kind == BURST_KIND else "co_action",
                    "campaign": str(campaign.pk),
                    "kind": campaign.kind,
                    "accounts": shared,
                    "from": campaign.starts_at.date().isoformat(),
                    "to": campaign.ends_at.date().isoformat(),
                }
            )
    wanted = TDB_GROUND.get(ground)
    for match in case.statement_matches.select_related("data_key"):
        statement = match.statement or {}
        made = str(statement.get("created_at") or "")[:10]
        try:
            made_on = date.fromisoformat(made) if made else None
        except ValueError:
            made_on = None
        if (not wanted or statement.get("decision_ground") == wanted) and _in_window(
            action, made_on
        ):
            reasons.append({"code": "statement", "ground": statement.get("decision_ground")})
            break
    return reasons


@transaction.atomic
def refresh(action: CollectiveAction, *, actor: Actor) -> int:
    """Find new candidates for ``action`` (cases not yet proposed nor members); returns how
    many proposals were added. Only the coordinator's organisation runs it."""
    from amparo.accounts.access import require_capability
    from amparo.accounts.roles import Capability
    from amparo.cases.models import Case

    require_capability(actor, action.organisation_id, Capability.COORDINATE)
    organisations = [
        action.organisation_id,
        *action.partners.values_list("organisation_id", flat=True),
    ]
    added = 0
    with rls.bypass():
        seen = set(Proposal.objects.filter(action=action).values_list("case_id", flat=True))
        seen |= set(Member.objects.filter(action=action).values_list("case_id", flat=True))
        campaigns = _campaigns(action)
        cases = (
            Case.objects.filter(organisation_id__in=organisations, platform=action.platform)
            .exclude(pk__in=seen)
            .select_related("data_key")
            .prefetch_related("decisions")
        )
        for case in cases:
            reasons = reasons_for(action, case, campaigns)
            if not reasons:
                continue
            Proposal.objects.create(
                action=action, organisation_id=case.organisation_id, case=case, reasons=reasons
            )
            added += 1
        record(
            "collective.proposals_refreshed",
            actor=actor,
            obj=action,
            new={"added": added},
        )
    return added
