"""Merging cases and attaching a possibly related report to a case (issue 14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.cases.models import Case, CaseReport
from amparo.cases.services import add_note, add_task, open_case, set_tags, transition_case
from tests.cases.conftest import new_report

pytestmark = pytest.mark.django_db


def _second_case(people, **overrides):
    return open_case(
        people.org,
        reports=[new_report(people.org, consent_share_identity="yes", **overrides)],
        title="Second",
        actor=people.carlos,
    )


def _merge(client, people, case, reference, confirm=True):
    data = {"reference": reference}
    if confirm:
        data["confirm"] = "on"
    return client.post(reverse("case_merge", args=[people.org.slug, case.pk]), data)


def test_merge_moves_everything_keeps_consent_and_closes(people, signed_in, case):
    other = _second_case(people)
    add_note(other, "a note", actor=people.carlos)
    due = timezone.now() + timedelta(days=1)
    add_task(other, "call back", due_at=due, actor=people.carlos)
    set_tags(other, ["elections"], actor=people.carlos)
    moved_report = other.report_links.get().report
    consents = {
        r.pk: (r.consent_share_identity, r.consent_contact, r.consent_collective)
        for r in [moved_report, case.report_links.get().report]
    }
    client = signed_in(people.carlos)
    response = _merge(client, people, case, other.reference.lower())
    assert response.status_code == 302

    case.refresh_from_db()
    other.refresh_from_db()
    assert set(case.report_links.values_list("report_id", flat=True)) == set(consents)
    assert [n.body for n in case.notes.all()] == ["a note"]
    assert case.tasks.get().title == "call back"
    assert list(case.tags.values_list("name", flat=True)) == ["elections"]
    assert case.next_due_at == due
    assert other.status == "closed" and other.outcome == "merged" and not other.is_open
    assert other.next_due_at is None
    assert f"Merged into {case.reference}" in other.notes.get().body
    assert other.events.filter(kind="merged_into", new__into=case.reference).exists()
    assert case.events.filter(kind="merged_from", new__from=other.reference).exists()
    assert AuditEvent.objects.filter(action="case.merged_into", object_id=str(other.pk)).exists()
    assert AuditEvent.objects.filter(action="case.merged_from", object_id=str(case.pk)).exists()
    for report_id, consent in consents.items():
        report = CaseReport.objects.get(report_id=report_id).report
        assert (
            report.consent_share_identity,
            report.consent_contact,
            report.consent_collective,
        ) == consent
    page = client.get(reverse("case_detail", args=[people.org.slug, case.pk]))
    assert page.status_code == 200


def test_merge_refusals(people, signed_in, case):
    client = signed_in(people.carlos)
    # into itself
    _merge(client, people, case, case.reference)
    assert Case.objects.get(pk=case.pk).is_open
    assert not case.events.filter(kind="merged_from").exists()
    # without confirmation
    other = _second_case(people)
    _merge(client, people, case, other.reference, confirm=False)
    assert Case.objects.get(pk=other.pk).is_open
    # a closed case
    transition_case(other, "closed", actor=people.carlos, outcome="withdrawn")
    _merge(client, people, case, other.reference)
    assert Case.objects.get(pk=other.pk).outcome == "withdrawn"
    assert not case.events.filter(kind="merged_from").exists()
    # another organisation's case: 404, nothing moves
    foreign = open_case(
        people.other_org, reports=[new_report(people.other_org)], title="x", actor=people.otto
    )
    assert _merge(client, people, case, foreign.reference).status_code == 404
    assert Case.objects.get(pk=foreign.pk).is_open
    assert foreign.report_links.count() == 1


@pytest.mark.parametrize("who", ["vera", "ines", "otto"])
def test_merge_needs_a_writer(people, signed_in, case, who):
    other = _second_case(people)
    response = _merge(signed_in(getattr(people, who)), people, case, other.reference)
    assert response.status_code == 404
    assert Case.objects.get(pk=other.pk).is_open
    assert other.report_links.count() == 1


def test_attach_suggested_report_to_its_case(people, signed_in, case):
    lone = new_report(people.org)  # same affected account as the case's report
    client = signed_in(people.carlos)
    url = reverse("intake_report", args=[people.org.slug, lone.pk])
    page = client.get(url).content.decode()
    assert f"Attach this report to {case.reference}" in page
    linked = case.report_links.get().report
    response = client.post(url + "attach/", {"related": str(linked.pk)})
    assert response.status_code == 302
    assert CaseReport.objects.get(report=lone).case_id == case.pk
    assert case.events.filter(kind="report_linked", new__report=str(lone.pk)).exists()
    # again: a clear message, nothing changes
    response = client.post(url + "attach/", {"related": str(linked.pk)}, follow=True)
    assert "already belongs to a case" in response.content.decode()
    assert CaseReport.objects.filter(report=lone).count() == 1


@pytest.mark.parametrize("who", ["vera", "ines"])
def test_attach_refused_for_non_writers(people, signed_in, case, who):
    lone = new_report(people.org)
    linked = case.report_links.get().report
    url = reverse("intake_attach", args=[people.org.slug, lone.pk])
    response = signed_in(getattr(people, who)).post(url, {"related": str(linked.pk)})
    assert response.status_code == 404
    assert not CaseReport.objects.filter(report=lone).exists()


def test_intermediary_sees_only_own_reports_in_suggestions(people, signed_in, case):
    from amparo.intake.models import Report

    mine = new_report(people.org)
    Report.objects.filter(pk=mine.pk).update(submitted_by=people.ines)
    own_other = new_report(people.org)
    Report.objects.filter(pk=own_other.pk).update(submitted_by=people.ines)
    stranger = case.report_links.get().report  # shares the account, not hers
    page = (
        signed_in(people.ines)
        .get(reverse("intake_report", args=[people.org.slug, mine.pk]))
        .content.decode()
    )
    assert own_other.reference in page
    assert stranger.reference not in page
    assert case.reference not in page
    staff_page = (
        signed_in(people.carlos)
        .get(reverse("intake_report", args=[people.org.slug, mine.pk]))
        .content.decode()
    )
    assert stranger.reference in staff_page


def test_a_merge_to_correct_keeps_the_reference_typed_and_the_page_only_reads(
    people, signed_in, case
):
    other = _second_case(people)
    client = signed_in(people.carlos)
    response = _merge(client, people, case, other.reference, confirm=False)
    page = response.content.decode()
    assert response.status_code == 200 and Case.objects.get(pk=other.pk).is_open
    assert "confirm the merge" in page and f'value="{other.reference}"' in page
    # The case page takes no action of its own: each has its address.
    url = reverse("case_detail", args=[people.org.slug, case.pk])
    assert client.post(url, {"action": "merge", "reference": other.reference}).status_code == 405
    assert Case.objects.get(pk=other.pk).is_open
