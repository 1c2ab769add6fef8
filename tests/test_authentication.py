"""Sign-in as a high-risk system needs it: Argon2id, mandatory TOTP, single-use codes,
throttling, no enumeration, short sessions that die when credentials change."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD, give_totp, totp_now, wait_for_fresh_totp_window

LOGIN = "/accounts/login/"
MFA = "/accounts/2fa/authenticate/"


def password_step(client: Client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def full_sign_in(client: Client, email: str, code: str):
    response = password_step(client, email)
    assert response.status_code == 302 and response["Location"].startswith(MFA), response
    return client.post(MFA, {"code": code})


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_passwords_are_hashed_with_argon2id(people):
    assert people.alice.password.startswith("argon2$argon2id$")
    assert identify_hasher(people.alice.password).algorithm == "argon2"


def test_sign_in_needs_the_password_and_a_totp_code(people):
    wait_for_fresh_totp_window()
    secret = give_totp(people.alice)
    client = Client()
    response = password_step(client, people.alice.email)
    assert response["Location"].startswith(MFA)
    assert not is_signed_in(client)
    assert client.post(MFA, {"code": "000000"}).status_code == 200
    assert not is_signed_in(client)
    response = client.post(MFA, {"code": totp_now(secret)})
    assert response.status_code == 302
    assert is_signed_in(client)


def test_a_replayed_totp_code_is_rejected(people):
    wait_for_fresh_totp_window(8)
    secret = give_totp(people.alice)
    code = totp_now(secret)
    first = Client()
    full_sign_in(first, people.alice.email, code)
    assert is_signed_in(first)
    second = Client()
    response = full_sign_in(second, people.alice.email, code)
    assert response.status_code == 200  # the form again, with an error
    assert not is_signed_in(second)


def test_recovery_codes_work_once(people):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    give_totp(people.alice)
    codes = RecoveryCodes.activate(people.alice).get_unused_codes()
    first = Client()
    full_sign_in(first, people.alice.email, codes[0])
    assert is_signed_in(first)
    second = Client()
    full_sign_in(second, people.alice.email, codes[0])
    assert not is_signed_in(second)


def test_an_account_without_mfa_must_set_it_up_before_anything_else(people):
    client = Client()
    response = password_step(client, people.carlos.email)
    assert response.status_code == 302
    assert is_signed_in(client)  # password only, because no MFA exists yet ...
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"  # ... and nothing else works
    assert (
        client.get(f"/o/{people.org.slug}/members/")["Location"] == "/accounts/2fa/totp/activate/"
    )
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200


def test_five_failures_lock_the_account_for_a_minute(people):
    give_totp(people.alice)
    client = Client()
    for _ in range(5):
        assert password_step(client, people.alice.email, "wrong password").status_code == 200
    # From another client address, with the right password: still refused.
    other = Client(REMOTE_ADDR="203.0.113.9")
    response = password_step(other, people.alice.email)
    assert not (response.status_code == 302 and response["Location"].startswith(MFA))


def test_failures_for_unknown_addresses_block_no_one_sharing_the_client_address(people):
    """Behind a proxy or an onion service everyone shares one address: failures for e-mails
    that are no account count against those e-mails only, never against the address."""
    give_totp(people.carlos)
    client = Client(REMOTE_ADDR="198.51.100.7")
    for i in range(50):
        password_step(client, f"nobody{i % 7}@example.org", "wrong password")
    assert password_step(client, people.carlos.email)["Location"].startswith(MFA)


def test_the_limit_is_per_address_typed_known_or_not(people):
    """The same answer for an unknown e-mail as for an account after five failures, so the
    limit tells nothing about which addresses are accounts."""
    client = Client()
    for email in ("nobody@example.org", people.alice.email):
        for _ in range(5):
            password_step(client, email, "wrong password")
    unknown = password_step(client, "nobody@example.org", "wrong password")
    known = password_step(client, people.alice.email, "wrong password")
    errors = [[str(e) for e in r.context["form"].non_field_errors()] for r in (unknown, known)]
    assert errors[0] == errors[1] and "too many" in errors[0][0].lower()


def test_throttling_keeps_no_client_address_in_the_database(people):
    from django.db import connection

    client = Client(REMOTE_ADDR="198.51.100.231")
    password_step(client, "unknown@example.org", "wrong")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM amparo_cache")
        rows = " ".join(f"{k} {v}" for k, v in cursor.fetchall())
    assert rows  # the counter is there ...
    assert "198.51.100.231" not in rows  # ... under a keyed hash


def test_unknown_and_known_accounts_get_the_same_answer_and_the_same_work(people, monkeypatch):
    """No enumeration by message, and both paths run the password hasher once (timing)."""
    from tests.testapp.hashers import TestArgon2Hasher

    calls = []
    original_encode, original_verify = TestArgon2Hasher.encode, TestArgon2Hasher.verify
    monkeypatch.setattr(
        TestArgon2Hasher,
        "encode",
        lambda self, *a, **k: calls.append("hash") or original_encode(self, *a, **k),
    )
    monkeypatch.setattr(
        TestArgon2Hasher,
        "verify",
        lambda self, *a, **k: calls.append("hash") or original_verify(self, *a, **k),
    )
    known = password_step(Client(REMOTE_ADDR="192.0.2.10"), people.alice.email, "wrong password")
    known_calls = len(calls)
    calls.clear()
    unknown = password_step(
        Client(REMOTE_ADDR="192.0.2.11"), "nobody@defenders.example", "wrong password"
    )
    assert known.status_code == unknown.status_code == 200
    assert known_calls == len(calls) >= 1

    def error_text(response):
        return [str(e) for e in response.context["form"].non_field_errors()]

    assert error_text(known) == error_text(unknown)


def test_the_session_key_changes_at_sign_in(people):
    wait_for_fresh_totp_window()
    secret = give_totp(people.alice)
    client = Client()
    client.get(LOGIN)
    password_step(client, people.alice.email)
    before = client.session.session_key
    client.post(MFA, {"code": totp_now(secret)})
    assert is_signed_in(client)
    assert client.session.session_key != before


def test_sessions_end_after_30_idle_minutes(people, signed_in):
    client = signed_in(people.alice)
    assert client.get("/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=29 + 31), tick=False):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_sessions_end_after_8_hours_even_when_active(people, signed_in):
    client = signed_in(people.alice)
    client.get("/")
    start = timezone.now()
    for minutes in range(20, 8 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200, minutes
    with time_machine.travel(start + timedelta(hours=8, minutes=1), tick=False):
        assert client.get("/")["Location"].startswith(LOGIN)


def _two_sessions(people, signed_in):
    first = signed_in(people.carlos)
    second = Client()
    second.force_login(people.carlos, backend="django.contrib.auth.backends.ModelBackend")
    assert first.get("/").status_code == 200 and second.get("/").status_code == 200
    return first, second


def test_disabling_an_account_ends_all_its_sessions(people, signed_in):
    from amparo.accounts.services import disable_user

    first, second = _two_sessions(people, signed_in)
    disable_user(people.carlos, actor=people.alice)
    assert first.get("/")["Location"].startswith(LOGIN)
    assert second.get("/")["Location"].startswith(LOGIN)


def test_changing_the_password_ends_other_sessions(people, signed_in):
    first, second = _two_sessions(people, signed_in)
    response = first.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a new long passphrase 2026",
            "password2": "a new long passphrase 2026",
        },
    )
    assert response.status_code == 302
    assert first.get("/").status_code == 200  # the session that changed it continues
    assert second.get("/")["Location"].startswith(LOGIN)


def test_changing_mfa_ends_other_sessions(people, signed_in):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    first, second = _two_sessions(people, signed_in)
    from allauth.mfa import signals

    RecoveryCodes.activate(people.carlos)
    signals.authenticator_added.send(
        sender=None, request=None, user=people.carlos, authenticator=None
    )
    assert first.get("/")["Location"].startswith(LOGIN)
    assert second.get("/")["Location"].startswith(LOGIN)


def test_an_mfa_reset_needs_a_second_administrator(people, signed_in):
    from allauth.mfa.models import Authenticator
    from django.core.exceptions import ValidationError

    from amparo.accounts import services

    give_totp(people.carlos)
    membership = people.carlos.memberships.get()
    reset = services.request_mfa_reset(membership, actor=people.alice)
    with pytest.raises(ValidationError):
        services.decide_mfa_reset(reset, approve=True, actor=people.alice)
    assert Authenticator.objects.filter(user=people.carlos).exists()
    services.decide_mfa_reset(reset, approve=True, actor=people.adam)
    assert not Authenticator.objects.filter(user=people.carlos).exists()


def test_an_mfa_reset_through_the_pages(people, signed_in):
    from allauth.mfa.models import Authenticator

    give_totp(people.carlos)
    membership = people.carlos.memberships.get()
    alice = signed_in(people.alice)
    alice.post(f"/o/defenders/members/{membership.pk}/mfa-reset/")
    from amparo.accounts.models import MFAResetRequest

    reset = MFAResetRequest.objects.get()
    alice.post(f"/o/defenders/mfa-resets/{reset.pk}/decide/", {"decision": "approve"})
    assert Authenticator.objects.filter(user=people.carlos).exists()  # Alice cannot approve her own
    adam = Client()
    give_totp(people.adam)
    adam.force_login(people.adam, backend="django.contrib.auth.backends.ModelBackend")
    adam.post(f"/o/defenders/mfa-resets/{reset.pk}/decide/", {"decision": "approve"})
    assert not Authenticator.objects.filter(user=people.carlos).exists()


def test_totp_secrets_are_not_stored_in_clear(people):
    from django.db import connection

    secret = give_totp(people.alice)
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator")
        stored = " ".join(str(row[0]) for row in cursor.fetchall())
    assert secret not in stored


def test_sign_in_events_are_audited(people):
    from amparo.audit.models import AuditEvent

    wait_for_fresh_totp_window()
    secret = give_totp(people.alice)
    password_step(Client(), people.alice.email, "wrong")
    full_sign_in(Client(), people.alice.email, totp_now(secret))
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "auth.login_failed" in actions and "auth.login" in actions


def test_time_is_real_for_totp():
    assert abs(time.time() - timezone.now().timestamp()) < 5
