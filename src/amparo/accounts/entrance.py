"""Sign-in pages adjusted to how Amparo works: the second-factor page offers a security key
(WebAuthn) only to an account that has one; the others see the authenticator-code form alone,
with no button that could only fail."""

from __future__ import annotations

from typing import Any

from allauth.mfa.base.views import AuthenticateView
from allauth.mfa.models import Authenticator


class KeyAwareAuthenticateView(AuthenticateView):
    def _has_security_key(self) -> bool:
        return Authenticator.objects.filter(
            user=self.stage.login.user, type=Authenticator.Type.WEBAUTHN
        ).exists()

    def _build_forms(self) -> Any:
        posted = super()._build_forms()
        webauthn_form = getattr(self, "webauthn_form", None)
        offered = webauthn_form is not None and posted is not webauthn_form
        if offered and not self._has_security_key():
            self.webauthn_form = None
        return posted

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        if context.get("webauthn_form") is None:
            context["MFA_SUPPORTED_TYPES"] = [
                kind for kind in context["MFA_SUPPORTED_TYPES"] if kind != "webauthn"
            ]
        return context


mfa_authenticate = KeyAwareAuthenticateView.as_view()
