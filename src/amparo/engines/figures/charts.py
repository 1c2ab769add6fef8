"""Accessible charts as SVG, PNG and CSV from one description.

An SVG chart is an image with a name (``role="img"``, ``aria-labelledby`` its ``<title>`` and
``<desc>``); pages show it with its data table and a one-sentence summary, so nothing is only
in the picture. Colours are presentation attributes (never a ``style`` attribute, which a strict
Content-Security-Policy blocks). Right-to-left charts (Arabic, Persian, Urdu) are mirrored:
labels on the right, bars growing to the left, time running right to left.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from html import escape

__all__ = ["Band", "Chart", "Series", "render_csv", "render_svg"]

PALETTE = ("#1b6ca8", "#e07a1f", "#3a9e5c", "#c23b3b", "#7d5ba6", "#8c6d46")
BAND = "#f3d9a4"


@dataclass
class Series:
    name: str
    values: list[float | None]


@dataclass
class Band:
    """A stretch of the x axis shaded behind a line chart (a heightened-risk period)."""

    first: str
    last: str
    name: str


@dataclass
class Chart:
    """``labels`` along one axis; one value per label in each series. ``unit``: ``""`` (a
    count), ``"%"`` (a share, 0-1), ``"h"`` hours or ``"d"`` days."""

    key: str
    title: str
    summary: str
    label_header: str
    labels: list[str]
    series: list[Series]
    kind: str = "bar"  # bar | line
    unit: str = ""
    bands: list[Band] = field(default_factory=list)
    rtl: bool = False
    note: str = ""

    def shown(self, value: float | None) -> str:
        if value is None:
            return "—"
        if self.unit == "%":
            return f"{value:.0%}"
        if self.unit in ("h", "d"):
            return f"{value:,.1f}"
        return f"{value:,.0f}"


def _short(text: str, size: int = 34) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def render_svg(chart: Chart) -> str:
    return _line_svg(chart) if chart.kind == "line" else _bar_svg(chart)


def _open(chart: Chart, width: int, height: int) -> list[str]:
    key = escape(chart.key)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="t-{key} d-{key}" '
        f'font-family="sans-serif" font-size="12" direction="{"rtl" if chart.rtl else "ltr"}">',
        f'<title id="t-{key}">{escape(chart.title)}</title>',
        f'<desc id="d-{key}">{escape(chart.summary)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def _legend(chart: Chart, width: int, y: int) -> list[str]:
    out = []
    for i, s in enumerate(chart.series):
        colour = PALETTE[i % len(PALETTE)]
        x = width - 20 - 180 * (i + 1) if chart.rtl else 20 + 180 * i
        out.append(f'<rect x="{x}" y="{y}" width="10" height="10" fill="{colour}"/>')
        tx, anchor = (x - 4, "end") if chart.rtl else (x + 14, "start")
        out.append(
            f'<text x="{tx}" y="{y + 9}" text-anchor="{anchor}">{escape(_short(s.name, 26))}</text>'
        )
    return out


def _bar_svg(chart: Chart) -> str:
    width, left, bar_h, gap = 760, 230, 14, 8
    groups = max(len(chart.series), 1)
    head = 36 if len(chart.series) > 1 else 14
    row_h = bar_h * groups + gap
    height = head + row_h * max(len(chart.labels), 1) + 12
    values = [v for s in chart.series for v in s.values if v is not None]
    peak = max(values, default=0) or 1
    plot = width - left - 70
    out = _open(chart, width, height)
    if len(chart.series) > 1:
        out += _legend(chart, width, 12)

    def x(pos: float) -> float:
        return width - pos if chart.rtl else pos

    for i, label in enumerate(chart.labels):
        y = head + i * row_h
        lx, anchor = x(left - 8), "end" if not chart.rtl else "start"
        out.append(
            f'<text x="{lx:.1f}" y="{y + bar_h * groups / 2 + 4:.1f}" '
            f'text-anchor="{anchor}">{escape(_short(label))}</text>'
        )
        for j, s in enumerate(chart.series):
            value = s.values[i]
            w = plot * (value or 0) / peak
            by = y + j * bar_h
            bx = x(left + w) if chart.rtl else left
            out.append(
                f'<rect x="{bx:.1f}" y="{by}" width="{w:.1f}" height="{bar_h - 2}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"/>'
            )
            vx = x(left + w + 4)
            out.append(
                f'<text x="{vx:.1f}" y="{by + bar_h - 4}" font-size="11" '
                f'text-anchor="{"end" if chart.rtl else "start"}">{escape(chart.shown(value))}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)


def _line_svg(chart: Chart) -> str:
    width, height, left, right, top, bottom = 760, 320, 60, 30, 40, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in chart.series for v in s.values if v is not None]
    peak = max(values, default=0) or 1
    n = len(chart.labels)

    def px(i: float) -> float:
        pos = left + plot_w * (i / max(n - 1, 1))
        return width - pos if chart.rtl else pos

    def py(v: float) -> float:
        return top + plot_h * (1 - v / peak)

    out = _open(chart, width, height)
    for band in chart.bands:
        if band.first in chart.labels and band.last in chart.labels:
            a, b = px(chart.labels.index(band.first)), px(chart.labels.index(band.last))
            lo, hi = min(a, b) - 4, max(a, b) + 4
            out.append(
                f'<rect x="{lo:.1f}" y="{top}" width="{hi - lo:.1f}" height="{plot_h}" '
                f'fill="{BAND}"><title>{escape(band.name)}</title></rect>'
            )
            out.append(
                f'<text x="{(lo + hi) / 2:.1f}" y="{top - 4}" text-anchor="middle" '
                f'font-size="11">{escape(_short(band.name, 30))}</text>'
            )
    axis_x = left if not chart.rtl else width - left
    out += [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right if not chart.rtl else right}" '
        f'y2="{top + plot_h}" stroke="#888888"/>',
        f'<text x="{axis_x - 6 if not chart.rtl else axis_x + 6}" y="{top + 4}" '
        f'text-anchor="{"end" if not chart.rtl else "start"}">{escape(chart.shown(peak))}</text>',
        f'<text x="{axis_x - 6 if not chart.rtl else axis_x + 6}" y="{top + plot_h}" '
        f'text-anchor="{"end" if not chart.rtl else "start"}">0</text>',
    ]
    step = max(1, n // 8)
    for i in range(0, n, step):
        out.append(
            f'<text x="{px(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'font-size="11">{escape(chart.labels[i])}</text>'
        )
    for j, s in enumerate(chart.series):
        colour = PALETTE[j % len(PALETTE)]
        points = " ".join(
            f"{px(i):.1f},{py(v):.1f}" for i, v in enumerate(s.values) if v is not None
        )
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        for i, v in enumerate(s.values):
            if v is not None:
                out.append(f'<circle cx="{px(i):.1f}" cy="{py(v):.1f}" r="2.5" fill="{colour}"/>')
    out += _legend(chart, width, height - 16)
    out.append("</svg>")
    return "\n".join(out)


def render_csv(chart: Chart) -> str:
    """The chart's data: one row per label, one column per series (raw values, no rounding)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([chart.label_header, *(s.name for s in chart.series)])
    for i, label in enumerate(chart.labels):
        writer.writerow(
            [label, *("" if s.values[i] is None else s.values[i] for s in chart.series)]
        )
    return buffer.getvalue()
