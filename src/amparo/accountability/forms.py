from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accountability import labels, reports
from amparo.accountability.data import Filters
from amparo.accountability.models import Method
from amparo.core.countries import country_choices
from amparo.core.platforms import platform_choices
from amparo.intake.choices import IncidentType

DATE = forms.DateInput(attrs={"type": "date"})


def _default_start() -> date:
    return timezone.localdate() - timedelta(days=364)


class FilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    platform = forms.ChoiceField(label=_("Platform"), required=False)
    incident_type = forms.ChoiceField(label=_("Type"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    period = forms.ChoiceField(label=_("Heightened-risk period"), required=False)

    def __init__(self, *args: Any, periods: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self._choices("platform", every + platform_choices())
        self._choices("incident_type", every + list(IncidentType.choices))
        self._choices("country", every + country_choices())
        self._choices(
            "period",
            [("", _("None"))]
            + [
                (
                    str(p.pk),
                    f"{p.get_kind_display()} — {labels.country(p.country)} "
                    f"({p.starts_on.isoformat()} – {p.ends_on.isoformat()})",
                )
                for p in periods
            ],
        )
        self.periods = {str(p.pk): p for p in periods}

    def _choices(self, name: str, choices: list[Any]) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the range is before its start."))
        return data

    def filters(self) -> tuple[Filters, Any]:
        """The filters asked for (the last year by default) and the risk period chosen. A
        period sets the range to itself and the country to its country."""
        data = self.cleaned_data if self.is_valid() else {}
        period = self.periods.get(data.get("period") or "")
        if period is not None:
            return (
                Filters(
                    period.starts_on,
                    period.ends_on,
                    data.get("platform") or "",
                    data.get("incident_type") or "",
                    period.country,
                ),
                period,
            )
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or min(_default_start(), end)
        return (
            Filters(
                start,
                end,
                data.get("platform") or "",
                data.get("incident_type") or "",
                data.get("country") or "",
            ),
            None,
        )


class ComposeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)
    kinds = forms.MultipleChoiceField(
        label=_("Tables"), widget=forms.CheckboxSelectMultiple, required=True
    )
    method = forms.ChoiceField(
        label=_("Protection"),
        choices=Method.choices,
        initial=Method.SUPPRESSION,
        widget=forms.RadioSelect,
    )
    threshold = forms.IntegerField(
        label=_("Suppress counts below"),
        min_value=2,
        max_value=100,
        initial=10,
        help_text=_("Counts from 1 up to this number minus one are suppressed (default 10)."),
    )
    epsilon = forms.FloatField(
        label=_("Privacy budget (epsilon)"),
        min_value=0.01,
        max_value=10,
        initial=1.0,
        required=False,
        help_text=_("For differentially private counts only: smaller is more private."),
    )
    public = forms.BooleanField(
        label=_("Also publish at a public address of this app"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = cast(forms.MultipleChoiceField, self.fields["kinds"])
        kinds.choices = [(k.code, k.title) for k in reports.available_kinds()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        if start and end and (end - start).days > 3 * 366:
            raise forms.ValidationError(_("A report covers at most three years."))
        if end and end > timezone.localdate():
            raise forms.ValidationError(_("The period cannot end in the future."))
        if data.get("method") == Method.DIFFERENTIAL_PRIVACY:
            from importlib.util import find_spec

            if find_spec("opendp") is None:
                # OpenDP is an extra (265 MB): a small server does without it.
                self.add_error(
                    "method",
                    _(
                        "Differentially private counts need OpenDP, which this installation "
                        "does not have (the “dp” extra): choose small-count suppression."
                    ),
                )
            elif not data.get("epsilon"):
                self.add_error("epsilon", _("Give the privacy budget."))
        return data

    def spec(self) -> reports.Spec:
        d = self.cleaned_data
        return reports.Spec(
            title=d["title"],
            start=d["start"],
            end=d["end"],
            kinds=list(d["kinds"]),
            method=d["method"],
            threshold=d["threshold"],
            epsilon=d.get("epsilon") or 1.0,
            public=bool(d.get("public")),
        )
