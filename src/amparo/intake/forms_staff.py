"""Forms of the staff's pages on reports (a report's page, the held reports). Kept apart from
``intake.forms``, whose strings reporters read in every reporter language."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class AttachForm(forms.Form):
    """Attach a report to the case of a possibly related report (named by its id)."""

    related = forms.UUIDField()


class EraseForm(forms.Form):
    """Erasing a report asks for its reference, typed, as confirmation (checked here, on the
    server)."""

    confirm_reference = forms.CharField(required=False, max_length=100)

    def __init__(self, *args: Any, reference: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reference = reference

    def clean_confirm_reference(self) -> str:
        typed: str = self.cleaned_data.get("confirm_reference") or ""
        if typed != self.reference:
            raise forms.ValidationError(
                _("The report was not erased: type its reference exactly to confirm.")
            )
        return typed


class IdListField(forms.Field):
    """Ids of ticked rows (checkboxes sharing one name); the view looks them up among what the
    person may act on."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("Choose reports from the list.")}

    def to_python(self, value: Any) -> list[uuid.UUID]:
        try:
            return [uuid.UUID(str(v)) for v in value or []]
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class HeldReportsForm(forms.Form):
    """Which held reports to release or discard: those ticked, or all of them; then
    ``expected`` is the number the caseworker saw (if more were held meanwhile, they look
    again before acting)."""

    scope = forms.ChoiceField(
        choices=[("chosen", "chosen"), ("all", "all")],
        required=False,
        error_messages={"invalid_choice": _("Choose the reports ticked, or all of them.")},
    )
    report = IdListField(required=False)
    expected = forms.IntegerField(required=False, min_value=0)
