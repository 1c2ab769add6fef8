"""Outbound channels as transports. Each has ``send()``; all of them go through the one seam
``amparo.core.outbound`` for network I/O.

* ``email``: the package as plain text to the channel's role address, over SMTP, from the
  organisation's sending address (never a caseworker's personal address).
* ``webhook``: the package as JSON to an API an organisation configured for a channel (a
  trusted-partner portal, a partner's case system) in its register overrides (``webhook_url``).
* ``manual``: a form or in-app flow a caseworker fills in by hand; the platform's reference
  number is recorded instead.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from amparo.core import outbound
from amparo.escalations.packaging import render_text


def choose(channel: Any) -> str:
    if (channel.extra or {}).get("webhook_url"):
        return "webhook"
    if channel.reached_by_email:
        return "email"
    return "manual"


class EmailTransport:
    name = "email"

    def send(self, escalation: Any, channel: Any, **kwargs: Any) -> str:
        subject = (
            f"[{escalation.case.reference}] {channel.name} — {escalation.case.organisation.name}"
        )
        message = EmailMessage(
            subject=subject,
            body=render_text(escalation.package),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[channel.reached_by_email],
            headers={"X-Amparo-Case": escalation.case.reference},
        )
        outbound.send_email(message)
        return escalation.case.reference


class WebhookTransport:
    name = "webhook"

    def send(self, escalation: Any, channel: Any, **kwargs: Any) -> str:
        payload = {
            "case": escalation.case.reference,
            "channel": channel.code,
            "fields": escalation.package,
        }
        result = outbound.post_json(
            channel.extra["webhook_url"],
            payload,
            headers={"X-Amparo-Case": escalation.case.reference},
        )
        if not 200 <= result.status < 300:
            raise ValidationError(
                _("The receiving system answered %(status)s; nothing was marked as sent.")
                % {"status": result.status}
            )
        return result.body.strip()[:200] or escalation.case.reference


class ManualTransport:
    name = "manual"

    def send(
        self, escalation: Any, channel: Any, *, external_reference: str = "", **kwargs: Any
    ) -> str:
        if not external_reference.strip():
            raise ValidationError(_("Enter the reference number the platform's form gave you."))
        return external_reference.strip()


TRANSPORTS = {t.name: t for t in (EmailTransport(), WebhookTransport(), ManualTransport())}


def send(escalation: Any, channel: Any, *, external_reference: str = "") -> str:
    return TRANSPORTS[escalation.transport].send(
        escalation, channel, external_reference=external_reference
    )
