"""Reading the audit log."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from amparo.audit.chain import Problem, verify
from amparo.audit.models import AuditEvent, ChainHead


def events_for_organisation(organisation: Any) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(organisation=organisation)
        .select_related("actor")
        .order_by("-seq")
    )


def verify_chain() -> tuple[int, list[Problem]]:
    head = ChainHead.objects.filter(id=1).first()
    rows = AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)
    count = AuditEvent.objects.count()
    problems = verify(rows, head.seq if head else 0, head.hash if head else None)
    return count, problems
