"""The documents of collective filings.

Per-member Art 20 priority complaints (Art 86(2)), Art 21 submissions and the joint Art 53
complaint are made by the remedies document engine (``amparo.engines.remedies.documents``), in
the platform's language and, where the engine has it, the member's own. The Art 23 notice and
the representative-action file, which that engine does not make, are composed here from
translatable sentences.

What may leave about a member follows ``amparo.intake.disclosure``: a member is named only when
their mandate says the name may be disclosed *and* the disclosure rule of their reports allows
it (their consent to share their identity, confirmed by that mandate); otherwise only their
pseudonym (``M-07``) appears. Members without a mandate covering the use never appear.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.engines.remedies.documents import LANGUAGES as ENGINE_LANGUAGES
from amparo.engines.remedies.documents import DocumentInput, build_document
from amparo.intake import disclosure

#: The language of a platform's documents: that of its EU establishment (DSA Art 20 and 53
#: leave the language to the provider's terms; its establishment's language is understood).
ESTABLISHMENT_LANGUAGE = {
    "IE": "en",
    "MT": "en",
    "NL": "nl",
    "DE": "de",
    "AT": "de",
    "LU": "fr",
    "FR": "fr",
    "BE": "fr",
    "ES": "es",
    "IT": "it",
    "PL": "pl",
}


@dataclass(frozen=True)
class Person:
    """A member as a document may show them."""

    pseudonym: str
    name: str  # "" unless they consented to disclosure
    language: str
    links: tuple[str, ...]
    statement_reference: str


def person(member: Any, mandate: Any) -> Person:
    """What a document may show of ``member``: read across organisations (a partner's case,
    under row-level security's bypass; ``amparo.core.rls``) after the caller's checks."""
    from amparo.core import rls

    with rls.bypass():
        return _person(member, mandate)


def _person(member: Any, mandate: Any) -> Person:
    reports = [link.report for link in member.case.report_links.select_related("report")]
    rule = disclosure.for_reports(reports, asked_and_confirmed=bool(mandate.disclose_name))
    if not mandate.disclose_name:
        rule = rule.without_identity()
    name = next((n for n in rule.names() if n), "") if rule.may_identify else ""
    decision = member.case.decisions.order_by("-informed_on").first()
    reference = rule.clean_reference(decision.statement_reference or "") if decision else ""
    links = tuple(sorted({u for r in reports for u in (r.accounts or {}).get("links", [])}))
    language = next((r.language for r in reports if r.language), "")
    return Person(member.pseudonym, name, language, links, reference[:500])


def establishment(organisation: Any, platform: str) -> str:
    from amparo.escalations.register import for_organisation

    with contextlib.suppress(KeyError):
        return (for_organisation(organisation).platform(platform).eu_establishment or "").upper()
    return ""


def platform_language(organisation: Any, platform: str) -> str:
    return ESTABLISHMENT_LANGUAGE.get(establishment(organisation, platform), "en")


def engine_document(
    *,
    kind: str,
    language: str,
    body: Any,
    action: Any,
    who: Person | None,
    facts: str = "",
    recipient: str = "",
    member_state: str = "",
) -> tuple[str, str]:
    """(text, sha256) of an engine document signed by ``body`` for ``who`` (or the group)."""
    from amparo.remedies.routes import platform_name

    inp = DocumentInput(
        kind=kind,
        language=language,
        organisation_name=body.notifier_name,
        organisation_email=body.notice_email,
        organisation_address=body.postal_address,
        platform=platform_name(body, action.platform),
        date=timezone.localdate(),
        content_urls=who.links if who else (),
        decision_type=action.decision_type,
        decision_ground=action.decision_ground,
        sor_reference=who.statement_reference if who else "",
        facts=facts,
        represented=True,
        represented_person_name=who.name if who else "",
        include_identity=bool(who and who.name),
        recipient_name=recipient,
        member_state=member_state,
    )
    document = build_document(inp, pdf=False)
    return document.text, document.sha256


def languages_for(action: Any, who: Person | None) -> tuple[str, str]:
    """The platform's language, and the member's when the engine has it and it differs."""
    main = platform_language(action.organisation, action.platform)
    theirs = who.language if who and who.language in ENGINE_LANGUAGES else ""
    return main, theirs if theirs != main else ""


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _names(people: list[Person]) -> str:
    return ", ".join(p.name or p.pseudonym for p in people)


def art23_notice(
    *, action: Any, body: Any, people: list[Person], campaigns: list[Any], language: str
) -> tuple[str, str, dict[str, Any]]:
    """The Art 23 notice: the platform must, after a warning, suspend the processing of notices
    from those who frequently submit manifestly unfounded ones (Art 23(2)); the factors of Art
    23(3) are documented from campaign detection. Returns (text, sha256, what it cites)."""
    from amparo.remedies.routes import platform_name

    cites: dict[str, Any] = {"campaigns": []}
    with translation.override(language):
        lines = [
            body.notifier_name,
            body.postal_address.strip(),
            body.notice_email,
            "",
            _("To: %(platform)s") % {"platform": platform_name(body, action.platform)},
            _("Date: %(day)s") % {"day": timezone.localdate().isoformat()},
            "",
            _(
                "Subject: Misuse of the notice and action mechanism by false mass reporting (DSA Art 23)"
            ),
            "",
            _(
                "%(org)s, a body mandated under Article 86(1) of Regulation (EU) 2022/2065, "
                "informs you that the accounts of the persons it represents were restricted "
                "after notices that were manifestly unfounded and submitted in a coordinated "
                "way. Under Article 23(2) you must, after a prior warning, suspend for a "
                "reasonable period the processing of notices and complaints from those who "
                "frequently submit manifestly unfounded ones."
            )
            % {"org": body.notifier_name},
            "",
            _("Evidence from campaign detection (Art 23(3)):"),
        ]
        for campaign in campaigns:
            is_burst = campaign.kind == "enforcement_burst"
            label = _("Enforcement burst") if is_burst else _("Co-action group")
            lines.append(
                _(
                    "- %(label)s: %(accounts)s accounts, %(items)s items between %(start)s and "
                    "%(end)s (score %(score)s); signals: %(signals)s."
                )
                % {
                    "label": label,
                    "accounts": campaign.account_count,
                    "items": campaign.item_count,
                    "start": campaign.starts_at.date().isoformat(),
                    "end": campaign.ends_at.date().isoformat(),
                    "score": f"{campaign.score:.2f}",
                    "signals": ", ".join(str(s) for s in campaign.signals) or "-",
                }
            )
            cites["campaigns"].append(
                {
                    "id": str(campaign.pk),
                    "kind": campaign.kind,
                    "accounts": campaign.account_count,
                    "items": campaign.item_count,
                    "from": campaign.starts_at.date().isoformat(),
                    "to": campaign.ends_at.date().isoformat(),
                }
            )
        lines += [
            "",
            _(
                "Factors to weigh (Art 23(3)): the absolute number of manifestly unfounded "
                "notices in the time frame above; their proportion of all notices; the gravity "
                "of the misuse and its consequences for %(count)s persons we represent; the "
                "intention shown by the coordination."
            )
            % {"count": len(people)},
            _("Persons represented: %(names)s.") % {"names": _names(people) or "-"},
            "",
            _(
                "We ask you to review the notices concerned, restore what was restricted on their "
                "basis, and apply Art 23(2) to their senders."
            ),
            "",
            body.notifier_name,
        ]
    text = "\n".join(lines).strip() + "\n"
    return text, _sha(text), cites


def representative_action_file(
    *, action: Any, body: Any, people: list[Person], filings: list[Any], language: str
) -> tuple[str, str]:
    """A file for a qualified entity bringing a representative action under Directive (EU)
    2020/1828 (the DSA is in its Annex I by DSA Art 90): the pattern, the members represented,
    the steps taken and their outcomes."""
    from amparo.remedies.routes import DECISION_LABELS, platform_name

    with translation.override(language):
        lines = [
            _("Representative action file: %(title)s") % {"title": action.title},
            _("Prepared by %(org)s on %(day)s.")
            % {"org": body.notifier_name, "day": timezone.localdate().isoformat()},
            "",
            _(
                "Legal basis: Regulation (EU) 2022/2065 (DSA), added to Annex I of Directive "
                "(EU) 2020/1828 by its Article 90; redress and injunctive measures may be "
                "sought by a qualified entity designated under Article 4 of the Directive."
            ),
            "",
            _("Platform: %(platform)s") % {"platform": platform_name(body, action.platform)},
            _("Decision: %(decision)s")
            % {"decision": DECISION_LABELS.get(action.decision_type, action.decision_type)},
            _("Window: %(start)s to %(end)s")
            % {"start": action.window_start.isoformat(), "end": action.window_end.isoformat()},
            "",
            _("Consumers represented (each mandated for this use): %(names)s")
            % {"names": _names(people) or "-"},
            "",
            _("Steps taken:"),
        ]
        for filing in filings:
            lines.append(
                f"- {filing.get_kind_display()} · {filing.get_status_display()}"
                + (f" · {filing.filed_on.isoformat()}" if filing.filed_on else "")
            )
    text = "\n".join(lines).strip() + "\n"
    return text, _sha(text)
