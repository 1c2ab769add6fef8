"""The statement-of-reasons parser on statements written from the platforms' templates.

The corpus (tests/engines/sor_statements) holds Meta, YouTube, TikTok, X, LinkedIn and
Telegram notices and Art 17 DSA template statements in eleven languages, each with the fields
a reader finds in it. See tests/engines/sor_corpus.py for how they are scored.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from tests.engines.sor_corpus import (
    FIELDS,
    LANGUAGE_ORDER,
    load,
    normalise,
    outcome,
    predicted,
    score,
    tables,
)

from amparo.engines.remedies import _sor_patterns as P
from amparo.engines.remedies import parse_statement

DEV = load("dev")
HELDOUT = load("heldout")
DOC = (Path(__file__).resolve().parents[2] / "docs" / "remedies.md").read_text(encoding="utf-8")


def test_the_corpus_is_whole():
    assert len(DEV) >= 30 and len(HELDOUT) >= 10
    for item in DEV + HELDOUT:
        assert set(item.expected) == set(FIELDS), item.name
        assert item.language in LANGUAGE_ORDER, item.name
    languages = {item.language for item in DEV}
    assert languages == set(LANGUAGE_ORDER), "every language has statements in the dev split"


@pytest.mark.parametrize("item", DEV, ids=[item.name for item in DEV])
def test_every_field_of_the_dev_statements(item):
    got = predicted(parse_statement(item.text))
    wrong = {
        field: (item.expected[field], got[field])
        for field in FIELDS
        if outcome(field, item.expected[field], got[field]) not in ("tp", "tn")
    }
    assert wrong == {}


@pytest.mark.parametrize("item", DEV + HELDOUT, ids=[i.split + "/" + i.name for i in DEV + HELDOUT])
def test_every_value_comes_with_its_sentence(item):
    parsed = parse_statement(item.text)
    for name in ("decision_account", "decision_ground", "automated_decision", "decision_date"):
        found = getattr(parsed, name)
        if found is not None:
            assert found.snippet in item.text
            assert item.text[found.start : found.end] in found.snippet


def test_the_documented_figures_are_the_measured_ones():
    # Regenerate with: python -m tests.engines.sor_corpus
    assert tables() in DOC


def test_the_score_counts_a_wrong_value_against_both_precision_and_recall():
    assert outcome("decision_account", "DECISION_ACCOUNT_SUSPENDED", None) == "fn"
    assert outcome("decision_account", None, "DECISION_ACCOUNT_SUSPENDED") == "fp"
    assert outcome(
        "decision_account", "DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"
    ) == ("fp+fn")
    assert outcome("incompatible_content_ground", "X Rules", "the x rules.") == "fp+fn"
    assert outcome("incompatible_content_ground", "X Rules", "x rules.") == "tp"
    assert normalise("decision_visibility", []) is None
    item = DEV[0]
    assert item.expected["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    wrong = replace(
        item, expected={**item.expected, "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT"}
    )
    by_field, _ = score([wrong])
    assert by_field["decision_ground"].precision == 0 and by_field["decision_ground"].recall == 0


def test_every_language_names_every_concept_without_groups():
    for language, words in P.LANGUAGE_WORDS.items():
        assert tuple(words) == P.CONCEPTS, language
        for concept, fragment in words.items():
            compiled = re.compile(fragment) if fragment else None
            assert compiled is None or compiled.groups == 0, (language, concept)


# --- the rules, shown on corpus statements changed in one place ------------------------------


def _text(name: str) -> str:
    return next(item.text for item in DEV + HELDOUT if item.name == name)


def test_permanence_decides_between_termination_and_suspension():
    x = _text("08-x-en-permanently-suspended")
    assert parse_statement(x).decision_account.value == "DECISION_ACCOUNT_TERMINATED"
    temporary = x.replace("is permanently suspended", "is suspended for 7 days")
    parsed = parse_statement(temporary)
    assert parsed.decision_account.value == "DECISION_ACCOUNT_SUSPENDED"
    assert parsed.duration.value == "P7D"


def test_a_ban_of_unsaid_length_is_not_guessed():
    telegram = _text("10-telegram-en-channel-blocked")
    assert parse_statement(telegram).decision_account.value == "DECISION_ACCOUNT_SUSPENDED"
    unsaid = telegram.replace("has been blocked for 7 days", "has been blocked")
    assert parse_statement(unsaid).decision_account is None


def test_a_warning_of_termination_is_not_a_termination():
    instagram = _text("02-instagram-en-suspended")
    assert "will be permanently disabled" in instagram
    assert parse_statement(instagram).decision_account.value == "DECISION_ACCOUNT_SUSPENDED"
    pt = _text("34-instagram-pt-disabled")
    assert parse_statement(pt).decision_account.value == "DECISION_ACCOUNT_SUSPENDED"


def test_doesnt_follow_is_a_violation_but_does_not_violate_is_not():
    meta = _text("03-facebook-en-permanently-disabled")
    assert parse_statement(meta).incompatible_content_ground.value.startswith("Community Standards")
    withheld = _text("12-x-en-withheld-legal")
    parsed = parse_statement(withheld)
    assert parsed.incompatible_content_ground is None
    assert parsed.decision_ground.value == "DECISION_GROUND_ILLEGAL_CONTENT"
    violated = withheld.replace("does not violate the X Rules", "also violates the X Rules")
    assert parse_statement(violated).decision_ground is None  # both grounds, no label: unknown


def test_a_labelled_legal_ground_decides_between_two_grounds():
    text = _text("18-dsa-de-structured-illegal").replace(
        "verstößt nicht gegen unsere Nutzungsbedingungen",
        "verstößt auch gegen unsere Nutzungsbedingungen",
    )
    parsed = parse_statement(text)
    assert parsed.decision_ground.value == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert parsed.illegal_content_legal_ground.value == "§ 130 StGB (Volksverhetzung)"


def test_automated_detection_and_decision_are_read_apart():
    meta = parse_statement(_text("01-facebook-en-removed"))
    assert meta.automated_detection.value == "Yes"
    assert meta.automated_decision.value == "AUTOMATED_DECISION_NOT_AUTOMATED"
    # "no automated means ... in this decision" says nothing of the detection
    x = parse_statement(_text("08-x-en-permanently-suspended"))
    assert x.automated_detection is None
    assert x.automated_decision.value == "AUTOMATED_DECISION_NOT_AUTOMATED"
    telegram = parse_statement(_text("10-telegram-en-channel-blocked"))
    assert telegram.automated_detection.value == "No"
    # a person reviewing a decision made with automated help: partially automated
    linkedin = parse_statement(_text("09-linkedin-en-restricted"))
    assert linkedin.automated_decision.value == "AUTOMATED_DECISION_PARTIALLY"


def test_contradictory_automation_gives_none():
    text = _text("21-facebook-it-removed") + "\nLa decisione è stata presa da un moderatore.\n"
    assert parse_statement(text).automated_decision is None


def test_the_decision_date_is_not_the_end_date_nor_the_posting_date():
    spain = parse_statement(_text("19-facebook-es-suspended"))
    assert spain.decision_date is None and spain.end_date.value.isoformat() == "2026-03-20"
    tiktok = parse_statement(_text("06-tiktok-en-removed"))
    assert tiktok.decision_date is None  # "your video posted on 1 March 2026"
    turkey = parse_statement(_text("32-x-tr-suspended"))
    assert turkey.decision_date is None and turkey.end_date.value.isoformat() == "2026-03-10"


def test_two_different_decision_dates_give_none():
    text = _text("05-youtube-en-terminated")
    assert parse_statement(text).to_tdb()["application_date"] == "2026-03-14"
    twice = text + "\nThis decision was made on 15 March 2026.\n"
    assert parse_statement(twice).decision_date is None


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("13-facebook-fr-removed", "2026-03-03"),  # le 3 mars 2026
        ("16-facebook-de-removed", "2026-03-03"),  # am 3. März 2026
        ("17-youtube-de-terminated", "2026-03-01"),  # 01.03.2026
        ("26-youtube-nl-terminated", "2026-02-27"),  # 27-02-2026
        ("28-x-ar-suspended", "2026-03-04"),  # 2026-03-04
        ("30-tiktok-ru-banned", "2026-03-01"),  # 1 марта 2026 года
        ("31-facebook-tr-removed", "2026-03-03"),  # 3 Mart 2026 tarihinde
        ("33-facebook-pt-removed", "2026-03-03"),  # 3 de março de 2026
    ],
)
def test_decision_dates_in_several_forms(name, day):
    assert parse_statement(_text(name)).to_tdb()["application_date"] == day


def test_arabic_indic_digits():
    text = _text("27-facebook-ar-removed").replace("3 مارس 2026", "٣ مارس ٢٠٢٦")
    assert parse_statement(text).decision_date.value.isoformat() == "2026-03-03"


def test_boilerplate_about_technology_is_not_about_this_decision():
    meta = _text("01-facebook-en-removed")
    without = meta.replace("We used technology to detect this post. ", "")
    assert "Learn more about how Meta uses technology to detect" in without
    assert parse_statement(without).automated_detection is None
