"""A caseworker escalates a case by e-mail, the (local) platform answers, the caseworker records
the statement of reasons, files an Art 20 complaint from the generated document, and sees the
clocks."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_escalate_by_email_record_the_answer_and_file_an_art20_complaint(
    page, live_server, smtp_server
):
    from django.utils import timezone

    from amparo.accounts import services as accounts
    from amparo.accounts.models import User
    from amparo.cases.services import open_case
    from amparo.escalations.models import Escalation
    from amparo.intake.forms import ReportForm
    from amparo.intake.services import submit_report
    from amparo.remedies.models import RemedyStep
    from tests.browser.conftest import sign_in
    from tests.conftest import PASSWORD, give_totp
    from tests.intake.conftest import valid_report

    org = accounts.create_organisation(name="Helpline", slug="helpline", actor=None)
    carlos = User.objects.create_user("carlos@helpline.example", PASSWORD, display_name="Carlos")
    accounts.add_member(org, carlos, "caseworker", actor=None)
    secret = give_totp(carlos)
    form = ReportForm(
        valid_report(platform="telegram", country="DE", links="https://t.me/smear_channel/812")
    )
    assert form.is_valid()
    report = submit_report(org, form.report_fields(), channel="web_form", language="en").report
    case = open_case(org, reports=[report], title="Channel suspended", actor=carlos)

    sign_in(page, live_server, carlos, secret)

    # Escalate by e-mail to the platform's role address.
    page.goto(f"/o/helpline/cases/{case.pk}/escalate/")
    page.locator("tr", has_text="abuse@telegram.org").get_by_role("link").click()
    assert "Exactly what will leave" in page.content()
    assert "+52 55 1234 5678" not in page.locator("#package-preview").inner_text()
    page.get_by_role("button", name="Create the escalation").click()
    page.get_by_role("button", name="Send now").click()
    # Queued: the worker hands it to the mail server, and only then is it sent.
    assert "queued at" in page.locator("#escalation-delivery").inner_text()
    from tests.test_outbound import run_due

    assert run_due() == 1
    page.reload()
    assert "accepted by the mail server" in page.locator("#escalation-delivery").inner_text()
    assert page.locator("#escalation-status").inner_text().startswith("Sent")
    assert "response expected by" in page.content()
    assert len(smtp_server.messages) == 1 and smtp_server.messages[0]["To"] == "abuse@telegram.org"

    # The platform answers (by e-mail, to the helpline); the caseworker records it.
    answer = (
        "We reviewed your report. The channel was restricted because it violates our Terms of Service. "
        "This decision was made by automated means. Content ID: 812."
    )
    page.locator("#text").fill(answer)
    page.locator("#outcome").select_option("not_actioned")
    page.get_by_role("button", name="Save the response").click()
    escalation = Escalation.objects.get()
    assert escalation.status == "responded" and escalation.first_response_at is not None
    assert escalation.statement

    # Remedies: record the decision, generate the Art 20 complaint, file it, see the clocks.
    page.goto(f"/o/helpline/cases/{case.pk}/remedies/")
    page.locator("#dt").select_option("content_removed")
    page.locator("#inf").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save the decision").click()
    page.locator("tr", has_text="Art 20").first.get_by_role(
        "button", name="Generate document"
    ).click()
    page.wait_for_url("**/remedies/*/")
    assert "File by" in page.content()
    page.locator("#filed").fill(timezone.localdate().isoformat())
    page.locator("#ref").fill("TG-ART20-0001")
    page.get_by_role("button", name="Record as filed").click()
    assert page.locator("#step-status").inner_text().startswith("Filed")
    assert "Decision due" in page.content() and "days left" in page.content()
    step = RemedyStep.objects.get()
    assert (
        step.status == "filed"
        and step.decision_due is not None
        and step.reference == "TG-ART20-0001"
    )
