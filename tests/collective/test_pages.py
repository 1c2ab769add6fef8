"""The collective pages as each person sees them, the follow-up page's mandate section in every
reporter language, and the remedies rule that a representative needs a recorded mandate."""

from __future__ import annotations

import polib
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.collective import scenario
from tests.test_translations import LOCALE, REPORTER_LANGUAGES

pytestmark = pytest.mark.django_db


@pytest.fixture
def coalition():
    c = scenario.build(per_org=(2, 1))
    action = scenario.open_from_campaign(c)
    members = scenario.all_members(c, action)
    return c, action, members


def test_outsiders_get_404_and_only_coordinators_see_the_actions(coalition, signed_in, client):
    c, action, _members = coalition
    urls = [
        f"/o/defenders/collective/{action.pk}/",
        "/o/defenders/collective/new/",
        "/o/defenders/collective/eligibility/",
    ]
    signed_in(c.outsider)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.get(f"/o/other/collective/{action.pk}/").status_code == 404
    assert client.post(f"/o/other/collective/{action.pk}/dossier/").status_code == 404
    client.logout()
    signed_in(c.caseworker)  # may read, may not coordinate
    page = client.get(f"/o/defenders/collective/{action.pk}/").content.decode()
    assert "M-01" in page and "Export the dossier" not in page and "Find members" not in page
    assert client.post(f"/o/defenders/collective/{action.pk}/dossier/").status_code == 404
    assert client.get("/o/defenders/collective/new/").status_code == 404
    client.logout()
    signed_in(c.coordinator)
    page = client.get(f"/o/defenders/collective/{action.pk}/").content.decode()
    assert "Export the dossier" in page and "Find members" in page
    # The partner's case shows its organisation, never its case reference.
    partner_case = c.cases[2]
    assert partner_case.reference not in page and "Voces Libres" in page
    assert "{'" not in page and "art20_priority_complaint" not in page


def test_the_partner_sees_its_own_cases_and_records_a_mandate_with_evidence(
    coalition, signed_in, client
):
    c, action, members = coalition
    theirs = next(m for m in members if m.organisation_id == c.partner_org.pk)
    signed_in(c.partner_caseworker)
    page = client.get("/o/voces/collective/").content.decode()
    assert action.reference in page and theirs.case.reference in page
    assert client.get(f"/o/voces/collective/{action.pk}/").status_code == 404
    url = f"/o/voces/collective/members/{theirs.pk}/mandate/"
    refused = client.post(url, {"channel": "signed_form", "remedies": ["art53_complaint"]})
    assert refused.status_code == 200 and theirs.mandates.count() == 0  # no evidence, nothing
    from django.core.files.uploadedfile import SimpleUploadedFile

    done = client.post(
        url,
        {
            "channel": "signed_form",
            "remedies": ["art53_complaint"],
            "evidence": SimpleUploadedFile("form.pdf", b"%PDF signed", "application/pdf"),
        },
    )
    assert done.status_code == 302
    mandate = theirs.mandates.get()
    assert mandate.channel == "signed_form" and mandate.evidence_sha256
    # The helpline's own member is not theirs: 404.
    mine = next(m for m in members if m.organisation_id == c.coordinator_org.pk)
    assert client.get(f"/o/voces/collective/members/{mine.pk}/mandate/").status_code == 404


def test_the_follow_up_page_offers_the_mandate_in_the_reporters_language(coalition, client):
    c, _action, _members = coalition
    for language in ["en", *REPORTER_LANGUAGES]:
        client.get(f"/report/defenders/follow-up/?lang={language}")  # the reporter's choice
        client.post("/report/defenders/follow-up/", {"code": c.codes[0]})
        page = client.get("/report/defenders/follow-up/report/").content.decode()
        assert 'id="collective-mandate"' in page, language
        assert ("Give my mandate" in page) is (language == "en"), language
        assert ('dir="rtl"' in page) is (language in ("ar", "fa", "ur")), language
    answer = client.post(
        "/report/defenders/follow-up/mandate/",
        {
            "member": str(_members_of(c, 0).pk),
            "remedies": ["art53_complaint"],
            "disclose_name": "yes",
        },
    )
    assert answer.status_code == 302
    mandate = _members_of(c, 0).mandates.get()
    assert mandate.disclose_name is True and mandate.language == "sw"
    page = client.get("/report/defenders/follow-up/report/").content.decode()
    assert "Futa idhini yangu" in page  # "Revoke my mandate", in Swahili
    client.post(
        "/report/defenders/follow-up/mandate/revoke/", {"member": str(_members_of(c, 0).pk)}
    )
    mandate.refresh_from_db()
    assert mandate.state == "revoked" and mandate.revoked_via == "follow_up_page"


def _members_of(c, i):
    from amparo.collective.models import Member

    return Member.objects.get(case=c.cases[i])


def test_a_code_opens_only_its_own_members_mandate(coalition, client):
    c, _action, _members = coalition
    client.post("/report/defenders/follow-up/", {"code": c.codes[0]})
    other = _members_of(c, 1)
    answer = client.post(
        "/report/defenders/follow-up/mandate/",
        {"member": str(other.pk), "remedies": ["art53_complaint"]},
    )
    assert answer.status_code == 404 and other.mandates.count() == 0
    # Without a code: back to the code form, nothing saved.
    client.post("/report/defenders/follow-up/report/", {"action": "leave"})
    answer = client.post(
        "/report/defenders/follow-up/mandate/",
        {"member": str(_members_of(c, 0).pk), "remedies": ["art53_complaint"]},
    )
    assert answer.status_code == 302 and _members_of(c, 0).mandates.count() == 0


# What a member sees of a collective action: the mandate on the follow-up page.
MANDATE_SOURCES = {"collective/templates/collective/followup_mandate.html", "collective/public.py"}


def test_every_mandate_string_is_really_translated():
    for language in REPORTER_LANGUAGES:
        po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
        mine = [
            e
            for e in po
            if any(path in MANDATE_SOURCES for path, _line in e.occurrences) and not e.obsolete
        ]
        assert len(mine) >= 18, language
        for entry in mine:
            text = entry.msgstr or (entry.msgstr_plural or {}).get(0, "")
            assert text and text != entry.msgid, (language, entry.msgid)


def test_a_representative_needs_a_recorded_mandate_for_the_remedy(coalition):
    from amparo.remedies import services as remedies
    from tests.collective.helpers import mandate_for_case

    c, _action, _members = coalition
    case = c.cases[1]
    decision = remedies.record_decision(
        case,
        decision_type="account_suspended",
        informed_on=timezone.localdate(),
        decided_on=None,
        represented=True,
        actor=c.caseworker,
    )

    def prepare():
        return remedies.prepare_step(
            decision,
            "art86_priority_complaint",
            language="en",
            facts="",
            arguments="",
            requested="",
            include_identity=False,
            actor=c.caseworker,
        )

    with pytest.raises(ValidationError, match="mandate"):
        prepare()
    mandate = mandate_for_case(
        case, coordinator=c.coordinator, caseworker=c.caseworker, remedies=("art53_complaint",)
    )
    with pytest.raises(ValidationError, match="mandate"):
        prepare()  # a mandate for another use does not cover it
    from amparo.collective import mandates

    mandates.revoke(mandate, via="caseworker", actor=c.caseworker)
    mandate_for_case(case, coordinator=c.coordinator, caseworker=c.caseworker)
    assert prepare().document_text


def test_figures_per_action_and_across_actions(coalition):
    from amparo.collective import figures, filings, mandates, services

    c, action, members = coalition
    for member in members:
        mandates.give_by_followup(
            member.case.report_links.first().report,
            member,
            remedies=["art20_priority_complaint"],
            disclose_name=False,
            language="en",
        )
    made = filings.prepare_per_member(action, filings.K.ART86_PRIORITY, actor=c.coordinator)
    for f in made:
        filings.approve(f, actor=c.approver)
        filings.file(f, filed_on=timezone.localdate(), reference="", actor=c.coordinator)
    services.record_outcome(
        members[0],
        outcome="restored",
        decided_at=timezone.now(),
        restored_at=timezone.now(),
        actor=c.coordinator,
    )
    mandates.revoke(mandates.current(members[1]), via="follow_up_page")
    total = figures.summary(c.coordinator_org)
    assert total["actions"] == 1 and total["members"] == 3
    assert total["mandates_given"] == 3 and total["mandates_revoked"] == 1
    assert total["filings_by_kind"] == {"art86_priority_complaint": 3}
    assert total["restored"] == 1 and total["restoration_rate"] == round(1 / 3, 4)
    assert total["median_days_to_restoration"] is not None
    assert total["per_platform"]["instagram"]["members"] == 3
    assert figures.summary(c.partner_org)["actions"] == 0
    later = timezone.now() + timezone.timedelta(days=1)
    assert figures.summary(c.coordinator_org, start=later)["members"] == 0


def test_the_case_page_lists_the_actions_it_is_in(coalition, signed_in, client):
    c, action, _members = coalition
    signed_in(c.caseworker)
    page = client.get(f"/o/defenders/cases/{c.cases[0].pk}/").content.decode()
    assert action.reference in page and 'id="case-collective"' in page
