"""The organisation's legal identity, role address for notices and statuses: who may change
them, what is refused, what the audit log keeps, and what the register then offers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from amparo.accounts import identity
from amparo.accounts.models import Organisation, User
from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent

URL = "/o/defenders/settings/"
VALID = {
    "legal_name": "Defenders Helpline e.V.",
    "registration_number": "VR 12345 B",
    "registration_country": "DE",
    "postal_address": "Musterstraße 1\n10115 Berlin",
    "notice_email": "dsa@defenders.example",
    "trusted_flagger_awarded_by": "",
    "trusted_flagger_since": None,
    "partner_programmes": [],
}


@pytest.fixture
def coordinator(people):
    from amparo.accounts import services

    user = User.objects.create_user("cora@defenders.example", "correct horse battery staple")
    services.add_member(people.org, user, Role.COORDINATOR, actor=None)
    return user


def test_coordinators_and_administrators_set_the_identity_others_get_404(
    people, coordinator, signed_in
):
    for user in (people.carlos, people.vera, people.ines, people.otto):
        assert signed_in(user).get(URL).status_code == 404, user
        assert signed_in(user).post(URL, {"legal_name": "X"}).status_code == 404, user
    page = signed_in(coordinator).get(URL)
    assert page.status_code == 200
    assert 'id="no-role-address"' in page.content.decode()
    response = signed_in(coordinator).post(
        URL,
        {
            **{k: v for k, v in VALID.items() if v},
            "trusted_flagger_awarded_by": "DE",
            "trusted_flagger_since": "2025-06-01",
            "partner_programmes": ["meta.trusted-partner"],
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(pk=people.org.pk)
    assert org.legal_name == "Defenders Helpline e.V." and org.notifier_name == org.legal_name
    assert org.notice_email == "dsa@defenders.example"
    assert org.is_trusted_flagger and org.trusted_flagger_since == date(2025, 6, 1)
    assert org.partner_programmes == ["meta.trusted-partner"]
    members = signed_in(people.alice).get("/o/defenders/members/").content.decode()
    assert URL in members
    assert URL not in signed_in(people.carlos).get("/o/defenders/members/").content.decode()


def test_the_service_refuses_a_caseworker(people):
    with pytest.raises(PermissionDenied):
        identity.update_identity(people.org, VALID, actor=people.carlos)


@pytest.mark.parametrize(
    "address",
    ["maria.lopez@defenders.example", "jsmith@defenders.example", "someone@gmail.com", "not-mail"],
)
def test_only_a_role_address_of_the_organisation_is_the_notifier(people, address):
    with pytest.raises(ValidationError):
        identity.update_identity(people.org, {**VALID, "notice_email": address}, actor=people.alice)
    assert identity.notifier_for(Organisation.objects.get(pk=people.org.pk)) is None


def test_a_persons_own_login_address_is_refused_even_if_it_looks_like_a_role(people):
    User.objects.create_user("helpline@defenders.example", "correct horse battery staple")
    with pytest.raises(ValidationError, match="never a person's own address"):
        identity.update_identity(
            people.org, {**VALID, "notice_email": "Helpline@defenders.example"}, actor=people.alice
        )


def test_the_notifier_is_the_legal_name_and_role_address(people):
    org = identity.update_identity(people.org, VALID, actor=people.alice)
    notifier = identity.notifier_for(org)
    assert notifier == identity.Notifier("Defenders Helpline e.V.", "dsa@defenders.example")
    assert identity.establishment(org) == "DE"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"trusted_flagger_awarded_by": "DE"}, "both the coordinator"),
        ({"trusted_flagger_since": date(2025, 1, 1)}, "both the coordinator"),
        (
            {"trusted_flagger_awarded_by": "NO", "trusted_flagger_since": date(2025, 1, 1)},
            "Coordinator of a member state",
        ),
        (
            {"trusted_flagger_awarded_by": "FR", "trusted_flagger_since": date(2025, 1, 1)},
            "where the organisation is established",
        ),
        ({"partner_programmes": ["myspace.friends"]}, "Unknown partner programme"),
        ({"registration_country": "XX"}, "country of registration"),
        ({"legal_name": "x" * 201}, "too long"),
    ],
)
def test_statuses_that_the_law_or_the_register_does_not_know_are_refused(people, changes, message):
    with pytest.raises(ValidationError, match=message):
        identity.update_identity(people.org, {**VALID, **changes}, actor=people.alice)


def test_a_status_awarded_in_the_future_is_refused(people):
    tomorrow = timezone.localdate() + timedelta(days=2)  # the future in every time zone
    with pytest.raises(ValidationError, match="future"):
        identity.update_identity(
            people.org,
            {**VALID, "trusted_flagger_awarded_by": "DE", "trusted_flagger_since": tomorrow},
            actor=people.alice,
        )


def test_the_audit_log_keeps_codes_and_field_names_not_the_texts(people):
    identity.update_identity(people.org, VALID, actor=people.alice)
    event = AuditEvent.objects.filter(action="organisation.identity_changed").get()
    assert event.actor_id == people.alice.pk and event.organisation_id == people.org.pk
    assert event.new["changed"] == [
        "legal_name",
        "notice_email",
        "postal_address",
        "registration_country",
        "registration_number",
    ]
    assert event.old["notice_email"] is False and event.new["notice_email"] is True
    stored = f"{event.old} {event.new}"
    assert "Musterstraße" not in stored and "dsa@defenders.example" not in stored
    assert "e.V." not in stored
    # Saving the same values again changes nothing and records nothing.
    identity.update_identity(people.org, VALID, actor=people.alice)
    assert AuditEvent.objects.filter(action="organisation.identity_changed").count() == 1
