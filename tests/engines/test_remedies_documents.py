"""Remedy documents in seven languages, as text and as PDF, without leaking identities."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
from datetime import date

import pytest

from amparo.engines.remedies.documents import (
    KINDS,
    LANGUAGES,
    DocumentInput,
    build_document,
    sentences,
)
from amparo.engines.remedies.documents.compose import format_document_date

CANARY = "Zofia Canary-Łęcka"

BONA_FIDE_WORDS = {
    "en": "bona fide",
    "fr": "bonne foi",
    "de": "gutem Glauben",
    "es": "buena fe",
    "it": "buona fede",
    "pl": "dobrej wierze",
    "nl": "goeder trouw",
}


def case(kind="art20_complaint", language="en", **changes):
    base = dict(
        kind=kind,
        language=language,
        organisation_name="Fundacja Żółć & Straße",
        organisation_address="ul. Łąkowa 5\n00-001 Warszawa",
        organisation_email="helpline@example.org",
        platform="Instagram",
        date=date(2025, 9, 15),
        content_urls=(
            "https://www.instagram.com/p/C0ntent1/",
            "https://www.instagram.com/p/C0ntent2/",
        ),
        decision_summary="Account suspended after a wave of identical reports",
        decision_date=date(2025, 8, 31),
        sor_reference="SOR-2025-0042",
        facts="The account documents police violence; it was suspended within an hour of 300 reports.",
        legal_grounds="The posts are lawful journalism protected by Article 11 of the Charter.",
        requested_remedy="Restore the account and the posts.",
        represented=True,
        represented_person_name=CANARY,
        include_identity=False,
        recipient_name="Appeals Centre Europe",
        member_state="PL",
    )
    base.update(changes)
    return DocumentInput(**base)


def pdf_text(pdf: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_language_has_every_template_sentence():
    keys = set(sentences("en"))
    for language in LANGUAGES:
        assert set(sentences(language)) == keys, language
        for key, sentence in sentences(language).items():
            assert sentence.strip(), (language, key)
            assert set(re.findall(r"{(\w+)}", sentence)) <= {
                "org",
                "platform",
                "regulation",
                "body",
                "country",
                "name",
            }


def test_templates_are_translated_not_copied():
    english = sentences("en")
    for language in LANGUAGES[1:]:
        # Short labels may coincide ("Date", "E-mail", "Name"); sentences must not.
        same = [
            k
            for k, v in sentences(language).items()
            if v == english[k] and not k.startswith(("label_", "f_"))
        ]
        assert same == [], (language, same)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_art16_notice_has_the_four_required_elements(language):
    doc = build_document(case("art16_notice", language), pdf=False)
    s = sentences(language)
    text = doc.text
    # (a) a substantiated explanation why the content is illegal
    assert s["h_explanation"] in text
    assert "Article 11 of the Charter" in text and "300 reports" in text
    # (b) the exact URLs
    assert s["h_urls"] in text
    assert "https://www.instagram.com/p/C0ntent1/" in text
    assert "https://www.instagram.com/p/C0ntent2/" in text
    # (c) the notifier's name and e-mail
    notifier = text.split(s["h_notifier"], 1)[1]
    assert "Fundacja Żółć & Straße" in notifier and "helpline@example.org" in notifier
    # (d) the bona fide statement
    assert s["bona_fide"].format(org="Fundacja Żółć & Straße") in text
    assert BONA_FIDE_WORDS[language] in text
    for element in (
        "facts",
        "legal_grounds",
        "content_urls",
        "notifier_name_and_email",
        "bona_fide_statement",
    ):
        assert element in doc.contents
    # The elements come in the order of Article 16(2).
    positions = [text.index(s[h]) for h in ("h_explanation", "h_urls", "h_notifier", "h_statement")]
    assert positions == sorted(positions)


def test_an_art16_notice_refuses_to_go_without_urls_or_explanation():
    with pytest.raises(ValueError, match=r"16\(2\)\(b\)"):
        build_document(case("art16_notice", content_urls=()), pdf=False)
    with pytest.raises(ValueError, match=r"16\(2\)\(a\)"):
        build_document(case("art16_notice", facts="", legal_grounds=""), pdf=False)
    with pytest.raises(ValueError, match="language"):
        build_document(case(language="pt"), pdf=False)


FIELD_VALUES = {
    "organisation_name": "Fundacja Żółć & Straße",
    "organisation_address": "ul. Łąkowa 5",
    "organisation_email": "helpline@example.org",
    "content_urls": "https://www.instagram.com/p/C0ntent1/",
    "sor_reference": "SOR-2025-0042",
    "decision_summary": "wave of identical reports",
    "facts": "police violence",
    "legal_grounds": "Article 11 of the Charter",
    "requested_remedy": "Restore the account",
    "represented_person_name": CANARY,
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"include_identity": True},
        {
            "organisation_address": "",
            "sor_reference": "",
            "decision_summary": "",
            "decision_date": None,
        },
        {"represented": False, "requested_remedy": ""},
    ],
    ids=["full", "identified", "sparse", "own-behalf"],
)
def test_contents_lists_exactly_what_the_text_contains(kind, changes):
    inp = case(kind, **changes)
    doc = build_document(inp, pdf=False)
    for fieldname, value in FIELD_VALUES.items():
        assert (fieldname in doc.contents) == (value in doc.text), fieldname
    decision_day = format_document_date(date(2025, 8, 31), "en")
    assert ("decision_date" in doc.contents) == (decision_day in doc.text)
    assert ("identity_withheld" in doc.contents) == (
        inp.represented and not inp.include_identity and kind != "art16_notice"
    )
    assert ("art86_priority" in doc.contents) == (kind == "art20_complaint" and inp.represented)
    assert doc.sha256 == hashlib.sha256(doc.text.encode()).hexdigest()


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("art20_complaint", ["art20_human_review_request", "art20_reasoned_decision_request"]),
        (
            "art21_submission",
            ["art21_no_prior_complaint_needed", "art21_fees", "art21_decision_deadline"],
        ),
        ("art53_complaint", ["art53_transmission_request", "art53_right_to_be_heard"]),
    ],
)
def test_each_kind_says_what_its_article_gives(kind, fields):
    doc = build_document(case(kind), pdf=False)
    for fieldname in fields:
        assert fieldname in doc.contents


def test_recipients_are_named_in_the_document_language():
    art21 = build_document(case("art21_submission", "de"), pdf=False).text
    assert "Appeals Centre Europe, zertifizierte außergerichtliche Streitbeilegungsstelle" in art21
    art53 = build_document(case("art53_complaint", "fr"), pdf=False).text
    assert "Coordinateur pour les services numériques — Pologne" in art53
    unnamed = build_document(case("art53_complaint", "nl", member_state=""), pdf=False).text
    assert "De bevoegde digitaledienstencoördinator" in unnamed


def test_dates_are_written_as_in_each_language():
    assert "15 September 2025" in build_document(case(language="en"), pdf=False).text
    assert "15. September 2025" in build_document(case(language="de"), pdf=False).text
    assert "15 września 2025" in build_document(case(language="pl"), pdf=False).text
    assert "15 de septiembre de 2025" in build_document(case(language="es"), pdf=False).text


@pytest.mark.parametrize("kind", KINDS)
def test_the_represented_person_is_absent_unless_consented(kind):
    inp = case(kind, facts=f"{CANARY} posted the video. zofia canary-łęcka was then suspended.")
    doc = build_document(inp)
    assert CANARY.lower() not in doc.text.lower()
    assert "Canary" not in doc.text
    assert CANARY.encode() not in doc.pdf and b"Canary" not in doc.pdf
    assert "Canary" not in pdf_text(doc.pdf)
    if kind != "art16_notice":
        assert "[name withheld]" in doc.text
    assert "represented_person_name" not in doc.contents


def test_the_represented_person_is_named_with_consent():
    doc = build_document(case("art20_complaint", "pl", include_identity=True))
    assert CANARY in doc.text
    assert "represented_person_name" in doc.contents
    assert CANARY in flat(pdf_text(doc.pdf))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_pdf_carries_the_key_sentences(kind, language):
    doc = build_document(case(kind, language))
    assert doc.pdf.startswith(b"%PDF-")
    assert doc.pdf_font in ("SourceSansPro", "DejaVuSans")
    extracted = flat(pdf_text(doc.pdf))
    s = sentences(language)
    assert flat(s[f"subject_{kind[:5]}"].format(platform="Instagram")) in extracted
    assert "Fundacja Żółć & Straße" in extracted  # ż, ó, ł, ć and ß survive
    assert "https://www.instagram.com/p/C0ntent1/" in extracted.replace(" ", "")
    closing = {
        "art16_notice": "bona_fide",
        "art20_complaint": "art20_human",
        "art21_submission": "art21_fees",
        "art53_complaint": "art53_heard",
    }[kind]
    assert flat(s[closing].format(org="Fundacja Żółć & Straße")) in extracted


def test_the_pdf_is_reproducible_and_its_metadata_carries_no_identity():
    pypdf = pytest.importorskip("pypdf")
    first, second = build_document(case()), build_document(case())
    assert first.pdf == second.pdf
    meta = pypdf.PdfReader(io.BytesIO(first.pdf)).metadata
    assert "Canary" not in str(dict(meta))


def test_without_a_unicode_font_the_pdf_falls_back_to_transliteration(monkeypatch):
    from amparo.engines.remedies.documents import pdf as pdf_module

    monkeypatch.setattr(pdf_module, "find_font", lambda: None)
    doc = build_document(case("art16_notice", "pl"))
    assert doc.pdf_font == pdf_module.FALLBACK_FONT
    assert "Fundacja Zólc & Straße" in flat(pdf_text(doc.pdf))  # ó is Latin-1; ż, ł, ć are not
    assert "Żółć" in doc.text  # the text version stays exact
    assert pdf_module.transliterate("łódź ĳs ő — „x”") == 'lódz ijs o - "x"'


def test_an_identical_input_gives_an_identical_hash_and_a_changed_one_does_not():
    doc = build_document(case(), pdf=False)
    assert doc.sha256 == build_document(case(), pdf=False).sha256
    changed = dataclasses.replace(case(), facts="Other facts.")
    assert build_document(changed, pdf=False).sha256 != doc.sha256


def test_an_art16_notice_needs_both_facts_and_legal_grounds_and_the_notifiers_email():
    # Art 16(2)(a): an explanation of why the content is illegal names the law; (c) the e-mail.
    with pytest.raises(ValueError, match=r"16\(2\)\(a\)"):
        build_document(case("art16_notice", legal_grounds=""), pdf=False)
    with pytest.raises(ValueError, match=r"16\(2\)\(c\)"):
        build_document(case("art16_notice", organisation_email=""), pdf=False)
    # Elsewhere an empty e-mail is left out, never replaced by another address.
    doc = build_document(case("art20_complaint", organisation_email=""), pdf=False)
    assert "organisation_email" not in doc.contents and "@" not in doc.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_codes_are_written_by_the_languages_own_labels(language):
    s = sentences(language)
    doc = build_document(
        case(
            language=language,
            decision_summary="",
            decision_type="account_suspended",
            decision_ground="illegal_content",
            account="Account text.",
        ),
        pdf=False,
    )
    assert s["dt_account_suspended"] in doc.text and s["ground_illegal_content"] in doc.text
    assert "account_suspended" not in doc.text and "illegal_content" not in doc.text
    assert s["h_account"].format(org="Fundacja Żółć & Straße") in doc.text
    assert {"decision_type", "decision_ground", "account"} <= set(doc.contents)
    notice = build_document(
        case("art16_notice", language, requested_action="disable_access"), pdf=False
    )
    assert f"{s['f_action']}: {s['act_disable_access']}" in notice.text
    with pytest.raises(ValueError, match="requested_action"):
        build_document(case("art16_notice", language, requested_action="delete"), pdf=False)


def test_the_coordinator_is_named_from_the_register_in_the_documents_language():
    doc = build_document(
        case("art53_complaint", "pl", recipient_name="Urząd Komunikacji Elektronicznej (UKE)"),
        pdf=False,
    )
    assert "Koordynator ds. usług cyfrowych — Polska: Urząd Komunikacji Elektronicznej" in doc.text
