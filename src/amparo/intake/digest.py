"""The optional daily e-mail digest of a person's unread notifications.

A person turns it on per organisation on the alarms page. Once a day the worker sends, to each
person who asked, one e-mail per organisation listing the notifications that arrived since the
last digest and are still unread — each as its sentence in the person's language and a link
into the app. Like every notification, it says a reference and what kind of thing happened,
never what a report says. It goes through ``amparo.outbound`` (queued, retried with backoff,
visible when it fails), so it works with no mail server: nothing is lost, the in-app alarms
are there anyway.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amparo.accounts.languages import speaking_to
from amparo.accounts.models import Membership
from amparo.accounts.roles import Capability, can
from amparo.audit.services import record
from amparo.intake import notices
from amparo.intake.models import DigestPreference, Notification
from amparo.outbound import services as outbound
from amparo.worker.registry import daily

JOB = "intake.notification_digest"
#: At most this many notifications are listed; the rest are counted.
MAX_LISTED = 50


def set_daily(user: Any, organisation: Any, daily_digest: bool) -> DigestPreference:
    """Turn the daily digest on or off for ``user`` at ``organisation`` (their own choice)."""
    with transaction.atomic():
        preference, _created = DigestPreference.objects.get_or_create(
            user=user, organisation=organisation, defaults={"last_sent_at": timezone.now()}
        )
        if preference.daily != daily_digest:
            preference.daily = daily_digest
            if daily_digest:
                preference.last_sent_at = timezone.now()  # from now on, not the backlog
            preference.save(update_fields=["daily", "last_sent_at"])
            record(
                "notification.digest_changed",
                actor=user,
                obj=preference,
                organisation=organisation,
                new={"daily": daily_digest},
            )
    return preference


def wants_daily(user: Any, organisation: Any) -> bool:
    return DigestPreference.objects.filter(
        user=user, organisation=organisation, daily=True
    ).exists()


def compose(preference: DigestPreference, items: list[Notification]) -> EmailMessage:
    user, organisation = preference.user, preference.organisation
    with speaking_to(user):
        subject = ngettext(
            "Amparo: %(n)d new notification at %(org)s",
            "Amparo: %(n)d new notifications at %(org)s",
            len(items),
        ) % {"n": len(items), "org": organisation.name}
        lines = []
        for item in items[:MAX_LISTED]:
            link = notices.url(item, organisation.slug)
            lines.append(
                f"- {notices.sentence(item)}" + (f"\n  {settings.SITE_URL}{link}" if link else "")
            )
        if len(items) > MAX_LISTED:
            lines.append(_("… and %(n)d more on the alarms page.") % {"n": len(items) - MAX_LISTED})
        alarms = f"{settings.SITE_URL}/o/{organisation.slug}/alarms/"
        body = "\n".join(
            [
                _("Unread since the last digest:"),
                "",
                *lines,
                "",
                _("All your notifications: %(link)s") % {"link": alarms},
                _("To stop these e-mails, turn the digest off on that page."),
            ]
        )
    return EmailMessage(subject=subject, body=body, to=[user.email])


def send_due(now: datetime | None = None) -> int:
    """Queue today's digests; returns how many were queued. Someone who no longer works on
    reports there (left, or a role without alarms) gets none."""
    now = now or timezone.now()
    sent = 0
    for preference in DigestPreference.objects.filter(daily=True).select_related(
        "user", "organisation"
    ):
        membership = Membership.objects.filter(
            user=preference.user, organisation=preference.organisation, is_active=True
        ).first()
        if membership is None or not can(membership.role, Capability.WRITE_CASES):
            continue
        since = preference.last_sent_at or preference.user.date_joined
        items = list(
            Notification.objects.filter(
                recipient=preference.user,
                organisation=preference.organisation,
                read_at__isnull=True,
                created_at__gt=since,
                created_at__lte=now,
            )
            .select_related("report")
            .order_by("created_at")
        )
        with transaction.atomic():
            preference.last_sent_at = now
            preference.save(update_fields=["last_sent_at"])
            if items:
                outbound.queue_email(
                    compose(preference, items),
                    kind="digest",
                    organisation=preference.organisation,
                    ref=preference.pk,
                )
                sent += 1
    return sent


@daily(JOB)
def _daily(job: Any) -> None:
    send_due()
