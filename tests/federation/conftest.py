"""Federation fixtures: this server ("Amparo South", the test database) with a helpline that
owns a sharing group, and a partner server ("Amparo North") played by a key of the test's
own that signs requests the way the real client does.

* Helpline South: Sara (coordinator), Sam (caseworker), Sol (second coordinator);
* Lone Org: Leo (administrator), the outsider.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from amparo.engines.federation import canonical, envelope, keys


class PartnerServer:
    """What a partner server does on the wire, with its own key and sequence counter."""

    def __init__(self) -> None:
        self.private = Ed25519PrivateKey.generate()
        self.public_raw = keys.raw_public(self.private)
        self.key_id = keys.key_id(self.public_raw)
        self.sequence = 0

    def seal(self, body: dict[str, Any], *, recipient: str, **kwargs: Any) -> dict[str, Any]:
        self.sequence += 1
        kwargs.setdefault("sequence", self.sequence)
        return envelope.seal(
            body, private_key=self.private, sender=self.key_id, recipient=recipient, **kwargs
        )

    def push(self, client: Any, message: dict[str, Any]) -> Any:
        return client.post(
            "/federation/v1/changes", canonical.dumps(message), content_type="application/json"
        )

    def pull(self, client: Any, message: dict[str, Any]) -> Any:
        header = base64.urlsafe_b64encode(canonical.dumps(message)).decode()
        return client.get("/federation/v1/changes", HTTP_AMPARO_ENVELOPE=header)

    def open_answer(
        self, response: Any, *, server_public: bytes, in_reply_to: str
    ) -> dict[str, Any]:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        server_key = Ed25519PublicKey.from_public_bytes(server_public)
        opened = envelope.open_envelope(
            response.content,
            recipient=self.key_id,
            public_key_for=lambda kid: server_key if kid == keys.key_id(server_public) else None,
            guard=envelope.MemoryReplayGuard(),
            check_sequence=False,
        )
        assert opened.body["in_reply_to"] == in_reply_to
        return opened.body


class South:
    def __init__(self) -> None:
        from amparo.accounts import services
        from amparo.accounts.models import User
        from amparo.sharing import services as sharing
        from tests.conftest import PASSWORD

        def person(email: str, organisation: Any, role: str) -> Any:
            user = User.objects.create_user(
                email, PASSWORD, display_name=email.split("@")[0].title()
            )
            services.add_member(organisation, user, role, actor=None)
            return user

        self.org = services.create_organisation(name="Helpline South", slug="south", actor=None)
        self.lone = services.create_organisation(name="Lone Org", slug="lone", actor=None)
        self.sara = person("sara@south.example", self.org, "coordinator")
        self.sol = person("sol@south.example", self.org, "coordinator")
        self.sam = person("sam@south.example", self.org, "caseworker")
        self.leo = person("leo@lone.example", self.lone, "admin")
        self.group = sharing.create_group(
            self.org, name="Coalition South", hide_members=True, actor=self.sara
        )

    def share_indicator(self, accounts: list[str], *, platform: str = "facebook") -> Any:
        from amparo.sharing.items import propose_indicators, review

        item = propose_indicators(
            self.org,
            platform=platform,
            accounts=accounts,
            distribution="group",
            group=self.group,
            actor=self.sam,
        )
        return review(item, approve=True, actor=self.sara)

    def case_with(self, attackers: str, *, platform: str = "facebook", **report: Any) -> Any:
        from amparo.cases.services import open_case
        from amparo.intake.forms import ReportForm
        from amparo.intake.services import submit_report
        from tests.intake.conftest import valid_report

        form = ReportForm(valid_report(platform=platform, attackers=attackers, **report))
        assert form.is_valid(), form.errors
        stored = submit_report(self.org, form.report_fields(), channel="web_form", language="en")
        return open_case(self.org, reports=[stored.report], title="Case", actor=self.sam)


@pytest.fixture
def south(db: Any) -> South:
    return South()


@pytest.fixture
def north() -> PartnerServer:
    return PartnerServer()


@pytest.fixture
def linked(south: South, north: PartnerServer) -> Any:
    """North is South's partner; South's group is linked with North's group "north-coalition"."""
    from amparo.federation import services

    partner = services.add_partner(
        name="Amparo North",
        base_url="https://north.example.org",
        public_key=keys.encode_public(north.public_raw),
        fingerprint=keys.fingerprint(north.public_raw),
    )
    return services.link_group(partner, south.group, "north-coalition")


def signed_in(user: Any) -> Any:
    from allauth.mfa.models import Authenticator
    from django.test import Client

    from tests.conftest import give_totp

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        give_totp(user)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def body_of(response: Any) -> dict[str, Any]:
    return json.loads(response.content)
