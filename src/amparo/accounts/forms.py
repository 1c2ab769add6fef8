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
