"""Compose a remedy document from a case: the template sentences of one language, the case's
own facts and arguments, and nothing about the represented person unless consented to.

Each block of the document records which input field it carries, so ``Document.contents``
states exactly what the document contains.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

from babel import Locale
from babel.dates import format_date

__all__ = [
    "DECISION_GROUND_CODES",
    "DECISION_TYPE_CODES",
    "KINDS",
    "LANGUAGES",
    "REQUESTED_ACTIONS",
    "Block",
    "DocumentInput",
    "compose",
    "format_document_date",
    "sentences",
    "to_text",
]

KINDS = ("art16_notice", "art20_complaint", "art21_submission", "art53_complaint")
LANGUAGES = ("en", "fr", "de", "es", "it", "pl", "nl")
#: What a notifier asks the provider to do with the information (Art 3(t): removal, disabling
#: access, restricting visibility). Rendered by the ``act_<code>`` label of each language.
REQUESTED_ACTIONS = ("remove", "disable_access", "restrict_visibility")
#: Kept equal to ``ladder.DECISION_TYPES`` and ``ladder.DECISION_GROUNDS`` (tested); the labels
#: are the ``dt_<code>`` and ``ground_<code>`` sentences of each language.
DECISION_TYPE_CODES = frozenset(
    {
        "content_removed",
        "visibility_restricted",
        "account_suspended",
        "account_terminated",
        "service_restricted",
        "monetisation",
        "no_action",
        "content_online",
    }
)
DECISION_GROUND_CODES = frozenset({"illegal_content", "incompatible_content"})
_BABEL_LOCALE = {"en": "en_GB"}  # 12 March 2025, not March 12, 2025
_ARTICLE = {
    "art16_notice": "art16",
    "art20_complaint": "art20",
    "art21_submission": "art21",
    "art53_complaint": "art53",
}


_Date = date  # the field ``date`` below shadows the type inside the class body


@dataclass(frozen=True)
class DocumentInput:
    """What a document is made from. Free texts are written in the document's language.

    Everything else is rendered by the language's own labels: ``decision_type`` (a code of
    the ladder's ``DECISION_TYPES``), ``decision_ground`` (``illegal_content`` or
    ``incompatible_content``) and ``requested_action`` (``REQUESTED_ACTIONS``); ``platform``
    and ``recipient_name`` are display names, never codes. ``account`` is the affected
    person's account of events as the caseworker chose to include it, translated or
    summarised by them; the reporter's own narrative never goes in by itself.

    ``represented_person_name`` is printed only when ``include_identity`` is true (the
    caller decides from the person's recorded consent); otherwise the name is also
    replaced in the free texts by a "name withheld" marker.
    """

    kind: str
    language: str
    organisation_name: str
    organisation_email: str
    platform: str
    date: _Date
    organisation_address: str = ""
    content_urls: tuple[str, ...] = ()
    decision_summary: str = ""
    decision_date: _Date | None = None
    sor_reference: str = ""
    facts: str = ""
    legal_grounds: str = ""
    requested_remedy: str = ""
    represented: bool = False  # the organisation acts for the affected user (Art 86)
    represented_person_name: str = ""
    include_identity: bool = False
    recipient_name: str = ""  # Art 21: the chosen ODS body; Art 53: the coordinator's name
    member_state: str = ""  # Art 53: ISO2 of the complainant's member state (names the DSC)
    decision_type: str = ""
    decision_ground: str = ""
    requested_action: str = ""
    account: str = ""

    def problems(self) -> list[str]:
        """What is missing or wrong; empty when the document can be made."""
        found = []
        if self.kind not in KINDS:
            found.append(f"kind must be one of {KINDS}")
        if self.language not in LANGUAGES:
            found.append(f"language must be one of {LANGUAGES}")
        for name in ("organisation_name", "platform"):
            if not getattr(self, name).strip():
                found.append(f"{name} is required")
        if self.decision_type and self.decision_type not in DECISION_TYPE_CODES:
            found.append(f"decision_type must be one of {sorted(DECISION_TYPE_CODES)}")
        if self.decision_ground and self.decision_ground not in DECISION_GROUND_CODES:
            found.append(f"decision_ground must be one of {sorted(DECISION_GROUND_CODES)}")
        if self.requested_action and self.requested_action not in REQUESTED_ACTIONS:
            found.append(f"requested_action must be one of {REQUESTED_ACTIONS}")
        if self.kind == "art16_notice":
            # Art 16(2): all four elements, in substance.
            if not (self.facts.strip() and self.legal_grounds.strip()):
                found.append(
                    "an Art 16 notice needs a sufficiently substantiated explanation of why the "
                    "information is illegal content (Art 16(2)(a)): facts and legal_grounds"
                )
            if not self.content_urls:
                found.append("an Art 16 notice needs the exact URL(s) (Art 16(2)(b))")
            if not self.organisation_email.strip():
                found.append(
                    "an Art 16 notice needs the notifier's e-mail address (Art 16(2)(c)): "
                    "organisation_email"
                )
        return found


@dataclass(frozen=True)
class Block:
    """One paragraph: ``style`` is title, line, heading, para or item; ``field`` what it carries."""

    style: str
    text: str
    field: str = field(default="")


@cache
def sentences(language: str) -> dict[str, str]:
    """The template sentences of ``language`` (``templates/<language>.json``)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    source = resources.files(__package__).joinpath("templates", f"{language}.json")
    data = json.loads(source.read_text(encoding="utf-8"))
    return dict(data["sentences"])


def format_document_date(value: date, language: str) -> str:
    """A date as written in letters of ``language`` (12 March 2025, 12. März 2025...)."""
    return format_date(value, format="long", locale=_BABEL_LOCALE.get(language, language))


def _country(code: str, language: str) -> str:
    code = code.upper()
    code = "GR" if code == "EL" else code
    return Locale.parse(_BABEL_LOCALE.get(language, language)).territories.get(code, code)


def _withhold(text: str, name: str, marker: str) -> str:
    if not name.strip():
        return text
    return re.sub(re.escape(name.strip()), marker, text, flags=re.IGNORECASE)


def compose(inp: DocumentInput) -> list[Block]:
    """The document's blocks, in order."""
    problems = inp.problems()
    if problems:
        raise ValueError("; ".join(problems))
    s = sentences(inp.language)
    art = _ARTICLE[inp.kind]
    name = inp.represented_person_name.strip()
    show_name = inp.include_identity and bool(name)

    def free(text: str) -> str:
        text = text.strip()
        return text if show_name else _withhold(text, name, s["withheld"])

    values = {
        "org": inp.organisation_name.strip(),
        "platform": inp.platform.strip(),
        "regulation": s["regulation"],
        "body": inp.recipient_name.strip(),
        "country": _country(inp.member_state, inp.language) if inp.member_state else "",
        "name": name if show_name else "",
    }

    def say(key: str) -> str:
        return s[key].format_map(values)

    blocks = [Block("line", values["org"], "organisation_name")]
    if inp.organisation_address.strip():
        blocks += [
            Block("line", line.strip(), "organisation_address")
            for line in inp.organisation_address.strip().splitlines()
            if line.strip()
        ]
    if inp.organisation_email.strip():
        blocks.append(
            Block("line", f"{s['f_email']}: {inp.organisation_email.strip()}", "organisation_email")
        )
    blocks.append(Block("space", ""))
    blocks.append(
        Block("line", f"{s['label_date']}: {format_document_date(inp.date, inp.language)}", "date")
    )
    recipient_key = f"to_{art}"
    if art == "art21" and values["body"]:
        recipient_key += "_named"
    elif art == "art53" and values["country"]:
        # Art 53: the coordinator of the complainant's member state, named from the register.
        recipient_key = "to_art53_body" if values["body"] else "to_art53_named"
    blocks.append(Block("line", f"{s['label_to']}: {say(recipient_key)}", "recipient"))
    blocks.append(Block("space", ""))
    blocks.append(Block("title", f"{s['label_subject']}: {say('subject_' + art)}", "subject"))
    blocks.append(Block("para", say(f"intro_{art}"), "legal_basis"))

    if inp.represented and art != "art16":
        if show_name:
            blocks.append(Block("para", say("rep_named"), "represented_person_name"))
        else:
            blocks.append(Block("para", say("rep_withheld"), "identity_withheld"))
        if art == "art20":
            blocks.append(Block("para", say("rep_priority"), "art86_priority"))

    if art == "art16":
        blocks += _art16_body(inp, s, say, free)
    else:
        blocks += _complaint_body(inp, s, say, free)

    blocks.append(Block("heading", s["h_request"]))
    if inp.requested_action:
        blocks.append(
            Block(
                "para", f"{s['f_action']}: {s['act_' + inp.requested_action]}", "requested_action"
            )
        )
    if inp.requested_remedy.strip():
        blocks.append(Block("para", free(inp.requested_remedy), "requested_remedy"))
    for key, fieldname in _CLOSING_SENTENCES[art]:
        blocks.append(Block("para", say(key), fieldname))
    blocks.append(Block("space", ""))
    blocks.append(Block("line", s["closing"], "closing"))
    blocks.append(Block("line", values["org"], "organisation_name"))
    return blocks


_CLOSING_SENTENCES = {
    "art16": [("art16_decision", "art16_confirmation_request")],
    "art20": [
        ("art20_reverse", "art20_reversal"),
        ("art20_human", "art20_human_review_request"),
        ("art20_reasoned", "art20_reasoned_decision_request"),
    ],
    "art21": [
        ("art21_no_prior", "art21_no_prior_complaint_needed"),
        ("art21_deadline", "art21_decision_deadline"),
        ("art21_fees", "art21_fees"),
        ("art21_court", "art21_court_reserved"),
    ],
    "art53": [
        ("art53_transmit", "art53_transmission_request"),
        ("art53_heard", "art53_right_to_be_heard"),
    ],
}


def _paragraphs(text: str, fieldname: str, label: str = "") -> list[Block]:
    parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if label and parts:
        parts[0] = f"{label}: {parts[0]}"
    return [Block("para", p, fieldname) for p in parts]


def _account(
    inp: DocumentInput, s: dict[str, str], say: Callable[[str], str], free: Callable[[str], str]
) -> list[Block]:
    if not inp.account.strip():
        return []
    return [Block("heading", say("h_account")), *_paragraphs(free(inp.account), "account")]


def _art16_body(
    inp: DocumentInput, s: dict[str, str], say: Callable[[str], str], free: Callable[[str], str]
) -> list[Block]:
    blocks = [Block("heading", s["h_explanation"])]
    if inp.facts.strip():
        blocks += _paragraphs(free(inp.facts), "facts")
    if inp.legal_grounds.strip():
        blocks += _paragraphs(free(inp.legal_grounds), "legal_grounds", s["f_law"])
    blocks += _account(inp, s, say, free)
    blocks.append(Block("heading", s["h_urls"]))
    blocks += [Block("item", url.strip(), "content_urls") for url in inp.content_urls]
    if inp.sor_reference.strip():
        blocks.append(
            Block("para", f"{s['f_reference']}: {inp.sor_reference.strip()}", "sor_reference")
        )
    blocks.append(Block("heading", s["h_notifier"]))
    blocks.append(
        Block(
            "para",
            f"{s['f_name']}: {inp.organisation_name.strip()}\n"
            f"{s['f_email']}: {inp.organisation_email.strip()}",
            "notifier_name_and_email",
        )
    )
    blocks.append(Block("heading", s["h_statement"]))
    blocks.append(Block("para", say("bona_fide"), "bona_fide_statement"))
    return blocks


def _complaint_body(
    inp: DocumentInput, s: dict[str, str], say: Callable[[str], str], free: Callable[[str], str]
) -> list[Block]:
    blocks: list[Block] = []
    if inp.content_urls or inp.sor_reference.strip():
        blocks.append(Block("heading", s["h_content"]))
        blocks += [Block("item", url.strip(), "content_urls") for url in inp.content_urls]
        if inp.sor_reference.strip():
            blocks.append(
                Block("para", f"{s['f_reference']}: {inp.sor_reference.strip()}", "sor_reference")
            )
    if (
        inp.decision_summary.strip()
        or inp.decision_date
        or inp.decision_type
        or inp.decision_ground
    ):
        blocks.append(Block("heading", s["h_decision"]))
        if inp.decision_type:
            label = s[f"dt_{inp.decision_type}"]
            blocks.append(Block("para", f"{s['f_summary']}: {label}", "decision_type"))
        if inp.decision_ground:
            label = s[f"ground_{inp.decision_ground}"]
            blocks.append(Block("para", f"{s['f_ground']}: {label}", "decision_ground"))
        if inp.decision_summary.strip():
            summary = free(inp.decision_summary)
            text = summary if inp.decision_type else f"{s['f_summary']}: {summary}"
            blocks.append(Block("para", text, "decision_summary"))
        if inp.decision_date:
            when = format_document_date(inp.decision_date, inp.language)
            blocks.append(Block("para", f"{s['f_date']}: {when}", "decision_date"))
    if inp.facts.strip():
        blocks.append(Block("heading", s["h_facts"]))
        blocks += _paragraphs(free(inp.facts), "facts")
    blocks += _account(inp, s, say, free)
    if inp.legal_grounds.strip():
        blocks.append(Block("heading", s["h_grounds"]))
        blocks += _paragraphs(free(inp.legal_grounds), "legal_grounds")
    return blocks


def to_text(blocks: list[Block]) -> str:
    """Plain text: headings and paragraphs separated by blank lines, URLs as a list."""
    out: list[str] = []
    previous = ""
    for block in blocks:
        if block.style == "space":
            out.append("")
        elif block.style == "line":
            out.append(block.text)
        elif block.style == "item":
            if previous != "item" and previous != "heading":
                out.append("")
            out.append(f"- {block.text}")
        elif block.style == "heading":
            out += ["", block.text, "-" * min(len(block.text), 72)]
        else:  # title, para
            if previous not in ("heading",):
                out.append("")
            out.append(block.text)
        previous = block.style
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
