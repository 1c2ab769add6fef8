"""What the Transparency Database pages call things, in the reader's language.

The engine speaks English and the database's own codes (``STATEMENT_CATEGORY_…``); the pages
name dimensions, columns, lens questions, data-quality events and mistakes through these
tables. Codes themselves are data and are shown as published, shortened.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

DIMENSIONS: dict[str, Any] = {
    "day": _("Day"),
    "month": _("Month"),
    "platform": _("Platform"),
    "decision_visibility": _("Visibility decision"),
    "decision_monetary": _("Monetary decision"),
    "decision_provision": _("Service decision"),
    "decision_account": _("Account decision"),
    "account_type": _("Account type"),
    "decision_ground": _("Ground"),
    "incompatible_content_illegal": _("Also illegal"),
    "category": _("Category"),
    "category_addition": _("Additional category"),
    "keyword": _("Keyword"),
    "content_type": _("Content type"),
    "language": _("Language"),
    "country": _("Country"),
    "source_type": _("Who notified (type)"),
    "source_identity": _("Who notified (name)"),
    "legal_ground": _("Law invoked"),
    "automated_detection": _("Automated detection"),
    "automated_decision": _("Automated decision"),
}

#: Columns of results and exports beyond the dimensions.
COLUMNS: dict[str, Any] = {
    **DIMENSIONS,
    "statements": _("Statements"),
    "matching": _("Matching"),
    "share": _("Share"),
    "quality_flags": _("Data-quality events"),
    "measure": _("Measure"),
    "days": _("Days"),
    "action_known": _("Action: with both dates"),
    "action_negative": _("Action: dates reversed"),
    "action_p50": _("Action: median (days)"),
    "action_p90": _("Action: 90th percentile"),
    "action_p99": _("Action: 99th percentile"),
    "publication_known": _("Publication: with both dates"),
    "publication_negative": _("Publication: dates reversed"),
    "publication_p50": _("Publication: median (days)"),
    "publication_p90": _("Publication: 90th percentile"),
    "publication_p99": _("Publication: 99th percentile"),
    "sample_rank": _("Rank"),
    "uuid": _("Statement"),
    "created_at": _("Sent to the database"),
    "platform_name": _("Platform"),
    "platform_uid": _("Content id"),
    "content_date": _("Content date"),
    "application_date": _("Applied"),
    "decision_facts": _("Facts"),
    "illegal_content_legal_ground": _("Law invoked"),
    "incompatible_content_ground": _("Terms invoked"),
    "content_language": _("Language"),
    "territorial_scope": _("Countries"),
    "category_specification": _("Keywords"),
}

MEASURES: dict[str, Any] = {
    "action": _("Time to action (application date minus content date)"),
    "publication": _("Time to publication (sent to the database minus application date)"),
}

LENS: dict[str, Any] = {
    "community-by-country": _(
        "How many decisions on civic discourse, hate speech and cyber violence (against women) "
        "are there, by category and country?"
    ),
    "community-by-language": _("The same decisions by category and language of the content."),
    "fully-automated": _("What share of each platform's decisions is taken fully automatically?"),
    "community-fully-automated": _(
        "What share of the decisions on civic discourse, hate speech and cyber violence is taken "
        "fully automatically, per platform?"
    ),
    "terms-of-service": _(
        "What share of each platform's decisions rests on its terms of service rather than on "
        "the law?"
    ),
    "community-keywords": _("Which kinds of harm (keywords) do those decisions name?"),
    "account-restrictions": _(
        "How many accounts are suspended or terminated, per day and platform?"
    ),
    "trusted-flaggers": _("How many decisions follow a trusted flagger's notice, per platform?"),
}

AGGREGATIONS: dict[str, Any] = {
    "simple": _("Simple: day, platform, ground, category, automation"),
    "complete": _("Complete: day, platform and every single-valued field"),
    "visibility": _("Visibility decisions"),
    "keyword": _("Keywords"),
    "content_type": _("Content types"),
    "country": _("Countries (territorial scope)"),
    "category_addition": _("Additional categories"),
}

QUALITY: dict[str, tuple[Any, Any]] = {
    "deduplication-2024-05-22": (
        _("Deduplication of 2024-05-22"),
        _(
            "The database removed duplicate statements on 2024-05-22 and regenerated the dumps: "
            "figures for days up to then differ from dumps downloaded before it."
        ),
    ),
    "google-play-automated-detection": (
        _("Google Play automated detection inverted"),
        _(
            "For part of Google Play's statements from September 2023 to May 2026 automated "
            "detection says the opposite of what happened."
        ),
    ),
    "meta-trusted-flagger-labels": (
        _("Facebook/Instagram trusted-flagger labels"),
        _(
            "Facebook and Instagram may have labelled submissions as coming from trusted flaggers "
            "that did not, before 2025-10-28."
        ),
    ),
}

SEARCH_ERRORS: dict[str, Any] = {
    "empty": _("Type a word or a phrase to search for."),
    "too_long": _("A search can be at most 500 characters long."),
    "unclosed": _('A phrase is missing its closing quotation mark (").'),
    "lonely_or": _("OR needs a word or a phrase on each side."),
    "empty_phrase": _("A phrase in quotation marks holds no word."),
    "short_prefix": _("A word ending in * needs at least three letters before it."),
    "too_many": _("A search can hold at most 40 words and phrases."),
    "only_excluded": _("A part of the search holds only excluded words (-word)."),
    "fields": _("Choose where to search."),
}

MATCH_STATUS: dict[str, Any] = {
    "found": _("Statements found"),
    "not_found": _("No statement with this id"),
    "platform_not_in_store": _("The store holds no statement of this platform"),
    "unresolved": _("No content id could be read from this line"),
}

UNRESOLVED: dict[str, Any] = {
    "short_link": _("A short link hides the id: open it and paste the full address."),
    "encrypted_id": _(
        "Facebook's pfbid… ids are encrypted: open the post and copy the address of its date "
        "or photo, which holds a number."
    ),
    "no_id": _("This address names an account or page, not a post."),
    "unknown_site": _("No rule for this site: give the platform and the content id instead."),
    "not_a_url": _("Not a web address."),
}

SHORTEN = (
    "STATEMENT_CATEGORY_",
    "AUTOMATED_DECISION_",
    "DECISION_GROUND_",
    "DECISION_VISIBILITY_",
    "DECISION_ACCOUNT_",
    "DECISION_MONETARY_",
    "DECISION_PROVISION_",
    "ACCOUNT_TYPE_",
    "CONTENT_TYPE_",
    "KEYWORD_",
    "SOURCE_TYPE_",
    "SOURCE_",
)


def code(value: object) -> str:
    """A published code, shortened for reading: ``STATEMENT_CATEGORY_SCAMS_AND_FRAUD`` →
    ``Scams and fraud``; other values as they are."""
    if value is None:
        return "—"
    text = str(value)
    for prefix in SHORTEN:
        if text.startswith(prefix) and text.isupper():
            rest = text.removeprefix(prefix).replace("_", " ").lower()
            return rest[:1].upper() + rest[1:]
    return text


def column(name: str) -> str:
    return str(COLUMNS.get(name, name))
