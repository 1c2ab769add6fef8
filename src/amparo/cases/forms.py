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
    to = forms.CharField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *CHOOSABLE_OUTCOMES], required=False
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


class ReferralAnswerForm(forms.Form):
    """A partner's answer to a referral it received (the service checks it is allowed now)."""

    status = forms.ChoiceField(
        choices=[("accepted", "accepted"), ("declined", "declined"), ("completed", "completed")]
    )


class StatementMatchForm(forms.Form):
    """Save a statement found in the Transparency Database on the case (looked up again)."""

    puid = forms.CharField(max_length=200)
    statement = forms.CharField(max_length=100)
