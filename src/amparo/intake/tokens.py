"""API tokens: shown once, stored as a SHA-256 digest (they are long random secrets, so a fast
hash is enough), scoped to one organisation and a set of scopes, revocable.

A token that authenticated is remembered by each server process for ``CACHE_SECONDS``, keyed by
the SHA-256 of the whole token (never the token itself), with its organisation, so a busy client
does not cost the look-up by prefix, the join and the digest check on every request. Whether the
token is still valid is **not** remembered: every request reads the token's own row by primary
key (``revoked_at``, ``last_used_on``; one indexed read), so a token revoked in any server
process — or directly in the database — is refused at once by every process.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from amparo.audit.services import record
from amparo.core.ttl import TTLCache
from amparo.intake.models import ApiToken

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.accounts.types import Actor

PREFIX = "amp_"

#: How long a server process trusts a token it has checked (see the module docstring).
CACHE_SECONDS = 5

_checked: TTLCache[ApiToken] = TTLCache(CACHE_SECONDS)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create(organisation: Any, *, name: str, scopes: list[str], actor: User) -> tuple[ApiToken, str]:
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=prefix,
        digest=_digest(secret),
        scopes=scopes,
        created_by=actor,
    )
    record("api_token.created", actor=actor, obj=token, new={"scopes": scopes})
    return token, f"{PREFIX}{prefix}_{secret}"


@transaction.atomic
def revoke(token: ApiToken, *, actor: Actor) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record("api_token.revoked", actor=actor, obj=token)
    forget(token)
    # Again once committed, in case a request in this process cached it meanwhile.
    transaction.on_commit(lambda: forget(token))


def forget(token: ApiToken | None = None) -> None:
    """Forget a checked token in this process (every token when ``token`` is None)."""
    if token is None:
        _checked.clear()
    else:
        _checked.discard_where(lambda _key, cached: cached.pk == token.pk)


def authenticate(raw: str) -> ApiToken | None:
    if not raw.startswith(PREFIX) or raw.count("_") < 2:
        return None
    cache_key = _digest(raw)
    token = _checked.get(cache_key)
    if token is not None:
        # Revocation is never cached: read the row's current state (see the module docstring).
        state = ApiToken.objects.filter(pk=token.pk).values_list("revoked_at", "last_used_on")
        current = state.first()
        if current is None or current[0] is not None:
            _checked.discard_where(lambda key, _cached: key == cache_key)
            return None
        token.last_used_on = current[1]
    else:
        prefix, secret = raw[len(PREFIX) :].split("_", 1)
        token = (
            ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True)
            .select_related("organisation")
            .first()
        )
        if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
            return None
        _checked.set(cache_key, token)
    today = timezone.localdate()
    if token.last_used_on != today:
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=today)
        token.last_used_on = today
    return token
