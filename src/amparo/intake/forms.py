"""The report form, used by the public page, intermediaries, the API and bulk import alike, so
every channel validates the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from amparo.core.countries import country_choices, is_country
from amparo.core.platforms import platform_choices
from amparo.intake.choices import (
    RISK_FLAGS,
    ContactMethod,
    Identity,
    IncidentType,
    YesNo,
    YesNoAsk,
)

MAX_TEXT = 20_000
MAX_LINES = 50


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()][:MAX_LINES]


@lru_cache(maxsize=64)
def _platform_choices(language: str) -> tuple[tuple[str, str], ...]:
    # Platform names are brands, the same in every language.
    return (("", "—"), *platform_choices())


@lru_cache(maxsize=64)
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        return (("", "—"), *country_choices())


class PerLanguageChoices(BaseChoiceIterator):
    """Choices built once per process and language, in the language active when they are
    read (rendered or validated), instead of being rebuilt for every form."""

    def __init__(self, build: Callable[[str], tuple[tuple[str, str], ...]]) -> None:
        self.build = build

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.build(translation.get_language() or settings.LANGUAGE_CODE))

    # Shared, immutable: forms copy their fields, there is nothing to copy here.
    def __copy__(self) -> PerLanguageChoices:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> PerLanguageChoices:
        return self


class ReportForm(forms.Form):
    incident_type = forms.ChoiceField(
        label=_("What happened?"), choices=IncidentType.choices, widget=forms.RadioSelect
    )
    platform = forms.ChoiceField(
        label=_("On which platform or service?"), choices=PerLanguageChoices(_platform_choices)
    )
    narrative = forms.CharField(
        label=_("Tell us what happened, in your own words"),
        help_text=_("Include what you think we should know. You can write in any language."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_TEXT,
    )
    occurred_on = forms.DateField(
        label=_("When did it happen? (approximately)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty if you are not sure."),
    )
    country = forms.ChoiceField(
        label=_("In which country are you now?"),
        required=False,
        choices=PerLanguageChoices(_country_choices),
    )
    affected = forms.CharField(
        label=_("Your affected accounts or pages"),
        required=False,
        max_length=MAX_TEXT,
        help_text=_("Links or @names, one per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    attackers = forms.CharField(
        label=_("Accounts attacking you, if any"),
        required=False,
        max_length=MAX_TEXT,
        help_text=_("Links or @names, one per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    links = forms.CharField(
        label=_("Links to the posts or content concerned"),
        required=False,
        max_length=MAX_TEXT,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    platform_notice = forms.CharField(
        label=_("What did the platform tell you?"),
        required=False,
        max_length=MAX_TEXT,
        help_text=_(
            "Paste the text of any notice or explanation (“statement of reasons”) you received."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    danger_now = forms.BooleanField(
        label=_("Someone is in immediate physical danger"), required=False
    )
    home_address_exposed = forms.BooleanField(
        label=_("My home address or location was published"), required=False
    )
    minor_involved = forms.BooleanField(label=_("A child (under 18) is involved"), required=False)
    arrest_risk = forms.BooleanField(
        label=_("I or someone close to me risks arrest because of this"), required=False
    )
    under_attack_now = forms.BooleanField(
        label=_("My account is being attacked right now"), required=False
    )

    reporter_name = forms.CharField(
        label=_("Your name or a name we can call you"), required=False, max_length=200
    )
    consent_contact = forms.ChoiceField(
        label=_("May we contact you?"),
        choices=YesNo.choices,
        initial=YesNo.NO,
        widget=forms.RadioSelect,
    )
    contact_method = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=[("", "—"), *ContactMethod.choices],
        required=False,
    )
    contact_value = forms.CharField(
        label=_("Your number, address or username for that channel"), required=False, max_length=300
    )
    contact_safety = forms.CharField(
        label=_("Is it safe to contact you there? Anything we should avoid?"),
        required=False,
        max_length=1000,
        help_text=_("For example: do not call, someone else reads my messages, only after 6 pm."),
    )
    consent_share_identity = forms.ChoiceField(
        label=_("May we tell the platform who you are, if that helps your case?"),
        choices=YesNoAsk.choices,
        initial=YesNoAsk.NO,
        widget=forms.RadioSelect,
    )
    consent_collective = forms.ChoiceField(
        label=_("May we include your case, with others like it, in a collective complaint?"),
        choices=YesNoAsk.choices,
        initial=YesNoAsk.ASK,
        widget=forms.RadioSelect,
    )
    consent_statistics = forms.ChoiceField(
        label=_(
            "May we count your case, without anything that identifies you, in public statistics?"
        ),
        choices=YesNo.choices,
        initial=YesNo.YES,
        widget=forms.RadioSelect,
    )
    gender = forms.CharField(
        label=_("Your gender, in your own words (optional)"), required=False, max_length=100
    )
    identities = forms.MultipleChoiceField(
        label=_("Do any of these describe you? (optional)"),
        choices=Identity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # A field people never see; bots fill it in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def clean_occurred_on(self) -> Any:
        value = self.cleaned_data.get("occurred_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return value

    def clean_country(self) -> str:
        value = self.cleaned_data.get("country") or ""
        if value and not is_country(value):
            raise forms.ValidationError(_("Unknown country."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("consent_contact") == YesNo.YES:
            method = data.get("contact_method")
            if not method:
                self.add_error(
                    "contact_method", _("Choose how we may contact you, or answer “No” above.")
                )
            elif method != ContactMethod.FOLLOW_UP_ONLY and not data.get("contact_value"):
                self.add_error("contact_value", _("Tell us where to reach you on that channel."))
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def report_fields(self) -> dict[str, Any]:
        """What services.submit_report takes, from cleaned data."""
        d = self.cleaned_data
        contact = d.get("consent_contact") == YesNo.YES
        return {
            "incident_type": d["incident_type"],
            "platform": d["platform"],
            "country": d.get("country") or "",
            "occurred_on": d.get("occurred_on"),
            "narrative": d["narrative"],
            "platform_notice": d.get("platform_notice") or "",
            "accounts": {
                "affected": _lines(d.get("affected", "")),
                "attackers": _lines(d.get("attackers", "")),
                "links": _lines(d.get("links", "")),
            },
            "reporter": {
                "name": d.get("reporter_name") or "",
                "contact_method": d.get("contact_method") if contact else "",
                "contact_value": d.get("contact_value") if contact else "",
                "contact_safety": d.get("contact_safety") or "",
            },
            "self_description": {
                "gender": d.get("gender") or "",
                "identities": list(d.get("identities") or []),
            },
            "consent_contact": d["consent_contact"],
            "contact_method": (d.get("contact_method") or "") if contact else "",
            "consent_share_identity": d["consent_share_identity"],
            "consent_collective": d["consent_collective"],
            "consent_statistics": d["consent_statistics"],
            **{flag: d.get(flag, False) for flag in RISK_FLAGS},
        }


class IntermediaryReportForm(ReportForm):
    attestation = forms.BooleanField(
        label=_(
            "I confirm the person concerned asked me to report this for them and agreed to each answer about consent above."
        ),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceForm(forms.Form):
    """Rendered for the file input only; files are read with request.FILES.getlist and checked
    one by one by evidence.check, so one bad file never loses the others."""

    # The form's metaclass moves declared fields into ``base_fields``, so this does not replace
    # ``Form.files`` at run time; the input is named "files" in every template and view.
    files = forms.FileField(  # type: ignore[assignment]
        label=_("Add files (screenshots, documents, recordings)"),
        required=False,
        widget=MultipleFileInput(),
        help_text=_(
            "Up to 10 files, 20 MB each. We remove hidden information (such as location) from the copy our staff see."
        ),
    )


class ConsentForm(forms.Form):
    consent_contact = ReportForm.base_fields["consent_contact"]
    consent_share_identity = ReportForm.base_fields["consent_share_identity"]
    consent_collective = ReportForm.base_fields["consent_collective"]
    consent_statistics = ReportForm.base_fields["consent_statistics"]


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_TEXT
    )


class FollowUpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your follow-up code"),
        max_length=200,
        help_text=_("The six words or the 24 digits you were given when you sent your report."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class QuestionForm(forms.Form):
    body = forms.CharField(
        label=_("Question or message for the reporter"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
    )


class RiskPeriodForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), choices=())
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from amparo.intake.models import RiskPeriod

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = country_choices()
        cast(forms.ChoiceField, self.fields["kind"]).choices = RiskPeriod.Kind.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end is before the start."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (CSV or XLSX)"))


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What is this token for?"), max_length=100)
