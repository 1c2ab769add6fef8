"""The one seam every outbound network call passes through: e-mail and HTTP.

Transports never talk to the network themselves; they call ``outbound.queue_email`` or
``outbound.post_json``. Tests can replace ``outbound.backend`` with a recorder, and operators can
audit in one place what Amparo sends out. Every call is logged with its kind and destination
host only — never its content.

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
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from amparo.keyring import envelope
from amparo.worker.registry import scheduled

if TYPE_CHECKING:
    from amparo.core.models import OutboundMessage

logger = logging.getLogger("amparo.outbound")


@dataclass
class HttpResult:
    status: int
    body: str


class Backend(Protocol):
    def send_email(self, message: EmailMessage) -> None: ...

    def post_json(
        self, url: str, payload: dict[str, Any], headers: dict[str, str], timeout: float
    ) -> HttpResult: ...


class NetworkBackend:
    def send_email(self, message: EmailMessage) -> None:
        message.send(fail_silently=False)

    def post_json(
        self, url: str, payload: dict[str, Any], headers: dict[str, str], timeout: float
    ) -> HttpResult:
        if urlsplit(url).scheme not in ("https", "http"):
            raise ValueError("only http(s) URLs can be called")
        data = json.dumps(payload, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310  (scheme checked above)
            url, data=data, method="POST", headers={"Content-Type": "application/json", **headers}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  (scheme checked above)
                return HttpResult(response.status, response.read(65536).decode("utf-8", "replace"))
        except urllib.error.HTTPError as exc:
            return HttpResult(exc.code, exc.read(65536).decode("utf-8", "replace"))


backend: Backend = NetworkBackend()


def post_json(
    url: str, payload: dict[str, Any], *, headers: dict[str, str] | None = None, timeout: float = 20
) -> HttpResult:
    logger.info("outbound HTTP POST to %s", urlsplit(url).netloc)
    return backend.post_json(url, payload, headers or {}, timeout)


# --- Queued e-mail ----------------------------------------------------------------------------

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
    ``kind`` has been accepted by the mail server (an escalation then counts as sent)."""

    def register(func: Hook) -> Hook:
        _on_delivered.setdefault(kind, []).append(func)
        return func

    return register


def retry_delay(failed_attempts: int) -> timedelta:
    """How long to wait after the ``failed_attempts``-th failed attempt."""
    if 1 <= failed_attempts <= len(RETRY_DELAYS):
        return RETRY_DELAYS[failed_attempts - 1]
    return RETRY_EVERY


def _domains(addresses: list[str]) -> list[str]:
    return sorted({a.rsplit("@", 1)[-1].strip().strip(">").lower() for a in addresses if a})


def _aad(message: OutboundMessage) -> bytes:
    return f"amparo:outbound:{message.organisation_id or '-'}:{message.pk}".encode()


def _system_key(kek: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"amparo outbound messages"
    ).derive(kek)


def _content_key(message: OutboundMessage) -> bytes:
    if message.organisation_id is not None:
        from amparo.keyring.services import organisation_key, unwrap

        return unwrap(organisation_key(message.organisation))
    from amparo.keyring.kek import KeyUnavailable, current_kek, known_keks

    if not message.kek_id:
        message.kek_id, kek = current_kek()
        return _system_key(kek)
    found = known_keks().get(message.kek_id)
    if found is None:
        raise KeyUnavailable(
            f"outbound message {message.pk} is sealed under KEK {message.kek_id}, "
            "which is not configured (set AMPARO_KEK_PREVIOUS during a rotation)"
        )
    return _system_key(found)


def _serialise(message: EmailMessage) -> dict[str, Any]:
    if message.attachments:
        raise ValueError("queued e-mail cannot carry attachments")
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "subtype": message.content_subtype,
        "alternatives": [
            [str(content), str(mimetype)]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def _rebuild(data: dict[str, Any]) -> EmailMessage:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    message.content_subtype = data["subtype"]
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def _seal(row: OutboundMessage, message: EmailMessage) -> bytes:
    plain = json.dumps(_serialise(message), ensure_ascii=False, separators=(",", ":"))
    return envelope.seal(_content_key(row), plain.encode("utf-8"), _aad(row))


def _open(row: OutboundMessage) -> EmailMessage:
    if row.sealed is None:
        raise envelope.DecryptionError("the message's content was removed")
    plain = envelope.open_sealed(_content_key(row), bytes(row.sealed), _aad(row))
    return _rebuild(json.loads(plain))


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
        recipient_domains=",".join(_domains(recipients))[:200],
        recipient_count=min(len(recipients), 32767),
        next_attempt_at=timezone.now(),
    )
    row.sealed = _seal(row, message)
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
    try:
        email = _open(row)
    except KeyUnavailable as exc:  # a configuration problem: retry once it is fixed
        return _failed(row, exc, now, final=False)
    except (envelope.DecryptionError, ValueError, KeyError) as exc:  # can never be read
        return _failed(row, exc, now, final=True)
    logger.info(
        "outbound e-mail (%s) to %d recipient(s) at %s, attempt %d",
        row.kind,
        row.recipient_count,
        row.recipient_domains,
        row.attempts + 1,
    )
    try:
        backend.send_email(email)
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
    error = type(exc).__name__[:100]
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
            "outbound e-mail %s (%s) gave up after %d attempt(s): %s",
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
        "outbound e-mail %s (%s) failed: %s; attempt %d, next at %s",
        row.pk,
        row.kind,
        error,
        attempts,
        row.next_attempt_at,
    )
    _schedule_attempt(row)
    return "retry"


def retry_now(message: OutboundMessage, *, actor: Any) -> OutboundMessage:
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
