"""Small self-contained SVG charts (no fonts, scripts or assets fetched; works offline)."""

from __future__ import annotations

from html import escape

_PALETTE = ("#1b6ca8", "#e07a1f", "#3a9e5c", "#c23b3b", "#7d5ba6", "#8c6d46", "#d16aa8", "#6b6b6b")


def _label(v: object) -> str:
    text = "—" if v is None else str(v)
    for prefix in ("STATEMENT_CATEGORY_", "AUTOMATED_DECISION_", "DECISION_GROUND_", "KEYWORD_"):
        text = text.removeprefix(prefix)
    return text if len(text) <= 42 else text[:41] + "…"


def _title_svg(title: str, chars: int = 90) -> tuple[list[str], int]:
    """SVG elements of a title and the extra height it takes beyond one line. Long lines are
    wrapped at word boundaries; the first line of ``title`` is bold, the lines after a line
    break (the filters behind a chart, say) smaller beneath it."""
    import textwrap

    out = [f"<title>{escape(' — '.join(title.splitlines()) or title)}</title>"]
    y = 20
    for n, part in enumerate(title.split("\n")):
        for line in textwrap.wrap(part, chars if n == 0 else chars + 14) or [""]:
            weight = ' font-size="14" font-weight="bold"' if n == 0 else ' font-size="12"'
            out.append(f'<text x="8" y="{y}"{weight}>{escape(line)}</text>')
            y += 17 if n == 0 else 15
    return out, y - 37


def bar_chart(
    labels: list[object],
    values: list[float],
    *,
    title: str = "",
    unit: str = "",
    top: int = 25,
    ordered: bool = False,
) -> str:
    """Horizontal bars, largest first (or in the order given, ``ordered``), at most ``top``."""
    pairs = list(zip(labels, values, strict=True))
    if not ordered:
        pairs.sort(key=lambda p: -(p[1] or 0))
    pairs = pairs[:top]
    heading, extra = _title_svg(title)
    width, bar_h, left, head = 760, 18, 290, 34 + extra
    height = head + len(pairs) * (bar_h + 4) + 10
    peak = max((v or 0 for _, v in pairs), default=0) or 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="sans-serif" font-size="12">',
        *heading,
    ]
    for i, (label, value) in enumerate(pairs):
        y = head + i * (bar_h + 4)
        w = (width - left - 90) * (value or 0) / peak
        shown = f"{value:.1%}" if unit == "%" else f"{value:,.0f}"
        out += [
            f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(_label(label))}</text>',
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{_PALETTE[0]}"/>',
            f'<text x="{left + w + 4:.1f}" y="{y + 13}">{shown}</text>',
        ]
    out.append("</svg>")
    return "\n".join(out)


def line_chart(series: dict[str, list[tuple[str, float]]], *, title: str = "") -> str:
    """One line per series over ordered x labels (days or months)."""
    xs = sorted({x for points in series.values() for x, _ in points})
    heading, extra = _title_svg(title)
    width, height, left, right, top, bottom = 760, 320 + extra, 70, 170, 34 + extra, 40
    peak = max((v for pts in series.values() for _, v in pts), default=0) or 1
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(x: str) -> float:
        return left + (plot_w * xs.index(x) / max(len(xs) - 1, 1))

    def py(v: float) -> float:
        return top + plot_h * (1 - v / peak)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="sans-serif" font-size="12">',
        *heading,
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#999"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{peak:,.0f}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    if xs:
        out.append(f'<text x="{left}" y="{height - 14}">{escape(xs[0])}</text>')
        out.append(
            f'<text x="{left + plot_w}" y="{height - 14}" text-anchor="end">{escape(xs[-1])}</text>'
        )
    for i, (name, points) in enumerate(sorted(series.items())[: len(_PALETTE)]):
        colour = _PALETTE[i % len(_PALETTE)]
        pts = " ".join(f"{px(x):.1f},{py(v):.1f}" for x, v in sorted(points))
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{pts}"/>')
        y = top + 14 * i
        out.append(
            f'<rect x="{width - right + 10}" y="{y}" width="10" height="10" fill="{colour}"/>'
        )
        out.append(f'<text x="{width - right + 24}" y="{y + 9}">{escape(_label(name))}</text>')
    out.append("</svg>")
    return "\n".join(out)


def chart_for(table, *, title: str = "", value: str = "statements") -> str:
    """A sensible chart for an aggregation result (a pyarrow table)."""
    dims = [c for c in table.column_names if c not in (value, "quality_flags", "total")]
    rows = table.to_pylist()
    if dims and dims[0] in ("day", "month"):
        series: dict[str, dict[str, float]] = {}
        for r in rows:
            key = " / ".join(_label(r[d]) for d in dims[1:]) or value
            x = str(r[dims[0]])
            series.setdefault(key, {}).setdefault(x, 0.0)
            series[key][x] += r[value] or 0
        top = sorted(series, key=lambda k: -sum(series[k].values()))[: len(_PALETTE)]
        return line_chart({k: list(series[k].items()) for k in top}, title=title)
    totals: dict[str, float] = {}
    for r in rows:
        key = " / ".join(_label(r[d]) for d in dims) or "all"
        totals[key] = totals.get(key, 0) + (r[value] or 0)
    unit = "%" if value.startswith("share") else ""
    return bar_chart(list(totals), list(totals.values()), title=title, unit=unit)
