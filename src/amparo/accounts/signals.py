"""Security events from allauth and Django: audit them, and end sessions when credentials change."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from amparo.audit.services import record


@receiver(mfa_signals.authenticator_added)
@receiver(mfa_signals.authenticator_removed)
@receiver(mfa_signals.authenticator_reset)
def mfa_changed(
    sender: Any, request: Any = None, user: Any = None, authenticator: Any = None, **kwargs: Any
) -> None:
    from amparo.accounts.services import rotate_security_stamp

    if user is None:
        return
    signal = kwargs.get("signal")
    kind = {
        mfa_signals.authenticator_added: "mfa.added",
        mfa_signals.authenticator_removed: "mfa.removed",
        mfa_signals.authenticator_reset: "mfa.reset_by_user",
    }.get(signal, "mfa.changed")
    record(kind, actor=user, obj=user, new={"type": getattr(authenticator, "type", None)})
    rotate_security_stamp(user, reason=kind, actor=user, request=request)


@receiver(account_signals.password_changed)
@receiver(account_signals.password_set)
@receiver(account_signals.password_reset)
def password_changed(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    from amparo.accounts.services import rotate_security_stamp

    if user is None:
        return
    rotate_security_stamp(user, reason="password.changed", actor=user, request=request)


@receiver(auth_signals.user_logged_in)
def logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    import time

    from amparo.accounts.middleware import SEEN, STARTED

    now = int(time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now
    record("auth.login", actor=user, obj=user)


@receiver(auth_signals.user_logged_out)
def logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record("auth.logout", actor=user, obj=user)


@receiver(auth_signals.user_login_failed)
def login_failed(sender: Any, credentials: Any, request: Any = None, **kwargs: Any) -> None:
    # No identifier is stored: a failed attempt may be someone typing a password into the
    # e-mail field.
    record("auth.login_failed")
