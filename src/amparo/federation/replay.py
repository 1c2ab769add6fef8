"""The replay guard kept in the database: a nonce is accepted once per partner, and a
request's sequence number must be higher than the last one accepted from that partner. Both
checks are single atomic statements, so two copies of a message racing are accepted once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from amparo.engines.federation.envelope import WINDOW_SECONDS, OutOfOrder, Replayed
from amparo.federation.models import Partner, SeenNonce

#: Nonces are kept for twice the timestamp window: a message older than the window is refused
#: by its timestamp, so an older nonce can be forgotten.
KEEP = timedelta(seconds=2 * WINDOW_SECONDS)


class DatabaseReplayGuard:
    def __init__(self, partner: Partner) -> None:
        self.partner = partner

    def remember(self, sender: str, nonce: str, timestamp: int, sequence: int | None) -> None:
        if sender != self.partner.key_id:
            raise Replayed("sender does not match the partner")
        try:
            with transaction.atomic():
                SeenNonce.objects.create(
                    partner=self.partner,
                    nonce=nonce,
                    seen_at=datetime.fromtimestamp(timestamp, tz=UTC),
                )
        except IntegrityError:
            raise Replayed("nonce already seen") from None
        if sequence is not None:
            moved = Partner.objects.filter(
                pk=self.partner.pk, last_sequence_in__lt=sequence
            ).update(last_sequence_in=sequence)
            if moved != 1:
                raise OutOfOrder("sequence not higher than the last one")


def forget_old_nonces() -> int:
    deleted, _ = SeenNonce.objects.filter(seen_at__lt=timezone.now() - KEEP).delete()
    return deleted
