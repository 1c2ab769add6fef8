"""The audit log is append-only and hash-chained; `amparo audit verify` finds any tampering."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, InternalError, connection, transaction

from amparo.audit.maintenance import maintenance
from amparo.audit.models import AuditEvent
from amparo.audit.selectors import verify_chain
from amparo.audit.services import record


def make_events(n: int = 5) -> list[AuditEvent]:
    return [record("test.event", new={"i": i}) for i in range(n)]


def test_events_form_an_intact_chain(db, capsys):
    events = make_events()
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[1].prev_hash == events[0].hash
    assert verify_chain() == (5, [])
    call_command("audit", "verify")
    assert "intact: 5 events" in capsys.readouterr().out


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_auditevent SET action = 'x'", "DELETE FROM audit_auditevent"]
)
def test_the_database_refuses_to_change_or_delete_events(db, statement):
    make_events(2)
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 2


def test_an_edited_event_is_detected(db):
    make_events()
    with maintenance(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET new = %s WHERE seq = 3", ['{"i": 99}'])
    _count, problems = verify_chain()
    assert [p.seq for p in problems] == [3]
    with pytest.raises(CommandError, match="audit chain broken"):
        call_command("audit", "verify")


def test_a_deleted_event_is_detected(db):
    make_events()
    with maintenance(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 2")
    _count, problems = verify_chain()
    assert any("missing" in p.reason for p in problems)


def test_a_cut_tail_is_detected(db):
    make_events()
    with maintenance(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 5")
    _count, problems = verify_chain()
    assert any("chain head" in p.reason for p in problems)


def test_a_rehashed_forgery_still_breaks_the_link(db):
    """Recomputing the edited row's own hash is not enough: the next row links to the old one."""
    from amparo.audit.chain import event_hash, hashed_fields

    events = make_events()
    target = events[2]
    fields = hashed_fields(
        seq=3,
        at=target.at,
        actor_id=None,
        organisation_id=None,
        action="test.event",
        object_type="",
        object_id="",
        old=None,
        new={"i": 42},
    )
    forged = event_hash(target.prev_hash, fields)
    with maintenance(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET new = %s, hash = %s WHERE seq = 3", ['{"i": 42}', forged]
        )
    _count, problems = verify_chain()
    assert [p.seq for p in problems] == [4]


def test_events_store_codes_not_content(people):
    from amparo.accounts import services

    membership = people.carlos.memberships.get()
    services.change_role(membership, "coordinator", actor=people.alice)
    event = AuditEvent.objects.filter(action="member.role_changed").get()
    assert event.old == {"role": "caseworker", "shift_lead": False}
    assert event.new == {"role": "coordinator", "shift_lead": False}
    assert event.actor_id == people.alice.pk
    assert event.organisation_id == people.org.pk


def _head(capsys) -> str:
    capsys.readouterr()
    call_command("audit", "head")
    return capsys.readouterr().out.strip()


def test_a_cut_tail_with_a_rewritten_head_is_caught_only_by_a_published_head(db, capsys):
    from amparo.audit.models import ChainHead

    make_events(6)
    published = _head(capsys)
    assert published.startswith("6 ")
    kept = AuditEvent.objects.get(seq=4)
    with maintenance(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > 4")
    ChainHead.objects.filter(id=1).update(seq=kept.seq, hash=kept.hash)

    call_command("audit", "verify")  # the stored chain alone looks intact
    assert "intact: 4 events" in capsys.readouterr().out
    with pytest.raises(CommandError, match="audit chain broken"):
        call_command("audit", "verify", "--head", published)
    assert "published head #6 is missing: the chain ends at #4" in capsys.readouterr().err

    # An older published head is still consistent; a rewritten event before it is not.
    older = f"3 {AuditEvent.objects.get(seq=3).hash}"
    call_command("audit", "verify", "--head", older)
    assert "consistent with 1 published head(s)" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--head", f"3 {'ab' * 32}")
    with pytest.raises(CommandError, match="--head"):
        call_command("audit", "verify", "--head", "not a head")


def test_the_head_grows_and_an_old_published_head_stays_valid(db, capsys):
    make_events(2)
    first = _head(capsys)
    make_events(3)
    assert _head(capsys).startswith("5 ")
    call_command("audit", "verify", "--head", first)
    assert "intact: 5 events, consistent with 1" in capsys.readouterr().out


def test_the_head_is_e_mailed_daily_to_configured_addresses(db, settings):
    from amparo.audit.jobs import PUBLISH_HEAD
    from amparo.core.models import OutboundMessage
    from amparo.worker.jobs import schedule_daily_jobs
    from amparo.worker.models import ScheduledJob
    from amparo.worker.services import claim_due, run_job

    settings.AMPARO_AUDIT_HEAD_EMAILS = ["witness@elsewhere.example", "board@ngo.example"]
    make_events(3)
    schedule_daily_jobs()
    job = next(j for j in claim_due("w", limit=50) if j.kind == PUBLISH_HEAD)
    run_job(job)
    message = OutboundMessage.objects.get(ref__startswith="audit-head:")
    assert message.recipient_count == 2 and message.ref == "audit-head:3"
    from amparo.outbound.services import _open

    sent = _open(message)
    head = AuditEvent.objects.get(seq=3).hash
    assert sent.body.startswith(f"3 {head}") and f"--head '3 {head}'" in sent.body
    # the next day's run is scheduled
    assert ScheduledJob.objects.filter(kind=PUBLISH_HEAD, status="pending").exists()

    settings.AMPARO_AUDIT_HEAD_EMAILS = []
    OutboundMessage.objects.all().delete()
    job = ScheduledJob.objects.get(kind=PUBLISH_HEAD, status="pending")
    run_job(job)
    assert not OutboundMessage.objects.exists()
