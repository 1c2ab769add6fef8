"""One form per action on an escalation (the services check the rules; these check the input)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.escalations.models import Outcome

# Labels of the notice fields a caseworker types (``create(..., notice=...)``); which fields
# there are is the package builder's (``packaging.NOTICE_KEYS``).
NOTICE_FIELDS: list[tuple[str, Any]] = [
    ("explanation", _("Why the content is illegal or the decision wrong (explanation)")),
    ("legal_ground", _("Legal ground (the law or the platform's rule)")),
    ("requested_action", _("What you ask the platform to do")),
    ("content_urls", _("Exact URLs of the content, one a line")),
    ("decision_reference", _("The platform's reference of its decision")),
    ("decision_date", _("Day of the platform's decision")),
    ("prior_complaint_reference", _("Reference of an earlier complaint")),
    ("statement_of_reasons", _("The platform's statement of reasons")),
    ("language", _("Language of the notice")),
    ("country", _("Country whose law the content breaks")),
]
_LONG = {"explanation", "legal_ground", "content_urls", "statement_of_reasons"}


def notice_keys() -> list[str]:
    from amparo.escalations import packaging

    keys = getattr(packaging, "NOTICE_KEYS", None)
    return list(keys) if keys else [k for k, _label in NOTICE_FIELDS]


def _day(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


class SendForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference number the form gave you"), max_length=200, required=False
    )


class SentByHandForm(forms.Form):
    sent_on = _day(_("Day it was sent"))
    reference = forms.CharField(
        label=_("Reference the platform gave (optional)"), max_length=200, required=False
    )


class ResponseForm(forms.Form):
    received_on = _day(_("Day the answer arrived"), required=False)
    text = forms.CharField(
        label=_("The response or statement of reasons (paste it)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=50_000,
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False
    )
    account_restored_on = _day(_("Account restored on"), required=False)
    decision_reference = forms.CharField(
        label=_("The platform's reference of its decision"), max_length=200, required=False
    )
    content_id = forms.CharField(
        label=_("The platform's content id (if the statement does not say it)"),
        max_length=200,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        today = timezone.localdate().isoformat()
        for name in ("received_on", "account_restored_on"):
            self.fields[name].widget.attrs["max"] = today


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False
    )


class EditForm(forms.Form):
    """The notice fields and the identity choices; the package is rebuilt from them."""

    disclose_identity = forms.BooleanField(
        label=_("Share the reporter's identity with the platform (only with their consent)"),
        required=False,
    )
    asked_and_confirmed = forms.BooleanField(
        label=_("I asked the reporter and they agreed to this disclosure"), required=False
    )

    def __init__(self, *args: Any, kept_keys: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(NOTICE_FIELDS)
        keys = notice_keys()
        keys += [k for k in kept_keys or [] if k not in keys]
        for key in keys:
            self.fields[f"notice_{key}"] = forms.CharField(
                label=labels.get(key, key.replace("_", " ").capitalize()),
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 3}) if key in _LONG else forms.TextInput(),
            )

    def notice(self) -> dict[str, str]:
        return {
            name.removeprefix("notice_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("notice_") and value
        }
