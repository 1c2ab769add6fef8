"""Outbound channels as transports. Each has ``send()``; all of them go through the one seam
``amparo.outbound`` for network I/O.

* ``email``: the package as plain text to the channel's role address, from the organisation's
  sending address (never a caseworker's personal address). It is *queued* (encrypted) for the
  worker, which delivers it over SMTP with retries; the escalation counts as sent when the mail
  server accepted it, or when a caseworker marks it as sent by hand.
* ``webhook``: the package as JSON to an API an organisation configured for a channel (a
  trusted-partner portal, a partner's case system) in its register overrides (``webhook_url``).
  It is queued like an e-mail and POSTed by the worker, signed with the channel's secret
  (``amparo webhooks secret``); the escalation counts as sent when the receiver answered 2xx.
* ``manual``: a form or in-app flow a caseworker fills in by hand; the platform's reference
  number is recorded instead.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from amparo.escalations.packaging import render_text
from amparo.outbound import services as outbound


def choose(channel: Any) -> str:
    if (channel.extra or {}).get("webhook_url"):
        return "webhook"
    if channel.reached_by_email:
        return "email"
    return "manual"


class EmailTransport:
    name = "email"

    def queue(self, escalation: Any, channel: Any) -> Any:
        """Queue the package for the worker; returns the queued message."""
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
        return outbound.queue_email(
            message,
            kind="escalation",
            organisation=escalation.case.organisation,
            ref=escalation.pk,
        )

    def send(self, escalation: Any, channel: Any, **kwargs: Any) -> str:
        self.queue(escalation, channel)
        return escalation.case.reference


class WebhookTransport:
    name = "webhook"

    def queue(self, escalation: Any, channel: Any) -> Any:
        """Queue the signed POST for the worker; returns the queued message."""
        organisation = escalation.case.organisation
        if not outbound.has_webhook_secret(organisation, channel.code):
            raise ValidationError(
                _(
                    "This channel's webhook has no signing secret yet; an administrator creates "
                    "one with: amparo webhooks secret %(org)s %(channel)s"
                )
                % {"org": organisation.slug, "channel": channel.code}
            )
        payload = {
            "case": escalation.case.reference,
            "channel": channel.code,
            "fields": escalation.package,
        }
        try:
            return outbound.queue_http(
                str(channel.extra["webhook_url"]),
                payload,
                endpoint=channel.code,
                kind="escalation",
                organisation=organisation,
                ref=escalation.pk,
                headers={"X-Amparo-Case": escalation.case.reference},
            )
        except ValueError as exc:
            raise ValidationError(
                _("The channel's webhook_url is not an http(s) address; nothing was sent.")
            ) from exc

    def send(self, escalation: Any, channel: Any, **kwargs: Any) -> str:
        self.queue(escalation, channel)
        return escalation.case.reference


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
