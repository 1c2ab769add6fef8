"""The one seam every outbound network call passes through: e-mail and HTTP.

Transports never talk to the network themselves; they call ``outbound.queue_email`` or
``outbound.queue_http``. Tests can replace ``outbound.backend`` with a recorder, and operators can
audit in one place what Amparo sends out. Every call is logged with its kind and destination
host only — never its content.

**Webhooks are queued too.** :func:`queue_http` stores a JSON POST (URL, body and headers sealed
like an e-mail's content) for the worker, which delivers it with the same retries. Each attempt
is signed with the endpoint's secret (:class:`amparo.core.models.WebhookSecret`):
``Amparo-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``, and carries
``Amparo-Delivery: <message id>`` (the same on every retry, for receivers to drop duplicates).
At send time the host name is resolved and every address must be public: private, loopback,
link-local, multicast, reserved and unspecified addresses are refused (the message gives up at
once, error ``TargetRefused``) unless a network is listed in ``AMPARO_WEBHOOK_ALLOW_NETWORKS``.
The connection goes to an address that was checked (no second lookup), and redirects are never
followed: a 3xx answer is a failed attempt like a 5xx.

**E-mail is queued, never sent inside a web request.** :func:`queue_email` stores the message in
the database (:class:`amparo.core.models.OutboundMessage`) in the caller's transaction and
schedules a worker job that delivers it; Amparo works the same with no mail server at all.
A failed attempt is retried after 1, 5, 15 and 60 minutes, then every 6 hours; after
``MAX_ATTEMPTS`` (12) attempts, about 43 hours after queueing, the worker gives up (audited as
``outbound.gave_up``). A coordinator can retry a message at once from the organisation's
outbound page. Delivery is at-least-once: a crash between the mail server accepting a message
and the row being marked sent sends it again.

**Content is encrypted at rest.** Subject, body, recipients and headers are one JSON value
sealed with AES-256-GCM (:mod:`amparo.keyring.envelope`), its associated data binding the
organisation and the message id:

* a message of an organisation (an escalation package, an alarm, a clock reminder) is sealed
  with the organisation's data key, like its cases: shredding that key makes it unreadable;
* a message of no organisation (a password reset, other account e-mail) is sealed with a key
  derived (HKDF-SHA256, its own label) from the key-encryption key, as the MFA secrets are: it
  protects the reset link as well as an organisation key would, needs no data-key row (data
  keys belong to an organisation), and lives outside the database like the KEK. The message
  records which KEK (``kek_id``) so it still opens during a KEK rotation while
  ``AMPARO_KEK_PREVIOUS`` is set.

Once delivered or cancelled the sealed content is deleted (SQLite overwrites freed pages:
``secure_delete``); a given-up message keeps it ``KEEP_FAILED`` (7 days) so it can be retried,
then housekeeping deletes it. The row that stays carries metadata only: kind, recipient
domains and count, status, attempts, timestamps and the class of the last error; housekeeping
deletes those rows after ``KEEP_METADATA`` (90 days).

The module is split by concern: :mod:`amparo.outbound.network` (webhook targets, the network
backend, signatures and signing secrets) and :mod:`amparo.outbound.content` (what a queued
message holds and how it is sealed); every public name of both is importable from here.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from amparo.keyring import envelope
from amparo.outbound.content import (
    domains,
    open_content,
    open_message,
    rebuild,
    seal,
    serialise,
)
from amparo.outbound.network import (
    HTTP_TIMEOUT,
    AnyAddress,
    Backend,
    HttpResult,
    HttpStatusError,
    MissingSecret,
    NetworkBackend,
    TargetRefused,
    address_allowed,
    checked_addresses,
    has_webhook_secret,
    set_webhook_secret,
    sign,
    webhook_secret,
)
from amparo.worker.registry import scheduled

if TYPE_CHECKING:
    from amparo.accounts.types import Actor
    from amparo.core.models import OutboundMessage

__all__ = [
    "DELIVER",
    "HTTP_TIMEOUT",
    "KEEP_FAILED",
    "KEEP_METADATA",
    "MAX_ATTEMPTS",
    "RETRY_DELAYS",
    "RETRY_EVERY",
    "AnyAddress",
    "Backend",
    "HttpResult",
    "HttpStatusError",
    "MissingSecret",
    "NetworkBackend",
    "TargetRefused",
    "_open",
    "address_allowed",
    "backend",
    "cancel_for",
    "checked_addresses",
    "deliver",
    "deliver_job",
    "has_webhook_secret",
    "health_details",
    "latest_for",
    "on_delivered",
    "purge",
    "queue_email",
    "queue_email_or_log",
    "queue_http",
    "retry_delay",
    "retry_now",
    "set_webhook_secret",
    "sign",
    "webhook_secret",
]

logger = logging.getLogger("amparo.outbound")

#: The transport every delivery goes through; tests replace it with a recorder.
backend: Backend = NetworkBackend()

#: A queued message's content as an e-mail (tests and the audit head's test read it).
_open = open_message


# --- Queued e-mail and webhooks-------------------------------------------------------------------

DELIVER = "outbound.deliver"
#: Waits after the 1st, 2nd, 3rd and 4th failed attempt; ``RETRY_EVERY`` after each later one.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=60),
)
RETRY_EVERY = timedelta(hours=6)
#: Attempts before giving up: the last one about 43 hours after the message was queued.
MAX_ATTEMPTS = 12
KEEP_FAILED = timedelta(days=7)
KEEP_METADATA = timedelta(days=90)

Hook = Callable[["OutboundMessage"], None]
_on_delivered: dict[str, list[Hook]] = {}


def on_delivered(kind: str) -> Callable[[Hook], Hook]:
    """Register ``func(message)`` to run, in the worker's transaction, when a message of
    ``kind`` has been accepted by the mail server or a webhook's receiver answered 2xx (an
    escalation then counts as sent). For a webhook, ``message.reply`` holds the start of the
    receiver's answer (its reference), else it is empty."""

    def register(func: Hook) -> Hook:
        _on_delivered.setdefault(kind, []).append(func)
        return func

    return register


def retry_delay(failed_attempts: int) -> timedelta:
    """How long to wait after the ``failed_attempts``-th failed attempt."""
    if 1 <= failed_attempts <= len(RETRY_DELAYS):
        return RETRY_DELAYS[failed_attempts - 1]
    return RETRY_EVERY


def _job_key(row: OutboundMessage) -> str:
    return f"{DELIVER}:{row.pk}:{row.attempts + 1}"


def _schedule_attempt(row: OutboundMessage) -> None:
    from amparo.worker.services import schedule

    schedule(
        DELIVER,
        key=_job_key(row),
        due_at=row.next_attempt_at or timezone.now(),
        organisation=row.organisation_id and row.organisation,
        payload={"message": str(row.pk)},
    )


def queue_email(
    message: EmailMessage, *, kind: str, organisation: Any = None, ref: Any = ""
) -> OutboundMessage:
    """Queue ``message`` for the worker, in the caller's transaction; returns its row.

    Nothing touches the network here, so this works (and a web request answers) with no mail
    server. ``organisation`` chooses the key the content is sealed with (see the module's
    docstring); ``ref`` names what the message is about, to show its delivery there.
    """
    from amparo.core.models import OutboundMessage

    recipients = [str(a) for a in message.recipients()]
    row = OutboundMessage(
        organisation=organisation,
        kind=kind,
        ref=str(ref or ""),
        recipient_domains=",".join(domains(recipients))[:200],
        recipient_count=min(len(recipients), 32767),
        next_attempt_at=timezone.now(),
    )
    row.sealed = seal(row, serialise(message))
    with transaction.atomic():
        row.save(force_insert=True)
        _schedule_attempt(row)
    logger.info(
        "outbound e-mail (%s) queued for %d recipient(s) at %s",
        kind,
        row.recipient_count,
        row.recipient_domains,
    )
    return row


def queue_http(
    url: str,
    payload: dict[str, Any],
    *,
    endpoint: str,
    kind: str,
    organisation: Any,
    ref: Any = "",
    headers: dict[str, str] | None = None,
) -> OutboundMessage:
    """Queue a signed JSON POST of ``payload`` to ``url`` for the worker, in the caller's
    transaction; returns its row. ``endpoint`` names the :class:`WebhookSecret` each attempt is
    signed with (looked up at send time, so a rotated secret applies at once). Nothing touches
    the network here; the address is checked when the worker sends it."""
    from amparo.core.models import OutboundMessage

    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError("only http(s) URLs with a host can be called")
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    row = OutboundMessage(
        organisation=organisation,
        kind=kind,
        transport=OutboundMessage.Transport.HTTP,
        ref=str(ref or ""),
        recipient_domains=parts.hostname.lower()[:200],
        recipient_count=1,
        next_attempt_at=timezone.now(),
    )
    row.sealed = seal(
        row, {"url": url, "body": body, "headers": dict(headers or {}), "endpoint": endpoint}
    )
    with transaction.atomic():
        row.save(force_insert=True)
        _schedule_attempt(row)
    logger.info("outbound webhook (%s) queued for %s", kind, row.recipient_domains)
    return row


def _post(row: OutboundMessage, content: dict[str, Any], now: datetime | None) -> str:
    """One signed POST; returns the receiver's answer (2xx) or raises."""
    if row.organisation_id is None:
        raise MissingSecret("a webhook belongs to an organisation")
    secret = webhook_secret(row.organisation, content["endpoint"])
    if secret is None:
        raise MissingSecret(f"no signing secret for endpoint {content['endpoint']!r}")
    body = content["body"].encode("utf-8")
    timestamp = int((now or timezone.now()).timestamp())
    headers = {
        **content["headers"],
        "Content-Type": "application/json",
        "User-Agent": "Amparo-Webhook/1",
        "Amparo-Delivery": str(row.pk),
        "Amparo-Signature": sign(secret, timestamp, body),
    }
    result = backend.post(content["url"], body, headers, HTTP_TIMEOUT)
    if not 200 <= result.status < 300:
        raise HttpStatusError(result.status)
    return result.body


def queue_email_or_log(
    message: EmailMessage, *, kind: str, organisation: Any = None, ref: Any = ""
) -> OutboundMessage | None:
    """:func:`queue_email` in a savepoint: when queueing itself fails (no KEK configured),
    log it and return None, so the caller's other writes (in-app notifications) are kept."""
    try:
        with transaction.atomic():
            return queue_email(message, kind=kind, organisation=organisation, ref=ref)
    except Exception:
        logger.exception("could not queue an outbound e-mail (%s)", kind)
        return None


@scheduled(DELIVER)
def deliver_job(job: Any) -> None:
    deliver(job.payload["message"])


def deliver(message_id: Any, *, now: datetime | None = None) -> str:
    """One delivery attempt of a pending message; returns ``sent``, ``retry``, ``failed`` or
    ``skipped`` (not pending any more). Called by the worker, never in a web request.

    Only reads happen before the mail server answers, so no database write lock is held while
    waiting for it; every change after is conditional on the row still being pending (a
    caseworker may have marked the escalation as sent by hand meanwhile).
    """
    from amparo.core.models import OutboundMessage
    from amparo.keyring.kek import KeyUnavailable

    row = (
        OutboundMessage.objects.filter(pk=message_id, status=OutboundMessage.Status.PENDING)
        .select_related("organisation")
        .first()
    )
    if row is None:
        return "skipped"
    is_http = row.transport == OutboundMessage.Transport.HTTP
    try:
        content = open_content(row)
        email = None if is_http else rebuild(content)
    except KeyUnavailable as exc:  # a configuration problem: retry once it is fixed
        return _failed(row, exc, now, final=False)
    except (envelope.DecryptionError, ValueError, KeyError) as exc:  # can never be read
        return _failed(row, exc, now, final=True)
    logger.info(
        "outbound %s (%s) to %d recipient(s) at %s, attempt %d",
        "webhook" if is_http else "e-mail",
        row.kind,
        row.recipient_count,
        row.recipient_domains,
        row.attempts + 1,
    )
    reply = ""
    try:
        if email is not None:
            backend.send_email(email)
        else:
            reply = _post(row, content, now)
    except TargetRefused as exc:  # never allowed: retrying cannot help
        return _failed(row, exc, now, final=True)
    except Exception as exc:
        return _failed(row, exc, now, final=False)
    moment = now or timezone.now()
    done = OutboundMessage.objects.filter(pk=row.pk, status=OutboundMessage.Status.PENDING).update(
        status=OutboundMessage.Status.SENT,
        attempts=row.attempts + 1,
        last_attempt_at=moment,
        sent_at=moment,
        finished_at=moment,
        next_attempt_at=None,
        sealed=None,
        kek_id="",
    )
    if not done:
        logger.warning("outbound message %s was delivered after it was cancelled", row.pk)
        return "sent"
    row.refresh_from_db()
    # What a webhook's receiver answered (its reference), for the hooks; never stored here.
    row.reply = reply.strip()[:200]  # type: ignore[attr-defined]
    for hook in _on_delivered.get(row.kind, []):
        try:
            with transaction.atomic():
                hook(row)
        except Exception:  # the message left: never undo that record because of a hook
            logger.exception("after-delivery hook for outbound message %s failed", row.pk)
    return "sent"


def _failed(row: OutboundMessage, exc: BaseException, now: datetime | None, *, final: bool) -> str:
    from amparo.audit.services import record
    from amparo.core.models import OutboundMessage

    moment = now or timezone.now()
    attempts = row.attempts + 1
    error = str(getattr(exc, "error_name", "") or type(exc).__name__)[:100]
    give_up = final or attempts >= MAX_ATTEMPTS
    changes: dict[str, Any] = {"attempts": attempts, "last_attempt_at": moment, "last_error": error}
    if give_up:
        changes |= {
            "status": OutboundMessage.Status.FAILED,
            "finished_at": moment,
            "next_attempt_at": None,
        }
    else:
        changes["next_attempt_at"] = moment + retry_delay(attempts)
    if not OutboundMessage.objects.filter(pk=row.pk, status=OutboundMessage.Status.PENDING).update(
        **changes
    ):
        return "skipped"
    for name, value in changes.items():
        setattr(row, name, value)
    if give_up:
        logger.error(
            "outbound message %s (%s) gave up after %d attempt(s): %s",
            row.pk,
            row.kind,
            attempts,
            error,
        )
        record(
            "outbound.gave_up",
            obj=row,
            organisation=row.organisation_id,
            new={"kind": row.kind, "attempts": attempts, "error": error},
        )
        return "failed"
    logger.warning(
        "outbound message %s (%s) failed: %s; attempt %d, next at %s",
        row.pk,
        row.kind,
        error,
        attempts,
        row.next_attempt_at,
    )
    _schedule_attempt(row)
    return "retry"


def retry_now(message: OutboundMessage, *, actor: Actor) -> OutboundMessage:
    """A pending or given-up message whose content is still kept: try again at once
    (a given-up one gets one more attempt: its count is already at ``MAX_ATTEMPTS``)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from amparo.audit.services import record
    from amparo.core.models import OutboundMessage

    retryable = (OutboundMessage.Status.PENDING, OutboundMessage.Status.FAILED)
    with transaction.atomic():
        row = OutboundMessage.objects.select_for_update().get(pk=message.pk)
        if row.status not in retryable or row.sealed is None:
            raise ValidationError(_("This message can no longer be sent again."))
        old = {"status": row.status, "attempts": row.attempts}
        now = timezone.now()
        row.status = OutboundMessage.Status.PENDING
        row.next_attempt_at = now
        row.finished_at = None
        row.save(update_fields=["status", "next_attempt_at", "finished_at"])
        _schedule_attempt(row)
        record(
            "outbound.retried",
            actor=actor,
            obj=row,
            organisation=row.organisation_id,
            old=old,
            new={"status": row.status},
        )
    return row


def cancel_for(kind: str, ref: Any) -> int:
    """Cancel the pending messages about ``ref`` and delete their content; returns how many.
    For services (that audit their own change) in their transaction."""
    from amparo.core.models import OutboundMessage
    from amparo.worker.services import cancel

    rows = list(
        OutboundMessage.objects.filter(
            kind=kind, ref=str(ref), status=OutboundMessage.Status.PENDING
        )
    )
    for row in rows:
        cancel(_job_key(row))
    return OutboundMessage.objects.filter(
        pk__in=[r.pk for r in rows], status=OutboundMessage.Status.PENDING
    ).update(
        status=OutboundMessage.Status.CANCELLED,
        finished_at=timezone.now(),
        next_attempt_at=None,
        sealed=None,
        kek_id="",
    )


def latest_for(kind: str, ref: Any) -> OutboundMessage | None:
    from amparo.core.models import OutboundMessage

    return OutboundMessage.objects.filter(kind=kind, ref=str(ref)).order_by("-created_at").first()


def purge(now: datetime | None = None) -> tuple[int, int]:
    """Housekeeping: delete the content of messages given up more than ``KEEP_FAILED`` ago,
    and the metadata rows of finished messages older than ``KEEP_METADATA``."""
    from amparo.core.models import OutboundMessage

    now = now or timezone.now()
    emptied = OutboundMessage.objects.filter(
        status=OutboundMessage.Status.FAILED,
        finished_at__lt=now - KEEP_FAILED,
        sealed__isnull=False,
    ).update(sealed=None, kek_id="")
    deleted, _ = (
        OutboundMessage.objects.exclude(status=OutboundMessage.Status.PENDING)
        .filter(created_at__lt=now - KEEP_METADATA)
        .delete()
    )
    return emptied, deleted


def health_details(now: datetime | None = None) -> dict[str, Any]:
    """Counts for monitoring (``/healthz``), never content:

    * ``pending``: messages waiting for delivery (first attempt or a retry);
    * ``failed``: messages given up in the last ``KEEP_FAILED`` (7 days);
    * ``oldest_pending_age_seconds``: age of the oldest pending message, or None;
    * ``last_error``: class of the latest delivery error of a pending or given-up message
      (``SMTPServerDisconnected``, ``ConnectionRefusedError``), or None.
    """
    from amparo.core.models import OutboundMessage

    now = now or timezone.now()
    pending = OutboundMessage.objects.filter(status=OutboundMessage.Status.PENDING)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    failing = (
        OutboundMessage.objects.filter(
            status__in=[OutboundMessage.Status.PENDING, OutboundMessage.Status.FAILED],
            last_attempt_at__isnull=False,
        )
        .exclude(last_error="")
        .order_by("-last_attempt_at")
        .values_list("last_error", flat=True)
        .first()
    )
    return {
        "pending": pending.count(),
        "failed": OutboundMessage.objects.filter(
            status=OutboundMessage.Status.FAILED, finished_at__gte=now - KEEP_FAILED
        ).count(),
        "oldest_pending_age_seconds": (
            max(0, int((now - oldest).total_seconds())) if oldest else None
        ),
        "last_error": failing or None,
    }
