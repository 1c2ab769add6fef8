"""One form per thing done on a case's remedies page and on a remedy step's page. The forms
check what was typed; the services check what the law and the step's state allow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.engines.remedies.ladder import DECISION_TYPES
from amparo.remedies import routes
from amparo.remedies.models import RemedyStep
from amparo.remedies.services import DOCUMENT_LANGUAGES

#: Longest text typed into a document (facts, grounds, request, the person's account).
MAX_TEXT = 20_000


class DecisionForm(forms.Form):
    """The platform's decision, the day the person was informed of it and who acts on it."""

    decision_type = forms.ChoiceField(
        label=_("Decision"),
        choices=[(t, routes.DECISION_LABELS.get(t, t)) for t in sorted(DECISION_TYPES)],
        error_messages={
            "required": _("Unknown decision type."),
            "invalid_choice": _("Unknown decision type."),
        },
    )
    acting_as = forms.ChoiceField(
        label=_("Who acts"),
        choices=[("", "—"), *routes.ACTOR_LABELS.items()],
        required=False,
        error_messages={
            "invalid_choice": _("Say who acts: the person, a representative or a notifier.")
        },
    )
    represented = forms.BooleanField(required=False)
    decision_ground = forms.ChoiceField(
        label=_("Ground the platform gave"),
        choices=list(routes.GROUND_LABELS.items()),
        required=False,
        error_messages={"invalid_choice": _("Unknown ground of the decision.")},
    )
    informed_on = forms.DateField(
        label=_("The person was informed on"),
        error_messages={
            "required": _("Enter the day the person was informed of the decision."),
            "invalid": _("Enter the day the person was informed of the decision."),
        },
    )
    decided_on = forms.DateField(
        label=_("Decided on (if different)"),
        required=False,
        error_messages={"invalid": _("Enter the day of the decision as a date, or nothing.")},
    )
    statement_reference = forms.CharField(
        label=_("Reference of the statement of reasons or the content id"),
        max_length=200,
        required=False,
    )
    # The escalation whose response pre-filled the form (looked up among the case's own).
    escalation = forms.UUIDField(required=False)


class PrepareForm(forms.Form):
    """Generate a remedy's document for a decision of the case, with the caseworker's texts."""

    # A decision of the case (any other id answers 404, as a page that does not exist).
    decision = forms.UUIDField()
    code = forms.CharField(
        max_length=60, error_messages={"required": _("This remedy is not open for this decision.")}
    )
    language = forms.ChoiceField(
        label=_("Language of the document"),
        choices=[(lang, lang) for lang in DOCUMENT_LANGUAGES],
        error_messages={
            "required": _(
                "Documents are available in English, French, German, Spanish, Italian, Polish and Dutch."
            ),
            "invalid_choice": _(
                "Documents are available in English, French, German, Spanish, Italian, Polish and Dutch."
            ),
        },
    )
    facts = forms.CharField(required=False, max_length=MAX_TEXT, strip=False)
    arguments = forms.CharField(required=False, max_length=MAX_TEXT, strip=False)
    requested = forms.CharField(required=False, max_length=MAX_TEXT, strip=False)
    requested_action = forms.ChoiceField(
        choices=[
            ("", "—"),
            ("remove", _("Remove the content")),
            ("disable_access", _("Disable access to the content")),
            ("restrict_visibility", _("Restrict the visibility of the content")),
        ],
        required=False,
        error_messages={"invalid_choice": _("Choose what you ask the platform to do.")},
    )
    include_account = forms.BooleanField(required=False)
    account = forms.CharField(required=False, max_length=MAX_TEXT, strip=False)
    ods_body = forms.CharField(required=False, max_length=100)
    identity = forms.BooleanField(required=False)
    asked = forms.BooleanField(required=False)

    def is_for(self, decision_id: Any, code: str) -> bool:
        """Whether this form was posted for the remedy ``code`` of that decision (to show what
        was typed in that remedy's form again)."""
        return self.data.get("decision") == str(decision_id) and self.data.get("code") == code


class FileStepForm(forms.Form):
    """The day a step was filed, and the reference the other side gave."""

    filed_on = forms.DateField(
        label=_("Filed on"),
        error_messages={
            "required": _("Enter the day it was filed."),
            "invalid": _("Enter the day it was filed."),
        },
    )
    reference = forms.CharField(label=_("Reference given"), max_length=200, required=False)


class OutcomeForm(forms.Form):
    """The outcome of a step that was filed, and the day it was decided."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=RemedyStep.Outcome.choices,
        error_messages={
            "required": _("Unknown outcome."),
            "invalid_choice": _("Unknown outcome."),
        },
    )
    decided_on = forms.DateField(
        label=_("Decided on"),
        error_messages={
            "required": _("Enter the day of the decision."),
            "invalid": _("Enter the day of the decision."),
        },
    )
