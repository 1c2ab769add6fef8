"""Webhooks' network side: which addresses may be called, the connection to a checked address,
the ``Amparo-Signature`` header and the per-endpoint signing secrets.

Part of the outbound seam (:mod:`amparo.outbound.services`, which queues and delivers and
re-exports every name here). At send time the host name is resolved and every address must be
public: private, loopback, link-local, multicast, reserved and unspecified addresses are refused
(:class:`TargetRefused`) unless a network is listed in ``AMPARO_WEBHOOK_ALLOW_NETWORKS``. The
connection goes to an address that was checked (no second lookup), and redirects are never
followed: a 3xx answer is a failed attempt like a 5xx. Each attempt is signed with the
endpoint's secret (:class:`amparo.core.models.WebhookSecret`, sealed with the organisation's
data key): ``Amparo-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import secrets
import socket
import ssl
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from amparo.keyring import envelope

if TYPE_CHECKING:
    from amparo.accounts.types import Actor


@dataclass
class HttpResult:
    status: int
    body: str


class TargetRefused(ValueError):
    """A webhook URL that resolves to an address Amparo must not call (see the docstring)."""


class HttpStatusError(Exception):
    """The receiving system answered, but not with 2xx."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.error_name = f"HTTP {status}"


class Backend(Protocol):
    def send_email(self, message: EmailMessage) -> None: ...

    def post(
        self, url: str, body: bytes, headers: dict[str, str], timeout: float
    ) -> HttpResult: ...


AnyAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_allowed(address: AnyAddress) -> bool:
    """Whether a webhook may be sent to ``address``: a public unicast address, or one in a
    network of ``AMPARO_WEBHOOK_ALLOW_NETWORKS``."""
    candidates: list[AnyAddress] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            candidates.append(embedded)
    for network in settings.AMPARO_WEBHOOK_ALLOW_NETWORKS:
        if address in ipaddress.ip_network(network, strict=False):
            return True
    return all(
        a.is_global
        and not (
            a.is_private
            or a.is_loopback
            or a.is_link_local
            or a.is_multicast
            or a.is_reserved
            or a.is_unspecified
        )
        for a in candidates
    )


def checked_addresses(host: str, port: int) -> list[str]:
    """Resolve ``host``; every address it has must be allowed (else :class:`TargetRefused`)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for info in infos:
        text = str(info[4][0])
        if text not in addresses:
            addresses.append(text)
    for text in addresses:
        if not address_allowed(ipaddress.ip_address(text.split("%", 1)[0])):
            raise TargetRefused(f"{host} resolves to an address webhooks may not reach")
    if not addresses:
        raise TargetRefused(f"{host} has no address")
    return addresses


class NetworkBackend:
    def send_email(self, message: EmailMessage) -> None:
        message.send(fail_silently=False)

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> HttpResult:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise TargetRefused("only http(s) URLs with a host can be called")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = checked_addresses(parts.hostname, port)

        def connect(_address: Any, timeout: Any = None, source: Any = None) -> socket.socket:
            # Only to the addresses just checked: a second lookup could answer differently.
            error: OSError | None = None
            for address in addresses:
                try:
                    return socket.create_connection((address, port), timeout, source)
                except OSError as exc:
                    error = exc
            raise error or OSError("no address to connect to")

        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(
                parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
        connection._create_connection = connect  # type: ignore[attr-defined]
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            # http.client never follows redirects: a 3xx comes back as the answer.
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            return HttpResult(response.status, response.read(65536).decode("utf-8", "replace"))
        finally:
            connection.close()


#: Seconds a webhook receiver has to answer one attempt.
HTTP_TIMEOUT = 20.0


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Amparo-Signature`` header: HMAC-SHA256 with the endpoint's secret over
    ``"<timestamp>." + body``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


# --- Webhook secrets --------------------------------------------------------------------------


def _secret_aad(organisation_id: Any, endpoint: str) -> bytes:
    return f"amparo:webhook-secret:{organisation_id}:{endpoint}".encode()


def set_webhook_secret(organisation: Any, endpoint: str, *, actor: Actor = None) -> str:
    """Create (or replace) the signing secret of ``organisation``'s webhook ``endpoint`` (a
    register channel's code) and return it: the only time it is shown. Audited."""
    from amparo.audit.services import record
    from amparo.core.models import WebhookSecret
    from amparo.keyring.services import organisation_key, unwrap

    secret = "whsec_" + secrets.token_urlsafe(32)
    key = organisation_key(organisation)
    sealed = envelope.seal(unwrap(key), secret.encode(), _secret_aad(organisation.pk, endpoint))
    with transaction.atomic():
        row, created = WebhookSecret.objects.update_or_create(
            organisation=organisation,
            endpoint=endpoint,
            defaults={"data_key": key, "sealed": sealed, "created_at": timezone.now()},
        )
        record(
            "webhook.secret_created" if created else "webhook.secret_rotated",
            actor=actor,
            obj=row,
            organisation=organisation,
            new={"endpoint": endpoint},
        )
    return secret


def webhook_secret(organisation: Any, endpoint: str) -> str | None:
    """The endpoint's signing secret, or None when none was set."""
    from amparo.core.models import WebhookSecret
    from amparo.keyring.services import unwrap

    row = (
        WebhookSecret.objects.filter(organisation=organisation, endpoint=endpoint)
        .select_related("data_key")
        .first()
    )
    if row is None:
        return None
    plain = envelope.open_sealed(
        unwrap(row.data_key), bytes(row.sealed), _secret_aad(row.organisation_id, endpoint)
    )
    return plain.decode()


def has_webhook_secret(organisation: Any, endpoint: str) -> bool:
    from amparo.core.models import WebhookSecret

    return WebhookSecret.objects.filter(organisation=organisation, endpoint=endpoint).exists()


class MissingSecret(Exception):
    """A queued webhook whose endpoint has no signing secret (any more): retried once set."""
