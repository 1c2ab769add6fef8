"""Redaction of e-mails, phones, addresses and ID numbers, with spans into the original."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.engines.triage import Finding, redact
from amparo.engines.triage.redaction import EMAIL_RE

# (text, default_region, [(kind, original fragment)], redacted text or None)
CASES = [
    (
        "Escríbeme a ana.perez@example.org o al +52 55 1234 5678.",
        None,
        [("email", "ana.perez@example.org"), ("phone", "+52 55 1234 5678")],
        "Escríbeme a [email] o al [phone].",
    ),
    ("Llámame al 612 345 678, por favor", "ES", [("phone", "612 345 678")], None),
    ("Mi número es 0300 1234567", None, [("phone", "0300 1234567")], None),
    ("میرا نمبر 0300 1234567 ہے", "PK", [("phone", "0300 1234567")], None),
    ("رقمي ‎+٩٧١٥٠١٢٣٤٥٦٧ للتواصل", "AE", [("phone", "+٩٧١٥٠١٢٣٤٥٦٧")], None),
    ("Мой телефон +7 912 345-67-89, пишите", None, [("phone", "+7 912 345-67-89")], None),
    ("Số điện thoại: +84 912 345 678", None, [("phone", "+84 912 345 678")], None),
    ("Nambari yangu ni +254 712 345678", None, [("phone", "+254 712 345678")], None),
    (
        "Vivo en Calle Mayor 12, 28013 Madrid.",
        None,
        [("address", "Calle Mayor 12, 28013 Madrid")],
        "Vivo en [address].",
    ),
    (
        "Moro na Rua das Flores, 123 - CEP 01310-100",
        None,
        [("address", "Rua das Flores, 123 - CEP 01310-100")],
        None,
    ),
    (
        "J'habite au 12 rue de la Paix, 75002 Paris",
        None,
        [("address", "12 rue de la Paix, 75002 Paris")],
        None,
    ),
    (
        "He lives at 221B Baker Street, London NW1 6XE",
        None,
        [("address", "221B Baker Street, London NW1 6XE")],
        None,
    ),
    ("Адрес: ул. Ленина, д. 5, кв. 12", None, [("address", "ул. Ленина, д. 5, кв. 12")], None),
    ("Живу на вулиця Хрещатик, 22", None, [("address", "вулиця Хрещатик, 22")], None),
    ("Adres: Bahariye Cad. No:12 Kadıköy", None, [("address", "Bahariye Cad. No:12")], None),
    ("Nhà tôi ở 123 đường Lê Lợi, Quận 1", None, [("address", "123 đường Lê Lợi")], None),
    ("Rumah saya di Jl. Sudirman No. 5, Jakarta", None, [("address", "Jl. Sudirman No. 5")], None),
    (
        "Ninaishi Mtaa wa Moi nyumba namba 12",
        None,
        [("address", "Mtaa wa Moi nyumba namba 12")],
        None,
    ),
    ("يسكن في شارع الحمرا رقم 12 في بيروت", None, [("address", "شارع الحمرا رقم 12")], None),
    (
        "آدرس: خیابان آزادی، کوچه ۵، پلاک ۱۲",
        None,
        [("address", "خیابان آزادی، کوچه ۵، پلاک ۱۲")],
        None,
    ),
    ("پتہ: مکان نمبر 12، گلی نمبر 3، لاہور", None, [("address", "مکان نمبر 12، گلی نمبر 3")], None),
    ("CNIC 12345-1234567-1", None, [("id_number", "12345-1234567-1")], "CNIC [id number]"),
    ("CPF 123.456.789-09", "BR", [("id_number", "123.456.789-09")], "CPF [id number]"),
    (
        "IBAN GB82 WEST 1234 5698 7654 32",
        None,
        [("id_number", "GB82 WEST 1234 5698 7654 32")],
        None,
    ),
    ("Kimlik no 12345678901", None, [("id_number", "12345678901")], None),
]


@pytest.mark.parametrize(("text", "region", "expected", "redacted"), CASES)
def test_redacts_with_original_spans(text, region, expected, redacted):
    result = redact(text, default_region=region)
    got = [(f.kind, text[f.start : f.end]) for f in result.findings]
    assert got == expected
    if redacted is not None:
        assert result.text == redacted
    for f in result.findings:
        assert text[f.start : f.end] not in result.text


def test_links_are_kept():
    text = "See https://x.com/someone/status/1790000000000000000 and t.me/channel/123456789"
    assert redact(text).text == text


@pytest.mark.parametrize(
    "text",
    [
        "Content ID: 3219876543210",
        "content-id 3219876543210",
        "post 1789234567890123456",
        "post #1789234567890123456.",
        "posts 123456789012, 223456789012 and 323456789012 were removed",
        "Statement of reasons 8812345678901 on 2024-05-01",
        "SoR ID 1234567890123",
        "Decision reference: DSA-2024-000123456789",
        "Decision no. 88123456789",
        "ticket 123456789",
        "ID de contenido: 123456789012",
        "número de referencia 4455667788991",
        "la decisión 123456789012 del 3 de mayo",
        "Aktenzeichen 4455667788991",
        "Content ID: 3219876543210 0",
        "see SOR-2024-000123456789 and FB-DSA-2026-11-77812",
    ],
)
def test_an_identifier_labelled_as_content_or_a_decision_is_kept(text):
    """The one key the platform needs is not an "[id number]"."""
    assert redact(text).findings == [], text
    assert redact(text, default_region="MX").text == text


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("call 5512345678", None),
        ("call 5512345678", "MX"),
        ("reference 55-1234-5678", None),  # digits in groups: a phone, label or not
        ("reference 5512-345678", None),
        ("reference +525512345678", None),
        ("reference 00525512345678", None),
        ("content 5512345678", None),  # "content" alone is a word, not a label
        ("id 12345678901", None),  # a bare "id" may be an identity card
        ("Kimlik no 12345678901", None),
        ("reference CPF 123.456.789-09", "BR"),
        ("TEL-5512345678", None),
        ("DNI-123456789", None),
    ],
)
def test_phones_and_identity_numbers_go_even_near_a_label(text, region):
    result = redact(text, default_region=region)
    assert result.findings and not any(ch.isdigit() for ch in result.text), result.text


def test_email_inside_a_link_is_still_redacted():
    result = redact("https://example.org/?contact=ana@example.org")
    assert "ana@example.org" not in result.text


def test_invalid_iban_is_not_an_iban_but_a_long_number_is_still_hidden():
    result = redact("ref GB00 WEST 1234 5698 7654 32")
    assert "1234 5698 7654" not in result.text


def test_things_that_are_not_personal_data():
    for text in [
        "Posted on 2024-05-12 at 10:30, 3 times.",
        "me siguieron en la calle durante 2 horas",
        "The Supreme Court 2023 ruling",
        "Account suspended: ticket 12345",
        "عن طريق 3 حسابات",
    ]:
        assert redact(text).findings == [], text


@pytest.mark.parametrize("odd", [None, "", 42, "\ud800", "\x00" * 50, "@" * 100, "+" * 40])
def test_never_raises(odd):
    result = redact(odd)  # type: ignore[arg-type]
    assert isinstance(result.text, str)


_pieces = st.one_of(
    st.text(max_size=30),
    st.emails(),
    st.from_regex(r"\+[1-9]\d{1,2} \d{2,4} \d{3,4} \d{3,4}", fullmatch=True),
    st.from_regex(r"\d{3}\.\d{3}\.\d{3}-\d{2}", fullmatch=True),
    st.sampled_from(
        [" ", ", ", "Calle Mayor 12", "ул. Ленина, д. 5", "شارع الحمرا رقم 12", "@", ".", "-", "+"]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_pieces, max_size=8).map("".join), st.sampled_from([None, "BR", "PK", "XX", ""]))
def test_properties(text, region):
    result = redact(text, default_region=region)
    assert EMAIL_RE.search(result.text) is None
    previous_end = 0
    for f in result.findings:
        assert isinstance(f, Finding)
        assert 0 <= previous_end <= f.start < f.end <= len(text)
        previous_end = f.end
    # Rebuilding from the findings gives the redacted text.
    rebuilt, pos = [], 0
    for f in result.findings:
        rebuilt += [text[pos : f.start], f"[{f.kind.replace('_', ' ')}]"]
        pos = f.end
    assert "".join([*rebuilt, text[pos:]]) == result.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_any_text(text):
    assert isinstance(redact(text).text, str)
