"""A helpline's day on the queue: search the encrypted reports, filter, assign, act in bulk,
save views — each action audited and kept to the roles that may work on reports."""

from __future__ import annotations

from django.db import connection

from amparo.audit.models import AuditEvent
from amparo.intake import queue, search
from amparo.intake.choices import ReportStatus
from amparo.intake.models import Report, SavedView, SearchToken
from amparo.worker.models import ScheduledJob
from tests.cases.conftest import new_report

QUEUE = "/o/defenders/reports/"
BULK = "/o/defenders/reports/bulk/"


def refs(response) -> list[str]:
    page = response.content.decode()
    return sorted(r.reference for r in Report.objects.all() if f">{r.reference}</a>" in page)


def test_search_finds_words_of_the_encrypted_narrative_in_any_case_and_accents(people, signed_in):
    threat = new_report(people.org, narrative="Amenazas de MUERTE contra José tras la marcha.")
    other = new_report(people.org, narrative="My page was suspended after false reports.")
    client = signed_in(people.carlos)
    assert refs(client.get(QUEUE, {"q": "muerte"})) == [threat.reference]
    assert refs(client.get(QUEUE, {"q": "jose amenazas"})) == [threat.reference]
    assert refs(client.get(QUEUE, {"q": "jose suspended"})) == []  # every word must be there
    assert refs(client.get(QUEUE, {"q": other.reference.lower()})) == [other.reference]
    # The tokens are keyed hashes: no word of the narrative is stored in clear.
    assert SearchToken.objects.filter(report=threat).count() == len(
        search.normalise(threat.narrative)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM intake_searchtoken")
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert "muerte" not in stored and len(stored.split()[0]) == 16


def test_search_by_url_and_handle_named_in_the_report(people, signed_in):
    named = new_report(people.org, attackers="@troll_uno", affected="https://x.com/periodista")
    new_report(people.org, attackers="@someone_else", affected="")
    client = signed_in(people.carlos)
    assert refs(client.get(QUEUE, {"q": "@troll_uno"})) == [named.reference]
    assert refs(client.get(QUEUE, {"q": "https://x.com/periodista"})) == [named.reference]


def test_tokens_are_keyed_per_organisation(people):
    assert search.token(people.org, "muerte") != search.token(people.other_org, "muerte")


def test_filters_combine(people, signed_in):
    fb_mx = new_report(people.org, platform="facebook", country="MX")
    new_report(people.org, platform="x", country="MX")
    new_report(people.org, platform="facebook", country="CO", incident_type="harassment")
    client = signed_in(people.carlos)
    assert refs(client.get(QUEUE, {"platform": "facebook", "country": "MX"})) == [fb_mx.reference]
    harassment = client.get(QUEUE, {"incident_type": "harassment"})
    assert len(refs(harassment)) == 1
    # A bad date is said plainly, and the other filters still apply.
    bad = client.get(QUEUE, {"received_from": "2026-02-30", "platform": "x"})
    assert bad.status_code == 200 and "Enter a valid date" in bad.content.decode()
    assert len(refs(bad)) == 1


def test_bulk_acknowledge_stops_every_alarm_and_is_audited(people, signed_in):
    reports = [new_report(people.org) for _ in range(3)]
    pending = ScheduledJob.objects.filter(status="pending", kind="intake.unacknowledged")
    assert pending.count() >= 6
    client = signed_in(people.carlos)
    response = client.post(BULK, {"action": "acknowledge", "report": [str(r.pk) for r in reports]})
    assert response.status_code == 302
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.ACKNOWLEDGED}
    assert pending.count() == 0
    assert AuditEvent.objects.filter(action="report.acknowledged").count() == 3


def test_bulk_on_everything_a_search_shows_not_only_the_ticked_page(people, signed_in):
    spam = [new_report(people.org, platform="x") for _ in range(3)]
    other = new_report(people.org, platform="facebook")
    foreign = new_report(people.other_org, platform="x")
    client = signed_in(people.carlos)
    assert (
        "all 3 reports this search shows" in client.get(QUEUE, {"platform": "x"}).content.decode()
    )
    response = client.post(
        BULK,
        {"action": "close", "reason": "spam", "scope": "all", "query": "platform=x&org=other"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?platform=x")
    closed = set(Report.objects.filter(status=ReportStatus.CLOSED).values_list("pk", flat=True))
    assert closed == {r.pk for r in spam}
    assert other.pk not in closed and foreign.pk not in closed


def test_bulk_on_everything_refuses_more_than_the_limit_and_changes_nothing(
    people, signed_in, monkeypatch
):
    from amparo.intake import queue

    monkeypatch.setattr(queue, "MAX_BULK", 2)
    for _ in range(3):
        new_report(people.org)
    client = signed_in(people.carlos)
    client.post(BULK, {"action": "acknowledge", "scope": "all", "query": ""})
    assert not Report.objects.filter(status=ReportStatus.ACKNOWLEDGED).exists()


def test_assign_then_filter_by_me(people, signed_in):
    mine, theirs = new_report(people.org), new_report(people.org)
    client = signed_in(people.carlos)
    client.post(
        BULK,
        {"action": "assign", "assignee": str(people.carlos.pk), "report": [str(mine.pk)]},
    )
    assert refs(client.get(QUEUE, {"assigned": "me"})) == [mine.reference]
    assert refs(client.get(QUEUE, {"assigned": "none"})) == [theirs.reference]
    event = AuditEvent.objects.get(action="report.assigned")
    assert event.new == {"assigned_to": str(people.carlos.pk)}
    # No one outside the people who work on reports can be given one.
    response = client.post(
        BULK,
        {"action": "assign", "assignee": str(people.vera.pk), "report": [str(theirs.pk)]},
        follow=True,
    )
    assert "Choose someone who can work on reports" in response.content.decode()
    assert Report.objects.get(pk=theirs.pk).assigned_to is None


def test_close_as_spam_with_a_reason_and_an_encrypted_note(people, signed_in):
    junk = [new_report(people.org, narrative=f"buy followers now {i}") for i in range(2)]
    client = signed_in(people.carlos)
    client.post(
        BULK,
        {
            "action": "close",
            "reason": "spam",
            "note": "Advertising, same sender",
            "report": [str(r.pk) for r in junk],
        },
    )
    closed = Report.objects.filter(status=ReportStatus.CLOSED)
    assert closed.count() == 2 and {r.closed_reason for r in closed} == {"spam"}
    assert closed[0].closed_note == "Advertising, same sender"
    with connection.cursor() as cursor:
        cursor.execute("SELECT closed_note FROM intake_report")
        assert all(b"Advertising" not in bytes(row[0] or b"") for row in cursor.fetchall())
    assert AuditEvent.objects.filter(action="report.closed", new__reason="spam").count() == 2
    # Closed reports leave the open queue and are found under their status.
    assert refs(client.get(QUEUE)) == []
    assert len(refs(client.get(QUEUE, {"status": "closed"}))) == 2
    # Without a reason nothing is closed.
    other = new_report(people.org)
    response = client.post(BULK, {"action": "close", "report": [str(other.pk)]}, follow=True)
    assert "Choose why the reports are closed" in response.content.decode()
    assert Report.objects.get(pk=other.pk).status == ReportStatus.RECEIVED


def test_attach_reports_to_an_existing_case(people, signed_in):
    from amparo.cases.services import open_case

    case = open_case(
        people.org, reports=[new_report(people.org)], title="Threats", actor=people.carlos
    )
    second, third = new_report(people.org), new_report(people.org)
    client = signed_in(people.carlos)
    client.post(
        BULK,
        {
            "action": "attach",
            "case": case.reference.lower(),
            "report": [str(second.pk), str(third.pk)],
        },
    )
    assert case.report_links.count() == 3
    # A report in a case cannot be closed from the queue, nor attached twice.
    response = client.post(
        BULK, {"action": "close", "reason": "duplicate", "report": [str(second.pk)]}, follow=True
    )
    assert "belong to a case" in response.content.decode()
    response = client.post(
        BULK, {"action": "attach", "case": "C-NOPE123", "report": [str(third.pk)]}, follow=True
    )
    assert "No case of yours has the reference" in response.content.decode()


def test_viewers_cannot_act_and_outsiders_get_404(people, signed_in):
    report = new_report(people.org)
    viewer = signed_in(people.vera)
    assert viewer.get(QUEUE).status_code == 200
    assert 'id="bulk"' not in viewer.get(QUEUE).content.decode()
    viewer.post(BULK, {"action": "acknowledge", "report": [str(report.pk)]})
    assert Report.objects.get(pk=report.pk).status == ReportStatus.RECEIVED
    outsider = signed_in(people.otto)
    assert (
        outsider.post(BULK, {"action": "acknowledge", "report": [str(report.pk)]}).status_code
        == 404
    )
    assert outsider.get(QUEUE, {"q": "suspended"}).status_code == 404
    assert Report.objects.get(pk=report.pk).status == ReportStatus.RECEIVED


def test_saved_views_belong_to_one_person(people, signed_in):
    client = signed_in(people.carlos)
    client.post(
        "/o/defenders/reports/views/",
        {"name": "Facebook, mine", "query": "platform=facebook&assigned=me&page=3&evil=1"},
    )
    view = SavedView.objects.get()
    assert view.user == people.carlos and view.query == "platform=facebook&assigned=me"
    assert "Facebook, mine" in client.get(QUEUE).content.decode()
    other = signed_in(people.alice)
    assert "Facebook, mine" not in other.get(QUEUE).content.decode()
    assert other.post(f"/o/defenders/reports/views/{view.pk}/delete/").status_code == 404
    assert SavedView.objects.count() == 1


def test_reports_from_before_search_are_indexed_by_the_worker_job(people):
    report = new_report(people.org, narrative="Doxxing of the union leader's home")
    SearchToken.objects.all().delete()
    Report.objects.update(search_indexed=False)
    assert queue.index_missing() == 1
    assert Report.objects.get(pk=report.pk).search_indexed
    found = Report.objects.filter(search.matching(people.org, "doxxing union", ["facebook"]))
    assert list(found) == [report]


def test_erasing_a_report_deletes_its_tokens(people):
    from amparo.intake.services import erase_report, request_deletion

    report = new_report(people.org)
    assert SearchToken.objects.filter(report=report).exists()
    request_deletion(report)
    erase_report(Report.objects.get(pk=report.pk), actor=None)
    assert not SearchToken.objects.filter(report=report).exists()
