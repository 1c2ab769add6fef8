"""A scorecard as published files: static HTML, a methodology page, CSV and PDF.

Everything published is computed from ``figures.published``: counts under the threshold are
withheld with complementary suppression, rates only where both their parts are published,
medians only over at least ``threshold`` durations. Staff assessments are published as they
are: they describe the platform's public conduct, with their source, never a person.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from amparo.core.platforms import platform_name
from amparo.scorecards.actions import ACTIONS
from amparo.scorecards.card import Scorecard
from amparo.scorecards.figures import published


@dataclass(frozen=True)
class Files:
    html: str
    methodology_html: str
    csv: str
    pdf: bytes

    def digests(self) -> dict[str, str]:
        return {
            "scorecard.html": hashlib.sha256(self.html.encode()).hexdigest(),
            "methodology.html": hashlib.sha256(self.methodology_html.encode()).hexdigest(),
            "scorecard.csv": hashlib.sha256(self.csv.encode()).hexdigest(),
            "scorecard.pdf": hashlib.sha256(self.pdf).hexdigest(),
        }


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def context(card: Scorecard, published_on: date) -> dict[str, Any]:
    actions = []
    for ac in card.actions:
        actions.append(
            {
                "action": ac.action,
                "assessment": ac.current,
                "indicators": [
                    {"indicator": i, "table": published(i, card.threshold)} for i in ac.indicators
                ],
            }
        )
    return {
        "card": card,
        "platform_name": platform_name(card.platform),
        "actions": actions,
        "threshold": card.threshold,
        "withheld": _("withheld"),
        "published_on": published_on,
        "organisation": card.organisation,
    }


def render_csv(card: Scorecard) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["platform", "period_start", "period_end", "action", "indicator", "row", "column", "value"]
    )
    head = [card.platform, card.period.start.isoformat(), card.period.end.isoformat()]
    for ac in card.actions:
        a = ac.action.number
        if ac.current:
            writer.writerow([*head, a, "assessment", "", "finding", ac.current.finding])
            writer.writerow([*head, a, "assessment", "", "source_url", ac.current.source_url])
            writer.writerow(
                [*head, a, "assessment", "", "source_date", ac.current.source_date.isoformat()]
            )
        elif not ac.action.measured:
            writer.writerow([*head, a, "assessment", "", "finding", ""])
        for ind in ac.indicators:
            table = published(ind, card.threshold)
            codes = [c for c, _l in ind.columns]
            lines = [*table["rows"], *([table["total"]] if table["total"] else [])]
            for line in lines:
                label = line["key"] or "all"
                for code, value in zip(codes, line["cells"], strict=True):
                    writer.writerow(
                        [*head, a, ind.code, label, code, "" if value is None else value]
                    )
                writer.writerow(
                    [
                        *head,
                        a,
                        ind.code,
                        label,
                        "rate",
                        "" if line["rate"] is None else f"{line['rate']:.3f}",
                    ]
                )
                writer.writerow(
                    [*head, a, ind.code, label, "n", "" if line["n"] is None else line["n"]]
                )
                writer.writerow(
                    [
                        *head,
                        a,
                        ind.code,
                        label,
                        f"median_{ind.unit}",
                        "" if line["median"] is None else line["median"],
                    ]
                )
    return out.getvalue()


def render_pdf(card: Scorecard, published_on: date) -> bytes:
    """The PDF with the embedded Unicode font the remedies documents use."""
    from amparo.engines.remedies.documents.compose import Block
    from amparo.engines.remedies.documents.pdf import render_pdf as _render

    withheld = _("withheld")
    title = _("Scorecard of %(platform)s against the 10 US-EU recommended actions") % {
        "platform": platform_name(card.platform)
    }
    blocks = [
        Block("title", title),
        Block(
            "line",
            _("%(organisation)s · %(start)s to %(end)s · published %(on)s")
            % {
                "organisation": card.organisation.name,
                "start": card.period.start.isoformat(),
                "end": card.period.end.isoformat(),
                "on": published_on.isoformat(),
            },
        ),
        Block(
            "para",
            _(
                "Counts under %(threshold)d are withheld, and so are some larger ones where "
                "they would give a small one away."
            )
            % {"threshold": card.threshold},
        ),
    ]
    for ac in card.actions:
        blocks.append(Block("heading", f"{ac.action.number}. {ac.action.title}"))
        if ac.current:
            a = ac.current
            blocks.append(
                Block(
                    "para",
                    f"{a.get_finding_display()}: {a.summary} — {a.source_title}, "
                    f"{a.source_date.isoformat()} <{a.source_url}>",
                )
            )
        elif not ac.action.measured:
            blocks.append(Block("para", _("Not yet assessed.")))
        for ind in ac.indicators:
            table = published(ind, card.threshold)
            blocks.append(Block("line", ind.title))
            for fact in ind.facts:
                blocks.append(Block("item", fact))
            lines = [*table["rows"], *([table["total"]] if table["total"] else [])]
            if not lines:
                blocks.append(Block("item", _("No cases in the period.")))
            for line in lines:
                label = line["label"] or _("All")
                n = withheld if line["n"] is None else str(line["n"])
                median = "" if line["median"] is None else f"; {ind.duration}: {line['median']}"
                blocks.append(Block("item", f"{label}: {_pct(line['rate'])} (n = {n}){median}"))
    pdf, _font = _render(blocks, title=title, created=published_on)
    return pdf


def render(card: Scorecard, published_on: date) -> Files:
    ctx = context(card, published_on)
    return Files(
        html=render_to_string("scorecards/published.html", ctx),
        methodology_html=render_to_string(
            "scorecards/methodology.html", {**ctx, "all_actions": ACTIONS}
        ),
        csv=render_csv(card),
        pdf=render_pdf(card, published_on),
    )
