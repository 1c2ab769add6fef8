from __future__ import annotations

import base64
import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.http import HttpRequest

from amparo.keyring import envelope


class AccountAdapter(DefaultAccountAdapter):
    """Staff join by invitation only; there is no open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Account e-mail (password reset, unknown account, ...) is queued for the worker,
        never sent inside the request: "Forgot your password?" works with no mail server.
        It belongs to no organisation, so it is sealed under the KEK-derived outbound key
        (see ``amparo.outbound``)."""
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        from amparo.outbound import services as outbound

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        outbound.queue_email(message, kind="account")

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Someone who just signed in with a password and has no MFA yet is sent straight to
        set it up; asking for the password a second time would add nothing."""
        request = getattr(self, "request", None)
        user = getattr(request, "user", None)
        if app == "allauth.mfa" and user is not None and user.is_authenticated:
            from allauth.account.internal.flows.login import get_authentication_records
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=user).exists():
                records = get_authentication_records(request, user)
                if records and time.time() - records[-1]["at"] < 300:
                    return False
        return super().is_reauthentication_required(app=app, **kwargs)


def _mfa_key() -> bytes:
    from amparo.keyring.kek import current_kek

    _kid, kek = current_kek()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"amparo mfa secrets").derive(
        kek
    )


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets are stored encrypted under a key derived from the KEK, not in clear."""

    def encrypt(self, text: str) -> str:
        sealed = envelope.seal(_mfa_key(), text.encode(), b"amparo:mfa")
        return "enc1:" + base64.b64encode(sealed).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith("enc1:"):
            return encrypted_text
        sealed = base64.b64decode(encrypted_text[5:])
        return envelope.open_sealed(_mfa_key(), sealed, b"amparo:mfa").decode()
