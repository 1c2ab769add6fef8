"""Reporters with JavaScript disabled (Tor Browser "Safest") report in Arabic and Vietnamese,
with a file, then come back with the follow-up code to answer a question and withdraw consent."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _report(page, live_server, tmp_path, language: str, narrative: str) -> str:
    page.goto(f"/report/helpline/?lang={language}")
    assert page.locator("html").get_attribute("lang") == language
    page.locator("input[name=incident_type][value=threats_of_violence]").check()
    page.locator("select[name=platform]").select_option("facebook")
    page.locator("textarea[name=narrative]").fill(narrative)
    page.locator("select[name=country]").select_option("SY" if language == "ar" else "VN")
    page.locator("input[name=danger_now]").check()
    page.locator("input[name=consent_contact][value=no]").check()
    page.locator("input[name=consent_collective][value=yes]").check()
    evidence = tmp_path / f"evidence-{language}.txt"
    evidence.write_text(narrative, encoding="utf-8")
    page.locator("input[name=files]").set_input_files(str(evidence))
    page.locator("form button[type=submit]").last.click()
    # The "received" page is the POST's own response (the code never passes through a session).
    code = page.locator(".followup-code strong").inner_text()
    assert len(code.split()) == 6
    return code


def test_reports_in_arabic_and_vietnamese_without_javascript(nojs_page, live_server, tmp_path):
    from amparo.accounts.services import create_organisation
    from amparo.intake.models import Report
    from amparo.intake.services import ask_reporter

    create_organisation(name="Helpline", slug="helpline", actor=None)
    page = nojs_page
    code_ar = _report(
        page, live_server, tmp_path, "ar", "هددوني بالقتل ونشروا عنوان منزلي على فيسبوك"
    )
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.context.clear_cookies()
    code_vi = _report(
        page, live_server, tmp_path, "vi", "Họ đe dọa giết tôi và đăng địa chỉ nhà tôi lên Facebook"
    )
    assert page.locator("html").get_attribute("dir") == "ltr"

    reports = {r.language: r for r in Report.objects.all()}
    assert set(reports) == {"ar", "vi"}
    assert all(r.evidence.count() == 1 for r in reports.values())
    assert reports["ar"].detected_language == "ar" and reports["vi"].detected_language == "vi"
    assert reports["ar"].urgency_level == "critical"

    ask_reporter(reports["ar"], "متى بدأت التهديدات؟", actor=None)
    page.context.clear_cookies()
    page.goto("/report/helpline/follow-up/?lang=ar")
    page.locator("input[name=code]").fill(code_ar)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/follow-up/report/")
    assert "متى بدأت التهديدات؟" in page.content()
    page.locator("textarea[name=body]").fill("بدأت يوم الاثنين")
    page.locator("input[name=action][value=answer] ~ button").click()
    page.locator("input[name=consent_collective][value=no]").check()
    page.locator("input[name=action][value=consent] ~ button").click()
    reports["ar"].refresh_from_db()
    assert reports["ar"].consent_collective == "no"
    assert reports["ar"].messages.filter(direction="from_reporter").get().body == "بدأت يوم الاثنين"
    assert code_vi != code_ar
    foreign = [u for u in page.requests_seen if not u.startswith(live_server.url)]
    assert foreign == []
