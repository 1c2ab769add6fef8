from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from amparo.accounts.roles import Role


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.CASEWORKER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_shift_lead = forms.BooleanField(
        label=_("Shift lead (receives response-time alarms)"), required=False
    )


class AcceptInvitationForm(forms.Form):
    display_name = forms.CharField(label=_("Your name as colleagues know it"), max_length=120)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. A passphrase of several words is best."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            from amparo.accounts.models import User

            try:
                password_validation.validate_password(one, User(email=self.email))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


def _period(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=1, max_value=1200, help_text=_("Empty: keep them.")
    )


class RetentionPolicyForm(forms.Form):
    closed_cases_months = _period(_("Closed cases and closed reports, after (months)"))
    campaign_uploads_days = _period(_("Files uploaded for campaign detection, after (days)"))
    remedy_files_months = _period(_("Remedy documents, after (months)"))
    failed_tasks_days = _period(
        _("Failed background tasks and finished outbound messages, after (days)")
    )


class OrganisationIdentityForm(forms.Form):
    """The organisation's legal identity and statuses (``accounts.identity``)."""

    legal_name = forms.CharField(
        label=_("Legal name"),
        max_length=200,
        required=False,
        help_text=_("As registered; it signs notices and complaints. Empty: the display name."),
    )
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=64, required=False
    )
    registration_country = forms.ChoiceField(
        label=_("Country of registration (where it is established)"), required=False
    )
    postal_address = forms.CharField(
        label=_("Postal address"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notice_email = forms.EmailField(
        label=_("Role e-mail address for notices"),
        required=False,
        help_text=_(
            "The notifier's address in every notice (DSA Art 16(2)(c)) and the contact on "
            "complaints: a role address such as dsa@ or legal@, never a person's own."
        ),
    )
    trusted_flagger_awarded_by = forms.ChoiceField(
        label=_("Trusted flagger status awarded by the Digital Services Coordinator of"),
        required=False,
        help_text=_(
            "DSA Art 22(2): the coordinator of the member state where you are established."
        ),
    )
    trusted_flagger_since = forms.DateField(
        label=_("Awarded on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    partner_programmes = forms.MultipleChoiceField(
        label=_("The platforms' partner programmes you belong to"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        countries: list[tuple[str, str]] = (),  # type: ignore[assignment]
        member_states: list[tuple[str, str]] = (),  # type: ignore[assignment]
        programmes: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        self.fields["registration_country"].choices = [*blank, *countries]  # type: ignore[attr-defined]
        self.fields["trusted_flagger_awarded_by"].choices = [*blank, *member_states]  # type: ignore[attr-defined]
        self.fields["partner_programmes"].choices = list(programmes)  # type: ignore[attr-defined]
