"""Codes in the words people read: platforms, kinds of campaigns and of escalation channels, the
basis of a response time. The template filters of the same names are in
:mod:`amparo.site.templatetags.labels`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from amparo.core.platforms import platform_name


def platform_label(slug: str) -> str:
    """A platform's display name ("X", "Instagram") for its code ("x", "instagram")."""
    return platform_name(slug or "")


#: What each kind of campaign found by detection is, in words (engines/campaigns/model.py).
CAMPAIGN_KINDS = {
    "copy_paste": gettext_lazy("Same or near-same texts posted together"),
    "link_sharing": gettext_lazy("Same links shared together"),
    "repost_ring": gettext_lazy("Reposting the same posts together"),
    "reply_brigade": gettext_lazy("Replying to the same posts together"),
    "hashtag_push": gettext_lazy("Pushing the same hashtags together"),
    "media_push": gettext_lazy("Posting the same pictures or videos together"),
    "domain_push": gettext_lazy("Sharing links to the same sites together"),
    "enforcement_burst": gettext_lazy("A burst of enforcement actions"),
    "flash_mob": gettext_lazy("A flash mob: many accounts on one item within seconds"),
    "coordinated": gettext_lazy("Coordinated behaviour"),
}


def campaign_kind(code: str) -> str:
    """A campaign's kind in words (an unknown code is shown as it is)."""
    return str(CAMPAIGN_KINDS.get(code, code))


#: Kinds of escalation channels in words (engines/register/vocabulary.Kind).
CHANNEL_KINDS = {
    "in_app_appeal": gettext_lazy("Appeal in the app"),
    "dsa_notice": gettext_lazy("Notice of illegal content (DSA Art 16)"),
    "dsa_complaint": gettext_lazy("Complaint against a decision (DSA Art 20)"),
    "trusted_partner": gettext_lazy("Trusted partner channel"),
    "email": gettext_lazy("The platform's role e-mail address"),
    "oversight_board": gettext_lazy("Oversight Board"),
    "ods": gettext_lazy("Out-of-court dispute settlement (DSA Art 21)"),
    "regulator": gettext_lazy("Regulator"),
    "non_eu_route": gettext_lazy("Route outside the EU"),
}


def channel_kind(code: str) -> str:
    """A kind of escalation channel in words (an unknown code is shown as it is)."""
    return str(CHANNEL_KINDS.get(code, code))


#: Where a channel's expected response time comes from (engines/register/vocabulary).
RESPONSE_BASES = {
    "law": gettext_lazy("set by law"),
    "platform_statement": gettext_lazy("as the platform states"),
    "practice": gettext_lazy("helpline practice"),
}


def response_basis(code: str) -> str:
    """Where a response time comes from, in words (an unknown code is shown as it is)."""
    return str(RESPONSE_BASES.get(code, code))
