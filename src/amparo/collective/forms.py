"""One form per action on the collective pages; a form error stops the action."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.collective.models import REMEDIES, Filing, Mandate

REMEDY_LABELS = {
    "art20_priority_complaint": _("Priority complaint to the platform (DSA Art 20 and Art 86(2))"),
    "art21_out_of_court": _("Out-of-court dispute settlement (DSA Art 21)"),
    "art53_complaint": _("Complaint to the Digital Services Coordinator (DSA Art 53)"),
    "representative_action": _("Representative action in court (Directive (EU) 2020/1828)"),
}
REASON_LABELS = {
    "decision": _("a recorded decision of the same type and ground in the window"),
    "incident": _("a case about this kind of decision opened in the window"),
    "campaign_burst": _("an affected account is in an enforcement burst"),
    "co_action": _("an affected account is in a co-action group"),
    "statement": _("a Transparency Database statement with the same ground in the window"),
}
OUTCOME_LABELS = {
    "pending": _("Pending"),
    "restored": _("Restored"),
    "upheld": _("Decision upheld"),
    "reversed_on_appeal": _("Reversed on appeal"),
    "withdrawn": _("Withdrawn"),
}


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    campaign = forms.ChoiceField(label=_("Built from the campaign"), required=False)
    platform = forms.ChoiceField(label=_("Platform"))
    decision_type = forms.ChoiceField(label=_("Decision"))
    decision_ground = forms.ChoiceField(
        label=_("Ground in the statement of reasons"), required=False
    )
    window_start = forms.DateField(
        label=_("Decisions from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    window_end = forms.DateField(
        label=_("Decisions until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    community = forms.CharField(label=_("Community"), max_length=120, required=False)

    def __init__(self, *args: Any, campaigns: list[tuple[str, str]], **kwargs: Any) -> None:
        from amparo.core.platforms import platform_choices
        from amparo.remedies.routes import DECISION_LABELS, GROUND_LABELS

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["campaign"]).choices = [("", _("None")), *campaigns]
        cast(forms.ChoiceField, self.fields["platform"]).choices = platform_choices()
        cast(forms.ChoiceField, self.fields["decision_type"]).choices = [
            (k, v) for k, v in DECISION_LABELS.items() if k not in ("no_action", "content_online")
        ]
        cast(forms.ChoiceField, self.fields["decision_ground"]).choices = list(
            GROUND_LABELS.items()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            raise forms.ValidationError(_("The window cannot end before it starts."))
        return data


class EligibilityForm(forms.Form):
    not_for_profit = forms.BooleanField(
        label=_("We operate on a not-for-profit basis (Art 86(1)(a))"), required=False
    )
    member_state = forms.CharField(
        label=_("Member state under whose law we are constituted (Art 86(1)(b))"),
        max_length=2,
        required=False,
    )
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=64, required=False
    )
    statutory_objectives = forms.CharField(
        label=_("Statutory objectives, as the statutes say them"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    dsa_interest = forms.BooleanField(
        label=_(
            "Our statutory objectives include a legitimate interest in ensuring compliance "
            "with the DSA (Art 86(1)(c))"
        ),
        required=False,
    )
    statutes = forms.FileField(label=_("The statutes (evidence)"), required=False)
    works_through = forms.ChoiceField(
        label=_("Outside the EU: we work through this eligible partner"), required=False
    )

    def __init__(self, *args: Any, partners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["works_through"]).choices = [("", _("None")), *partners]


class PartnerForm(forms.Form):
    partner = forms.ChoiceField(label=_("Partner organisation on this server"))

    def __init__(self, *args: Any, partners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["partner"]).choices = partners


def remedy_choices() -> list[tuple[str, Any]]:
    return [(r, REMEDY_LABELS[r]) for r in REMEDIES]


class RecordMandateForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How the mandate was given"),
        choices=[
            (Mandate.Channel.SIGNED_FORM.value, Mandate.Channel.SIGNED_FORM.label),
            (Mandate.Channel.ORAL_CONSENT.value, Mandate.Channel.ORAL_CONSENT.label),
        ],
    )
    evidence = forms.FileField(label=_("Signed form or recording of the oral consent"))
    remedies = forms.MultipleChoiceField(
        label=_("What it covers"), widget=forms.CheckboxSelectMultiple, choices=remedy_choices
    )
    disclose_name = forms.BooleanField(
        label=_("The person's name may be disclosed to the platform or the regulator"),
        required=False,
    )


class FileForm(forms.Form):
    filed_on = forms.DateField(label=_("Filed on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(
        label=_("Reference given by the recipient"), required=False, max_length=200
    )


class FilingOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("upheld", _("Complaint upheld (decision reversed)")),
            ("partly", _("Partly upheld")),
            ("rejected", _("Rejected")),
            ("no_answer", _("No answer")),
        ],
    )
    decided_on = forms.DateField(
        label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class MemberOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=list(OUTCOME_LABELS.items()))
    restored_on = forms.DateField(
        label=_("Restored on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


PREPARE_KINDS = {
    "priority": Filing.Kind.ART86_PRIORITY,
    "art21": Filing.Kind.ART21,
    "art53": Filing.Kind.ART53_JOINT,
    "art23": Filing.Kind.ART23_NOTICE,
    "representative": Filing.Kind.REPRESENTATIVE_ACTION,
}
