"""Building what leaves: only the fields the channel needs (data minimisation), and the
reporter's identity or contacts only where the reporter consented to that disclosure.

The package is a plain dict of field code -> value, shown to the caseworker exactly as it will
be sent. ``personal`` is true when it names or locates the reporter; such packages need a second
person's approval before they can be sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo.engines.register.vocabulary import Field
from amparo.intake import disclosure

# Fields that carry the reporter's identity or contacts: only with consent.
IDENTITY_FIELDS = {
    Field.AFFECTED_USER_IDENTITY.value,
    Field.AFFECTED_USER_CONTACT.value,
    Field.ACCOUNT_HANDLE.value,
    Field.MANDATE.value,
}


@dataclass
class Package:
    fields: dict[str, Any]
    personal: bool
    withheld: list[str] = field(
        default_factory=list
    )  # wanted by the channel, held back (no consent)
    missing: list[str] = field(default_factory=list)  # required but not known yet


# Fields whose values are not free text (or are the organisation's own): never scrubbed.
_NOT_FREE_TEXT = {
    Field.CONTENT_URLS.value,
    Field.EVIDENCE_FILES.value,
    Field.DECISION_DATE.value,
    Field.NOTIFIER_NAME.value,
    Field.NOTIFIER_EMAIL.value,
    Field.ORGANISATION_NAME.value,
    Field.GOOD_FAITH_STATEMENT.value,
    Field.COUNTRY.value,
    Field.LANGUAGE.value,
}
# Fields that hold only an identifier: the reporter's identity is removed, numbers are kept.
_REFERENCE_FIELDS = {Field.DECISION_REFERENCE.value, Field.PRIOR_COMPLAINT_REFERENCE.value}


def _cleaned(code: str, value: Any, rule: disclosure.Disclosure) -> Any:
    """Every free-text value of a package through the one rule of what may leave
    (``amparo.intake.disclosure``), whoever typed it."""
    if code in _NOT_FREE_TEXT or code in IDENTITY_FIELDS:
        return value
    clean = rule.clean_reference if code in _REFERENCE_FIELDS else rule.clean
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [clean(v) if isinstance(v, str) else v for v in value]
    return value


# --------------------------------------------------------------------------- the notice
# What the caseworker typed on the escalate page (``notice``), by key: the register's fields
# (CASEWORKER_FIELDS) plus ``language``, the language the notice is written in.
NOTICE_KEYS = (
    "explanation",
    "legal_ground",
    "requested_action",
    "content_urls",
    "decision_reference",
    "decision_date",
    "prior_complaint_reference",
    "statement_of_reasons",
    "language",
    "country",
)


def notice_language(case: Any, notice: dict[str, str]) -> str:
    """The language the notice is written in: the caseworker's choice, else the organisation's
    default; one of the remedies engine's document languages (its template sentences)."""
    from amparo.engines.remedies.documents import LANGUAGES

    for language in (notice.get("language", ""), case.organisation.default_language):
        if language in LANGUAGES:
            return language
    return "en"


def law_country(case: Any) -> str:
    """For a notice, the country whose law the content breaks (the notice forms ask for it):
    where the person is when that is DSA territory, else where the organisation notifying is
    established. Never the person's own country outside the EU: it is not the law invoked."""
    from amparo.accounts.identity import establishment
    from amparo.escalations.register import for_organisation

    if for_organisation(case.organisation).dsa_applies(case.country):
        return str(case.country).upper()
    return establishment(case.organisation)


def notice_urls(notice: dict[str, str], links: list[str]) -> list[str]:
    typed = [u.strip() for u in notice.get("content_urls", "").splitlines() if u.strip()]
    return typed or links


def _requested_action(value: str, language: str) -> str:
    from amparo.engines.remedies.documents import REQUESTED_ACTIONS, sentences

    return sentences(language)[f"act_{value}"] if value in REQUESTED_ACTIONS else value


def art16_problems(case: Any, notice: dict[str, str], links: list[str]) -> list[str]:
    """What a notice of illegal content still lacks: the four elements of DSA Art 16(2), in
    substance, and what the caseworker asks the platform to do."""
    problems = []
    if not notice.get("explanation", "").strip():
        problems.append(
            _(
                "Art 16(2)(a): explain why the content is illegal: the facts in your own words, "
                "not the reporter's account."
            )
        )
    if not notice.get("legal_ground", "").strip():
        problems.append(
            _("Art 16(2)(a): name the legal ground: the law and the provision the content breaks.")
        )
    urls = notice_urls(notice, links)
    if not urls:
        problems.append(_("Art 16(2)(b): give the exact URL of each item of content."))
    for url in urls:
        if not url.lower().startswith(("https://", "http://")):
            problems.append(
                _("Art 16(2)(b): %(url)s is not the exact web address of the content.")
                % {"url": url}
            )
    if not case.organisation.notice_email:
        problems.append(
            _(
                "Art 16(2)(c): the notifier is your organisation, with its name and role e-mail "
                "address, and it has none yet: add it on the organisation's settings page."
            )
        )
    if not notice.get("requested_action", "").strip():
        problems.append(
            _("Say what you ask the platform to do: remove, disable access or restrict visibility.")
        )
    return problems


def build(
    case: Any,
    channel: Any,
    reports: list[Any],
    *,
    disclose_identity: bool,
    asked_and_confirmed: bool = False,
    notice: dict[str, str] | None = None,
) -> Package:
    """The package for ``channel``. The reporter's identity goes only when the caseworker chose
    to disclose it (``disclose_identity``) and the reporters consented: "yes", or "ask" and the
    caseworker confirmed they asked (``asked_and_confirmed``). See ``amparo.intake.disclosure``.

    ``notice`` holds what the caseworker typed (``NOTICE_KEYS``): it fills the fields the
    register names. A notice of illegal content (``channel.is_art16_notice``) is refused with
    every missing element of DSA Art 16(2): (a) the caseworker's explanation and the legal
    ground, never the reporter's narrative; (b) the exact URLs; (c) the organisation as notifier,
    its legal name and role address (never the installation's sending address); (d) the
    bona fide statement, written in the notice's language."""
    notice = {k: str(v) for k, v in (notice or {}).items() if v is not None}
    art16 = bool(getattr(channel, "is_art16_notice", False))
    language = notice_language(case, notice)
    links_found = sorted({link for r in reports for link in (r.accounts or {}).get("links", [])})
    if art16:
        problems = art16_problems(case, notice, links_found)
        if problems:
            raise ValidationError(problems)
    wanted = [f.value if hasattr(f, "value") else str(f) for f in channel.may_carry]
    required = {f.value if hasattr(f, "value") else str(f) for f in channel.required_fields}
    rule = disclosure.for_reports(reports, asked_and_confirmed=asked_and_confirmed)
    if not disclose_identity:
        rule = rule.without_identity()
    may_identify = rule.may_identify
    values: dict[str, Any] = {}
    withheld, missing = [], []
    links = notice_urls(notice, links_found)
    affected = rule.affected_accounts()
    platform_notice = "\n\n".join(r.platform_notice for r in reports if r.platform_notice)
    for code in sorted(wanted):
        if code in IDENTITY_FIELDS and not may_identify:
            withheld.append(code)
            continue
        value: Any = None
        if code == Field.CONTENT_URLS:
            value = links
        elif code == Field.ACCOUNT_HANDLE:
            value = affected
        elif code == Field.EXPLANATION:
            # A notice's explanation is the caseworker's; other channels fall back on the
            # reports' narrative (scrubbed below).
            value = notice.get("explanation") or (
                None if art16 else "\n\n".join(r.narrative or "" for r in reports)
            )
        elif code == Field.LEGAL_GROUND:
            value = notice.get("legal_ground")
        elif code == Field.REQUESTED_ACTION:
            value = _requested_action(notice.get("requested_action", ""), language)
        elif code == Field.STATEMENT_OF_REASONS:
            value = notice.get("statement_of_reasons") or platform_notice
        elif code == Field.DECISION_DATE:
            dates = [r.occurred_on for r in reports if r.occurred_on]
            value = notice.get("decision_date") or (min(dates).isoformat() if dates else None)
        elif code == Field.PRIOR_COMPLAINT_REFERENCE:
            value = notice.get("prior_complaint_reference")
        elif code == Field.NOTIFIER_NAME or code == Field.ORGANISATION_NAME:
            value = case.organisation.notifier_name  # its legal name
        elif code == Field.NOTIFIER_EMAIL:
            value = case.organisation.notice_email  # its role address, or missing
        elif code == Field.GOOD_FAITH_STATEMENT:
            from amparo.engines.remedies.documents import sentences

            value = sentences(language)["bona_fide"].format(org=case.organisation.notifier_name)
        elif code == Field.AFFECTED_USER_IDENTITY:
            value = rule.names()
        elif code == Field.AFFECTED_USER_CONTACT:
            value = rule.contacts()
        elif code == Field.EVIDENCE_FILES:
            value = [
                {"sha256": e.sha256, "type": e.content_type}
                for r in reports
                for e in r.evidence.all()
            ]
        elif code == Field.COUNTRY:
            value = notice.get("country") or (law_country(case) if art16 else case.country)
        elif code == Field.LANGUAGE:
            value = language if notice.get("language") else (reports[0].language if reports else "")
        elif code == Field.DECISION_REFERENCE:
            value = notice.get("decision_reference")  # typed from the statement of reasons
        value = _cleaned(code, value, rule)
        if value in (None, "", []):
            if code in required:
                missing.append(code)
            continue
        values[code] = value
    personal = any(code in IDENTITY_FIELDS for code in values)
    return Package(values, personal, withheld, missing)


def render_text(package: dict[str, Any]) -> str:
    """The package as the plain text an e-mail carries (and the caseworker previews)."""
    lines = []
    for code, value in package.items():
        lines.append(f"## {code.replace('_', ' ').capitalize()}")
        if isinstance(value, list):
            lines += [
                f"- {v if not isinstance(v, dict) else ', '.join(f'{k}: {x}' for k, x in v.items())}"
                for v in value
            ]
        else:
            lines.append(str(value))
        lines.append("")
    return "\n".join(lines)
