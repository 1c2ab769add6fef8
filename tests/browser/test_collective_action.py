"""A collective action in the browser, as the issue's "done when" says it.

The Defenders Helpline coordinates; Voces Libres, a partner on the same server, brings its own
cases. Alice, the coordinator, builds the action from an enforcement burst that campaign
detection found: twelve members across the two organisations. Five journalists give their
mandate on their follow-up pages with their codes, one of them revokes it; priority Art 20
complaints under Art 86(2) go out for the four who remain, the Art 23 notice cites the burst,
and the exported dossier verifies — and fails after a one-byte change.

The data the test is not about (organisations, reports, cases, the detection run, the
eligibility, the partner's approval of its own cases) is set up with services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _give_mandate(browser: Any, live_server: Any, slug: str, code: str, *, revoke: bool) -> None:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto(f"/report/{slug}/follow-up/")
    page.get_by_label("Your follow-up code").fill(code)
    page.get_by_role("button", name="Open my report").click()
    page.wait_for_url("**/follow-up/report/")
    section = page.locator("#collective-mandate")
    section.get_by_label("Send a priority complaint to the platform for me").check()
    section.get_by_role("button", name="Give my mandate").click()
    assert "Your mandate was saved" in page.locator("#collective-mandate").inner_text()
    expect(page.get_by_role("button", name="Revoke my mandate")).to_be_visible()
    if revoke:
        page.get_by_role("button", name="Revoke my mandate").click()
        assert "Your mandate was revoked" in page.locator("#collective-mandate").inner_text()
        expect(page.get_by_role("button", name="Give my mandate")).to_be_visible()
    context.close()


def test_collective_action_from_a_burst(page: Any, browser: Any, live_server: Any, tmp_path: Path):
    from amparo.collective.models import CollectiveAction, Filing, Member
    from amparo.collective.services import approve_member
    from amparo.engines.dossier import verify
    from amparo.keyring.signing import public_keys_for
    from tests.browser.conftest import sign_in
    from tests.collective import scenario
    from tests.conftest import give_totp

    c = scenario.build(per_org=(7, 5))
    secret = give_totp(c.coordinator, "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU")

    # Alice builds the action from the burst, invites the partner and accepts the proposals.
    sign_in(page, live_server, c.coordinator, secret)
    page.get_by_role("link", name="Collective actions").click()
    assert (
        "Your organisation is recorded as eligible."
        in page.locator("#eligibility-state").inner_text()
    )
    page.get_by_role("link", name="New collective action").click()
    page.get_by_label("Title").fill("Instagram suspensions of exiled journalists")
    page.get_by_label("Built from the campaign").select_option(str(c.campaign.pk))
    page.get_by_label("Platform").select_option("instagram")
    page.get_by_label("Decision", exact=True).select_option("account_suspended")
    page.get_by_label("Ground in the statement of reasons").select_option("incompatible_content")
    start = c.campaign.starts_at.date()
    page.get_by_label("Decisions from").fill(
        start.replace(day=1).isoformat() if start.day > 1 else start.isoformat()
    )
    from django.utils import timezone

    page.get_by_label("Decisions until").fill(timezone.localdate().isoformat())
    page.get_by_label("Community").fill("Journalists in exile")
    page.get_by_role("button", name="Open the action").click()
    page.wait_for_url("**/collective/*/")
    action = CollectiveAction.objects.get()
    assert action.campaign_id == c.campaign.pk
    page.get_by_label("Partner organisation on this server").select_option(str(c.partner_org.pk))
    page.get_by_role("button", name="Invite").click()
    page.get_by_role("button", name="Find members").click()
    assert page.locator("#proposals tbody tr").count() == 12
    assert (
        "an affected account is in an enforcement burst" in page.locator("#proposals").inner_text()
    )
    page.get_by_role("button", name="Accept all proposals").click()
    assert page.locator("#members tbody tr").count() == 12
    # Voces Libres' caseworker approves its own five cases (not what this test is about).
    for member in Member.objects.filter(action=action, approved_at__isnull=True):
        approve_member(member, actor=c.partner_caseworker)

    # Five members give their mandate on their follow-up pages; the fifth revokes it.
    chosen = [0, 1, 2, 7, 8]  # three of the helpline's cases, two of the partner's
    for n, i in enumerate(chosen):
        slug = "defenders" if i < 7 else "voces"
        _give_mandate(browser, live_server, slug, c.codes[i], revoke=n == 4)

    # Alice prepares the priority complaints: four, one per mandated member.
    page.reload()
    assert page.locator("#members .mandate-state", has_text="Revoked").count() == 1
    page.get_by_role("button", name="Prepare priority complaints (Art 86(2))").click()
    assert page.locator("tr.filing-art86_priority_complaint").count() == 4
    # A second person approves what leaves (Cora, the helpline's coordinator), then Alice files.
    from amparo.collective import filings as collective_filings

    for filing in Filing.objects.filter(kind="art86_priority_complaint", status="prepared"):
        collective_filings.approve(filing, actor=c.approver)
    page.reload()
    page.get_by_role(
        "button", name="Record all approved priority complaints as filed today"
    ).click()
    assert (
        page.locator("tr.filing-art86_priority_complaint", has_text="Filed, waiting").count() == 4
    )
    assert Filing.objects.filter(kind="art86_priority_complaint", status="filed").count() == 4

    # The Art 23 notice cites the burst.
    page.get_by_role("button", name="Prepare the Art 23 notice").click()
    row = page.locator("tr.filing-art23_notice")
    assert row.count() == 1
    with page.expect_download() as got:
        row.get_by_role("link", name="en").click()
    notice = Path(got.value.path()).read_text(encoding="utf-8")
    assert "Enforcement burst: 12 accounts" in notice
    assert c.campaign.starts_at.date().isoformat() in notice
    revoked_name = scenario.NAMES[chosen[4]]
    assert revoked_name not in notice

    # The dossier verifies against the organisation's published keys, and fails after a
    # one-byte change.
    with page.expect_download() as got:
        page.get_by_role("button", name="Export the dossier").click()
    data = Path(got.value.path()).read_bytes()
    keys = public_keys_for(c.coordinator_org)
    result = verify(data, public_keys=keys)
    assert result.ok, result.problems
    changed = bytearray(data)
    changed[len(changed) // 3] ^= 0x20
    assert not verify(bytes(changed), public_keys=keys).ok
    assert page.console_errors == []
