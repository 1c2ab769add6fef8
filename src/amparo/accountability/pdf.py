"""A transparency report as PDF (fpdf2), with the embedded Unicode font the remedy documents
use (``amparo.engines.remedies.documents.pdf.find_font``); DejaVu Sans for Arabic, Persian and
Urdu, whose letters Source Sans Pro lacks."""

from __future__ import annotations

from datetime import UTC, datetime
from datetime import date as date_type
from importlib import util
from pathlib import Path

from amparo.engines.remedies.documents.pdf import find_font, transliterate

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
RTL = {"ar", "fa", "ur"}


def render(
    *,
    title: str,
    lines: list[str],
    tables: list[tuple[str, list[str], list[list[str]]]],
    language: str,
    created: date_type,
) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_creation_date(datetime(created.year, created.month, created.day, tzinfo=UTC))
    pdf.set_creator("Amparo")
    found = find_font()
    if language in RTL and (_DEJAVU / "DejaVuSans.ttf").is_file():
        found = ("DejaVuSans", _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf")
    if found:
        family, regular, bold = found
        pdf.add_font(family, "", str(regular))
        pdf.add_font(family, "B", str(bold if bold.is_file() else regular))
        if language in RTL and util.find_spec("uharfbuzz") is not None:
            pdf.set_text_shaping(True)

        def clean(text: str) -> str:
            return text
    else:
        family = "Helvetica"
        clean = transliterate
    pdf.set_title(clean(title))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(family, "B", 14)
    pdf.multi_cell(width, 7, clean(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, "", 9.5)
    for line in lines:
        pdf.multi_cell(width, 5, clean(line), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    for caption, columns, rows in tables:
        pdf.ln(3)
        pdf.set_font(family, "B", 11)
        pdf.multi_cell(width, 6, clean(caption), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 8.5)
        with pdf.table(
            col_widths=[2] + [1] * (len(columns) - 1), text_align="LEFT", line_height=5
        ) as table:
            head = table.row()
            for c in columns:
                head.cell(clean(c))
            for r in rows:
                row = table.row()
                for value in r:
                    row.cell(clean(value))
    return bytes(pdf.output())
