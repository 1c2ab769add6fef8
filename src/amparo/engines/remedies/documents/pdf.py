"""PDF rendering with fpdf2 and an embedded Unicode TrueType font, offline.

Fonts are looked for, in order: Source Sans Pro from the ``font-source-sans-pro`` package
(SIL Open Font License; covers Polish, German, Dutch ĳ, Hungarian ő...), DejaVu Sans shipped
inside matplotlib, DejaVu Sans from the operating system. Only if none is found does the PDF
fall back to the core Helvetica font with a transliteration to Latin-1 (ł -> l, ő -> o):
``Document.pdf_font`` then says ``"Helvetica (transliterated)"`` and the text version stays
exact.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from datetime import UTC, datetime
from datetime import date as date_type
from pathlib import Path

from .compose import Block

__all__ = ["FALLBACK_FONT", "find_font", "render_pdf", "transliterate"]

FALLBACK_FONT = "Helvetica (transliterated)"
_SYSTEM_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def find_font() -> tuple[str, Path, Path] | None:
    """(family, regular, bold) of the first Unicode TTF found, or ``None``."""
    candidates: list[tuple[str, Path | None, str, str]] = [
        (
            "SourceSansPro",
            _package_dir("font_source_sans_pro"),
            "files/SourceSansPro-Regular.ttf",
            "files/SourceSansPro-Bold.ttf",
        ),
        (
            "DejaVuSans",
            _package_dir("matplotlib"),
            "mpl-data/fonts/ttf/DejaVuSans.ttf",
            "mpl-data/fonts/ttf/DejaVuSans-Bold.ttf",
        ),
        ("DejaVuSans", _SYSTEM_DEJAVU, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ]
    for family, base, regular, bold in candidates:
        if base is not None and (base / regular).is_file():
            bold_path = base / bold if (base / bold).is_file() else base / regular
            return family, base / regular, bold_path
    return None


_EXTRA = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "ĳ": "ij",
        "Ĳ": "IJ",
        "œ": "oe",
        "Œ": "OE",
        "—": "-",
        "–": "-",
        "„": '"',
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "…": "...",
        "•": "-",
        "€": "EUR",
    }
)


def transliterate(text: str) -> str:
    """Text reduced to Latin-1, all that fpdf2's core fonts can show (last resort only)."""
    out = []
    for char in text.translate(_EXTRA):
        if ord(char) < 256:
            out.append(char)
        else:
            base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(base or "?")
    return "".join(out)


def render_pdf(
    blocks: list[Block], *, title: str, created: date_type, font: object = "auto"
) -> tuple[bytes, str]:
    """The PDF bytes and the font used. ``created`` fixes the PDF dates (reproducible bytes).

    ``font``: ``"auto"`` (find one), or ``None`` to force the core-font fallback.
    """
    try:
        from fpdf import FPDF
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise RuntimeError("PDF output needs fpdf2: pip install fpdf2") from exc

    found = find_font() if font == "auto" else None
    pdf = FPDF(format="A4")
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_creation_date(datetime(created.year, created.month, created.day, tzinfo=UTC))
    pdf.set_creator("Amparo")
    if found:
        family, regular, bold = found
        pdf.add_font(family, "", str(regular))
        pdf.add_font(family, "B", str(bold))
        used = family

        def clean(text: str) -> str:
            return text
    else:
        family, used = "Helvetica", FALLBACK_FONT
        clean = transliterate
    pdf.set_title(clean(title))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for block in blocks:
        if block.style == "space":
            pdf.ln(3)
            continue
        if block.style in ("title", "heading"):
            pdf.ln(3)
            pdf.set_font(family, "B", 11 if block.style == "title" else 10.5)
        else:
            pdf.set_font(family, "", 10.5)
        text = clean(block.text)
        if block.style == "item":
            text = f"\u2022 {text}" if found else f"- {text}"
        pdf.multi_cell(width, 5.4, text, align="L", new_x="LMARGIN", new_y="NEXT")
        if block.style in ("para", "title"):
            pdf.ln(2)
    return bytes(pdf.output()), used
