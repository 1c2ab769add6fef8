"""The forms of the campaign pages: a detection run (files and every parameter a coordinator
may set), a campaign's review and its link to a case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.campaigns.models import Campaign
from amparo.engines.campaigns.model import BASE_KINDS, EXTRA_KINDS, Params

_DEFAULTS = Params()
KIND_CHOICES = [
    ("text", _("Near-identical texts and paraphrases")),
    ("link", _("Links")),
    ("repost", _("Reposts of the same item")),
    ("reply", _("Replies to the same item")),
    ("hashtag", _("Hashtags")),
    ("media", _("Images and videos (perceptual hashes)")),
    ("domain", _("Web sites (domains of links)")),
]
assert {k for k, _label in KIND_CHOICES} == {*BASE_KINDS, *EXTRA_KINDS}


class DetectionForm(forms.Form):
    """Every field may be left empty: the engine's default is used (shown as the
    field's initial value)."""

    threshold = forms.FloatField(
        required=False,
        label=_("Text similarity threshold (0–1)"),
        min_value=0.05,
        max_value=1.0,
        initial=_DEFAULTS.threshold,
    )
    word_threshold = forms.FloatField(
        required=False,
        label=_("Paraphrase threshold: shared words (0–1; 0 turns it off)"),
        min_value=0.0,
        max_value=1.0,
        initial=_DEFAULTS.word_threshold,
    )
    windows = forms.CharField(
        required=False,
        label=_("Co-action windows (seconds, comma-separated)"),
        initial=",".join(map(str, _DEFAULTS.windows)),
        max_length=60,
    )
    min_shared = forms.IntegerField(
        required=False,
        label=_("Co-actions a pair needs"),
        min_value=1,
        initial=_DEFAULTS.min_shared,
    )
    min_score = forms.FloatField(
        required=False,
        label=_("Minimum score (-log10 of the chance of the co-actions)"),
        min_value=0.0,
        initial=_DEFAULTS.min_score,
    )
    min_support = forms.IntegerField(
        required=False,
        label=_("Common neighbours that keep a weaker pair inside a dense group (0: off)"),
        min_value=0,
        initial=_DEFAULTS.min_support,
    )
    max_key_accounts = forms.IntegerField(
        required=False,
        label=_("An item shared by more accounts links no one (0: no limit)"),
        min_value=0,
        initial=_DEFAULTS.max_key_accounts,
    )
    relay_min_items = forms.IntegerField(
        required=False,
        label=_(
            "An account that first posted this many items others re-posted is a source, "
            "and its followers are not a campaign (0: off)"
        ),
        min_value=0,
        initial=_DEFAULTS.relay_min_items,
    )
    kinds = forms.MultipleChoiceField(
        required=False,
        label=_("Co-actions to look at"),
        choices=KIND_CHOICES,
        initial=list(_DEFAULTS.kinds),
        widget=forms.CheckboxSelectMultiple,
    )
    key_columns = forms.CharField(
        label=_("Other columns whose values are co-action keys (comma-separated)"),
        required=False,
        max_length=200,
    )
    mob_min_accounts = forms.IntegerField(
        required=False,
        label=_("Flash mobs: accounts on one item within a minute (0 turns them off)"),
        min_value=0,
        initial=_DEFAULTS.mob_min_accounts,
    )
    case_actions = forms.BooleanField(
        label=_("Also use suspensions and removals reported in our cases"),
        required=False,
        initial=True,
    )

    def clean_windows(self) -> list[int]:
        raw = self.cleaned_data["windows"] or ",".join(map(str, _DEFAULTS.windows))
        try:
            windows = sorted({int(w) for w in raw.replace(" ", "").split(",") if w})
        except ValueError:
            raise forms.ValidationError(_("Give whole seconds, such as 30,120,600.")) from None
        if not windows or windows[0] <= 0 or windows[-1] > 86400 or len(windows) > 6:
            raise forms.ValidationError(_("Give one to six windows between 1 and 86400 seconds."))
        return windows

    def clean_key_columns(self) -> list[str]:
        raw = self.cleaned_data.get("key_columns") or ""
        return [c.strip() for c in raw.split(",") if c.strip()][:5]

    def params(self) -> dict[str, Any]:
        """The engine parameters, as stored with the run (JSON); defaults for empty fields."""
        d = self.cleaned_data
        kinds = [*(d["kinds"] or _DEFAULTS.kinds), *(f"key:{c}" for c in d["key_columns"])]
        out: dict[str, Any] = {"windows": d["windows"], "kinds": kinds}
        for name in (
            "threshold",
            "word_threshold",
            "min_shared",
            "min_score",
            "min_support",
            "max_key_accounts",
            "relay_min_items",
            "mob_min_accounts",
        ):
            value = d.get(name)
            out[name] = getattr(_DEFAULTS, name) if value is None else value
        return out


class ReviewForm(forms.Form):
    """A coordinator's review of a campaign: to review, confirmed or dismissed."""

    verdict = forms.ChoiceField(choices=Campaign.Review.choices)


class LinkCaseForm(forms.Form):
    """Link a campaign to a case of the organisation, by the case's reference."""

    case = forms.CharField(
        label=_("Link to case (reference)"),
        max_length=20,
        error_messages={"required": _("Type the reference of the case, such as C-7K2M9QX.")},
    )

    def clean_case(self) -> str:
        return str(self.cleaned_data["case"]).strip().upper()
