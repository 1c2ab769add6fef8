"""Headers on every page (Permissions-Policy, no-store), and small sign-in and erasure rules."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amparo.intake.models import Report
from tests.conftest import PASSWORD, give_totp
from tests.intake.conftest import png_bytes, valid_report

LOGIN = "/accounts/login/"
MFA = "/accounts/2fa/authenticate/"


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_every_page_has_a_permissions_policy(people, signed_in):
    staff = signed_in(people.carlos)
    for response in (
        Client().get("/report/defenders/"),
        Client().get(LOGIN),
        Client().get("/no-such-page/"),
        Client().get("/static/amparo/css/app.css"),
        staff.get("/o/defenders/reports/"),
    ):
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "interest-cohort=()"):
            assert feature in policy


def test_decrypted_data_is_never_cached_and_static_files_are(people, signed_in):
    client = Client()
    client.post(
        "/report/defenders/",
        {**valid_report(), "files": [SimpleUploadedFile("p.jpg", png_bytes(), "image/jpeg")]},
    )
    report = Report.objects.get()
    item = report.evidence.get()
    staff = signed_in(people.carlos)
    for url in (
        f"/o/defenders/reports/{report.pk}/",
        f"/o/defenders/reports/{report.pk}/evidence/{item.pk}/",
        "/o/defenders/reports/",
        "/",
    ):
        response = staff.get(url)
        assert response.status_code == 200, url
        assert _no_store(response) and "private" in response["Cache-Control"], url
    assert _no_store(Client().get("/o/defenders/reports/"))  # the sign-in redirect too
    assert _no_store(Client().get("/report/defenders/follow-up/"))
    static = Client().get("/static/amparo/css/app.css")
    assert static.status_code == 200 and not _no_store(static)


def test_the_sign_in_page_does_not_invite_to_sign_up(db):
    page = Client().get(LOGIN).content.decode()
    assert 'name="login"' in page
    assert "/accounts/signup/" not in page and "sign up" not in page.lower()


def _second_factor_page(user) -> str:
    client = Client()
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response["Location"].startswith(MFA)
    return client.get(MFA).content.decode()


def test_a_security_key_is_offered_only_to_accounts_that_have_one(people):
    from allauth.mfa.models import Authenticator

    give_totp(people.alice)
    page = _second_factor_page(people.alice)
    assert 'name="code"' in page
    assert "Use a security key" not in page and "webauthn" not in page.lower()

    Authenticator.objects.create(
        user=people.alice,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "key", "credential": _security_key_registration()},
    )
    page = _second_factor_page(people.alice)
    assert 'name="code"' in page and "Use a security key" in page


def _security_key_registration() -> dict:
    """What a browser sends when a security key is registered ("none" attestation), built with
    fido2 from a fresh P-256 key, as allauth stores it."""
    import hashlib
    import os

    from cryptography.hazmat.primitives.asymmetric import ec
    from fido2.cose import ES256
    from fido2.utils import websafe_encode
    from fido2.webauthn import (
        AttestationObject,
        AttestedCredentialData,
        AuthenticatorData,
        CollectedClientData,
    )

    public_key = ES256.from_cryptography_key(ec.generate_private_key(ec.SECP256R1()).public_key())
    credential_id = os.urandom(16)
    auth_data = AuthenticatorData.create(
        hashlib.sha256(b"testserver").digest(),
        AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT,
        0,
        AttestedCredentialData.create(b"\0" * 16, credential_id, public_key),
    )
    client_data = CollectedClientData.create(
        type="webauthn.create", challenge=os.urandom(16), origin="http://testserver"
    )
    return {
        "id": websafe_encode(credential_id),
        "rawId": websafe_encode(credential_id),
        "type": "public-key",
        "response": {
            "clientDataJSON": websafe_encode(bytes(client_data)),
            "attestationObject": websafe_encode(
                bytes(AttestationObject.create("none", auth_data, {}))
            ),
        },
        "clientExtensionResults": {},
    }
