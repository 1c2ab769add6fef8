"""Webhooks leave through the outbound queue: the worker POSTs them (never the web request),
signed per endpoint (HMAC-SHA256, timestamped), with retries, and never to private, loopback,
link-local, multicast or reserved addresses unless an operator allows a network."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.core.models import OutboundMessage, WebhookSecret
from amparo.escalations.models import Escalation
from amparo.outbound import services as outbound
from tests.test_outbound import detail_url, run_due

TOLERANCE = 300  # the replay window documented for receivers (docs/operations.md)


def verify(secret: str, header: str, body: bytes, now: float) -> bool:
    """The receiver's check, as documented in docs/operations.md."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    timestamp = int(fields["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return abs(now - timestamp) <= TOLERANCE and hmac.compare_digest(
        expected.hexdigest(), fields["v1"]
    )


class Receiver:
    """A real HTTP server on 127.0.0.1 that answers ``status`` and keeps what it received."""

    def __init__(self, status: int = 201, answer: bytes = b"PARTNER-REF-7") -> None:
        self.status, self.answer = status, answer
        self.received: list[tuple[dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                self.send_response(outer.status)
                if 300 <= outer.status < 400:
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.end_headers()
                self.wfile.write(outer.answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cases?source=amparo"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Any:
    r = Receiver()
    yield r
    r.close()


def webhook_escalation(people: Any, url: str, *, secret: bool = True) -> tuple[Any, str]:
    """A ready webhook escalation to ``url``; returns it and the endpoint's secret."""
    from amparo.escalations import services
    from amparo.escalations.models import RegisterOverrides
    from tests.test_outbound import email_escalation

    base = email_escalation(people)  # a case with a ready e-mail escalation
    case = base.case
    from amparo.escalations import register

    chan = next(c for c in register.channels_for_case(case) if c.kind.value == "in_app_appeal")
    RegisterOverrides.objects.update_or_create(
        organisation=people.org,
        defaults={"document": {"change": {chan.code: {"details": {"webhook_url": url}}}}},
    )
    escalation = services.create(case, chan.code, actor=people.carlos)
    assert escalation.transport == "webhook"
    key = outbound.set_webhook_secret(people.org, chan.code) if secret else ""
    return escalation, key


def test_the_worker_posts_a_signed_webhook_and_the_receiver_verifies_it(
    people, settings, signed_in, receiver
):
    settings.AMPARO_WEBHOOK_ALLOW_NETWORKS = ["127.0.0.0/8"]
    escalation, secret = webhook_escalation(people, receiver.url)
    client = signed_in(people.carlos)
    response = client.post(detail_url(escalation), {"action": "send"})
    assert response.status_code == 302
    # Nothing left inside the web request: queued, the escalation not sent yet.
    assert receiver.received == []
    message = OutboundMessage.objects.get(kind="escalation", transport="http")
    assert message.status == "pending" and message.recipient_domains == "127.0.0.1"
    assert receiver.url.encode() not in bytes(message.sealed)  # the URL is sealed
    assert Escalation.objects.get(pk=escalation.pk).status == "ready"

    assert run_due() == 1
    [(headers, body)] = receiver.received
    assert verify(secret, headers["Amparo-Signature"], body, time.time())
    assert not verify("whsec_wrong", headers["Amparo-Signature"], body, time.time())
    assert not verify(secret, headers["Amparo-Signature"], body + b" ", time.time())
    assert not verify(secret, headers["Amparo-Signature"], body, time.time() + TOLERANCE + 5)
    assert headers["Amparo-Delivery"] == str(message.pk)
    assert headers["Content-Type"] == "application/json"
    payload = json.loads(body)
    assert payload["case"] == escalation.case.reference and payload["channel"]

    message.refresh_from_db()
    assert message.status == "sent" and message.sealed is None and message.attempts == 1
    escalation.refresh_from_db()
    assert escalation.status == "sent" and escalation.external_reference == "PARTNER-REF-7"
    assert escalation.expected_response_at is not None
    assert AuditEvent.objects.filter(action="webhook.secret_created").count() == 1


def test_a_webhook_without_a_secret_is_not_queued(people, settings, receiver):
    from django.core.exceptions import ValidationError

    from amparo.escalations import services

    escalation, _ = webhook_escalation(people, receiver.url, secret=False)
    with pytest.raises(ValidationError, match="signing secret"):
        services.send(escalation, actor=people.carlos)
    assert not OutboundMessage.objects.filter(transport="http").exists()


def test_secrets_are_sealed_and_rotation_applies_to_the_next_attempt(people, settings, receiver):
    settings.AMPARO_WEBHOOK_ALLOW_NETWORKS = ["127.0.0.0/8"]
    escalation, old = webhook_escalation(people, receiver.url)
    row = WebhookSecret.objects.get()
    assert old.encode() not in bytes(row.sealed)
    from amparo.escalations import services

    services.send(escalation, actor=people.carlos)
    new = outbound.set_webhook_secret(people.org, escalation.channel_code)
    assert new != old and WebhookSecret.objects.count() == 1
    run_due()
    [(headers, body)] = receiver.received
    assert verify(new, headers["Amparo-Signature"], body, time.time())
    assert not verify(old, headers["Amparo-Signature"], body, time.time())
    assert AuditEvent.objects.filter(action="webhook.secret_rotated").count() == 1


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "2002:7f00:1::",
        "::",
    ],
)
def test_private_and_special_addresses_are_refused(settings, address):
    settings.AMPARO_WEBHOOK_ALLOW_NETWORKS = []
    assert not outbound.address_allowed(ipaddress.ip_address(address))


def test_public_addresses_and_allowed_networks_pass(settings):
    settings.AMPARO_WEBHOOK_ALLOW_NETWORKS = []
    assert outbound.address_allowed(ipaddress.ip_address("93.184.215.14"))
    assert outbound.address_allowed(ipaddress.ip_address("2606:4700::1111"))
    settings.AMPARO_WEBHOOK_ALLOW_NETWORKS = ["10.20.0.0/16"]
    assert outbound.address_allowed(ipaddress.ip_address("10.20.3.4"))
    assert not outbound.address_allowed(ipaddress.ip_address("10.21.3.4"))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/x",
        "http://10.0.0.7:{port}/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/x",
        "http://localhost:{port}/x",  # a name that resolves to loopback
    ],
)
def test_refused_targets_give_up_at_once_and_nothing_connects(
    people, settings, receiver, monkeypatch, url
):
    settings.AMPARO_WEBHOOK_ALLOW_NETWORKS = []
    connections: list[Any] = []
    real = socket.create_connection
    monkeypatch.setattr(
        socket, "create_connection", lambda *a, **k: connections.append(a) or real(*a, **k)
    )
    port = receiver.server.server_port
    escalation, _ = webhook_escalation(people, url.format(port=port))
    from amparo.escalations import services

    services.send(escalation, actor=people.carlos)
    assert run_due() == 1
    message = OutboundMessage.objects.get(transport="http")
    assert message.status == "failed" and message.last_error == "TargetRefused"
    assert message.attempts == 1 and message.sealed is not None  # kept: can be retried
    assert connections == [] and receiver.received == []
    assert Escalation.objects.get(pk=escalation.pk).status == "ready"
    assert AuditEvent.objects.filter(action="outbound.gave_up").count() == 1


def test_a_dns_answer_with_one_private_address_is_refused(settings, monkeypatch):
    settings.AMPARO_WEBHOOK_ALLOW_NETWORKS = []

    def fake(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(outbound.TargetRefused):
        outbound.checked_addresses("partner.example", 443)


@pytest.mark.parametrize("trouble", ["500", "redirect", "down"])
def test_failures_are_retried_with_backoff_under_a_frozen_clock(
    people, settings, trouble, signed_in
):
    settings.AMPARO_WEBHOOK_ALLOW_NETWORKS = ["127.0.0.0/8"]
    receiver = Receiver(status=500 if trouble == "500" else 302)
    url = receiver.url
    if trouble == "down":
        receiver.close()  # nothing listens there any more
    try:
        with time_machine.travel(datetime(2030, 3, 4, 9, 0, tzinfo=UTC), tick=False) as clock:
            escalation, secret = webhook_escalation(people, url)
            from amparo.escalations import services

            services.send(escalation, actor=people.carlos)
            message = OutboundMessage.objects.get(transport="http")
            expected_error = {
                "500": "HTTP 500",
                "redirect": "HTTP 302",
                "down": "ConnectionRefusedError",
            }[trouble]
            waits = []
            for attempt in range(1, 6):
                assert run_due() == 1
                message.refresh_from_db()
                assert message.attempts == attempt and message.status == "pending"
                assert message.last_error == expected_error
                waits.append(message.next_attempt_at - timezone.now())
                clock.move_to(message.next_attempt_at - timedelta(seconds=1))
                assert run_due() == 0  # not before it is due
                clock.move_to(message.next_attempt_at)
            assert [w.total_seconds() / 60 for w in waits] == [1, 5, 15, 60, 360]
            if trouble != "down":
                assert len(receiver.received) == 5  # redirects are not followed
                # Every attempt is signed afresh, with the time it was made.
                stamps = [
                    int(dict(p.split("=", 1) for p in h["Amparo-Signature"].split(","))["t"])
                    for h, _b in receiver.received
                ]
                assert stamps == sorted(stamps) and len(set(stamps)) == 5
                assert all(
                    verify(secret, h["Amparo-Signature"], b, stamp)
                    for (h, b), stamp in zip(receiver.received, stamps, strict=True)
                )
                # The receiver recovers: the next attempt delivers and the clock starts.
                receiver.status = 200
                assert run_due() == 1
                message.refresh_from_db()
                assert message.status == "sent" and message.attempts == 6
                assert Escalation.objects.get(pk=escalation.pk).status == "sent"
            else:
                page = signed_in(people.carlos).get(detail_url(escalation)).content.decode()
                assert "failed 5 times (ConnectionRefusedError); will retry at" in page
    finally:
        if trouble != "down":
            receiver.close()
