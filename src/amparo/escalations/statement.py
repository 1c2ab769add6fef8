"""A platform's statement of reasons, as the escalation's page shows it: each field read from
it (DSA Art 17(3) / the Transparency Database's columns) in words, with the sentence it was
read from.

The escalation keeps the codes found when the answer was recorded (``Escalation.statement``);
the page reads the stored answer again to show where each came from.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

#: Art 17(3) fields, as the Transparency Database names them.
FIELD_LABELS = {
    "decision_visibility": _("Restriction of the content"),
    "decision_account": _("Measure on the account"),
    "decision_monetary": _("Measure on monetisation"),
    "decision_provision": _("Measure on the service"),
    "decision_ground": _("Ground of the decision"),
    "illegal_content_legal_ground": _("The law the content is said to break"),
    "incompatible_content_ground": _("The terms the content is said to break"),
    "source_type": _("What the decision acted on"),
    "automated_detection": _("Found by automated means"),
    "automated_decision": _("Decided by automated means"),
    "territorial_scope": _("Where it applies"),
    "end_date": _("Until"),
    "application_date": _("Date of the decision"),
    "platform_uid": _("The platform's content id"),
}
VALUE_LABELS = {
    "DECISION_VISIBILITY_CONTENT_REMOVED": _("content removed"),
    "DECISION_VISIBILITY_CONTENT_DISABLED": _("content disabled"),
    "DECISION_VISIBILITY_CONTENT_DEMOTED": _("content demoted"),
    "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED": _("content age-restricted"),
    "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED": _(
        "interaction with the content restricted"
    ),
    "DECISION_VISIBILITY_CONTENT_LABELLED": _("content labelled"),
    "DECISION_VISIBILITY_OTHER": _("another restriction of the content"),
    "DECISION_ACCOUNT_SUSPENDED": _("account suspended"),
    "DECISION_ACCOUNT_TERMINATED": _("account terminated"),
    "DECISION_MONETARY_SUSPENSION": _("monetisation suspended"),
    "DECISION_MONETARY_TERMINATION": _("monetisation terminated"),
    "DECISION_MONETARY_OTHER": _("another measure on monetisation"),
    "DECISION_PROVISION_PARTIAL_SUSPENSION": _("service partly suspended"),
    "DECISION_PROVISION_TOTAL_SUSPENSION": _("service suspended"),
    "DECISION_PROVISION_PARTIAL_TERMINATION": _("service partly terminated"),
    "DECISION_PROVISION_TOTAL_TERMINATION": _("service terminated"),
    "DECISION_GROUND_ILLEGAL_CONTENT": _("illegal content"),
    "DECISION_GROUND_INCOMPATIBLE_CONTENT": _("content incompatible with the terms"),
    "SOURCE_ARTICLE_16": _("a notice under DSA Art 16"),
    "SOURCE_TRUSTED_FLAGGER": _("a notice by a trusted flagger"),
    "SOURCE_TYPE_OTHER_NOTIFICATION": _("another notification"),
    "SOURCE_VOLUNTARY": _("the platform's own initiative"),
    "AUTOMATED_DECISION_FULLY": _("fully"),
    "AUTOMATED_DECISION_PARTIALLY": _("partly"),
    "AUTOMATED_DECISION_NOT_AUTOMATED": _("no"),
    "Yes": _("yes"),
    "No": _("no"),
    "EEA": _("the whole European Economic Area"),
}


def value_label(value: Any) -> str:
    """A Transparency Database value in words; lists joined; an unknown code made readable."""
    if isinstance(value, list | tuple):
        return ", ".join(value_label(v) for v in value)
    text = str(value)
    if text in VALUE_LABELS:
        return str(VALUE_LABELS[text])
    if text.isupper() and "_" in text:
        return text.replace("_", " ").lower()
    return text


def rows(escalation: Any) -> list[dict[str, str]]:
    """The statement's fields in words, each with the sentence it was read from."""
    codes = escalation.statement or {}
    if not codes:
        return []
    snippets: dict[str, str] = {}
    text = escalation.response_text or ""
    if text:
        from amparo.engines.remedies.sor import parse_statement

        parsed = parse_statement(text)
        for name in FIELD_LABELS:
            item = getattr(parsed, name, None)
            if name == "decision_visibility" and parsed.decision_visibility:
                item = parsed.decision_visibility[0]
            if name == "application_date":
                item = parsed.decision_date
            if name == "platform_uid":
                item = parsed.puid
            snippet = getattr(item, "snippet", "")
            if snippet:
                snippets[name] = snippet
    return [
        {
            "field": str(FIELD_LABELS.get(name, name.replace("_", " "))),
            "value": value_label(value),
            "snippet": snippets.get(name, ""),
        }
        for name, value in codes.items()
    ]
