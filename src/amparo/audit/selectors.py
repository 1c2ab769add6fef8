"""Reading the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet

from amparo.audit.chain import GENESIS, Problem, check_published, verify
from amparo.audit.models import AuditEvent, ChainHead


def events_for_organisation(organisation: Any) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(organisation=organisation)
        .select_related("actor")
        .order_by("-seq")
    )


def verify_chain(
    *, using: str = DEFAULT_DB_ALIAS, published: Sequence[tuple[int, str]] = ()
) -> tuple[int, list[Problem]]:
    """Recompute the chain; with ``published`` heads (kept outside the server, as printed by
    ``amparo audit head``), also detect a cut tail whose stored head was rewritten to match."""
    events = AuditEvent.objects.using(using)
    head = ChainHead.objects.using(using).filter(id=1).first()
    rows = events.order_by("seq").iterator(chunk_size=2000)
    count = events.count()
    problems = verify(rows, head.seq if head else 0, head.hash if head else None)
    last = events.order_by("-seq").values_list("seq", flat=True).first() or 0
    for seq, digest in published:
        found = events.filter(seq=seq).values_list("hash", flat=True).first()
        problems.extend(check_published(found, seq, digest, last))
    return count, problems


def current_head(*, using: str = DEFAULT_DB_ALIAS) -> tuple[int, str]:
    head = ChainHead.objects.using(using).filter(id=1).first()
    return (head.seq, head.hash) if head else (0, GENESIS)
