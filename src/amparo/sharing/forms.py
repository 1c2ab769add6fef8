from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.intake.choices import Identity
from amparo.sharing.models import ConnectRequest, Distribution


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    hide_members = forms.BooleanField(
        label=_("Hide the list of members from members"),
        required=False,
        help_text=_("Members then see only the group's name and their own membership."),
    )


class InviteForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation to invite"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = list(choices)  # type: ignore[attr-defined]


class ShareTargetForm(forms.Form):
    """Who may see it: the distribution level, and the group or partners when it needs one."""

    distribution = forms.ChoiceField(label=_("Who may see it"), choices=Distribution.choices)
    group = forms.ChoiceField(label=_("Sharing group"), required=False)
    partners = forms.MultipleChoiceField(
        label=_("Partner organisations"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        groups: list[tuple[str, str]] = (),  # type: ignore[assignment]
        partners: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "—"), *groups]  # type: ignore[attr-defined]
        self.fields["partners"].choices = list(partners)  # type: ignore[attr-defined]


class IncidentForm(ShareTargetForm):
    at_risk_group = forms.ChoiceField(
        label=_("At-risk group"), choices=[("", "—"), *Identity.choices], required=False
    )
    include_narrative = forms.BooleanField(
        label=_("Share the account of what happened (scrubbed of who the reporter is)"),
        required=False,
        help_text=_(
            "Only possible when every reporter agreed to their case being used with others."
        ),
    )


class IndicatorForm(ShareTargetForm):
    platform = forms.CharField(label=_("Platform"), max_length=32)
    accounts = forms.CharField(
        label=_("Attacker accounts, one a line"), widget=forms.Textarea, required=False
    )
    urls = forms.CharField(label=_("URLs, one a line"), widget=forms.Textarea, required=False)
    pattern = forms.CharField(label=_("The campaign's pattern"), max_length=500, required=False)
    hashed_only = forms.BooleanField(
        label=_("Share accounts and URLs only as keyed hashes (for matching, not shown)"),
        required=False,
    )


class CollectiveActionForm(ShareTargetForm):
    reference = forms.CharField(label=_("Reference of the action"), max_length=64, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, max_length=2000)


class SourceForm(ShareTargetForm):
    """Share something the organisation already has: a risk period or a detected campaign."""

    source = forms.ChoiceField(label=_("What to share"))

    def __init__(self, *args: Any, sources: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = list(sources)  # type: ignore[attr-defined]
        self.order_fields(["source"])


class ConnectForm(forms.Form):
    purpose = forms.ChoiceField(label=_("What you propose"), choices=ConnectRequest.Purpose.choices)
    message = forms.CharField(
        label=_("Message (no case details)"), max_length=500, required=False, widget=forms.Textarea
    )


class PsiForm(forms.Form):
    partner = forms.ChoiceField(label=_("Partner organisation"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = list(choices)  # type: ignore[attr-defined]


class BreakdownForm(forms.Form):
    rows = forms.ChoiceField(
        label=_("Rows"),
        required=False,
        choices=[
            ("platform", _("Platform")),
            ("country", _("Country")),
            ("at_risk_group", _("At-risk group")),
            ("week", _("Week")),
        ],
    )
