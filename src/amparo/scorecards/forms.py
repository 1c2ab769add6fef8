"""One form per action of the scorecard pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.platforms import platform_choices
from amparo.scorecards.actions import ACTIONS
from amparo.scorecards.models import Finding
from amparo.scorecards.suppression import DEFAULT_THRESHOLD

DEFAULT_DAYS = 90


def default_period() -> tuple[Any, Any]:
    today = timezone.localdate()
    return today - timedelta(days=DEFAULT_DAYS - 1), today


class _Period(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"))
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To (included)"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = platform_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The period must end on or after the day it starts."))
        return data


class ScorecardFilter(_Period):
    @classmethod
    def from_query(cls, query: Any) -> ScorecardFilter:
        start, end = default_period()
        data = {
            "platform": query.get("platform") or "facebook",
            "start": query.get("start") or start.isoformat(),
            "end": query.get("end") or end.isoformat(),
        }
        return cls(data)


class PublishForm(_Period):
    threshold = forms.IntegerField(
        label=_("Withhold counts under"), min_value=2, max_value=100, initial=DEFAULT_THRESHOLD
    )


class AssessmentForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"))
    action = forms.TypedChoiceField(label=_("Action"), coerce=int)
    finding = forms.ChoiceField(label=_("Finding"), choices=Finding.choices)
    summary = forms.CharField(
        label=_("What the source shows"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    source_title = forms.CharField(label=_("Source (title)"), max_length=200)
    source_url = forms.URLField(
        label=_("Link to the source"), max_length=500, assume_scheme="https"
    )
    source_date = forms.DateField(
        label=_("Date of the source"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = platform_choices()  # type: ignore[attr-defined]
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            (a.number, f"{a.number}. {a.title}") for a in ACTIONS
        ]
        for name in self.fields:
            self.fields[name].widget.attrs.setdefault("id", f"assessment-{name}")


class CompareForm(forms.Form):
    """Two to four columns, each a platform and a period (``platform_1``, ``start_1`` ...)."""

    COLUMNS = 4

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, self.COLUMNS + 1):
            required = i <= 2
            self.fields[f"platform_{i}"] = forms.ChoiceField(
                label=_("Platform %(n)d") % {"n": i},
                choices=[("", "—"), *platform_choices()],
                required=required,
            )
            self.fields[f"start_{i}"] = forms.DateField(
                label=_("From"), required=required, widget=forms.DateInput(attrs={"type": "date"})
            )
            self.fields[f"end_{i}"] = forms.DateField(
                label=_("To (included)"),
                required=required,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def columns(self) -> list[tuple[str, Any, Any]]:
        out = []
        for i in range(1, self.COLUMNS + 1):
            p, s, e = (self.cleaned_data.get(f"{k}_{i}") for k in ("platform", "start", "end"))
            if p and s and e:
                out.append((p, s, e))
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(1, self.COLUMNS + 1):
            s, e = data.get(f"start_{i}"), data.get(f"end_{i}")
            if s and e and e < s:
                self.add_error(f"end_{i}", _("The period must end on or after the day it starts."))
        return data
