"""Syncing with partners: for each linked group, pull the partner's changes and push ours.

Called by the worker's sync job (``jobs``) and by ``amparo federation sync``. A partner that
fails is retried later with exponential backoff (``backoff``); its last error, in words that
carry nothing from the partner, is shown on the federation page and by
``amparo federation partner list``.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from amparo.engines.federation import canonical, envelope, protocol
from amparo.federation import feed, transport
from amparo.federation.inbound import apply_changes, public_key
from amparo.federation.keys import private_key, server_key
from amparo.federation.models import Link, Partner
from amparo.federation.replay import DatabaseReplayGuard

logger = logging.getLogger("amparo.federation")

PATH = "/federation/v1/changes"
ENVELOPE_HEADER = "Amparo-Envelope"
MEDIA_TYPE = "application/json"
INTERVAL = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)
MAX_PAGES = 50


class SyncError(Exception):
    pass


@dataclass
class SyncResult:
    pulled: int = 0
    pushed: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(failures: int) -> timedelta:
    """5, 10, 20, 40 minutes ... at most 6 hours after the ``failures``-th failure in a row."""
    return min(INTERVAL * (2 ** max(failures - 1, 0)), MAX_BACKOFF)


def _next_sequence(partner: Partner) -> int:
    with transaction.atomic():
        Partner.objects.filter(pk=partner.pk).update(next_sequence=F("next_sequence") + 1)
        return int(Partner.objects.values_list("next_sequence", flat=True).get(pk=partner.pk)) - 1


def call(partner: Partner, body: dict[str, Any], *, expected: str) -> dict[str, Any]:
    """Send one signed request and return the verified body of the partner's signed answer."""
    me = server_key()
    message = envelope.seal(
        body,
        private_key=private_key(me),
        sender=me.key_id,
        recipient=partner.key_id,
        sequence=_next_sequence(partner),
    )
    wire = canonical.dumps(message)
    url = partner.base_url + PATH
    if body["type"] == "pull":
        header = base64.urlsafe_b64encode(wire).decode("ascii")
        answer = transport.request("GET", url, headers={ENVELOPE_HEADER: header})
    else:
        answer = transport.request("POST", url, body=wire, headers={"Content-Type": MEDIA_TYPE})
    try:
        opened = envelope.open_envelope(
            answer.body,
            recipient=me.key_id,
            public_key_for=lambda kid: public_key(partner) if kid == partner.key_id else None,
            guard=DatabaseReplayGuard(partner),
            check_sequence=False,
        )
        return protocol.read_response(opened.body, expected=expected, in_reply_to=message["nonce"])
    except envelope.EnvelopeError as exc:
        raise SyncError(f"the partner's answer was refused ({exc.reason})") from None
    except protocol.ProtocolError as exc:
        raise SyncError(f"the partner's answer was refused ({exc})") from None


def pull(link: Link, result: SyncResult) -> None:
    since = max(0, link.pull_cursor - feed.OVERLAP_MICROSECONDS)
    for _page in range(MAX_PAGES):
        body = call(
            link.partner, protocol.pull_request(link.remote_group, since), expected="changes"
        )
        applied, rejected = apply_changes(link, body.get("changes"))
        result.pulled += applied
        result.rejected += len(rejected)
        reached = body.get("next")
        if isinstance(reached, int) and not isinstance(reached, bool) and reached > since:
            Link.objects.filter(pk=link.pk, pull_cursor__lt=reached).update(pull_cursor=reached)
            since = reached
        else:
            return
        if not body.get("more"):
            return


def push(link: Link, result: SyncResult) -> None:
    since = max(0, link.push_cursor - feed.OVERLAP_MICROSECONDS)
    for _page in range(MAX_PAGES):
        changes, more, reached = feed.changes_since(link.group, since)
        if changes:
            body = call(
                link.partner,
                protocol.push_request(str(link.group_id), changes),
                expected="accepted",
            )
            result.pushed += int(body.get("applied") or 0)
            result.rejected += len(body.get("rejected") or [])
        if reached > link.push_cursor:
            Link.objects.filter(pk=link.pk, push_cursor__lt=reached).update(push_cursor=reached)
        if not more or reached <= since:
            return
        since = reached


def sync_partner(partner: Partner, *, now: datetime | None = None) -> SyncResult:
    """Pull then push every linked group; records success or the failure and its backoff."""
    now = now or timezone.now()
    result = SyncResult()
    Partner.objects.filter(pk=partner.pk).update(last_attempt_at=now)
    try:
        for link in Link.objects.select_related("group", "partner").filter(partner=partner):
            pull(link, result)
            link.refresh_from_db()
            push(link, result)
    except (transport.TransportError, SyncError, ValidationError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        failures = partner.failures + 1
        Partner.objects.filter(pk=partner.pk).update(
            failures=failures,
            last_error=message[:300],
            next_attempt_at=now + backoff(failures),
        )
        result.errors.append(message)
        logger.warning("federation sync with partner %s failed: %s", partner.key_id, message)
    else:
        Partner.objects.filter(pk=partner.pk).update(
            failures=0, last_error="", last_success_at=now, next_attempt_at=now + INTERVAL
        )
    partner.refresh_from_db()
    return result


def due_partners(now: datetime | None = None) -> list[Partner]:
    now = now or timezone.now()
    from django.db.models import Q

    return list(
        Partner.objects.filter(status=Partner.Status.ACTIVE).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )
    )
