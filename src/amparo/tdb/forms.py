"""The filters every Transparency Database page shares, and each page's own choices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.engines.tdb import lens, queries, schema, search
from amparo.engines.tdb.queries import Filter
from amparo.engines.tdb.research import SAMPLE_LIMIT, Selection
from amparo.tdb import labels

MAX_DAYS = 3660


def _choices(values: Any) -> list[tuple[str, str]]:
    return [(v, labels.code(v)) for v in sorted(values)]


CATEGORY_CHOICES = _choices(schema.CATEGORIES_V1 | schema.CATEGORIES_V2)
COUNTRY_CHOICES = [(c, c) for c in schema.EEA_COUNTRIES]
DECISION_CHOICES = _choices(schema.AUTOMATED_DECISION)
SOURCE_CHOICES = _choices(schema.SOURCE_TYPE)
GROUND_CHOICES = [("", _("Any ground")), *_choices(schema.DECISION_GROUND)]
DETECTION_CHOICES = [("", _("Either")), ("yes", _("Yes")), ("no", _("No"))]
FIELD_CHOICES = [
    ("all", _("Facts and grounds")),
    ("facts", _("Facts only (decision_facts)")),
    ("grounds", _("Grounds and explanations only")),
]
#: Dimensions a time series may be split by (single-valued or list, from the rollups).
SPLITS = ("platform", "category", "decision_ground", "automated_decision",
          "automated_detection", "source_type", "language", "country")  # fmt: skip


def _multi(label: Any, choices: list[tuple[str, str]]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=choices,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class FilterForm(forms.Form):
    """Which statements: read from the query string, so every result has an address."""

    platform = _multi(_("Platform"), [])
    category = _multi(_("Category"), CATEGORY_CHOICES)
    ground = forms.ChoiceField(label=_("Ground"), required=False, choices=GROUND_CHOICES)
    country = _multi(_("Country (territorial scope)"), COUNTRY_CHOICES)
    detection = forms.ChoiceField(
        label=_("Automated detection"), required=False, choices=DETECTION_CHOICES
    )
    decision = _multi(_("Automated decision"), DECISION_CHOICES)
    source = _multi(_("Who notified"), SOURCE_CHOICES)
    start = forms.DateField(
        label=_("From (day sent to the database)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("To (inclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(
        label=_("Words in the statements"),
        required=False,
        max_length=search.MAX_LENGTH,
        help_text=_(
            'Words must all appear; "a phrase" in quotation marks; OR between alternatives; '
            "-word to exclude; word* for any ending. Accents and case do not matter, and "
            "common words find their translations (election: Wahlen, elecciones…)."
        ),
    )
    where = forms.ChoiceField(
        label=_("Search in"), required=False, choices=FIELD_CHOICES, initial="all"
    )

    def __init__(self, *args: Any, platforms: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["platform"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(p, p) for p in platforms or []]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The last day comes before the first."))
        elif start and end and (end - start).days > MAX_DAYS:
            self.add_error("end", _("Choose at most ten years."))
        text = (data.get("q") or "").strip()
        data["query"] = None
        if text:
            try:
                data["query"] = search.parse(text)
            except search.SearchError as exc:
                self.add_error("q", labels.SEARCH_ERRORS.get(exc.code, str(exc)))
        return data

    def selection(self) -> Selection:
        """The engine's :class:`Selection` for a valid form (or no filters for an unbound one)."""
        if not self.is_bound:
            return Selection()
        data = self.cleaned_data
        filters: list[Filter] = []
        for name, dimension in (
            ("platform", "platform"),
            ("category", "category"),
            ("country", "country"),
            ("decision", "automated_decision"),
            ("source", "source_type"),
        ):
            values = data.get(name) or []
            if values:
                filters.append(Filter(dimension, "in", tuple(values)))
        if data.get("ground"):
            filters.append(Filter("decision_ground", "eq", data["ground"]))
        if data.get("detection"):
            filters.append(Filter("automated_detection", "eq", data["detection"] == "yes"))
        return Selection(
            tuple(filters),
            data.get("start"),
            data.get("end"),
            data.get("query"),
            data.get("where") or "all",
        )

    def describe(self) -> str:
        """The filters in words, for chart titles and the page: "Platform: TikTok · …"."""
        if not self.is_bound or not self.is_valid():
            return str(_("All statements in the store"))
        data = self.cleaned_data
        parts = []
        for name in ("platform", "category", "country", "decision", "source"):
            values = data.get(name) or []
            if values:
                shown = ", ".join(labels.code(v) for v in values)
                parts.append(f"{self.fields[name].label}: {shown}")
        if data.get("ground"):
            parts.append(f"{_('Ground')}: {labels.code(data['ground'])}")
        if data.get("detection"):
            yes = data["detection"] == "yes"
            parts.append(f"{_('Automated detection')}: {_('yes') if yes else _('no')}")
        start, end = data.get("start"), data.get("end")
        if start or end:
            parts.append(
                f"{_('Days')}: {_days(start, _('first day'))} – {_days(end, _('last day'))}"
            )
        if data.get("query") is not None:
            parts.append(f"{_('Text')}: {search.describe(data['query'])}")
        return " · ".join(parts) or str(_("All statements in the store"))


def _days(day: dt.date | None, missing: Any) -> str:
    return day.isoformat() if day else str(missing)


class SeriesForm(forms.Form):
    split = forms.ChoiceField(
        label=_("One line per"),
        required=False,
        choices=[("", _("Nothing: all statements")), *((s, labels.DIMENSIONS[s]) for s in SPLITS)],
    )
    period = forms.ChoiceField(
        label=_("Per"), required=False, choices=[("day", _("day")), ("month", _("month"))]
    )


class LensForm(forms.Form):
    question = forms.ChoiceField(
        label=_("Question"),
        required=False,
        choices=[(q.id, labels.LENS.get(q.id, q.question)) for q in lens.QUESTIONS],
    )


class AggregateForm(forms.Form):
    name = forms.ChoiceField(
        label=_("Standard aggregation"),
        required=False,
        choices=[("", _("None: my own breakdown")), *labels.AGGREGATIONS.items()],
    )
    by = forms.MultipleChoiceField(
        label=_("My own breakdown (up to three, at most one list field)"),
        required=False,
        choices=list(labels.DIMENSIONS.items()),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        by = data.get("by") or []
        if len(by) > 3:
            self.add_error("by", _("Choose at most three."))
        elif by:
            try:
                queries.Aggregation("custom", tuple(by))
            except ValueError:
                self.add_error("by", _("Choose at most one list field (countries, keywords…)."))
        return data

    def aggregation(self) -> tuple[str, tuple[str, ...]]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("by"):
            return "custom", tuple(data["by"])
        agg = queries.by_name(data.get("name") or "simple")
        return agg.name, agg.dimensions


class SampleForm(forms.Form):
    size = forms.IntegerField(
        label=_("How many statements"), required=False, min_value=1, max_value=SAMPLE_LIMIT
    )
    seed = forms.IntegerField(
        label=_("Seed (the same seed gives the same sample)"),
        required=False,
        min_value=0,
        max_value=2**31,
    )


class MatchForm(forms.Form):
    file = forms.FileField(
        label=_("File of post addresses or content ids (text or CSV)"),
        help_text=_(
            "One per line: a post's address (Facebook, Instagram, X, YouTube, TikTok, LinkedIn, "
            "Telegram), or platform,content id, or a content id alone. A header row with url, "
            "content_id and platform columns is read too. At most 5,000 lines."
        ),
    )
    platform = forms.ChoiceField(label=_("Platform of ids given alone"), required=False, choices=[])
    output = forms.ChoiceField(
        label=_("Answer as"),
        required=False,
        choices=[("page", _("This page")), ("csv", _("CSV file")), ("parquet", _("Parquet file"))],
    )

    def __init__(self, *args: Any, platforms: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["platform"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Any platform")), *((p, p) for p in platforms or [])]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if getattr(upload, "too_large", False) or upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
