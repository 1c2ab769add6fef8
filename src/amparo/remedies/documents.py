"""Documents for a remedy step, made from the case by the remedies engine.

A document is wholly in its language: the decision and its ground by the engine's labels of
that language, the platform by its display name, the recipient (the Art 21 body the person
chose, the Digital Services Coordinator of Art 53) by the register's name. The reporter's
narrative never goes in by itself: the caseworker writes the facts, and includes the person's
account only when they choose to, as their own translation or summary (``account``). The
organisation signs with its legal name, postal address and role e-mail address.

What may leave about the reporter follows the one rule of ``amparo.intake.disclosure``, as
escalation packages and referrals do: the person's name is printed only when they consented
(and the caseworker chose to include it), and every free text of the document — the facts
and the account typed by the caseworker, the legal arguments, the requested remedy and the
statement's reference — is scrubbed of the reporter's contacts, and of their name and
accounts without that consent, keeping the content's links and ids.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from amparo.engines.remedies.documents import (
    LANGUAGES,
    Document,
    DocumentInput,
    build_document,
    sentences,
)
from amparo.intake import disclosure


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
    asked_and_confirmed: bool = False,
    account: str = "",
    recipient: str = "",
    member_state: str = "",
    requested_action: str = "",
) -> Document:
    """``recipient``: the Art 21 body chosen; ``member_state``: for Art 53, the state whose
    coordinator receives the complaint (named from the register)."""
    from amparo.remedies.routes import coordinator, platform_name

    rule = disclosure.for_reports(reports, asked_and_confirmed=asked_and_confirmed)
    if not include_identity:
        rule = rule.without_identity()
    include_identity = rule.may_identify
    names = rule.names()
    # A withheld name reads as the document's own "[name withheld]", in its language.
    marker = sentences(language)["withheld"] if language in LANGUAGES else disclosure.NAME

    def clean(text: str) -> str:
        return rule.clean(text, name_marker=marker)

    facts, arguments, requested = clean(facts), clean(arguments), clean(requested)
    account = clean(account)
    organisation = case.organisation
    if kind == "art53_complaint":
        dsc = coordinator(organisation, member_state)
        recipient = dsc.name if dsc is not None else ""
    links = tuple(sorted({link for r in reports for link in (r.accounts or {}).get("links", [])}))
    inp = DocumentInput(
        kind=kind,
        language=language,
        organisation_name=organisation.notifier_name,
        organisation_email=organisation.notice_email,
        organisation_address=organisation.postal_address,
        platform=platform_name(organisation, case.platform),
        date=timezone.localdate(),
        content_urls=links,
        decision_type=decision.decision_type,
        decision_ground=decision.decision_ground,
        decision_date=decision.decided_on or decision.informed_on,
        sor_reference=rule.clean_reference(decision.statement_reference or "")[:500],
        facts=facts,
        legal_grounds=arguments,
        requested_remedy=requested,
        requested_action=requested_action if kind == "art16_notice" else "",
        account=account,
        represented=decision.represented_by_art86_body,
        represented_person_name=next((n for n in names if n), ""),
        include_identity=include_identity,
        recipient_name=recipient,
        member_state=member_state,
    )
    problems = inp.problems()
    if problems:
        from django.core.exceptions import ValidationError

        raise ValidationError(problems)
    return build_document(inp)
