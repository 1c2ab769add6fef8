"""Creating, opening, rotating and shredding data keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from amparo.audit.services import record
from amparo.keyring import envelope
from amparo.keyring.kek import KeyUnavailable, current_kek, known_keks
from amparo.keyring.models import DataKey

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

# Unwrapped keys cached per process; cleared when keys are rotated or shredded.
_cache: dict[str, bytes] = {}


class KeyShredded(envelope.DecryptionError):
    """The record's key was destroyed: its data is gone for good."""


def _wrap_aad(organisation_id: Any, key_uuid: Any) -> bytes:
    return f"amparo:data-key:{organisation_id}:{key_uuid}".encode()


def _build_key(organisation: Any, purpose: str) -> DataKey:
    kid, kek = current_kek()
    key = DataKey(organisation=organisation, purpose=purpose, kek_id=kid)
    raw = envelope.new_key()
    key.wrapped = envelope.seal(kek, raw, _wrap_aad(organisation.pk, key.id))
    _cache[str(key.id)] = raw
    return key


def _new_key(organisation: Any, purpose: str) -> DataKey:
    key = _build_key(organisation, purpose)
    key.save(force_insert=True)
    return key


def _live_organisation_key(organisation: Any) -> DataKey | None:
    return DataKey.objects.filter(
        organisation=organisation, purpose=DataKey.Purpose.ORGANISATION, shredded_at__isnull=True
    ).first()


def organisation_key(organisation: Any) -> DataKey:
    """The organisation's live data key, created on first use."""
    key = _live_organisation_key(organisation)
    if key is None:
        try:
            with transaction.atomic():
                key = _new_key(organisation, DataKey.Purpose.ORGANISATION)
        except IntegrityError:
            # Created by a simultaneous request (there is one live key per organisation).
            key = _live_organisation_key(organisation)
            if key is None:
                raise
    return key


def record_key(organisation: Any) -> DataKey:
    """A fresh key for one record (a report and its evidence), so it can be shredded alone."""
    return _new_key(organisation, DataKey.Purpose.RECORD)


def unsaved_record_key(organisation: Any) -> DataKey:
    """A fresh record key, generated and wrapped but not yet saved: the caller saves it
    (``save(force_insert=True)``) in the same transaction as the record it protects, so the
    cryptography happens before that transaction opens."""
    return _build_key(organisation, DataKey.Purpose.RECORD)


def unwrap(key: DataKey) -> bytes:
    cached = _cache.get(str(key.id))
    if cached is not None:
        return cached
    raw = open_wrapped(key)
    _cache[str(key.id)] = raw
    return raw


def open_wrapped(key: DataKey) -> bytes:
    """Unwrap ``key`` with the configured KEKs, never from the per-process cache: for checks
    of a restored database (``amparo restore --verify``) whose rows share ids with live ones."""
    if key.shredded_at is not None or key.wrapped is None:
        raise KeyShredded(f"data key {key.id} was shredded")
    keks = known_keks()
    kek = keks.get(key.kek_id)
    if kek is None:
        raise KeyUnavailable(
            f"data key {key.id} is wrapped by KEK {key.kek_id}, which is not configured "
            "(set AMPARO_KEK_PREVIOUS during a rotation)"
        )
    return envelope.open_sealed(kek, bytes(key.wrapped), _wrap_aad(key.organisation_id, key.id))


def forget_cached_keys() -> None:
    _cache.clear()


def shred(key: DataKey, *, actor: Actor) -> None:
    """Destroy a data key: whatever it encrypted can never be read again, backups included."""
    with transaction.atomic():
        key = DataKey.objects.select_for_update().get(pk=key.pk)
        key.wrapped = None
        key.shredded_at = timezone.now()
        key.save(update_fields=["wrapped", "shredded_at"])
        record("key.shredded", actor=actor, obj=key, organisation=key.organisation_id)
    _cache.pop(str(key.id), None)
    if connection.vendor == "sqlite":
        transaction.on_commit(_checkpoint)


def _checkpoint() -> None:
    """Move the WAL into the main file, whose freed pages secure_delete zeroes."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def rewrap_all(*, actor: Actor = None) -> int:
    """Re-wrap every live data key under the current KEK; returns how many changed."""
    kid, kek = current_kek()
    keks = known_keks()
    changed = 0
    pending = DataKey.objects.filter(shredded_at__isnull=True).exclude(kek_id=kid)
    for key in pending.iterator(chunk_size=500):
        old = keks.get(key.kek_id)
        if old is None:
            raise KeyUnavailable(f"data key {key.id} is wrapped by unknown KEK {key.kek_id}")
        aad = _wrap_aad(key.organisation_id, key.id)
        if key.wrapped is None:  # shredded between the query and this row
            continue
        raw = envelope.open_sealed(old, bytes(key.wrapped), aad)
        with transaction.atomic():
            key.wrapped = envelope.seal(kek, raw, aad)
            key.kek_id = kid
            key.save(update_fields=["wrapped", "kek_id"])
        changed += 1
    if changed:
        record("keys.rewrapped", actor=actor, new={"kek": kid, "count": changed})
    forget_cached_keys()
    return changed
