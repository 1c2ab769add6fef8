"""Documents for a remedy step, made from the case by the remedies engine.

Without the reporter's consent to disclose their identity, the person's name is left out (the
engine also replaces it in free text) and the facts taken from the reports are scrubbed of
contact details, addresses and ID numbers, exactly as escalation packages are.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from amparo.engines.remedies.documents import Document, DocumentInput, build_document
from amparo.escalations.packaging import _scrub


def render(
    *,
    kind: str,
    language: str,
    case: Any,
    decision: Any,
    reports: list[Any],
    facts: str,
    arguments: str,
    requested: str,
    include_identity: bool,
) -> Document:
    names = [(r.reporter or {}).get("name", "") for r in reports]
    if not facts.strip():
        narrative = "\n\n".join(r.narrative or "" for r in reports)
        facts = narrative if include_identity else _scrub(narrative, reports)
    notice = "\n\n".join(r.platform_notice for r in reports if r.platform_notice)
    recipient = ""
    if kind == "art21_submission":
        from amparo.escalations.register import for_organisation

        bodies = for_organisation(case.organisation).ods_bodies_for(case.platform)
        recipient = bodies[0].name if bodies else ""
    links = tuple(sorted({link for r in reports for link in (r.accounts or {}).get("links", [])}))
    inp = DocumentInput(
        kind=kind,
        language=language,
        organisation_name=case.organisation.name,
        organisation_email=settings.DEFAULT_FROM_EMAIL,
        platform=case.platform,
        date=timezone.localdate(),
        content_urls=links,
        decision_summary=decision.decision_type.replace("_", " "),
        decision_date=decision.decided_on or decision.informed_on,
        sor_reference=_scrub(notice, reports)[:500]
        if notice and not include_identity
        else notice[:500],
        facts=facts,
        legal_grounds=arguments,
        requested_remedy=requested,
        represented=decision.represented_by_art86_body,
        represented_person_name=next((n for n in names if n), ""),
        include_identity=include_identity,
        recipient_name=recipient,
        member_state=case.country or "",
    )
    return build_document(inp)
