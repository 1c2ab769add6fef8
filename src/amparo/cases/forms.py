from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.cases.states import CHOOSABLE_OUTCOMES


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note (encrypted, staff only)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    due_at = forms.DateTimeField(
        label=_("Due"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class TransitionForm(forms.Form):
    """Move the case to another status (the service checks the move is allowed now)."""

    to = forms.CharField(
        widget=forms.HiddenInput,
        max_length=30,
        error_messages={"required": _("Choose the status to move the case to.")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", "—"), *CHOOSABLE_OUTCOMES],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the outcomes offered.")},
    )
    account_restored_on = forms.DateField(
        label=_("Account restored on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class TagsForm(forms.Form):
    tags = forms.CharField(label=_("Tags (comma-separated)"), required=False, max_length=500)


class OpenCaseForm(forms.Form):
    title = forms.CharField(label=_("Case title (encrypted)"), max_length=300, required=False)


class MergeForm(forms.Form):
    """Merge another open case of the organisation into this one, by its reference."""

    reference = forms.CharField(
        label=_("Reference of the case to merge into this one"), max_length=9
    )
    confirm = forms.BooleanField(
        label=_("I understand: the other case is closed and everything in it moves here."),
        required=True,
    )


class ReferForm(forms.Form):
    """Refer the case to a partner organisation (the service checks it is one the organisation
    may see, and that the reporter agreed)."""

    partner = forms.UUIDField(
        label=_("Partner organisation"),
        error_messages={
            "required": _("Choose a partner organisation."),
            "invalid": _("Choose a partner organisation."),
        },
    )
    agreed = forms.BooleanField(
        label=_("The reporter agreed to be referred to this partner"), required=False
    )
    asked_identity = forms.BooleanField(
        label=_(
            "I asked the reporter, and they agreed that their name and contacts go to this partner"
        ),
        required=False,
    )


class ReferralAnswerForm(forms.Form):
    """A partner's answer to a referral it received (the service checks it is allowed now)."""

    status = forms.ChoiceField(
        choices=[("accepted", "accepted"), ("declined", "declined"), ("completed", "completed")],
        error_messages={
            "required": _("Unknown answer."),
            "invalid_choice": _("Unknown answer."),
        },
    )


class StatementMatchForm(forms.Form):
    """Save a statement found in the Transparency Database on the case (looked up again)."""

    puid = forms.CharField(
        max_length=200,
        error_messages={"required": _("Choose a statement found for a content id.")},
    )
    statement = forms.CharField(
        max_length=100,
        error_messages={"required": _("Choose a statement found for a content id.")},
    )
