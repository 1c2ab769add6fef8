"""An escalation's life in the browser: a caseworker prepares a package that names the
reporter, a second person approves it from the escalations list, the caseworker sends it by the
platform's form; the case waits for the platform with the answer's clock in the case list's
"Next due"; the answer, with the day it arrived, gives the case back to the caseworkers."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_prepare_approve_send_wait_and_answer(browser, page, live_server):
    from django.utils import timezone

    from amparo.accounts import services as accounts
    from amparo.accounts.models import User
    from amparo.cases.models import Case
    from amparo.cases.services import open_case
    from amparo.escalations import services
    from amparo.escalations.models import Escalation
    from amparo.intake.forms import ReportForm
    from amparo.intake.services import submit_report
    from tests.browser.conftest import sign_in
    from tests.conftest import PASSWORD, give_totp
    from tests.escalations.lifecycle_helpers import manual_channel
    from tests.intake.conftest import valid_report

    org = accounts.create_organisation(name="Helpline", slug="helpline", actor=None)
    carlos = User.objects.create_user("carlos@helpline.example", PASSWORD, display_name="Carlos")
    alice = User.objects.create_user("alice@helpline.example", PASSWORD, display_name="Alice")
    accounts.add_member(org, carlos, "caseworker", actor=None)
    accounts.add_member(org, alice, "coordinator", actor=None, is_shift_lead=True)
    carlos_secret = give_totp(carlos, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    alice_secret = give_totp(alice, "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU")
    form = ReportForm(valid_report(platform="facebook", country="DE", consent_share_identity="yes"))
    assert form.is_valid(), form.errors
    report = submit_report(org, form.report_fields(), channel="web_form", language="en").report
    case = open_case(org, reports=[report], title="Page suspended", actor=carlos)
    chan = manual_channel(case, personal=True)
    escalation = services.create(case, chan.code, actor=carlos, disclose_identity=True)
    assert escalation.status == "awaiting_approval"

    # The shift lead finds it in the escalations list and approves it.
    sign_in(page, live_server, alice, alice_secret)
    page.get_by_role("link", name="Escalations", exact=True).click()
    page.get_by_role("link", name="Awaiting approval").click()
    page.get_by_role("link", name=f"Facebook — {chan.name}").click()  # the channel in words
    page.get_by_role("button", name="Approve (second person)").click()
    assert page.locator("#escalation-status").inner_text().startswith("Ready")

    # The caseworker sends it through the platform's form and records its reference.
    context = browser.new_context(base_url=live_server.url, java_script_enabled=True)
    mine = context.new_page()
    try:
        sign_in(mine, live_server, carlos, carlos_secret)
        mine.goto(f"/o/helpline/escalations/{escalation.pk}/")
        mine.locator("#reference").fill("FB-DSA-2026-1177")
        mine.get_by_role("button", name="Record as submitted").click()
        assert mine.locator("#escalation-status").inner_text().startswith("Sent")
        escalation.refresh_from_db()
        assert escalation.approved_by == alice and escalation.status == "sent"

        # The case waits for the platform; the answer's clock is its next due time.
        mine.goto(f"/o/helpline/cases/{case.pk}/")
        assert mine.locator("#case-status").inner_text().startswith("Awaiting the platform")
        assert "Answer from the platform" in mine.locator("#case-clocks").inner_text()
        mine.goto("/o/helpline/cases/?view=awaiting")
        due = timezone.localtime(escalation.expected_response_at).strftime("%Y-%m-%d %H:%M")
        row = mine.locator("tr", has_text=case.reference)
        assert due in row.inner_text()

        # The platform answered today; the caseworker records it with that day.
        mine.goto(f"/o/helpline/escalations/{escalation.pk}/")
        today = timezone.localdate().isoformat()
        mine.locator("#received_on").fill(today)
        mine.locator("#text").fill("Your page was restored. Content ID: 5521.")
        mine.locator("#outcome").select_option("reversed")
        mine.locator("#decision_reference").fill("FB-DEC-99")
        mine.get_by_role("button", name="Save the response").click()
        assert mine.locator("#escalation-status").inner_text().startswith("The platform responded")
        assert f"received on {today}" in mine.locator("#escalation-response").inner_text()
        mine.goto(f"/o/helpline/cases/{case.pk}/")
        assert mine.locator("#case-status").inner_text().startswith("In progress")
        assert "No clock is running." in mine.locator("#case-clocks").inner_text()
    finally:
        context.close()
    escalation.refresh_from_db()
    assert escalation.response_received_on == timezone.localdate()
    assert escalation.decision_reference == "FB-DEC-99" and escalation.content_id == "5521"
    assert Case.objects.get(pk=case.pk).next_due_at is None
    assert Escalation.objects.get().outcome == "reversed"
