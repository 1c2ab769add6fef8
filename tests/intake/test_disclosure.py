"""The one rule for what may leave about a reporter (amparo.intake.disclosure): consent, and
what clean() removes from a free text that leaves and what it keeps."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.intake import disclosure
from amparo.intake.models import Report

PHONE = "+52 55 1234 5678"
NATIONAL = "5512345678"


def report(
    consent: str = "no",
    *,
    name: str = "Lucía Hernández",
    method: str = "signal",
    contact: str = PHONE,
    affected: tuple[str, ...] = ("https://www.facebook.com/periodista.libre",),
    country: str = "MX",
) -> Report:
    """An unsaved report: the rule reads only these fields."""
    return Report(
        consent_share_identity=consent,
        contact_method=method,
        country=country,
        reporter={"name": name, "contact_method": method, "contact_value": contact},
        accounts={"affected": list(affected), "attackers": [], "links": []},
    )


def rule(consent: str = "no", *, asked: bool = False, **kwargs: object) -> disclosure.Disclosure:
    return disclosure.for_reports([report(consent, **kwargs)], asked_and_confirmed=asked)  # type: ignore[arg-type]


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# -- the consent rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "asked", "consent", "may"),
    [
        (["yes"], False, "yes", True),
        (["yes", "yes"], False, "yes", True),
        (["ask"], False, "ask", False),
        (["ask"], True, "ask", True),
        (["yes", "ask"], False, "ask", False),
        (["yes", "ask"], True, "ask", True),
        (["no"], True, "no", False),
        (["yes", "no"], True, "no", False),
        (["ask", "no"], True, "no", False),
        ([], True, "no", False),
        (["maybe"], True, "no", False),  # an unknown answer is no consent
    ],
)
def test_the_consent_rule(answers, asked, consent, may):
    got = disclosure.for_reports([report(a) for a in answers], asked_and_confirmed=asked)
    assert (got.consent, got.may_identify) == (consent, may)


def test_identity_lists_only_with_consent():
    reports = [
        report("yes"),
        report("yes", name="Ana Pérez", method="email", contact="ana.perez@example.org"),
    ]
    allowed = disclosure.for_reports(reports)
    assert allowed.names() == ["Lucía Hernández", "Ana Pérez"]
    assert allowed.contacts() == [f"signal: {PHONE}", "email: ana.perez@example.org"]
    assert allowed.affected_accounts() == ["https://www.facebook.com/periodista.libre"]
    for withheld in (
        allowed.without_identity(),
        disclosure.for_reports([*reports, report("no")], asked_and_confirmed=True),
        disclosure.for_reports([report("ask")]),
    ):
        assert withheld.names() == withheld.contacts() == withheld.affected_accounts() == []


# -- what clean() removes -----------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        PHONE,
        "5512345678",
        "55-1234-5678",
        "55 1234 5678",
        "55.1234.5678",
        "(55) 1234-5678",
        "+52 (55) 1234-5678",
        "+525512345678",
        "0052 55 1234 5678",
        "52 55 1234 5678",
        "tel5512345678",
        "٥٥١٢٣٤٥٦٧٨",  # Arabic-Indic digits
    ],
)
def test_a_phone_number_goes_in_every_form_it_is_typed(typed):
    for consent in ("no", "yes"):  # contacts never leave inside free text
        cleaned = rule(consent).clean(f"Call her on {typed} after 6 pm.")
        assert "1234" not in digits(cleaned) and "5678" not in digits(cleaned), cleaned
        assert "[contact]" in cleaned and cleaned.endswith(" after 6 pm.")


def test_a_national_number_without_country_code_is_found_in_its_international_forms():
    got = rule(contact="55 1234 5678")  # the reporter is in Mexico (country MX)
    for typed in ("+52 55 1234 5678", "0052 55 1234 5678", "5512345678"):
        assert "[contact]" in got.clean(f"number {typed}")
        assert NATIONAL not in digits(got.clean(f"number {typed}"))


def test_a_contact_value_goes_whole_never_leaving_a_tail():
    value = "+52 55 7391 9911 CANARY7391"
    got = rule(contact=value)
    for typed in (value, "+52 55 7391 9911", "CANARY7391", "canary7391"):
        cleaned = got.clean(f"reach me: {typed}.")
        assert "7391" not in cleaned and "9911" not in cleaned, cleaned
        assert cleaned == "reach me: [contact]."


def test_an_email_address_and_its_local_part_go():
    got = rule(method="email", contact="ana.perez@example.org")
    assert got.clean("write ana.perez@example.org") == "write [contact]"
    assert got.clean("ask ana.perez, she knows") == "ask [contact], she knows"
    assert got.clean("or ANA.PEREZ@other.example") == "or [contact]"
    assert got.clean("mariana.perez2 is someone else") == "mariana.perez2 is someone else"


@pytest.mark.parametrize(
    "typed", ["@lucia_h42", "lucia_h42", "t.me/lucia_h42", "https://t.me/lucia_h42"]
)
def test_a_messenger_handle_goes_with_or_without_at(typed):
    got = rule(method="telegram", contact="@lucia_h42", name="")
    assert got.clean(f"She is {typed} there") == "She is [contact] there"


def test_a_name_goes_whole_and_each_part_alone_in_any_case_and_accent():
    got = rule(name="María José Hernández-Pérez")
    cases = {
        "María José Hernández-Pérez wrote": "[name] wrote",
        "Maria wrote": "[name] wrote",
        "HERNANDEZ wrote": "[name] wrote",
        "perez wrote": "[name] wrote",
        "Jose wrote": "[name] wrote",
        "Dear Maria Jose,": "Dear [name],",
        "Mari\u0301a wrote": "[name] wrote",  # an accent typed as a combining mark
        "Mariana and Josefa wrote": "Mariana and Josefa wrote",  # whole words only
        "@maria_hernandez": "@[name]_[name]",
    }
    for text, expected in cases.items():
        assert got.clean(text) == expected, text


def test_a_short_name_does_not_eat_other_words():
    got = rule(name="Ana de la Cruz")
    assert got.clean("Ana ate a banana in Anaheim") == "[name] ate a banana in Anaheim"
    assert got.clean("la casa de Cruz") == "la casa de [name]"  # "de", "la" are not names
    short = rule(name="Li")
    assert short.clean("Li wrote; a lion, li") == "[name] wrote; a lion, li"


def test_a_phrase_in_the_name_field_does_not_eat_common_words():
    got = rule(name="prefer not to say")
    assert got.clean("I prefer not to say") == "I [name]"
    assert got.clean("It was not spam.") == "It was not spam."


def test_names_stay_with_consent_and_contacts_still_go():
    got = rule("yes")
    assert got.clean("Lucía Hernández, 5512345678") == "Lucía Hernández, [contact]"
    assert rule("ask", asked=True).clean("Lucía") == "Lucía"
    assert rule("ask").clean("Lucía") == "[name]"


def test_the_affected_account_is_identity_without_consent():
    got = rule()
    assert got.clean("my page @periodista.libre") == "my page [account]"
    assert got.clean("see https://www.facebook.com/periodista.libre.") == "see [account]."
    assert got.clean("see facebook.com/Periodista.Libre/") == "see [account]"
    kept = rule("yes").clean("my page @periodista.libre")
    assert kept == "my page @periodista.libre"


def test_what_the_triage_engine_finds_goes_too():
    cleaned = rule("yes").clean("He posted Calle Mayor 12, 28013 Madrid and +44 20 7946 0958")
    assert cleaned == "He posted [address] and [phone]"


def test_a_document_may_name_its_own_marker():
    got = rule()
    assert got.clean("Lucía wrote", name_marker="[Name nicht offengelegt]") == (
        "[Name nicht offengelegt] wrote"
    )


# -- what clean() keeps -------------------------------------------------------------------

CONTENT = [
    "Content ID: 3219876543210",
    "post 1789234567890123456",
    "posts 1789234567890123456, 1789234567890123457 and 1789234567890123458",
    "Statement of reasons reference: SOR-2024-000123456789",
    "Decision reference: DSA-2024-000123456789",
    "ID de contenido 3219876543210",
    "https://x.com/periodista/status/1790000000000000000",
    "https://www.facebook.com/periodista.libre/posts/3219876543210",
    "https://www.facebook.com/photo/?fbid=5512345679",
    "on 2024-05-12 at 10:30, and 12.05.2024",
    "SOR-2024-000123456789 and FB-DSA-2026-11-77812",
]


@pytest.mark.parametrize("text", CONTENT)
@pytest.mark.parametrize("consent", ["no", "yes"])
def test_what_identifies_the_content_survives(text, consent):
    got = rule(consent)
    assert got.clean(text) == text
    # ... also next to what goes.
    mixed = f"Lucía (5512345678) says: {text}; write to ana@example.org"
    assert text in got.clean(mixed)


def test_a_link_with_the_reporters_name_in_it_is_kept_whole():
    text = "https://www.facebook.com/lucia.hernandez/posts/1789234567890123456"
    assert rule().clean(f"Lucía's post {text}") == f"[name]'s post {text}"


def test_a_link_that_carries_the_contact_goes_whole():
    assert rule().clean("wa.me/525512345678 now") == "[contact] now"


def test_clean_reference_keeps_numbers_but_not_the_contact():
    got = rule()
    assert got.clean_reference("3219876543210") == "3219876543210"
    assert got.clean_reference("5512345678") == "[contact]"
    assert got.clean("3219876543210") == "[id number]"  # unlabelled, in free text


def test_odd_input_never_raises():
    got = rule()
    for odd in ("", "   ", "\x00" * 20, "@" * 50, "+" * 40, "\ud800", "Lucía" * 1000):
        assert isinstance(got.clean(odd), str)
    empty = disclosure.for_reports([report(name="", contact="", affected=())])
    assert empty.clean("Lucía 5512345678 ok") == "Lucía [phone] ok"  # the engine, for MX


# -- properties ---------------------------------------------------------------------------

_no_digits = st.text(
    alphabet=st.characters(blacklist_categories=("Nd", "Cs"), blacklist_characters="+"),
    max_size=25,
)
_sep = st.sampled_from(["", " ", "-", ".", " - ", "/", "\u00a0"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=_no_digits,
    after=_no_digits,
    prefix=st.sampled_from(["", "+52 ", "0052 ", "52 ", "+52-", "0"]),
    seps=st.lists(_sep, min_size=9, max_size=9),
    consent=st.sampled_from(["no", "ask", "yes"]),
)
def test_property_no_digit_of_the_phone_survives(before, after, prefix, seps, consent):
    typed = prefix + "".join(d + s for d, s in zip(NATIONAL, [*seps, ""], strict=True))
    cleaned = rule(consent, asked=True).clean(f"{before} {typed} {after}")
    assert NATIONAL not in digits(cleaned)
    assert "1234" not in digits(cleaned) and "5678" not in digits(cleaned)


_variants = st.sampled_from(
    ["Lucía", "LUCIA", "lucia", "Hernández", "hernandez", "Lucia Hernandez"]
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.text(max_size=20),
    after=st.text(max_size=20),
    name=_variants,
    glue=st.sampled_from([" ", ", ", "\n", " (", ": "]),
)
def test_property_no_name_survives_and_content_ids_do(before, after, name, glue):
    got = rule()
    text = f"{before}{glue}{name}{glue}Content ID: 3219876543210{glue}{after}"
    cleaned = disclosure.fold(got.clean(text))
    assert not re.search(r"(?<![^\W_])(?:lucia|hernandez)(?![^\W_])", cleaned)
    assert "content id: 3219876543210" in cleaned


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_property_clean_never_raises_and_never_keeps_a_whole_contact(text):
    got = rule()
    cleaned = got.clean(text + " " + PHONE)
    assert isinstance(cleaned, str) and PHONE not in cleaned
