"""People join an organisation only through single-use, expiring invitation links."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from amparo.accounts.models import Membership, User


def invite_through_page(client, email="nadia@defenders.example", role="caseworker") -> str:
    response = client.post("/o/defenders/members/", {"email": email, "role": role})
    assert response.status_code == 200
    match = re.search(r'id="invitation-link">([^<]+)<', response.content.decode())
    assert match, "the invitation link is shown once"
    return match.group(1).replace("http://testserver", "")


def accept(link: str, client=None):
    client = client or Client()
    return client, client.post(
        link,
        {
            "display_name": "Nadia",
            "password1": "a long new passphrase",
            "password2": "a long new passphrase",
        },
    )


def test_an_invited_person_joins_and_must_set_up_mfa(people, signed_in):
    link = invite_through_page(signed_in(people.alice))
    client, response = accept(link)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    nadia = User.objects.get(email="nadia@defenders.example")
    assert Membership.objects.get(user=nadia).role == "caseworker"
    assert client.get("/")["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200


def test_an_invitation_works_only_once(people, signed_in):
    link = invite_through_page(signed_in(people.alice))
    accept(link)
    _client, second = accept(link)
    assert second.status_code == 404
    assert User.objects.filter(email="nadia@defenders.example").count() == 1


def test_an_invitation_expires(people, signed_in):
    link = invite_through_page(signed_in(people.alice))
    with time_machine.travel(timezone.now() + timedelta(hours=73), tick=False):
        _client, response = accept(link)
    assert response.status_code == 404
    assert not User.objects.filter(email="nadia@defenders.example").exists()


def test_a_revoked_invitation_is_dead(people, signed_in):
    from amparo.accounts.models import Invitation

    alice = signed_in(people.alice)
    link = invite_through_page(alice)
    invitation = Invitation.objects.get()
    alice.post(f"/o/defenders/invitations/{invitation.pk}/revoke/")
    _client, response = accept(link)
    assert response.status_code == 404


def test_only_the_token_hash_is_stored(people, signed_in):
    from amparo.accounts.models import Invitation

    link = invite_through_page(signed_in(people.alice))
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert token not in Invitation.objects.get().token_hash


def test_a_weak_password_is_refused_and_nothing_is_lost(people, signed_in):
    link = invite_through_page(signed_in(people.alice))
    client = Client()
    response = client.post(
        link, {"display_name": "Nadia", "password1": "short", "password2": "short"}
    )
    assert response.status_code == 200
    assert "Nadia" in response.content.decode()  # what was typed comes back
    assert not User.objects.filter(email="nadia@defenders.example").exists()
    _c, ok = accept(link)
    assert ok.status_code == 302


def test_the_last_administrator_cannot_be_demoted(people):
    import pytest
    from django.core.exceptions import ValidationError

    from amparo.accounts import services

    services.change_role(people.adam.memberships.get(), "caseworker", actor=people.alice)
    with pytest.raises(ValidationError):
        services.change_role(people.alice.memberships.get(), "viewer", actor=people.alice)
