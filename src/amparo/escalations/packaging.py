"""Building what leaves: only the fields the channel needs (data minimisation), and the
reporter's identity or contacts only where the reporter consented to that disclosure.

The package is a plain dict of field code -> value, shown to the caseworker exactly as it will
be sent. ``personal`` is true when it names or locates the reporter; such packages need a second
person's approval before they can be sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from amparo.engines.register.vocabulary import Field
from amparo.engines.triage import redact
from amparo.intake.choices import YesNoAsk

GOOD_FAITH = "I confirm my bona fide belief that the information and allegations in this notice are accurate and complete."
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


def identity_consent(reports: list[Any]) -> str:
    """The most restrictive consent among the case's reports: "yes", "ask" or "no"."""
    answers = {r.consent_share_identity for r in reports}
    if YesNoAsk.NO in answers or not answers:
        return YesNoAsk.NO
    if YesNoAsk.ASK in answers:
        return YesNoAsk.ASK
    return YesNoAsk.YES


def _scrub(text: str, reports: list[Any]) -> str:
    """Remove contact details, addresses, ID numbers and the reporters' own names from text."""
    cleaned = redact(text or "").text
    for report in reports:
        reporter = report.reporter or {}
        for value in (reporter.get("name"), reporter.get("contact_value")):
            if value and len(value.strip()) >= 3:
                cleaned = cleaned.replace(
                    value.strip(), "[name]" if value == reporter.get("name") else "[contact]"
                )
    return cleaned


def build(case: Any, channel: Any, reports: list[Any], *, disclose_identity: bool) -> Package:
    """The package for ``channel``. ``disclose_identity`` must only be true when every report's
    reporter consented ("yes", or "ask" and the caseworker recorded that they asked)."""
    wanted = [f.value if hasattr(f, "value") else str(f) for f in channel.may_carry]
    required = {f.value if hasattr(f, "value") else str(f) for f in channel.required_fields}
    consent = identity_consent(reports)
    may_identify = disclose_identity and consent in (YesNoAsk.YES, YesNoAsk.ASK)
    values: dict[str, Any] = {}
    withheld, missing = [], []
    links = sorted({link for r in reports for link in (r.accounts or {}).get("links", [])})
    affected = sorted({a for r in reports for a in (r.accounts or {}).get("affected", [])})
    notice = "\n\n".join(r.platform_notice for r in reports if r.platform_notice)
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
            value = (
                "\n\n".join(r.narrative or "" for r in reports)
                if may_identify
                else _scrub("\n\n".join(r.narrative or "" for r in reports), reports)
            )
        elif code == Field.STATEMENT_OF_REASONS:
            value = notice if may_identify else _scrub(notice, reports)
        elif code == Field.DECISION_DATE:
            dates = [r.occurred_on for r in reports if r.occurred_on]
            value = min(dates).isoformat() if dates else None
        elif code == Field.NOTIFIER_NAME or code == Field.ORGANISATION_NAME:
            value = case.organisation.name
        elif code == Field.NOTIFIER_EMAIL:
            value = settings.DEFAULT_FROM_EMAIL
        elif code == Field.GOOD_FAITH_STATEMENT:
            value = GOOD_FAITH
        elif code == Field.AFFECTED_USER_IDENTITY:
            value = [r.reporter.get("name") for r in reports if (r.reporter or {}).get("name")]
        elif code == Field.AFFECTED_USER_CONTACT:
            value = [
                f"{r.reporter.get('contact_method')}: {r.reporter.get('contact_value')}"
                for r in reports
                if (r.reporter or {}).get("contact_value")
            ]
        elif code == Field.EVIDENCE_FILES:
            value = [
                {"sha256": e.sha256, "type": e.content_type}
                for r in reports
                for e in r.evidence.all()
            ]
        elif code == Field.COUNTRY:
            value = case.country
        elif code == Field.LANGUAGE:
            value = reports[0].language if reports else ""
        elif code == Field.DECISION_REFERENCE:
            value = None  # entered by the caseworker from the statement of reasons
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
