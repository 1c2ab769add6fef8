"""Sharing fixtures. Two helplines and a third organisation, each with named people:

* Helpline North: Nora (coordinator), Nico (caseworker);
* Helpline South: Sara (coordinator), Sam (caseworker);
* Press Freedom Desk: Pia (coordinator);
* Lone Org: Leo (administrator), in no group at all (the outsider).
"""

from __future__ import annotations

from typing import Any

import pytest


class Network:
    def __init__(self) -> None:
        from amparo.accounts import services
        from amparo.accounts.models import User

        def org(name: str, slug: str) -> Any:
            return services.create_organisation(name=name, slug=slug, actor=None)

        def person(email: str, organisation: Any, role: str) -> Any:
            from tests.conftest import PASSWORD

            user = User.objects.create_user(
                email, PASSWORD, display_name=email.split("@")[0].title()
            )
            services.add_member(organisation, user, role, actor=None)
            return user

        self.north = org("Helpline North", "north")
        self.south = org("Helpline South", "south")
        self.desk = org("Press Freedom Desk", "desk")
        self.lone = org("Lone Org", "lone")
        self.nora = person("nora@north.example", self.north, "coordinator")
        self.nico = person("nico@north.example", self.north, "caseworker")
        self.sara = person("sara@south.example", self.south, "coordinator")
        self.sam = person("sam@south.example", self.south, "caseworker")
        self.pia = person("pia@desk.example", self.desk, "coordinator")
        self.leo = person("leo@lone.example", self.lone, "admin")


@pytest.fixture
def net(db: Any) -> Network:
    return Network()


def client_for(user: Any) -> Any:
    """A Django test client signed in as ``user`` (after password and MFA)."""
    from allauth.mfa.models import Authenticator
    from django.test import Client

    from tests.conftest import give_totp

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        give_totp(user)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def case_with(
    organisation: Any, worker: Any, *, attackers: str, platform: str = "facebook", **report: Any
) -> Any:
    """A case of ``organisation`` opened by ``worker`` from one report naming ``attackers``."""
    from amparo.cases.services import open_case
    from amparo.intake.forms import ReportForm
    from amparo.intake.services import submit_report
    from tests.intake.conftest import valid_report

    form = ReportForm(valid_report(platform=platform, attackers=attackers, **report))
    assert form.is_valid(), form.errors
    stored = submit_report(organisation, form.report_fields(), channel="web_form", language="en")
    return open_case(organisation, reports=[stored.report], title="Case", actor=worker)


def group_of(
    owner: Any,
    coordinator: Any,
    members: list[tuple[Any, Any]],
    *,
    hidden: bool,
    name: str = "Regional coalition",
) -> Any:
    """A sharing group owned by ``owner``, every (organisation, coordinator) invited and in."""
    from amparo.sharing import services

    group = services.create_group(owner, name=name, hide_members=hidden, actor=coordinator)
    for organisation, their_coordinator in members:
        member = services.invite(group, organisation, actor=coordinator)
        services.answer_invitation(member, accept=True, actor=their_coordinator)
    group.refresh_from_db()
    return group
