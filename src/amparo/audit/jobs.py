"""The daily e-mail of the audit chain head to addresses outside the server.

Whoever can write to the database can cut the chain's tail and rewrite the stored head to
match, and ``amparo audit verify`` alone cannot tell. A head kept elsewhere can:
``amparo audit verify --head 'SEQ HASH'`` fails when that event is gone or changed. With
``AMPARO_AUDIT_HEAD_EMAILS`` set, the worker queues the head to those addresses once a day
through the outbound queue (sealed at rest, retried like any e-mail).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from amparo.worker.registry import daily

PUBLISH_HEAD = "audit.publish_head"


@daily(PUBLISH_HEAD)
def publish_head(job: Any) -> None:
    from amparo.audit.selectors import current_head
    from amparo.outbound.services import queue_email

    addresses = list(settings.AMPARO_AUDIT_HEAD_EMAILS)
    if not addresses:
        return
    seq, digest = current_head()
    now = timezone.now()
    body = (
        f"{seq} {digest}\n\n"
        f"Audit chain head of {settings.SITE_URL} at {now:%Y-%m-%d %H:%M} UTC.\n"
        "Keep this e-mail. To check that no audit event up to this one was cut or changed:\n\n"
        f"    amparo audit verify --head '{seq} {digest}'\n"
    )
    message = EmailMessage(
        subject=f"Amparo audit head #{seq} ({now:%Y-%m-%d})",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=addresses,
    )
    queue_email(message, kind="other", ref=f"audit-head:{seq}")
