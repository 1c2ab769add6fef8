"""A campaign's evidence (the engine's nested dictionary) as tables for the page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

#: Lists of rows in the evidence: key -> (title, [(field, column heading), ...]).
LISTS = {
    "texts": (_("Texts posted together"), [("text", _("Text")), ("posts", _("Posts"))]),
    "links": (_("Links shared together"), [("url", _("Link")), ("posts", _("Posts"))]),
    "repost_targets": (
        _("Items reposted together"),
        [("item", _("Item")), ("posts", _("Posts"))],
    ),
    "reply_targets": (
        _("Items replied to together"),
        [("item", _("Item")), ("posts", _("Posts"))],
    ),
    "bursts": (
        _("Enforcement bursts this group preceded"),
        [("burst", _("Burst")), ("posts_addressing_targets", _("Posts addressing its targets"))],
    ),
    "linked_groups": (
        _("Groups that preceded this burst"),
        [
            ("campaign", _("Campaign")),
            ("posts_addressing_targets", _("Posts addressing its targets")),
        ],
    ),
}
LABELS = {
    "coordinated_share": _("Share of the members' posts that co-acted with another member"),
    "accounts": _("Accounts"),
    "posts": _("Posts"),
    "seconds": _("Seconds from first to last post"),
    "concentration": _("Share of the item's posts inside the burst"),
    "new_accounts_share": _("Share of new accounts"),
    "community": _("Community"),
    "count": _("Actions"),
    "expected": _("Actions expected"),
}


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def evidence_tables(evidence: dict[str, Any]) -> list[dict[str, Any]]:
    """``[{"title", "columns", "rows"}]``: a summary table of the single values, one table
    per kind of co-action, and one per list of texts, links, items or values."""
    tables: list[dict[str, Any]] = []
    summary = [
        [LABELS.get(k, k.replace("_", " ")), _cell(v)]
        for k, v in evidence.items()
        if not isinstance(v, dict | list) or k == "items"
    ]
    if "origin" in evidence:
        o = evidence["origin"]
        summary.append(
            [
                _("Account that first posted most of what the group co-acted on"),
                f"{o.get('account')} ({o.get('share', 0):.0%})",
            ]
        )
    if isinstance(evidence.get("actions"), dict):
        summary += [
            [_("Actions: %(a)s") % {"a": a}, _cell(n)] for a, n in evidence["actions"].items()
        ]
    if summary:
        tables.append(
            {"title": _("Summary"), "columns": [_("Measure"), _("Value")], "rows": summary}
        )
    per_kind = evidence.get("per_kind")
    if isinstance(per_kind, dict) and per_kind:
        tables.append(
            {
                "title": _("Co-actions by kind"),
                "columns": [_("Kind"), _("Coordinated posts"), _("Distinct keys")],
                "rows": [
                    [k, _cell(v.get("posts")), _cell(v.get("keys"))] for k, v in per_kind.items()
                ],
            }
        )
    for key, value in evidence.items():
        if not isinstance(value, list) or not value or not isinstance(value[0], dict):
            continue
        if key in LISTS:
            title, fields = LISTS[key]
        elif key.endswith("_values"):
            title = _("%(kind)s values used together") % {"kind": key.removesuffix("_values")}
            fields = [("value", _("Value")), ("posts", _("Posts"))]
        else:
            fields = [(f, f.replace("_", " ")) for f in value[0]]
            title = key.replace("_", " ")
        tables.append(
            {
                "title": title,
                "columns": [h for _f, h in fields],
                "rows": [[_cell(row.get(f, "")) for f, _h in fields] for row in value],
            }
        )
    return tables
