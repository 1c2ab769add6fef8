"""The same chart as a PNG, drawn with Pillow on the server (no browser, no Cairo).

Text uses a Unicode TrueType font when one is found (DejaVu Sans, which covers Arabic and
Cyrillic, then Source Sans Pro, as the remedy documents find them); Pillow's text layout
(raqm, when built in) joins and orders right-to-left scripts.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from .charts import BAND, PALETTE, Chart

__all__ = ["render_png"]

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _font(size: int) -> Any:
    from PIL import ImageFont

    from amparo.engines.remedies.documents.pdf import find_font

    candidates = [_DEJAVU]
    found = find_font()
    if found:
        candidates.append(found[1])
    for path in candidates:
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default()


def _colour(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def render_png(chart: Chart, *, scale: int = 2) -> bytes:
    from PIL import Image, ImageDraw

    width = 760
    small, normal, bold = _font(11 * scale), _font(12 * scale), _font(14 * scale)
    if chart.kind == "line":
        height = 340
    else:
        groups = max(len(chart.series), 1)
        height = 70 + (14 * groups + 8) * max(len(chart.labels), 1) + 20
    image = Image.new("RGB", (width * scale, height * scale), "white")
    draw = ImageDraw.Draw(image)

    def s(v: float) -> float:
        return v * scale

    def mx(x: float) -> float:
        return width - x if chart.rtl else x

    def text(x: float, y: float, value: str, font: Any, anchor: str = "l") -> None:
        if chart.rtl:
            anchor = {"l": "r", "r": "l"}.get(anchor, anchor)
        draw.text((s(mx(x)), s(y)), value, fill="black", font=font, anchor=anchor + "m")

    text(10, 14, chart.title, bold)
    values = [v for series in chart.series for v in series.values if v is not None]
    peak = max(values, default=0) or 1
    if chart.kind == "line":
        left, right, top, plot_h = 60, 30, 50, 230
        plot_w = width - left - right
        n = len(chart.labels)

        def px(i: float) -> float:
            return mx(left + plot_w * (i / max(n - 1, 1)))

        for band in chart.bands:
            if band.first in chart.labels and band.last in chart.labels:
                a, b = px(chart.labels.index(band.first)), px(chart.labels.index(band.last))
                lo, hi = min(a, b) - 4, max(a, b) + 4
                draw.rectangle([s(lo), s(top), s(hi), s(top + plot_h)], fill=_colour(BAND))
        draw.line([s(left), s(top + plot_h), s(width - right), s(top + plot_h)], fill="grey")
        text(left - 6, top, chart.shown(peak), small, "r")
        text(left - 6, top + plot_h, "0", small, "r")
        step = max(1, n // 8)
        for i in range(0, n, step):
            draw.text(
                (s(px(i)), s(top + plot_h + 14)),
                chart.labels[i],
                fill="black",
                font=small,
                anchor="mm",
            )
        for j, series in enumerate(chart.series):
            colour = _colour(PALETTE[j % len(PALETTE)])
            points = [
                (s(px(i)), s(top + plot_h * (1 - v / peak)))
                for i, v in enumerate(series.values)
                if v is not None
            ]
            if len(points) > 1:
                draw.line(points, fill=colour, width=2 * scale)
            for x, y in points:
                draw.ellipse(
                    [x - 3 * scale, y - 3 * scale, x + 3 * scale, y + 3 * scale], fill=colour
                )
        legend_y = height - 18
    else:
        left, bar_h, gap, head = 230, 14, 8, 40
        plot = width - left - 70
        groups = max(len(chart.series), 1)
        for i, label in enumerate(chart.labels):
            y = head + i * (bar_h * groups + gap)
            text(left - 8, y + bar_h * groups / 2, label[:34], normal, "r")
            for j, series in enumerate(chart.series):
                value = series.values[i]
                w = plot * (value or 0) / peak
                by = y + j * bar_h
                x0, x1 = sorted((mx(left), mx(left + w)))
                draw.rectangle(
                    [s(x0), s(by), s(x1), s(by + bar_h - 2)],
                    fill=_colour(PALETTE[j % len(PALETTE)]),
                )
                text(left + w + 4, by + bar_h / 2, chart.shown(value), small)
        legend_y = height - 16
    if len(chart.series) > 1:
        for j, series in enumerate(chart.series):
            x = 20 + 180 * j
            x0, x1 = sorted((mx(x), mx(x + 10)))
            draw.rectangle(
                [s(x0), s(legend_y - 5), s(x1), s(legend_y + 5)],
                fill=_colour(PALETTE[j % len(PALETTE)]),
            )
            text(x + 14, legend_y, series.name[:26], small)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
