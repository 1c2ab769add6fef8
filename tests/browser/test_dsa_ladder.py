"""The DSA ladder in the browser, as a caseworker climbs it for a death threat on X.

An organisation in Berlin records its legal identity on its settings page, notifies the illegal
content under Art 16 as notifier (its legal name and role address, never the installation's
sending address), records the notice as submitted and waits for X with the answer's clock in
the case list; X answers that it will not act; the remedies page pre-fills that decision from
the statement of reasons, and the organisation prepares its Art 20(1) complaint against it
(the notifier's complaint against a decision not to act), with its filing window in the case
list.

The routes follow who acts and from where, not the victim's country alone: for a human rights
defender in Mexico the organisation is offered the notice, the Art 20 complaint, the Art 21
bodies and its own coordinator (Art 53), as notifier."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "schutzraum"
LEGAL_NAME = "Schutzraum für Verteidigerinnen e.V."
ROLE_ADDRESS = "dsa@schutzraum.example"
POST_ID = "1897654321098765432"
POST = f"https://x.com/ojorojo88/status/{POST_ID}"
NOTIFIER = "Your organisation, as notifier"
PERSON = "The person, with your help"
WE_NOTIFY = "We act as notifier on our own standing (DSA Art 16)"
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
}


def _month(language: str, day: date) -> str:
    return MONTHS[language].split()[day.month - 1]


def _six_months_after(day: date) -> date:
    """Art 20(1)-(2): six calendar months; the last day of a shorter month (Reg 1182/71)."""
    month = day.month + 6
    year, month = day.year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _statement(today: date) -> str:
    """X's answer to the notice, as it arrives: reviewed, not acted on (Art 16(5), Art 17)."""
    return (
        "Hello,\n\n"
        "Thank you for your report under the EU Digital Services Act. We reviewed the reported "
        f"post ({POST}) and found that it does not violate the X Rules. We will not take action "
        "on this post.\n\n"
        f"This decision was made on {today.day} {_month('en', today)} {today.year} by a member "
        "of our review team. No automated means were used to take it.\n\n"
        "You can appeal this decision through our internal complaint-handling system within six "
        "months, use a certified out-of-court dispute settlement body, or seek judicial "
        "redress.\n\nX Safety"
    )


def _setup(country: str, narrative: str) -> dict[str, Any]:
    """The organisation (its identity is recorded through its settings page), an administrator
    who is also the shift lead, a caseworker, both with TOTP, and the case of one report of a
    death threat on X against a human rights defender in ``country``."""
    from amparo.accounts import services as accounts
    from amparo.accounts.models import User
    from amparo.cases.services import open_case
    from amparo.intake.forms import ReportForm
    from amparo.intake.services import submit_report
    from tests.conftest import PASSWORD, give_totp
    from tests.intake.conftest import valid_report

    org = accounts.create_organisation(name="Schutzraum", slug=SLUG, actor=None)
    alice = User.objects.create_user("alice@schutzraum.example", PASSWORD, display_name="Alice")
    carlos = User.objects.create_user("carlos@schutzraum.example", PASSWORD, display_name="Carlos")
    accounts.add_member(org, alice, "admin", actor=None, is_shift_lead=True)
    accounts.add_member(org, carlos, "caseworker", actor=None)
    form = ReportForm(
        valid_report(
            incident_type="threats_of_violence",
            platform="x",
            country=country,
            narrative=narrative,
            affected="https://x.com/defensora",
            attackers="@ojorojo88",
            links=POST,
        )
    )
    assert form.is_valid(), form.errors
    report = submit_report(org, form.report_fields(), channel="web_form", language="en").report
    case = open_case(org, reports=[report], title="Death threat on X", actor=carlos)
    return {
        "case": case,
        "alice": (alice, give_totp(alice, "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU")),
        "carlos": (carlos, give_totp(carlos, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")),
    }


def _settle_identity(page: Any, live_server: Any, alice: tuple[Any, str]) -> None:
    """The administrator records the organisation's legal identity, where it is established
    and its role address for notices on the settings page, then leaves."""
    from tests.browser.conftest import sign_in

    sign_in(page, live_server, *alice)
    page.get_by_role("link", name="Members", exact=True).click()
    page.get_by_role("link", name="Legal identity, notices and statuses").click()
    expect(page.locator("#no-role-address")).to_be_visible()
    page.get_by_label("Legal name").fill(LEGAL_NAME)
    page.get_by_label("Registration number").fill("VR 41234 B")
    page.get_by_label("Country of registration (where it is established)").select_option("DE")
    page.get_by_label("Postal address").fill("Oranienstraße 25\n10999 Berlin")
    page.get_by_label("Role e-mail address for notices").fill(ROLE_ADDRESS)
    page.get_by_role("button", name="Save").click()
    assert "Saved." in page.content()
    assert page.locator("#no-role-address").count() == 0
    page.context.clear_cookies()


def _offers(page: Any) -> dict[str, tuple[str, str]]:
    """The escalate page's channels: name -> (kind code, who acts). The kind is shown in words;
    its code is in the cell's data-kind."""
    found = {}
    for row in page.locator("table tbody tr").all():
        cells = [c.inner_text().strip() for c in row.locator("td").all()]
        kind = row.locator("td").nth(1).get_attribute("data-kind") or ""
        assert "_" not in cells[1], cells[1]  # words, not the code
        found[cells[0].removesuffix(" (unverified)")] = (kind, cells[2])
    return found


def _open_escalate(page: Any, case: Any) -> None:
    page.goto(f"/o/{SLUG}/cases/{case.pk}/")
    page.get_by_role("link", name="Escalate to the platform").click()
    page.wait_for_url("**/escalate/")


def _notify(page: Any) -> str:
    """On the escalate page: prepare the Art 16 notice to X as notifier and review it; returns
    exactly what will leave."""
    kind, who = _offers(page)["Notice of illegal content (EU)"]
    assert kind == "dsa_notice" and NOTIFIER in who.split("; ")
    page.locator("tr", has_text="Notice of illegal content (EU)").get_by_role(
        "link", name="Prepare"
    ).click()
    assert page.locator("#notifier").inner_text() == f"Notifier: {LEGAL_NAME} <{ROLE_ADDRESS}>"
    page.get_by_label("Why the content is illegal: the facts, in your own words").fill(
        "The post replies to a human rights defender's report with a photo of her front door "
        "and the words 'you will not live to see the trial'. It announces a killing to a named "
        "person and shows where she lives."
    )
    page.get_by_label("§ 241 StGB (Bedrohung)").check()
    page.get_by_label(
        "Legal ground: the law and provision, and why the content falls under it"
    ).fill(
        "The post threatens the defender with a crime against her life (§ 241(2) StGB: "
        "threat of a felony), addressed to her personally."
    )
    page.get_by_label("What you ask the platform to do").select_option("remove")
    assert page.get_by_label("Exact URLs of the content, one a line").input_value() == POST
    page.get_by_role("button", name="Review what will leave").click()
    return page.locator("#package-preview").inner_text()


def _assert_art16_letter(letter: str) -> None:
    """The four elements of Art 16(2): (a) the explanation and the legal ground, (b) the exact
    URL, (c) the organisation as notifier (never the installation's sending address), (d) the
    good-faith statement; and what is asked."""
    sections = {
        title: body.strip()
        for title, body in re.findall(r"^## ([^\n]+)\n(.*?)(?=^## |\Z)", letter, flags=re.S | re.M)
    }
    assert "you will not live to see the trial" in sections["Explanation"]
    assert sections["Legal ground"].startswith("§ 241 StGB (Bedrohung)\n")
    assert "§ 241(2) StGB" in sections["Legal ground"]
    assert sections["Content urls"] == f"- {POST}"
    assert sections["Notifier name"] == LEGAL_NAME
    assert sections["Notifier email"] == ROLE_ADDRESS
    assert sections["Good faith statement"] == (
        f"The notifier, {LEGAL_NAME}, confirms its bona fide belief that the information and "
        "allegations contained in this notice are accurate and complete."
    )
    assert sections["Requested action"] == "Removal of the information"
    assert sections["Country"] == "DE"  # the law invoked: where the organisation notifies from
    assert "amparo@localhost" not in letter and "@" not in letter.replace(ROLE_ADDRESS, "")
    # The notifier is the organisation: the reporter's name and contacts stay home.
    assert "Lucía" not in letter and "+52 55 1234 5678" not in letter


def _create_send_and_wait(page: Any, case: Any) -> str:
    """Create the reviewed notice, record it as submitted through X's reporting flow, and see
    the case wait for the platform with the answer's clock in the case list's "Next due";
    returns that time as shown."""
    from django.utils import timezone

    from amparo.escalations.models import Escalation

    page.get_by_role("button", name="Create the escalation").click()
    page.wait_for_url("**/escalations/*/")
    # It names no one but the organisation: no second person has to approve it.
    assert page.locator("#escalation-status").inner_text().startswith("Ready")
    assert page.get_by_role("button", name="Approve (second person)").count() == 0
    page.locator("#reference").fill("X-NOTICE-55120")
    page.get_by_role("button", name="Record as submitted").click()
    assert page.locator("#escalation-status").inner_text().startswith("Sent")
    escalation = Escalation.objects.get(case=case)
    assert escalation.channel_code == "x.dsa_notice" and not escalation.carries_personal_data
    assert escalation.package["notifier_email"] == ROLE_ADDRESS
    due = timezone.localtime(escalation.expected_response_at).strftime("%Y-%m-%d %H:%M")

    page.get_by_role("link", name=case.reference).first.click()
    assert page.locator("#case-status").inner_text().startswith("Awaiting the platform")
    assert "Answer from the platform" in page.locator("#case-clocks").inner_text()
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name="Awaiting a platform").click()
    row = page.locator("tr", has_text=case.reference)
    assert "Awaiting the platform" in row.inner_text() and due in row.inner_text()
    return due


def _record_answer(page: Any, due: str) -> date:
    """X's answer arrives: the caseworker finds the escalation in the list and records the
    answer with the day it arrived; returns that day."""
    from django.utils import timezone

    page.get_by_role("link", name="Escalations", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Awaiting the platform \(1\)")).click()
    label = "X (Twitter) — Notice of illegal content (EU)"  # the channel in words
    assert due in page.locator("tr", has_text=label).inner_text()
    page.get_by_role("link", name=label).click()
    today = timezone.localdate()
    answer = page.get_by_role("region", name="Record the platform's response")
    answer.get_by_label("Day the answer arrived").fill(today.isoformat())
    answer.get_by_label("The response or statement of reasons (paste it)").fill(_statement(today))
    answer.get_by_label("Outcome").select_option("not_actioned")
    answer.get_by_role("button", name="Save the response").click()
    assert page.locator("#escalation-status").inner_text().startswith("The platform responded")
    assert f"received on {today}" in page.locator("#escalation-response").inner_text()
    return today


def _decide(page: Any, case: Any, today: date) -> Any:
    """On the remedies page the decision is pre-filled from the statement of reasons: saved as
    it is, without retyping. Returns the decision."""
    from django.utils import formats, translation

    from amparo.remedies.models import PlatformDecision

    page.goto(f"/o/{SLUG}/cases/{case.pk}/")
    page.get_by_role("link", name="Remedies under the DSA and beyond, with their deadlines").click()
    expect(page.locator("#prefilled")).to_be_visible()
    assert page.locator("#dt option:checked").inner_text() == (
        "A notice was rejected: the platform decided not to act"
    )
    assert page.locator("#who option:checked").inner_text() == WE_NOTIFY
    assert page.locator("#inf").input_value() == today.isoformat()  # the day it arrived
    assert page.locator("#dec").input_value() == today.isoformat()  # "made on" in the statement
    assert page.locator("#ref").input_value() == POST_ID  # the post's id in the statement
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_url("**/remedies/")

    decision = PlatformDecision.objects.get(case=case)
    assert (decision.decision_type, decision.acting_as) == ("no_action", "notifier")
    assert decision.source_escalation is not None
    assert decision.statement_reference == POST_ID
    art20 = page.locator(f"#remedy-art20_complaint-{decision.pk} td")
    assert art20.nth(0).inner_text() == "Internal complaint to the platform (DSA Art 20)"
    assert art20.nth(1).inner_text() == WE_NOTIFY
    with translation.override("en"):
        shown = formats.date_format(_six_months_after(today))
    assert art20.nth(3).inner_text().startswith(f"{shown} (file by; ")
    assert "Europe/Berlin" in art20.nth(3).inner_text()  # the organisation files, from Berlin
    return decision


def _prepare_art20(page: Any, decision: Any, language: str, texts: dict[str, str]) -> str:
    """Prepare the Art 20 complaint with the caseworker's own texts in ``language``; returns
    the document as the step page shows it."""
    from amparo.remedies.models import RemedyStep

    page.locator(f"#texts-art20_complaint-{decision.pk} summary").click()
    form = page.locator(f"#texts-art20_complaint-{decision.pk}")
    form.get_by_label("Language of the document").select_option(language)
    form.get_by_label("Facts, in the document's language").fill(texts["facts"])
    form.get_by_label("Grounds", exact=True).fill(texts["grounds"])
    form.get_by_label("Request, in the document's language").fill(texts["request"])
    form.get_by_role("button", name="Generate the document with these texts").click()
    page.wait_for_url("**/remedies/*/")
    step = RemedyStep.objects.get(decision=decision)
    assert (step.code, step.language, step.status) == ("art20_complaint", language, "prepared")
    assert step.filing_deadline == _six_months_after(decision.informed_on)
    assert page.locator("#step-status").inner_text().startswith("Document prepared")
    return page.locator("pre.package").inner_text()


def _assert_art20_document(document: str, lines: list[str]) -> None:
    """Signed and filed by the organisation, about X's decision on its notice, with the
    statement's reference: wholly in its language (``lines``), with no code of the engine nor a slug."""
    assert document.startswith(f"{LEGAL_NAME}\nOranienstraße 25\n10999 Berlin\n")
    assert ROLE_ADDRESS in document
    assert f": {POST_ID}\n" in document  # the reference the statement gave
    assert f"- {POST}\n" in document
    for line in lines:
        assert line in document, line
    assert document.rstrip().endswith(LEGAL_NAME)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", document), "a code in the document"
    assert not re.search(r"(?<![\w./@])x(?![\w./@])", document), "the platform's slug"
    assert "Lucía" not in document and "+52 55 1234 5678" not in document


def _next_due_shows_the_filing_window(page: Any, case: Any, deadline: date, zone: str) -> None:
    """The case list's "Next due" is the end of the last day to file, in ``zone``: the answer's
    clock stopped with the answer, the complaint's window runs."""
    from django.conf import settings

    ends = datetime.combine(deadline, time(23, 59, 59), ZoneInfo(zone))
    shown = ends.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y-%m-%d %H:%M")
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name="All", exact=True).click()
    row = page.locator("tr", has_text=case.reference).inner_text()
    assert "In progress" in row
    assert row.rstrip().endswith(shown), (row, shown)


def test_eu_organisation_notifies_a_death_threat_and_complains_under_art20(
    page: Any, live_server: Any
) -> None:
    """A defender in Germany: notice (Art 16), X does not act, Art 20(1) complaint in German."""
    from tests.browser.conftest import sign_in

    world = _setup("DE", "A post on X threatens to kill me for my work on police violence.")
    case = world["case"]
    _settle_identity(page, live_server, world["alice"])
    sign_in(page, live_server, *world["carlos"])
    _open_escalate(page, case)
    _assert_art16_letter(_notify(page))
    due = _create_send_and_wait(page, case)
    today = _record_answer(page, due)
    decision = _decide(page, case, today)
    document = _prepare_art20(
        page,
        decision,
        "de",
        {
            "facts": "Der gemeldete Beitrag droht einer Menschenrechtsverteidigerin mit ihrer "
            "Tötung und zeigt ein Foto ihrer Haustür.",
            "grounds": "Der Beitrag erfüllt § 241 Abs. 2 StGB (Bedrohung mit einem Verbrechen).",
            "request": "Wir bitten Sie, Ihre Entscheidung aufzuheben und den Beitrag zu entfernen.",
        },
    )
    _assert_art20_document(
        document,
        [
            "Betreff: Beschwerde gemäß Artikel 20 DSA gegen eine Entscheidung von X (Twitter)",
            f"legt {LEGAL_NAME} hiermit über Ihr internes Beschwerdemanagementsystem Beschwerde",
            "Entscheidung: Entscheidung, auf eine Meldung hin nicht tätig zu werden",
            f"Datum der Entscheidung: {today.day}. {_month('de', today)} {today.year}",
            "§ 241 Abs. 2 StGB",
        ],
    )
    _next_due_shows_the_filing_window(
        page, case, _six_months_after(decision.informed_on), "Europe/Berlin"
    )


def test_eu_organisation_acts_as_notifier_for_a_defender_in_mexico(
    page: Any, live_server: Any
) -> None:
    """A defender in Mexico: the DSA routes are the organisation's, as notifier, from Berlin."""
    from tests.browser.conftest import sign_in

    world = _setup("MX", "A post on X threatens to kill me for my reporting on disappearances.")
    case = world["case"]
    _settle_identity(page, live_server, world["alice"])
    sign_in(page, live_server, *world["carlos"])
    _open_escalate(page, case)
    offers = _offers(page)
    assert offers["Notice of illegal content (EU)"] == ("dsa_notice", NOTIFIER)
    assert offers["Internal complaint against a moderation decision (EU)"] == (
        "dsa_complaint",
        NOTIFIER,
    )
    ods = {name for name, (kind, who) in offers.items() if kind == "ods" and who == NOTIFIER}
    assert "ADROIT" in ods  # the certified bodies that take disputes about X (Art 21)
    coordinators = {name: who for name, (kind, who) in offers.items() if kind == "regulator"}
    assert coordinators == {
        "Federal Network Agency (Digital Services Coordination Centre) (Bundesnetzagentur)": (
            NOTIFIER
        )
    }
    # The person, outside the EU, keeps the platform's own routes; the DSA ones are the
    # organisation's, and no Art 86 mandate is offered for someone outside the EU.
    assert offers["In-app appeal / request a review"] == ("in_app_appeal", PERSON)
    for kind, who in offers.values():
        assert (who == PERSON) == (kind in {"in_app_appeal", "non_eu_route"}), (kind, who)
        assert "representing" not in who

    _assert_art16_letter(_notify(page))
    due = _create_send_and_wait(page, case)
    today = _record_answer(page, due)
    decision = _decide(page, case, today)
    rows = {
        row.get_attribute("id").removesuffix(f"-{decision.pk}").removeprefix("remedy-"): [
            cell.inner_text() for cell in row.locator("td").all()
        ]
        for row in page.locator(f"tr[id$='-{decision.pk}']").all()
    }
    assert {"art20_complaint", "art21_ods", "art53_dsc_complaint"} <= set(rows)
    assert not {"art16_notice", "platform_report", "platform_appeal"} & set(rows)
    assert rows["art21_ods"][:2] == ["Out-of-court dispute settlement (DSA Art 21)", WE_NOTIFY]
    assert rows["art53_dsc_complaint"][0] == (
        "Complaint to a Digital Services Coordinator (DSA Art 53)\n"
        "Federal Network Agency (Digital Services Coordination Centre) (Bundesnetzagentur)"
    )
    assert rows["art53_dsc_complaint"][1] == WE_NOTIFY
    document = _prepare_art20(
        page,
        decision,
        "es",
        {
            "facts": "La publicación amenaza de muerte a una periodista mexicana defensora de "
            "derechos humanos.",
            "grounds": "La publicación constituye una amenaza (§ 241 StGB, Alemania).",
            "request": "Solicitamos que revoquen su decisión y retiren la publicación.",
        },
    )
    _assert_art20_document(
        document,
        [
            "Reclamación con arreglo al artículo 20 del DSA contra una decisión de X (Twitter)",
            f"{LEGAL_NAME} presenta por la presente",
            "Decisión de no actuar en respuesta a una notificación",
            f"{today.day} de {_month('es', today)} de {today.year}",
        ],
    )
    # The organisation files from Berlin: its window ends at midnight there (the step page and
    # the remedies page count it in Europe/Berlin), and so must the case list's "Next due".
    _next_due_shows_the_filing_window(
        page, case, _six_months_after(decision.informed_on), "Europe/Berlin"
    )
