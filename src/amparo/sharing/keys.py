"""A sharing group's matching keys and the keyed hashes made with them.

Each group has one live 32-byte key per epoch, made with ``os.urandom`` and stored only
sealed by the key-encryption key (as ``keyring.DataKey`` is), bound to the group and epoch by
the associated data. Members never receive the key: this server computes the digests for them,
and stops computing for an organisation the moment it leaves (the group then moves to a new
epoch, see ``sharing.services.rotate_key``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Any

from django.db import IntegrityError, transaction

from amparo.engines.triage import normalise_handle, normalise_url
from amparo.keyring import envelope
from amparo.keyring.kek import KeyUnavailable, current_kek, known_keks
from amparo.sharing.models import GroupKey, SharingGroup

_cache: dict[tuple[str, int], bytes] = {}


def _aad(group_id: Any, epoch: int) -> bytes:
    return f"amparo:sharing-group-key:{group_id}:{epoch}".encode()


def create_key(group: SharingGroup, epoch: int) -> GroupKey:
    """A new random key for ``group`` at ``epoch``, saved sealed by the current KEK."""
    kid, kek = current_kek()
    raw = os.urandom(32)
    key = GroupKey(group=group, epoch=epoch, kek_id=kid)
    key.wrapped = envelope.seal(kek, raw, _aad(group.pk, epoch))
    try:
        with transaction.atomic():
            key.save(force_insert=True)
    except IntegrityError:  # made by a simultaneous request
        return GroupKey.objects.get(group=group, epoch=epoch)
    _cache[(str(group.pk), epoch)] = raw
    return key


def group_key(group: SharingGroup, epoch: int | None = None) -> bytes:
    """The raw key of ``group`` for ``epoch`` (its live epoch by default)."""
    epoch = group.epoch if epoch is None else epoch
    cached = _cache.get((str(group.pk), epoch))
    if cached is not None:
        return cached
    row = GroupKey.objects.filter(group=group, epoch=epoch).first()
    if row is None:
        row = create_key(group, epoch)
        cached = _cache.get((str(group.pk), epoch))
        if cached is not None:
            return cached
    if row.wrapped is None:
        raise KeyUnavailable(f"the key of epoch {epoch} of sharing group {group.pk} was retired")
    kek = known_keks().get(row.kek_id)
    if kek is None:
        raise KeyUnavailable(f"sharing group key is wrapped by KEK {row.kek_id}, not configured")
    raw = envelope.open_sealed(kek, bytes(row.wrapped), _aad(group.pk, epoch))
    _cache[(str(group.pk), epoch)] = raw
    return raw


def forget_keys() -> None:
    _cache.clear()


def tokens(values: list[str], platform: str) -> list[tuple[str, str]]:
    """(kind, normalised token) for attacker accounts and URLs, in the forms the intake's
    indicators use (``intake.indicators.tokens``): a URL canonicalised, a handle lower-case
    without ``@`` and qualified by its platform, so that the same account typed two ways by two
    organisations gives the same token."""
    out: dict[tuple[str, str], None] = {}
    for raw in values:
        value = str(raw).strip()
        if not value:
            continue
        if value.lower().startswith(("http://", "https://", "www.")):
            out[("url", "url:" + normalise_url(value))] = None
            handle = normalise_handle(value, platform)
            if handle and "/" not in handle:
                out[("handle", f"handle:{platform}:{handle}")] = None
        else:
            handle = normalise_handle(value, platform)
            if handle:
                out[("handle", f"handle:{platform}:{handle}")] = None
    return list(out)


def digest(key: bytes, token: str) -> str:
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()
