"""The dossier as a PDF for people: summary, pattern, members, timeline, outcomes, figures.

It uses the fonts of the remedy documents (:func:`amparo.engines.remedies.documents.pdf.
find_font`: Source Sans Pro, else DejaVu Sans) with DejaVu Sans as a fallback for the scripts
Source Sans Pro lacks (Arabic, Persian, Urdu). When ``uharfbuzz`` is installed, text is shaped
(joined Arabic letters, right-to-left runs); without it Arabic letters show unjoined, which is
legible but not typographically right. The bytes depend only on the dossier: the PDF's dates
come from ``generated_at`` and fpdf2's file id is a hash of the content.

Members appear under their pseudonym; a name is printed only when the dossier carries it,
which :mod:`.rules` allows only with a mandate that permits disclosure.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from amparo.engines.remedies.documents.pdf import find_font, transliterate

from .schema import parse_timestamp

REMEDY_LABELS = {
    "art20_priority_complaint": "Art 20 complaint, with priority (Art 86(2) DSA)",
    "art21_out_of_court": "Art 21 out-of-court dispute settlement",
    "art53_complaint": "Art 53 complaint to a Digital Services Coordinator",
    "representative_action": "Representative action (Art 90 DSA, Directive (EU) 2020/1828)",
}
CHANNEL_LABELS = {
    "follow_up_page": "by the member on their follow-up page",
    "signed_form": "signed form, recorded by a caseworker",
    "oral_consent": "oral consent, recorded by a caseworker",
}
OUTCOME_LABELS = {
    "pending": "pending",
    "restored": "restored",
    "upheld": "decision upheld",
    "reversed_on_appeal": "reversed on appeal",
    "withdrawn": "withdrawn",
}


def _fallback_font() -> Path | None:
    spec = importlib.util.find_spec("matplotlib")
    places = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]
    if spec is not None and spec.submodule_search_locations:
        base = Path(next(iter(spec.submodule_search_locations)))
        places.insert(0, base / "mpl-data/fonts/ttf/DejaVuSans.ttf")
    return next((place for place in places if place.is_file()), None)


def can_shape() -> bool:
    """Whether fpdf2 can shape text (joined Arabic letters, right-to-left runs)."""
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True


def _when(text: str | None) -> str:
    if not text:
        return "-"
    if len(text) == 10:
        return text
    return parse_timestamp(text).strftime("%Y-%m-%d %H:%M UTC")


def _lines(dossier: dict[str, Any]) -> list[tuple[str, str]]:
    """The document as (style, text) pairs: title, heading, para, item."""
    org, action = dossier["organisation"], dossier["action"]
    pattern, figures = action["pattern"], dossier["figures"]
    eligibility = org["eligibility"]
    out: list[tuple[str, str]] = [
        ("title", f"Collective action dossier: {action['title'] or action['reference']}"),
        (
            "para",
            f"Dossier {dossier['dossier_id']}, generated {_when(dossier['generated_at'])}, "
            f"format version {dossier['schema_version']}. The signed dossier.json and "
            "manifest in the same ZIP are the authoritative record; this is a reading copy.",
        ),
        ("heading", "Summary"),
        (
            "item",
            f"Representing organisation: {org['legal_name']}"
            + (f" ({org['country']})" if org["country"] else ""),
        ),
        (
            "item",
            f"Registration: {org['registration'] or '-'}; number "
            f"{eligibility['registration_number'] or '-'}, member state "
            f"{eligibility['member_state'] or '-'}",
        ),
        (
            "item",
            "Not-for-profit (Art 86(1)(a) DSA): "
            + ("yes" if eligibility["not_for_profit"] else "no")
            + f"; statutes: {eligibility['statutes_evidence_id'] or 'not attached'}; "
            f"eligibility checked {_when(eligibility['checked_at'])}",
        ),
        (
            "item",
            f"Action {action['reference']} against {action['platform']}, opened "
            f"{_when(action['opened_at'])}, status {action['status']}",
        ),
        (
            "item",
            f"Members: {figures['members']}, mandates given {figures['mandates_given']}, "
            f"revoked {figures['mandates_revoked']}",
        ),
        ("heading", "Pattern"),
        ("item", f"Decision type: {pattern['decision_type'] or '-'}"),
        ("item", f"Ground: {pattern['ground'] or '-'}"),
        ("item", f"Window: {_when(pattern['window_start'])} to {_when(pattern['window_end'])}"),
        ("item", f"Community: {pattern['community'] or '-'}"),
        ("heading", "Members"),
    ]
    for member in dossier["members"]:
        who = member["pseudonym"] + (f": {member['name']}" if "name" in member else "")
        out.append(
            (
                "subheading",
                f"{who} (language {member['language']}, case {member['case_reference'] or '-'})",
            )
        )
        mandate = member["mandate"]
        if mandate is None:
            out.append(("item", "No mandate."))
        else:
            covers = ", ".join(REMEDY_LABELS.get(r, r) for r in mandate["scope"]["remedies"])
            out.append(
                (
                    "item",
                    f"Mandate given {_when(mandate['given_at'])}, "
                    f"{CHANNEL_LABELS.get(mandate['channel'], mandate['channel'])}; "
                    f"covers {covers or 'nothing'}; name may be disclosed: "
                    + ("yes" if mandate["disclose_name"] else "no"),
                )
            )
            if mandate["revoked_at"]:
                out.append(("item", f"Mandate revoked {_when(mandate['revoked_at'])}"))
        for filing in member["filings"]:
            ref = f", reference {filing['reference']}" if filing["reference"] else ""
            out.append(
                (
                    "item",
                    f"{REMEDY_LABELS.get(filing['kind'], filing['kind'])} filed "
                    f"{_when(filing['filed_at'])}{ref}",
                )
            )
        outcome = member["outcome"]
        text = f"Outcome: {OUTCOME_LABELS.get(outcome['state'], outcome['state'])}"
        if outcome["decided_at"]:
            text += f", decided {_when(outcome['decided_at'])}"
        if outcome["restored_at"]:
            text += f", restored {_when(outcome['restored_at'])}"
        out.append(("item", text))
    if not dossier["members"]:
        out.append(("para", "No members."))
    out.append(("heading", "Timeline"))
    out += [("item", f"{_when(e['at'])}: {e['text']}") for e in dossier["timeline"]]
    median = figures["median_days_to_restoration"]
    out += [
        ("heading", "Outcomes and figures"),
        (
            "item",
            f"Restored: {figures['restored']} of {figures['members']} "
            f"({figures['restoration_rate'] * 100:.1f}%)",
        ),
        (
            "item",
            "Median days from first filing to restoration: "
            + ("-" if median is None else f"{median:g}"),
        ),
    ]
    out += [
        ("item", f"{REMEDY_LABELS.get(kind, kind)}: {count}")
        for kind, count in sorted(figures["filings_by_kind"].items())
    ]
    out.append(("heading", "Evidence"))
    out += [
        (
            "item",
            f"{e['id']}: {e['name']} ({e['media_type']}, {e['size']} bytes), "
            f"SHA-256 {e['sha256']}" + (f". {e['description']}" if e["description"] else ""),
        )
        for e in dossier["evidence"]
    ]
    if not dossier["evidence"]:
        out.append(("para", "No evidence files."))
    return out


def render_pdf(dossier: dict[str, Any], *, font: object = "auto") -> bytes:
    """The reading copy of a dossier that fits the schema. ``font=None`` forces the core
    Helvetica font with transliteration (what happens when no Unicode font is installed)."""
    from fpdf import FPDF

    found = find_font() if font == "auto" else None
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_creation_date(parse_timestamp(dossier["generated_at"]))
    pdf.set_creator("Amparo")
    pdf.set_lang("en")
    if found:
        family, regular, bold = found
        pdf.add_font(family, "", str(regular))
        pdf.add_font(family, "B", str(bold))
        fallback = _fallback_font()
        if fallback is not None and family != "DejaVuSans":
            pdf.add_font("DejaVuFallback", "", str(fallback))
            pdf.set_fallback_fonts(["DejaVuFallback"], exact_match=False)
        if can_shape():
            pdf.set_text_shaping(True)

        def clean(text: str) -> str:
            return text
    else:
        family, clean = "Helvetica", transliterate
    title = dossier["action"]["title"] or dossier["action"]["reference"]
    pdf.set_title(clean(f"Collective action dossier: {title}"))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    sizes = {"title": 14.0, "heading": 12.0, "subheading": 10.5}
    for style, text in _lines(dossier):
        if style in sizes:
            pdf.ln(2 if style == "subheading" else 4)
            pdf.set_font(family, "B", sizes[style])
        else:
            pdf.set_font(family, "", 10)
        line = clean(f"- {text}" if style == "item" else text)
        pdf.multi_cell(width, 5.2, line, align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
