"""The corpus of statements of reasons and the parser's precision and recall on it.

Each statement is a ``.txt`` in ``sor_statements/<split>/`` with a ``.json`` beside it that
holds the fields a reader finds in the text (``expected``), written from the text alone. The
``dev`` split is what the parser's phrases were written against; the ``heldout`` split was
written at the same time and never used to change the parser, so its figures are the fairer
estimate.

``python -m tests.engines.sor_corpus`` prints the tables that docs/remedies.md shows.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amparo.engines.remedies import ParsedStatement, parse_statement

ROOT = Path(__file__).resolve().parent / "sor_statements"
SPLITS = ("dev", "heldout")
FIELDS = (
    "decision_visibility",
    "decision_account",
    "decision_ground",
    "incompatible_content_ground",
    "illegal_content_legal_ground",
    "source_type",
    "automated_detection",
    "automated_decision",
    "decision_date",
    "end_date",
    "duration",
)
LANGUAGE_ORDER = ("en", "fr", "de", "es", "it", "pl", "nl", "ar", "ru", "tr", "pt", "mixed")
TEXT_FIELDS = {"incompatible_content_ground", "illegal_content_legal_ground"}


@dataclass(frozen=True)
class Item:
    split: str
    name: str
    language: str
    platform: str
    text: str
    expected: dict[str, Any]


def load(split: str) -> list[Item]:
    items = []
    for path in sorted((ROOT / split).glob("*.txt")):
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        items.append(
            Item(
                split=split,
                name=path.stem,
                language=meta["language"],
                platform=meta["platform"],
                text=path.read_text(encoding="utf-8"),
                expected=meta["expected"],
            )
        )
    return items


def predicted(parsed: ParsedStatement) -> dict[str, Any]:
    """The parser's output in the corpus's field names (raw fields, not masked by the ground)."""

    def val(item: Any) -> Any:
        return None if item is None else item.value

    def day(item: Any) -> str | None:
        return None if item is None else item.value.isoformat()

    return {
        "decision_visibility": [item.value for item in parsed.decision_visibility],
        "decision_account": val(parsed.decision_account),
        "decision_ground": val(parsed.decision_ground),
        "incompatible_content_ground": val(parsed.incompatible_content_ground),
        "illegal_content_legal_ground": val(parsed.illegal_content_legal_ground),
        "source_type": val(parsed.source_type),
        "automated_detection": val(parsed.automated_detection),
        "automated_decision": val(parsed.automated_decision),
        "decision_date": day(parsed.decision_date),
        "end_date": day(parsed.end_date),
        "duration": val(parsed.duration),
    }


def normalise(field: str, value: Any) -> Any:
    """Empty is unknown; a list is a set; a quoted rule compares without case or end marks."""
    if value in (None, "", []):
        return None
    if isinstance(value, list):
        return tuple(sorted(value))
    if field in TEXT_FIELDS:
        text = unicodedata.normalize("NFC", str(value)).casefold()
        return re.sub(r"\s+", " ", text).strip(" .,;:\"'«»“”„")
    return value


def outcome(field: str, expected: Any, found: Any) -> str:
    """``tp``, ``fp`` (a wrong value), ``fn`` (a value missed), ``fp+fn`` (a wrong value where
    one was expected: counts against both), or ``tn`` (rightly silent)."""
    want, got = normalise(field, expected), normalise(field, found)
    if got is not None and got == want:
        return "tp"
    if got is None:
        return "fn" if want is not None else "tn"
    return "fp+fn" if want is not None else "fp"


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    expected: int = 0

    def add(self, result: str, had_value: bool) -> None:
        self.tp += result == "tp"
        self.fp += "fp" in result
        self.fn += "fn" in result
        self.expected += had_value

    @property
    def precision(self) -> float | None:
        said = self.tp + self.fp
        return self.tp / said if said else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.expected if self.expected else None


def score(items: list[Item]) -> tuple[dict[str, Counts], dict[str, Counts]]:
    by_field = {field: Counts() for field in FIELDS}
    by_language: dict[str, Counts] = {}
    for item in items:
        got = predicted(parse_statement(item.text))
        for field in FIELDS:
            result = outcome(field, item.expected[field], got[field])
            had = normalise(field, item.expected[field]) is not None
            by_field[field].add(result, had)
            by_language.setdefault(item.language, Counts()).add(result, had)
    return by_field, by_language


def mismatches(items: list[Item]) -> list[tuple[str, str, Any, Any]]:
    """(item, field, expected, found) for every field the parser got wrong or missed."""
    wrong = []
    for item in items:
        got = predicted(parse_statement(item.text))
        for field in FIELDS:
            if outcome(field, item.expected[field], got[field]) not in ("tp", "tn"):
                wrong.append((item.name, field, item.expected[field], got[field]))
    return wrong


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{round(100 * value)} %"


def _cells(counts: Counts) -> str:
    return f"{_pct(counts.precision)} | {_pct(counts.recall)} | {counts.expected}"


def tables() -> str:
    """The two Markdown tables of docs/remedies.md: by field and by language."""
    dev, held = load("dev"), load("heldout")
    dev_field, dev_lang = score(dev)
    held_field, held_lang = score(held)
    lines = [
        "| field | dev precision | dev recall | dev values | held-out precision "
        "| held-out recall | held-out values |",
        "|---|---|---|---|---|---|---|",
    ]
    for field in FIELDS:
        lines.append(f"| `{field}` | {_cells(dev_field[field])} | {_cells(held_field[field])} |")
    total_dev, total_held = Counts(), Counts()
    for counts, total in ((dev_field, total_dev), (held_field, total_held)):
        for c in counts.values():
            total.tp, total.fp, total.fn = total.tp + c.tp, total.fp + c.fp, total.fn + c.fn
            total.expected += c.expected
    lines.append(f"| all fields | {_cells(total_dev)} | {_cells(total_held)} |")
    lines += [
        "",
        "| language | dev statements | dev precision | dev recall | held-out statements "
        "| held-out precision | held-out recall |",
        "|---|---|---|---|---|---|---|",
    ]
    for lang in LANGUAGE_ORDER:
        n_dev = sum(item.language == lang for item in dev)
        n_held = sum(item.language == lang for item in held)
        d, h = dev_lang.get(lang, Counts()), held_lang.get(lang, Counts())
        lines.append(
            f"| `{lang}` | {n_dev} | {_pct(d.precision)} | {_pct(d.recall)} | {n_held} "
            f"| {_pct(h.precision)} | {_pct(h.recall)} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(tables())
    for split in SPLITS:
        for name, field, want, got in mismatches(load(split)):
            print(f"{split}/{name}: {field}: expected {want!r}, found {got!r}")
