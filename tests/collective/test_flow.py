"""The collective action from services end to end, and the canaries: a member who revoked, or
never consented to disclosure of their name, appears in nothing that leaves."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.collective import scenario

pytestmark = pytest.mark.django_db


def _give(c, member, *, disclose: bool, remedies=None):
    from amparo.collective import mandates

    report = member.case.report_links.first().report
    return mandates.give_by_followup(
        report,
        member,
        remedies=remedies or ["art20_priority_complaint", "art53_complaint"],
        disclose_name=disclose,
        language="en",
    )


def test_proposals_find_the_burst_across_two_organisations_and_say_why():
    from amparo.collective import proposals, services
    from amparo.collective.models import Proposal

    c = scenario.build()
    action = scenario.open_from_campaign(c)
    assert proposals.refresh(action, actor=c.coordinator) == 7  # the partner is not invited yet
    services.add_partner(action, c.partner_org, actor=c.coordinator)
    assert proposals.refresh(action, actor=c.coordinator) == 5
    codes = {r["code"] for p in Proposal.objects.filter(action=action) for r in p.reasons}
    assert codes == {"incident", "campaign_burst"}
    # Reasons hold codes and counts, never an account.
    assert "exile_reporter" not in str(list(Proposal.objects.values_list("reasons", flat=True)))
    first = Proposal.objects.filter(action=action, organisation=c.partner_org).first()
    member = services.accept_proposal(first, actor=c.coordinator)
    assert member.approved_at is None  # the partner's caseworker approves their own case
    with pytest.raises(PermissionDenied):
        services.approve_member(member, actor=c.caseworker)
    services.approve_member(member, actor=c.partner_caseworker)
    with pytest.raises(ValidationError):
        services.accept_proposal(first, actor=c.coordinator)  # decided once
    with pytest.raises(PermissionDenied):
        proposals.refresh(action, actor=c.outsider)


def test_no_art86_filing_without_eligibility():
    from amparo.collective import filings

    c = scenario.build(per_org=(2, 0), eligible=False)
    action = scenario.open_from_campaign(c)
    members = scenario.all_members(c, action)
    _give(c, members[0], disclose=False)
    with pytest.raises(ValidationError, match="Art 86"):
        filings.prepare_per_member(action, filings.K.ART86_PRIORITY, actor=c.coordinator)


def test_an_organisation_outside_the_eu_works_through_an_eligible_partner():
    from amparo.collective import eligibility

    c = scenario.build(per_org=(1, 0), eligible=False)
    scenario.make_eligible(c.partner_org, c.partner_admin)
    eligibility.record_eligibility(
        c.coordinator_org,
        not_for_profit=True,
        registration_number="",
        member_state="",
        statutory_objectives="",
        dsa_interest=False,
        works_through=c.partner_org,
        actor=c.coordinator,
    )
    found = eligibility.standing(c.coordinator_org)
    assert found.eligible and found.through_partner and found.body == c.partner_org


def test_filings_mandates_revocation_and_canaries(mailoutbox=None):
    from amparo.collective import dossier, filings, mandates
    from amparo.engines.dossier import verify
    from amparo.intake.models import Notification

    c = scenario.build()
    action = scenario.open_from_campaign(c)
    members = scenario.all_members(c, action)
    assert len(members) == 12
    by_case = {m.case_id: m for m in members}
    ordered = [by_case[case.pk] for case in c.cases]
    # Five give mandates; members 0 and 2 consented to share their identity and allow their
    # name (even indices said "yes" on the form); member 1 allows it but never consented.
    for i in range(5):
        _give(c, ordered[i], disclose=i in (0, 1, 2))
    revoked = mandates.current(ordered[4])
    mandates.revoke(revoked, via="follow_up_page")
    with pytest.raises(ValidationError):
        mandates.revoke(revoked, via="follow_up_page")  # nothing leaves revoked
    assert Notification.objects.filter(kind="collective_mandate_revoked").exists()

    made = filings.prepare_per_member(action, filings.K.ART86_PRIORITY, actor=c.coordinator)
    assert len(made) == 4
    notice = filings.prepare_art23(action, actor=c.coordinator)
    assert "Enforcement burst" in notice.document_text
    assert notice.cites["campaigns"][0]["kind"] == "enforcement_burst"
    joint = filings.prepare_art53(action, actor=c.coordinator)
    assert "Digital Services" in joint.document_text or joint.document_text

    # Member 3 revokes after the documents were prepared: their complaint is withdrawn, and
    # the joint complaint that named them cannot be filed.
    mandates.revoke(mandates.current(ordered[3]), via="follow_up_page")
    for f in made:
        f.refresh_from_db()
    assert sorted(f.status for f in made) == ["prepared", "prepared", "prepared", "withdrawn"]
    joint.refresh_from_db()
    assert joint.status == "withdrawn"
    today = timezone.localdate()
    for f in made:
        if f.status == "prepared":
            filings.approve(f, actor=c.approver)
            filings.file(f, filed_on=today, reference="", actor=c.coordinator)
    notice.refresh_from_db()
    assert notice.status == "withdrawn"  # it named member 3
    notice = filings.prepare_art23(action, actor=c.coordinator)
    filings.approve(notice, actor=c.approver)
    filings.file(notice, filed_on=today, reference="", actor=c.coordinator)

    _name, data = dossier.export(action, actor=c.coordinator)
    assert verify(data).ok, verify(data).problems
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 0x01
    assert not verify(bytes(damaged)).ok

    # Canaries: everything that leaves — the documents and the dossier.
    leaving = [f.document_text + f.member_document_text for f in action.filings.all()]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        leaving += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
    everything = "\n".join(leaving)
    assert scenario.NAMES[0] in everything and scenario.NAMES[2] in everything
    for i in (1, 3, 4, 5, 6, 7, 8, 9, 10, 11):  # never consented, revoked, or no mandate
        assert scenario.NAMES[i] not in everything, scenario.NAMES[i]
        assert f"+49 30 1234 56{i:02d}" not in everything
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        import json

        content = json.loads(z.read("dossier.json"))
    assert sorted(m["pseudonym"] for m in content["members"]) == sorted(
        ordered[i].pseudonym for i in range(3)
    )


def test_joint_filings_go_to_the_coordinator_of_establishment_and_name_only_the_mandated():
    from amparo.audit.models import AuditEvent
    from amparo.collective import dossier, filings

    c = scenario.build(per_org=(3, 0))
    action = scenario.open_from_campaign(c)
    members = sorted(scenario.all_members(c, action), key=lambda m: m.pseudonym)
    by_case = {m.case_id: m for m in members}
    first, second, _third = (by_case[case.pk] for case in c.cases)
    _give(c, first, disclose=True, remedies=["art53_complaint", "representative_action"])
    _give(c, second, disclose=False, remedies=["art21_out_of_court"])
    # the third gives none
    joint = filings.prepare_art53(action, actor=c.coordinator)
    assert joint.included_members == [str(first.pk)]
    assert "Coimisiún na Meán" in joint.document_text or "Ireland" in joint.document_text
    assert scenario.NAMES[0] in joint.document_text  # consented and allowed
    (ods,) = filings.prepare_per_member(action, filings.K.ART21, actor=c.coordinator)
    assert ods.member_id == second.pk and scenario.NAMES[1] not in ods.document_text
    rep = filings.prepare_representative_action(action, actor=c.coordinator)
    assert "Directive (EU) 2020/1828" in rep.document_text
    assert scenario.NAMES[0] in rep.document_text and scenario.NAMES[2] not in rep.document_text
    with pytest.raises(ValidationError):
        filings.prepare_per_member(action, filings.K.ART86_PRIORITY, actor=c.coordinator)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="approved"):
        filings.file(joint, filed_on=today, reference="CnaM-1", actor=c.coordinator)
    with pytest.raises(ValidationError, match="not the one who prepared"):
        filings.approve(joint, actor=c.coordinator)
    filings.approve(joint, actor=c.approver)
    filings.file(joint, filed_on=today, reference="CnaM-1", actor=c.coordinator)
    with pytest.raises(ValidationError):
        filings.file(joint, filed_on=today, reference="", actor=c.coordinator)  # filed once
    with pytest.raises(PermissionDenied):
        filings.withdraw(ods, actor=c.caseworker)  # only the coordinator
    _name, first_zip = dossier.export(action, actor=c.coordinator)
    assert AuditEvent.objects.filter(action="collective.dossier_exported").count() == 1
    with zipfile.ZipFile(io.BytesIO(first_zip)) as z:
        import json

        content = json.loads(z.read("dossier.json"))
    names = {m["pseudonym"]: m.get("name") for m in content["members"]}
    assert names == {first.pseudonym: scenario.NAMES[0], second.pseudonym: None}
    theirs = next(m for m in content["members"] if m["pseudonym"] == first.pseudonym)
    assert [f["kind"] for f in theirs["filings"]] == ["art53_complaint"]


def test_an_overdue_filing_is_chased_every_week_until_decided():
    """As an escalation: the team is told when a filed filing's decision is overdue (the ODS
    body's 90 days under Art 21(4) here), again a week later, and no more once decided."""
    from datetime import timedelta

    from amparo.collective import filings
    from amparo.intake.models import Notification

    c = scenario.build(per_org=(2, 0))
    action = scenario.open_from_campaign(c)
    member = sorted(scenario.all_members(c, action), key=lambda m: m.pseudonym)[0]
    _give(c, member, disclose=False, remedies=["art21_out_of_court"])
    (ods,) = filings.prepare_per_member(action, filings.K.ART21, actor=c.coordinator)
    filings.approve(ods, actor=c.approver)
    filed_on = timezone.localdate()
    filings.file(ods, filed_on=filed_on, reference="ODS-1", actor=c.coordinator)
    ods.refresh_from_db()
    due = ods.decision_due
    assert due is not None and due > filed_on
    told = Notification.objects.filter(kind="collective_filing_overdue")
    assert filings.chase_overdue(due) == 0 and not told.exists()  # due today: not yet late
    assert filings.chase_overdue(due + timedelta(days=1)) == 1
    people = told.count()
    assert people >= 2  # the coordinating team (Alice and Cora)
    assert filings.chase_overdue(due + timedelta(days=3)) == 0  # chased this week already
    assert filings.chase_overdue(due + timedelta(days=8)) == 1
    filings.decide(ods, outcome="upheld", decided_on=filed_on, actor=c.coordinator)
    assert filings.chase_overdue(due + timedelta(days=30)) == 0
    assert told.count() == 2 * people
