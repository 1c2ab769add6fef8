"""The dossier of a collective action, built for the dossier engine
(``amparo.engines.dossier``; format in docs/dossier-format.md) and signed with the
organisation's Ed25519 key (``amparo.keyring.signing``).

Only members with a valid mandate at export time are in it (a member who revoked appears
nowhere: not in the members, the timeline, the documents nor the evidence). A member's name
is in it only when their mandate allows disclosure and the disclosure rule of their reports
agrees (``documents.person``); otherwise the pseudonym. The evidence is the statutes (Art
86(1)(c)), each included filing's document as filed, and the signed mandate forms of members
who allowed their name to be disclosed (a form carries the name).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.collective import documents, eligibility, mandates, states
from amparo.collective.models import CollectiveAction, Filing, Member
from amparo.core import rls

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

#: The mandate use of each kind of filing, as the dossier schema names remedies.
FILING_REMEDY: dict[str, str] = {
    Filing.Kind.ART86_PRIORITY: "art20_priority_complaint",
    Filing.Kind.ART21: "art21_out_of_court",
    Filing.Kind.ART53_JOINT: "art53_complaint",
    Filing.Kind.REPRESENTATIVE_ACTION: "representative_action",
}


def _ts(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_dict(
    action: CollectiveAction, *, at: datetime | None = None
) -> tuple[dict[str, Any], list[Any]]:
    """(dossier dict, evidence items) of ``action`` as it stands at ``at`` (now)."""
    from amparo.engines.dossier import SCHEMA_VERSION, EvidenceItem

    at = at or timezone.now()
    organisation = action.organisation
    evidence: list[Any] = []
    elig = eligibility.eligibility_of(organisation)
    body_standing = eligibility.standing(organisation)
    statutes_id = None
    shown = elig
    if body_standing.through_partner:
        shown = eligibility.eligibility_of(body_standing.body)
    if shown is not None and shown.statutes_blob:
        statutes_id = "statutes"
        evidence.append(
            EvidenceItem(
                statutes_id,
                shown.statutes_name or "statutes",
                shown.statutes_media_type or "application/octet-stream",
                eligibility.statutes_bytes(shown),
                "Statutes of the representing body (DSA Art 86(1)(c))",
            )
        )
    with rls.bypass():
        members = list(
            Member.objects.filter(action=action, approved_at__isnull=False)
            .select_related("case", "case__data_key", "action", "action__organisation")
            .prefetch_related("mandates", "mandates__data_key")
        )
        filings = list(
            Filing.objects.filter(action=action, status__in=(states.FILED, states.DECIDED))
            .select_related("data_key")
            .order_by("filed_at")
        )
    timeline: list[dict[str, Any]] = [
        {"at": _ts(action.opened_at), "kind": "action.opened", "text": "Collective action opened"}
    ]
    out_members = []
    filing_ids_used: set[str] = set()
    for member in members:
        mandate = mandates.current(member)
        if mandate is None:
            continue  # no valid mandate now: the member appears in nothing that leaves
        who = documents.person(member, mandate)
        evidence_id = None
        if mandate.evidence_blob and who.name:
            evidence_id = f"mandate-{mandate.pk}"
            evidence.append(
                EvidenceItem(
                    evidence_id,
                    f"mandate-{member.pseudonym}",
                    mandate.evidence_media_type or "application/octet-stream",
                    mandates.evidence_bytes(mandate),
                    "Signed mandate form or recording of oral consent (DSA Art 86(1))",
                )
            )
        their_filings = []
        for filing in filings:
            kind = FILING_REMEDY.get(filing.kind)
            if kind is None or str(member.pk) not in (filing.included_members or []):
                continue
            if kind not in (mandate.scope_remedies or []) or filing.filed_at is None:
                continue
            if filing.filed_at < mandate.given_at:
                continue  # filed under an earlier mandate, replaced since
            doc_id = f"filing-{filing.pk}"
            filing_ids_used.add(str(filing.pk))
            their_filings.append(
                {
                    "kind": kind,
                    "filed_at": _ts(filing.filed_at),
                    "reference": filing.reference,
                    "document_evidence_id": doc_id,
                }
            )
        entry: dict[str, Any] = {
            "pseudonym": member.pseudonym,
            "language": who.language or "und",
            "case_reference": member.case.reference,
            "mandate": {
                "id": str(mandate.pk),
                "given_at": _ts(mandate.given_at),
                "channel": mandate.channel,
                "scope": {
                    "platforms": list(mandate.scope_platforms or []),
                    "decisions": list(mandate.scope_decisions or []),
                    "remedies": list(mandate.scope_remedies or []),
                },
                "disclose_name": bool(mandate.disclose_name and who.name),
                "revoked_at": None,
                "evidence_id": evidence_id,
            },
            "filings": their_filings,
            "outcome": {
                "state": member.outcome,
                "decided_at": _ts(member.decided_at),
                "restored_at": _ts(member.restored_at),
            },
        }
        if who.name:
            entry["name"] = who.name
        out_members.append(entry)
        timeline.append(
            {
                "at": _ts(mandate.given_at),
                "kind": "mandate.given",
                "text": f"{member.pseudonym} gave a mandate",
            }
        )
    for filing in filings:
        if str(filing.pk) in filing_ids_used or filing.kind == Filing.Kind.ART23_NOTICE:
            evidence.append(
                EvidenceItem(
                    f"filing-{filing.pk}",
                    f"{filing.kind}-{filing.language}.txt",
                    "text/plain",
                    (filing.document_text or "").encode("utf-8"),
                    str(filing.get_kind_display()),
                )
            )
            timeline.append(
                {
                    "at": _ts(filing.filed_at),
                    "kind": f"filing.{filing.kind}",
                    "text": f"{filing.kind} filed",
                }
            )
    for member in members:
        if member.decided_at and any(m["pseudonym"] == member.pseudonym for m in out_members):
            timeline.append(
                {
                    "at": _ts(member.decided_at),
                    "kind": f"outcome.{member.outcome}",
                    "text": f"{member.pseudonym}: {member.outcome}",
                }
            )
    timeline.sort(key=lambda e: (e["at"], e["kind"], e["text"]))
    representing = body_standing.body
    dossier: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "dossier_id": f"{action.reference}-{at.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        "generated_at": _ts(at),
        "organisation": {
            "id": organisation.slug,
            "legal_name": organisation.legal_name or organisation.name,
            "country": (organisation.registration_country or organisation.country or "").upper(),
            "registration": organisation.registration_number,
            "eligibility": {
                "not_for_profit": bool(shown and shown.not_for_profit),
                "registration_number": shown.registration_number if shown else "",
                "member_state": (shown.member_state or None) if shown else None,
                "statutes_evidence_id": statutes_id,
                "checked_at": _ts(shown.checked_at) if shown else None,
            },
        },
        "action": {
            "id": str(action.pk),
            "reference": action.reference,
            "title": action.title,
            "platform": action.platform,
            "pattern": {
                "decision_type": action.decision_type,
                "ground": action.decision_ground,
                "window_start": action.window_start.isoformat(),
                "window_end": action.window_end.isoformat(),
                "community": action.community,
            },
            "opened_at": _ts(action.opened_at),
            "status": action.status,
        },
        "members": out_members,
        "timeline": timeline,
        "evidence": [],
    }
    if representing.pk != organisation.pk:
        dossier["timeline"].insert(
            0,
            {
                "at": _ts(action.opened_at),
                "kind": "organisation.works_through",
                "text": f"Represented through the eligible partner {representing.notifier_name}",
            },
        )
    return dossier, evidence


@transaction.atomic
def export(action: CollectiveAction, *, actor: Actor) -> tuple[str, bytes]:
    """The signed dossier ZIP of ``action`` (file name, bytes); audited."""
    import hashlib

    from amparo.engines.dossier import build
    from amparo.keyring.signing import signing_key_for

    require_capability(actor, action.organisation_id, Capability.COORDINATE)
    now = timezone.now()
    content, evidence = build_dict(action, at=now)
    key_id, key = signing_key_for(action.organisation)
    data = build(content, evidence, signing_key=key, key_id=key_id, signed_at=now)
    record(
        "collective.dossier_exported",
        actor=actor,
        obj=action,
        new={
            "dossier": content["dossier_id"],
            "members": len(content["members"]),
            "sha256": hashlib.sha256(data).hexdigest(),
            "key_id": key_id,
        },
    )
    return f"dossier-{action.reference}-{now:%Y%m%d}.zip", data
