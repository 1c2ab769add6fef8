"""Two people press "Send" at the same moment: the escalation is claimed before anything is
queued or recorded, so the platform hears once. On PostgreSQL with two real connections (two
threads), both having read the escalation as ready and unclaimed before either writes; on both
databases, one after the other."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from amparo.audit.models import AuditEvent
from amparo.core.models import OutboundMessage
from amparo.escalations import lifecycle, services, transports
from amparo.escalations.models import Escalation
from tests.escalations.lifecycle_helpers import email_escalation, manual_escalation


def _both_at_once(escalation_id: Any, people: Any) -> list[str]:
    results: list[str] = []

    def attempt(user: Any) -> None:
        try:
            mine = Escalation.objects.get(pk=escalation_id)
            services.send(mine, actor=user, external_reference=f"REF-{user.pk}")
            results.append("sent")
        except ValidationError:
            results.append("refused")
        except Exception as exc:  # the test fails on anything else
            results.append(f"error: {type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in (people.carlos, people.alice)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(results)


@pytest.mark.database("postgresql")
@pytest.mark.django_db(transaction=True)
def test_two_email_sends_at_once_queue_one_message(people, monkeypatch):
    escalation = email_escalation(people)
    both_read = threading.Barrier(2, timeout=15)
    real = lifecycle._live_claim

    def read_then_wait(esc: Any) -> Any:
        found = real(esc)
        both_read.wait()  # both have seen it unclaimed; now both try to claim it
        return found

    monkeypatch.setattr(lifecycle, "_live_claim", read_then_wait)
    assert _both_at_once(escalation.pk, people) == ["refused", "sent"]
    assert OutboundMessage.objects.filter(kind="escalation").count() == 1
    assert AuditEvent.objects.filter(action="escalation.queued").count() == 1


@pytest.mark.database("postgresql")
@pytest.mark.django_db(transaction=True)
def test_two_sends_by_the_platforms_form_at_once_record_one(people, monkeypatch):
    escalation = manual_escalation(people)
    both_read = threading.Barrier(2, timeout=15)
    real = transports.send

    def checked_then_wait(*args: Any, **kwargs: Any) -> str:
        reference = real(*args, **kwargs)
        both_read.wait()
        return reference

    monkeypatch.setattr(transports, "send", checked_then_wait)
    assert _both_at_once(escalation.pk, people) == ["refused", "sent"]
    assert AuditEvent.objects.filter(action="escalation.sent").count() == 1
    escalation.refresh_from_db()
    assert escalation.status == "sent" and escalation.version == 1  # one change landed
    moves = AuditEvent.objects.filter(action="case.transitioned", object_id=str(escalation.case_id))
    assert moves.count() == 1


@pytest.mark.parametrize("make", [email_escalation, manual_escalation])
def test_sending_twice_one_after_the_other_reaches_the_platform_once(people, make):
    escalation = make(people)
    services.send(escalation, actor=people.carlos, external_reference="REF-A")
    again = Escalation.objects.get(pk=escalation.pk)
    with pytest.raises(ValidationError):
        services.send(again, actor=people.alice, external_reference="REF-B")
    queued = OutboundMessage.objects.filter(kind="escalation").count()
    recorded = AuditEvent.objects.filter(action__in=["escalation.queued", "escalation.sent"])
    assert recorded.count() == 1 and queued == (1 if escalation.transport == "email" else 0)
