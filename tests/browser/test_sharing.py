"""Two helplines in a hidden sharing group learn in chromium that they face the same attacker
account, without seeing each other's cases or even each other's names."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_helplines_learn_they_face_the_same_account_without_seeing_each_other(
    page, browser, live_server
):
    from amparo.accounts import services as accounts
    from amparo.accounts.models import User
    from amparo.sharing.models import GroupMember
    from tests.browser.conftest import sign_in
    from tests.conftest import PASSWORD, give_totp
    from tests.sharing.conftest import case_with

    def person(email, org, role, secret):
        user = User.objects.create_user(email, PASSWORD, display_name=email.split("@")[0].title())
        accounts.add_member(org, user, role, actor=None)
        return user, give_totp(user, secret)

    coalition = accounts.create_organisation(
        name="Regional Coalition", slug="coalition", actor=None
    )
    north = accounts.create_organisation(name="Helpline North", slug="north", actor=None)
    south = accounts.create_organisation(name="Helpline South", slug="south", actor=None)
    pia = person(
        "pia@coalition.example", coalition, "coordinator", "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
    )
    nora = person("nora@north.example", north, "coordinator", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    sara = person("sara@south.example", south, "coordinator", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    north_case = case_with(north, nora[0], attackers="@Troll_Factory_01")
    south_case = case_with(south, sara[0], attackers="https://www.facebook.com/troll_factory_01")

    # The coalition's coordinator creates a hidden group and invites both helplines.
    sign_in(page, live_server, *pia)
    page.goto("/o/coalition/sharing/")
    page.get_by_label("Name of the group").fill("Central America helplines")
    page.get_by_label("Hide the list of members from members").check()
    page.get_by_role("button", name="Create the group").click()
    for name in ("Helpline North", "Helpline South"):
        page.get_by_label("Organisation to invite").select_option(label=name)
        page.get_by_role("button", name="Invite").click()
    assert GroupMember.objects.filter(status="invited").count() == 2

    # Each helpline's coordinator, in a browser of their own, joins.
    pages = {}
    for slug, who in (("north", nora), ("south", sara)):
        context = browser.new_context(base_url=live_server.url)
        pages[slug] = context.new_page()
        sign_in(pages[slug], live_server, *who)
        pages[slug].goto(f"/o/{slug}/sharing/")
        pages[slug].get_by_role("button", name="Join").click()
        assert "You joined the group." in pages[slug].content()

    for slug, own, other, other_case in (
        ("north", north_case, "Helpline South", south_case),
        ("south", south_case, "Helpline North", north_case),
    ):
        tab = pages[slug]
        tab.goto(f"/o/{slug}/cases/{own.pk}/")
        panel = tab.locator("#network-matches")
        assert panel.inner_text() == "1 other organisation in your network faces this account"
        content = tab.content()
        assert other_case.reference not in content and str(other_case.pk) not in content
        assert other not in content
        tab.get_by_role("link", name="Sharing", exact=True).click()
        tab.get_by_role("link", name="Central America helplines").click()
        expect(tab.locator("#members-hidden")).to_be_visible()
        assert other not in tab.content() and "Regional Coalition" not in tab.content()
        tab.context.close()
