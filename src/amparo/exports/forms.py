"""The export form (dataset, format, dates, platform) and the export-token form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.core.platforms import platform_choices
from amparo.exports.registry import Dataset, ExportQuery

FORMAT_CHOICES = (
    ("csv", _("CSV (comma-separated text)")),
    ("xlsx", _("Excel workbook (XLSX)")),
    ("json", _("JSON (for programs)")),
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ExportForm(forms.Form):
    dataset = forms.ChoiceField(label=_("Dataset"))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=FORMAT_CHOICES,
        initial="csv",
        required=False,  # CSV when not given
        widget=forms.RadioSelect,
    )
    bom = forms.BooleanField(
        label=_("Add a byte order mark (CSV), so that spreadsheet programs read accents right"),
        required=False,
    )
    since = forms.DateField(label=_("From (inclusive)"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Until (inclusive)"), required=False, widget=DateInput())
    platform = forms.ChoiceField(label=_("Platform"), required=False)

    def __init__(self, *args: Any, datasets: Sequence[Dataset], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.datasets = {d.name: d for d in datasets}
        cast(forms.ChoiceField, self.fields["dataset"]).choices = [
            (d.name, d.title) for d in datasets
        ]
        cast(forms.ChoiceField, self.fields["platform"]).choices = [
            ("", _("All platforms")),
            *platform_choices(),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dataset = self.datasets.get(data.get("dataset") or "")
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the range is before its start."))
        if dataset is not None and not dataset.has_date_range and (since or until):
            self.add_error("since", _("This dataset has no date range: leave the dates empty."))
        if dataset is not None and not dataset.platform_filter and data.get("platform"):
            self.add_error("platform", _("This dataset cannot be filtered by platform."))
        return data

    def clean_format(self) -> str:
        return self.cleaned_data.get("format") or "csv"

    def chosen_dataset(self) -> Dataset:
        return self.datasets[self.cleaned_data["dataset"]]

    def query(self, organisation: Any) -> ExportQuery:
        d = self.cleaned_data
        return ExportQuery(
            organisation=organisation,
            since=d.get("since"),
            until=d.get("until"),
            platform=d.get("platform") or "",
        )


class ExportTokenForm(forms.Form):
    name = forms.CharField(label=_("Name of the token"), max_length=100)
    datasets = forms.MultipleChoiceField(
        label=_("Datasets it may export"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, datasets: Sequence[Dataset], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.known = {d.name: d for d in datasets}
        cast(forms.ChoiceField, self.fields["datasets"]).choices = [
            (d.name, d.title) for d in datasets
        ]

    def chosen(self) -> list[Dataset]:
        return [self.known[name] for name in self.cleaned_data["datasets"]]
