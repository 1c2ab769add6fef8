"""A helpline's day, in Spanish, in chromium: 200 reports imported from a coalition's
spreadsheet, all acknowledged in one go, three attached to one case, duplicates closed, a
reporter's answer reaching the caseworker as a notification, a referral accepted by the partner,
and every page of the menu opened — the last ones on a 390-pixel-wide phone screen."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]


#: The elements that stick out of the screen, outermost first (for the failure message).
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !e.closest('.table-scroll'))
  .slice(0, 6).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' +
    Math.round(e.getBoundingClientRect().right))"""


def _csv() -> bytes:
    rows = ["incident_type,platform,narrative,country,occurred_on"]
    rows += [
        "threats_of_violence,facebook,Amenazas de muerte tras mi reportaje sobre la mina.,MX,"
    ] * 3
    rows += ["account_suspended,instagram,Duplicado: suspendieron mi cuenta otra vez.,MX,"] * 2
    rows += [
        f"harassment,x,Acoso en respuestas número {i} de cuentas falsas.,MX," for i in range(195)
    ]
    return ("\n".join(rows) + "\n").encode()


def _tick(page, reports) -> None:
    for report in reports:
        page.locator(f"#tick-{report.pk}").check()


def test_a_helplines_day_in_spanish(page, browser, live_server):
    from django.utils import translation

    from amparo.accounts import services as accounts
    from amparo.accounts.models import User
    from amparo.cases.models import Case, CaseReport, Referral
    from amparo.intake.choices import ReportStatus
    from amparo.intake.forms import ReportForm
    from amparo.intake.models import Report
    from amparo.intake.services import submit_report
    from tests.browser.conftest import sign_in
    from tests.conftest import PASSWORD, give_totp
    from tests.intake.conftest import valid_report

    org = accounts.create_organisation(name="Línea Segura", slug="linea", actor=None)
    partner = accounts.create_organisation(name="Red Aliada", slug="aliada", actor=None)
    carlos = User.objects.create_user("carlos@linea.example", PASSWORD, display_name="Carlos")
    accounts.add_member(org, carlos, "caseworker", actor=None)
    pia = User.objects.create_user("pia@aliada.example", PASSWORD, display_name="Pía")
    accounts.add_member(partner, pia, "caseworker", actor=None)
    carlos_secret, pia_secret = give_totp(carlos), give_totp(pia)
    # A reporter who wrote through the public form yesterday and keeps a follow-up code.
    form = ReportForm(valid_report(narrative="Me bloquearon la cuenta y recibo amenazas."))
    assert form.is_valid()
    answered = submit_report(org, form.report_fields(), channel="web_form", language="es")

    sign_in(page, live_server, carlos, carlos_secret)
    page.locator("#lang-switch").select_option("es")
    page.locator("form.lang button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == "es"

    # 200 reports from the coalition's spreadsheet, through the import page.
    page.goto("/o/linea/reports/import/")
    page.locator("input[type=file]").set_input_files(
        {"name": "coalicion.csv", "mimeType": "text/csv", "buffer": _csv()}
    )
    page.locator("main form button[type=submit]").click()
    assert Report.objects.filter(organisation=org, channel="import").count() == 200
    assert "200 reportes importados" in page.locator("main").inner_text()

    # All of them acknowledged in one go: not 200 ticks.
    page.goto("/o/linea/reports/")
    page.locator("#b-scope").check()
    page.locator("#b-action").select_option("acknowledge")
    page.locator("#bulk button[type=submit]").click()
    assert not Report.objects.filter(organisation=org, status=ReportStatus.RECEIVED).exists()

    # The three reports about the mine: one case, the two others attached to it.
    mine = list(Report.objects.filter(organisation=org, platform="facebook", channel="import"))
    page.goto(f"/o/linea/reports/{mine[0].pk}/")
    page.locator("#case-title").fill("Amenazas por el reportaje de la mina")
    page.locator("#case-title").press("Enter")
    case = Case.objects.get(organisation=org)
    page.goto("/o/linea/reports/?q=mina")
    _tick(page, mine[1:])
    page.locator("#b-action").select_option("attach")
    page.locator("#b-case").fill(case.reference)
    page.locator("#bulk button[type=submit]").click()
    assert CaseReport.objects.filter(case=case).count() == 3

    # The duplicates closed, with the reason.
    duplicates = list(Report.objects.filter(organisation=org, platform="instagram"))
    page.goto("/o/linea/reports/?q=duplicado")
    _tick(page, duplicates)
    page.locator("#b-action").select_option("close")
    page.locator("#b-reason").select_option("duplicate")
    page.locator("#bulk button[type=submit]").click()
    assert {r.closed_reason for r in Report.objects.filter(pk__in=[d.pk for d in duplicates])} == {
        "duplicate"
    }

    # The web-form report is Carlos's; its reporter answers on the follow-up page (no JavaScript).
    page.goto(f"/o/linea/reports/?q={answered.report.reference}")
    _tick(page, [answered.report])
    page.locator("#b-action").select_option("assign")
    page.locator("#b-assignee").select_option(str(carlos.pk))
    page.locator("#bulk button[type=submit]").click()
    reporter = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    reporter.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    followup = reporter.new_page()
    followup.goto("/report/linea/follow-up/")
    followup.locator("input[name=code]").fill(answered.followup_code)
    followup.locator("main form button[type=submit]").first.click()
    followup.locator("textarea[name=body]").fill("Sí, guardé el aviso de la plataforma.")
    followup.locator("input[name=action][value=answer]").locator("xpath=..").locator(
        "button[type=submit]"
    ).click()
    reporter.close()

    # Carlos sees it in the menu's alarms, and the alarm leads to the answer.
    page.goto("/")
    alarms = page.locator("nav .badge")
    assert alarms.inner_text().strip() == "1"
    page.locator("nav a[href='/o/linea/alarms/']").click()
    page.locator(f"main a[href*='{answered.report.pk}']").first.click()
    assert "guardé el aviso" in page.locator("main").inner_text()

    # A referral to the partner, accepted there.
    page.goto(f"/o/linea/cases/{case.pk}/")
    page.locator("#partner").select_option(str(partner.pk))
    page.locator("#agreed").check()
    page.locator(f"form[action='/o/linea/cases/{case.pk}/refer/'] button[type=submit]").click()
    referral = Referral.objects.get(case=case)
    other = browser.new_context(base_url=live_server.url)
    partner_page = other.new_page()
    sign_in(partner_page, live_server, pia, pia_secret)
    partner_page.locator("nav a[href='/o/aliada/reports/']").click()
    partner_page.locator("main table a").first.click()
    partner_page.locator("button[name=status][value=accepted]").click()
    other.close()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    page.goto(f"/o/linea/cases/{case.pk}/")
    with translation.override("es"):
        accepted = str(Referral.Status.ACCEPTED.label)
    assert accepted != "Accepted by the partner"
    assert page.locator(".referral-status").inner_text() == accepted

    # Every page of the menu, in Spanish, on a phone: nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    links = page.locator("nav[aria-label] ul.nav a").evaluate_all("els => els.map(e => e.href)")
    assert len(links) >= 5
    for href in links:
        response = page.goto(href)
        assert response is not None and response.status == 200, href
        assert page.locator("html").get_attribute("lang") == "es", href
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 391, (href, wide, page.evaluate(WIDEST))
        assert not re.search(r"Traceback|\{'", page.content()), href
