"""Remedy documents: Art 16 notice, Art 20 complaint, Art 21 submission, Art 53 complaint.

``build_document(DocumentInput(...))`` returns a :class:`Document` with the plain text, a
PDF (Unicode font embedded), the list of fields the document contains, and the SHA-256 of
the text. Template sentences live per language in ``templates/<language>.json`` (en fr de es
it pl nl); the case's facts, grounds and requested remedy are the caseworker's own words.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .compose import (
    DECISION_GROUND_CODES,
    DECISION_TYPE_CODES,
    KINDS,
    LANGUAGES,
    REQUESTED_ACTIONS,
    Block,
    DocumentInput,
    compose,
    sentences,
    to_text,
)

__all__ = [
    "DECISION_GROUND_CODES",
    "DECISION_TYPE_CODES",
    "KINDS",
    "LANGUAGES",
    "REQUESTED_ACTIONS",
    "Block",
    "Document",
    "DocumentInput",
    "build_document",
    "sentences",
]


@dataclass(frozen=True)
class Document:
    kind: str
    language: str
    text: str
    pdf: bytes
    contents: tuple[str, ...]  # the fields the document contains, in order of appearance
    sha256: str  # of the UTF-8 text
    pdf_font: str = ""  # the font embedded in the PDF ("" when no PDF was made)


def build_document(inp: DocumentInput, *, pdf: bool = True) -> Document:
    """Compose the document; ``pdf=False`` skips the PDF (``Document.pdf`` is then empty)."""
    blocks = compose(inp)
    text = to_text(blocks)
    contents = tuple(dict.fromkeys(block.field for block in blocks if block.field))
    pdf_bytes, font = b"", ""
    if pdf:
        from .pdf import render_pdf

        title = next(block.text for block in blocks if block.style == "title")
        pdf_bytes, font = render_pdf(blocks, title=title, created=inp.date)
    return Document(
        kind=inp.kind,
        language=inp.language,
        text=text,
        pdf=pdf_bytes,
        contents=contents,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        pdf_font=font,
    )
