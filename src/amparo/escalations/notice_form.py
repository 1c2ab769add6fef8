"""The escalate page's form: what the caseworker types for a channel (the ``notice`` given to
``services.create``), with the register's legal-ground suggestions, and the review step.

For a notice of illegal content (DSA Art 16) it asks for the four elements of Art 16(2): the
explanation in the caseworker's own words (a scrubbed copy of the report can be inserted to
edit), the legal ground (suggested per country and incident type), the exact URLs; the notifier
is the organisation (its legal name and role address) and the bona fide statement is written in
the notice's language. Other channels get the fields their register entry names.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.engines.register import Channel, Field, LegalGround, Register

REQUESTED_ACTION_LABELS = {
    "remove": _("Remove the content"),
    "disable_access": _("Disable access to the content"),
    "restrict_visibility": _("Restrict the visibility of the content"),
}
LANGUAGE_LABELS = {
    "en": _("English"),
    "fr": _("French"),
    "de": _("German"),
    "es": _("Spanish"),
    "it": _("Italian"),
    "pl": _("Polish"),
    "nl": _("Dutch"),
}
ROLE_LABELS = {
    "notifier": _("Your organisation, as notifier"),
    "representative": _("Your organisation, representing the person"),
    "affected_user": _("The person, with your help"),
}
_TEXT_FIELDS = {
    Field.DECISION_REFERENCE: _("The platform's reference of its decision"),
    Field.PRIOR_COMPLAINT_REFERENCE: _("Reference of the earlier complaint"),
    Field.STATEMENT_OF_REASONS: _("The statement of reasons (paste it)"),
}


def suggestions(register: Register, case: Any, countries: list[str | None]) -> list[LegalGround]:
    """Legal grounds the register suggests for the case's incident type, for each country whose
    law may apply (where the person is, where the organisation is), then Union law."""
    found: dict[str, LegalGround] = {}
    for country in [*countries, None]:
        for ground in register.grounds_for(country, case.incident_type):
            found.setdefault(ground.code, ground)
    return sorted(found.values(), key=lambda g: (g.country == "EU", g.country, g.code))


class NoticeForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        channel: Channel,
        grounds: list[LegalGround] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.channel, self.art16 = channel, channel.is_art16_notice
        self.grounds = {g.code: g for g in grounds}
        carries = channel.may_carry
        if self.art16:
            self.fields["language"] = forms.ChoiceField(
                label=_("Language of the notice"), choices=list(LANGUAGE_LABELS.items())
            )
        if self.art16 or Field.EXPLANATION in carries:
            self.fields["explanation"] = forms.CharField(
                label=_("Why the content is illegal: the facts, in your own words")
                if self.art16
                else _("Explanation"),
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text=_("DSA Art 16(2)(a): a sufficiently substantiated explanation.")
                if self.art16
                else _("Empty: the report's account, scrubbed of the reporter's identity."),
            )
        if self.art16 or Field.LEGAL_GROUND in carries:
            if self.grounds:
                self.fields["grounds"] = forms.MultipleChoiceField(
                    label=_("Legal ground: provisions the register suggests"),
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    choices=[(g.code, g.citation) for g in self.grounds.values()],
                )
            self.fields["legal_ground"] = forms.CharField(
                label=_("Legal ground: the law and provision, and why the content falls under it"),
                required=False,
                max_length=5_000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if self.art16 or Field.REQUESTED_ACTION in carries:
            self.fields["requested_action"] = forms.ChoiceField(
                label=_("What you ask the platform to do"),
                choices=[("", "—"), *REQUESTED_ACTION_LABELS.items()],
                required=False,
            )
        if self.art16 or Field.CONTENT_URLS in carries:
            self.fields["content_urls"] = forms.CharField(
                label=_("Exact URLs of the content, one a line"),
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if Field.DECISION_DATE in carries:
            self.fields["decision_date"] = forms.DateField(
                label=_("Day of the platform's decision"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
        for field, label in _TEXT_FIELDS.items():
            if field in carries:
                self.fields[field.value] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=20_000,
                    widget=forms.Textarea(attrs={"rows": 3})
                    if field is Field.STATEMENT_OF_REASONS
                    else forms.TextInput(),
                )

    def notice(self) -> dict[str, str]:
        """The notice for ``services.create``: the chosen provisions' citations first, then the
        caseworker's own words on the legal ground."""
        data = self.cleaned_data
        chosen = [self.grounds[c].citation for c in data.get("grounds", []) if c in self.grounds]
        legal = "\n".join([*chosen, data.get("legal_ground", "").strip()]).strip()
        notice: dict[str, str] = {}
        for name, value in data.items():
            if name == "grounds":
                continue
            text = value.isoformat() if hasattr(value, "isoformat") else str(value or "")
            notice[name] = text.strip()
        if "legal_ground" in self.fields:
            notice["legal_ground"] = legal
        countries = [self.grounds[c].country for c in data.get("grounds", []) if c in self.grounds]
        national = [c for c in countries if c != "EU"]
        if national:
            notice["country"] = national[0]  # the law invoked first
        return {k: v for k, v in notice.items() if v}


def review_token(channel_code: str, fields: dict[str, Any], disclose: bool) -> str:
    """A digest of exactly what will leave: creating needs the token of the package reviewed,
    so a changed notice is reviewed again before it is created."""
    text = json.dumps(
        [channel_code, fields, disclose], sort_keys=True, ensure_ascii=False, default=str
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scrubbed_summary(reports: list[Any]) -> str:
    """The reports' accounts as a starting point for the caseworker's own explanation: scrubbed
    of the reporter's identity and contacts whatever they consented to (the notifier is the
    organisation, not the person), to be rewritten before it leaves."""
    from amparo.intake import disclosure

    rule = disclosure.for_reports(reports).without_identity()
    return "\n\n".join(rule.clean(r.narrative) for r in reports if (r.narrative or "").strip())


def initial(case: Any, channel: Channel, reports: list[Any]) -> dict[str, Any]:
    """What the form starts with: the case's links, the organisation's language, the platform's
    decision reference from the case's latest escalation that recorded one."""
    from amparo.escalations.packaging import notice_language

    links = sorted({link for r in reports for link in (r.accounts or {}).get("links", [])})
    values: dict[str, Any] = {
        "language": notice_language(case, {}),
        "content_urls": "\n".join(links),
    }
    latest = (
        case.escalations.exclude(decision_reference="").order_by("-created_at").first()
        if hasattr(case.escalations.model, "decision_reference")
        else None
    )
    if latest is not None:
        values["decision_reference"] = latest.decision_reference
    return values
