"""The form of one demand: used by the page and, row by row, by the CSV import, so that both
refuse the same things with the same words."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.core.platforms import platform_choices
from amparo.takedowns.models import Response, Scope, Source

COUNTRY = re.compile(r"^[A-Z]{2}$")
MAX_TARGETS = 500


def parse_targets(text: str) -> list[dict[str, str]]:
    """One target a line (or separated by ``;`` in a CSV cell): a URL, or an account."""
    out = []
    for raw in re.split(r"[\n;]", text or ""):
        value = raw.strip()
        if value:
            kind = "url" if value.lower().startswith(("http://", "https://")) else "account"
            out.append({"kind": kind, "value": value[:500]})
    return out


class DemandForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"))
    authority_country = forms.CharField(
        label=_("Country of the authority"), max_length=60, help_text=_("Two letters, e.g. TR, VN.")
    )
    authority = forms.CharField(label=_("Authority (body)"), max_length=200)
    legal_basis = forms.CharField(label=_("Legal basis cited"), max_length=300, required=False)
    demanded_on = forms.DateField(
        label=_("Date of the demand"), widget=forms.DateInput(attrs={"type": "date"})
    )
    country = forms.CharField(
        label=_("Country affected"),
        max_length=60,
        required=False,
        help_text=_("Where the targets are blocked or live; the authority's country if empty."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices)
    source = forms.ChoiceField(label=_("How we know"), choices=Source.choices)
    targets = forms.CharField(
        label=_("Targets (accounts and URLs, one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    source_reference = forms.CharField(
        label=_("Where it is documented (link or reference)"), max_length=500, required=False
    )
    response = forms.ChoiceField(
        label=_("The platform's response"), choices=Response.choices, initial=Response.UNKNOWN
    )
    responded_on = forms.DateField(
        label=_("Responded on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    case_reference = forms.CharField(label=_("Case reference"), max_length=12, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = platform_choices()  # type: ignore[attr-defined]

    def _country(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip().upper()
        if value and not COUNTRY.match(value):
            raise forms.ValidationError(_("Give the country as two letters (ISO 3166-1), e.g. TR."))
        return value

    def clean_authority_country(self) -> str:
        return self._country("authority_country")

    def clean_country(self) -> str:
        return self._country("country")

    def clean_targets(self) -> list[dict[str, str]]:
        targets = parse_targets(self.cleaned_data.get("targets") or "")
        if len(targets) > MAX_TARGETS:
            raise forms.ValidationError(
                _("At most %(n)d targets in one demand.") % {"n": MAX_TARGETS}
            )
        return targets

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        asked, answered = data.get("demanded_on"), data.get("responded_on")
        if asked and answered and answered < asked:
            self.add_error("responded_on", _("The response cannot come before the demand."))
        if answered and data.get("response") == Response.UNKNOWN:
            self.add_error("response", _("Say what the platform did, or leave the date empty."))
        return data


class ResponseForm(forms.Form):
    response = forms.ChoiceField(label=_("The platform's response"), choices=Response.choices)
    responded_on = forms.DateField(
        label=_("Responded on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
