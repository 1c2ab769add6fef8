"""Generated from the URL configuration: every page that takes an object id is closed to
outsiders (404) and refuses writes from a viewer.

A new URL with an id this file does not know fails the test until it is added to OBJECTS, so no
page can be added without being checked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from amparo.audit.models import AuditEvent

# How to find, for each URL parameter, an object that belongs to the Defenders Helpline.
# The whole matrix runs once, in the SQLite pass: it checks the views' own organisation and role
# checks, which are the same on both databases; PostgreSQL's row-level security, the layer
# under them, has its own tests (tests/test_row_level_security.py).
pytestmark = pytest.mark.database("sqlite")

OBJECTS: dict[str, Callable[[Any], Any]] = {
    "org_slug": lambda p: p.org.slug,
    "membership_id": lambda p: p.carlos.memberships.get().pk,
    "invitation_id": lambda p: p.invitation.pk,
    "reset_id": lambda p: p.reset.pk,
    "report_id": lambda p: p.report.pk,
    "evidence_id": lambda p: p.evidence.pk,
    "token_id": lambda p: p.token.pk,
    "period_id": lambda p: p.period.pk,
    "case_id": lambda p: p.case.pk,
    "task_id": lambda p: p.task.pk,
    "escalation_id": lambda p: p.escalation.pk,
    "run_id": lambda p: p.run.pk,
    "campaign_id": lambda p: p.campaign.pk,
    "step_id": lambda p: p.step.pk,
    "view_id": lambda p: p.saved_view.pk,
    "published_id": lambda p: p.published.pk,
    "assessment_id": lambda p: p.assessment.pk,  # scorecards
    "publication_id": lambda p: p.scorecard.pk,  # scorecards
    "demand_id": lambda p: p.demand.pk,  # takedowns
    "group_id": lambda p: p.group.pk,  # sharing
    "member_id": lambda p: p.group_member.pk,  # sharing
    "item_id": lambda p: p.shared_item.pk,  # sharing
    "invite_id": lambda p: p.connect_invite.pk,  # sharing
    "exchange_id": lambda p: p.psi.pk,  # sharing
    "collective_id": lambda p: p.collective_action.pk,  # collective
    "collective_member_id": lambda p: p.collective_member.pk,  # collective
    "proposal_id": lambda p: p.proposal.pk,  # collective
    "filing_id": lambda p: p.filing.pk,  # collective
    "reply_id": lambda p: p.canned_reply.pk,  # intake
    "schedule_id": lambda p: p.schedule.pk,  # campaigns
    "filing_kind": lambda p: "priority",  # collective
}

# URL prefixes that take ids but hold nothing of an organisation, with the reason.
NOT_ORGANISATION_SCOPED = {
    "accounts/": "allauth's own pages act only on the signed-in user's account",
    "invite/": "public: the secret token is the credential, checked in test_invitations",
    "static/": "static assets",
    "report/": "the public report form: open to everyone by design, scoped by the follow-up code",
    "transparency/": "reports an organisation chose to make public; checked in tests/accountability",
    "api/": "the API authenticates with organisation-scoped tokens, checked in tests/intake/test_api.py",
    ".well-known/": "public signing keys, published on purpose; checked in tests/test_signing_keys.py",
    "taxii2/": "partner servers' tools, authenticated by the partner's TAXII token; checked in tests/federation/test_taxii.py",
}


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, route)
        else:
            found.append((route, entry))
    return found


def object_urls() -> list[tuple[str, URLPattern]]:
    urls = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if not pattern.pattern.converters and "<" not in route:
            continue
        if any(route.startswith(p) for p in NOT_ORGANISATION_SCOPED):
            continue
        urls.append((route, pattern))
    return urls


URLS = object_urls()


@pytest.fixture
def world(people):
    from amparo.accounts import services

    people.invitation, _token = services.invite(
        people.org, email="new@defenders.example", role="caseworker", actor=people.alice
    )
    people.reset = services.request_mfa_reset(people.carlos.memberships.get(), actor=people.alice)
    from amparo.intake import evidence, tokens
    from amparo.intake.forms import ReportForm
    from amparo.intake.models import RiskPeriod
    from amparo.intake.services import submit_report
    from tests.intake.conftest import valid_report

    form = ReportForm(valid_report())
    assert form.is_valid()
    checked = evidence.check(b"a plain text file")
    people.report = submit_report(
        people.org,
        form.report_fields(),
        channel="web_form",
        language="en",
        files=[("note.txt", checked)],
    ).report
    people.evidence = people.report.evidence.get()
    people.token, _secret = tokens.create(
        people.org, name="t", scopes=["reports:submit"], actor=people.alice
    )
    from amparo.cases.services import add_task, open_case

    second = submit_report(
        people.org, form.report_fields(), channel="web_form", language="en"
    ).report
    people.case = open_case(people.org, reports=[second], title="matrix", actor=people.carlos)
    people.task = add_task(people.case, "a task", due_at=None, actor=people.carlos)
    from amparo.escalations import register as esc_register
    from amparo.escalations.services import create as create_escalation

    chan = esc_register.channels_for_case(people.case)[0]
    people.escalation = create_escalation(people.case, chan.code, actor=people.carlos)
    from django.utils import timezone

    from amparo.campaigns.models import Campaign, DetectionRun
    from amparo.keyring.services import organisation_key

    people.run = DetectionRun.objects.create(
        organisation=people.org,
        data_key=organisation_key(people.org),
        created_by=people.alice,
        inputs=[],
    )
    people.campaign = Campaign(
        organisation=people.org,
        data_key=organisation_key(people.org),
        run=people.run,
        engine_id="x",
        kind="text",
        score=1.0,
        account_count=3,
        item_count=3,
        starts_at=timezone.now(),
        ends_at=timezone.now(),
    )
    people.campaign.detail = {"accounts": ["a", "b", "c"]}
    people.campaign.save()
    from amparo.remedies import services as remedy_services

    people.case.country = "DE"  # an EU user, so the Art 20 complaint is open
    people.case.save(update_fields=["country"])

    decision = remedy_services.record_decision(
        people.case,
        decision_type="account_suspended",
        informed_on=timezone.localdate(),
        decided_on=None,
        represented=False,
        actor=people.carlos,
    )
    people.step = remedy_services.prepare_step(
        decision,
        "art20_complaint",
        language="en",
        facts="x",
        arguments="",
        requested="",
        include_identity=False,
        actor=people.carlos,
    )
    from amparo.intake.models import SavedView

    people.saved_view = SavedView.objects.create(
        user=people.alice, organisation=people.org, name="Mine", query="platform=x"
    )
    from amparo.campaigns.models import DetectionSchedule
    from amparo.intake.models import CannedReply

    people.canned_reply = CannedReply.objects.create(
        organisation=people.org, title="Ack", language="en", body="We received it."
    )
    people.schedule = DetectionSchedule.objects.create(
        organisation=people.org,
        name="Weekly",
        created_by=people.alice,
        every_days=7,
        window_days=30,
        next_run_at=timezone.now(),
    )
    from amparo.accounts.models import User
    from amparo.accounts.roles import Role

    people.rita = User.objects.create_user("rita@defenders.example", "x" * 20)
    services.add_member(people.org, people.rita, Role.RESEARCHER, actor=None)
    people.period = RiskPeriod.objects.create(
        organisation=people.org,
        country="MX",
        kind="election",
        starts_on="2026-01-01",
        ends_on="2026-12-31",
    )
    from datetime import date

    from amparo.accountability import reports as transparency
    from amparo.accountability import services as transparency_services

    people.published = transparency_services.publish(
        people.org,
        transparency.Spec("Matrix", date(2026, 1, 1), date(2026, 1, 31), ["by_type"]),
        actor=people.alice,
    )
    from tests.scorecards.helpers import matrix_objects

    matrix_objects(people)
    from tests.sharing.helpers import matrix_objects as sharing_objects

    sharing_objects(people)
    from tests.collective.helpers import matrix_objects as collective_objects

    collective_objects(people)
    return people


def build(route: str, pattern: URLPattern, world: Any) -> str:
    kwargs = {}
    for name in pattern.pattern.converters:
        assert name in OBJECTS, f"URL {route!r} takes {name!r}: add it to OBJECTS in this file"
        kwargs[name] = OBJECTS[name](world)
    url = "/" + route
    for name, value in kwargs.items():
        converter = pattern.pattern.converters[name]
        type_name = {
            "UUIDConverter": "uuid",
            "SlugConverter": "slug",
            "IntConverter": "int",
            "StringConverter": "str",
            "PathConverter": "path",
        }[type(converter).__name__]
        url = url.replace(f"<{type_name}:{name}>", str(value)).replace(f"<{name}>", str(value))
    return url


def test_the_matrix_covers_every_organisation_page():
    routes = {route for route, _ in URLS}
    assert "o/<slug:org_slug>/members/<uuid:membership_id>/" in routes
    assert len(routes) >= 5


def client_of(user: Any) -> Client:
    """A client of its own, signed in as the app sees a person after password and MFA."""
    from allauth.mfa.models import Authenticator

    from tests.conftest import give_totp

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        give_totp(user)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# Each check walks every URL against one world of objects (built once per check, not per URL:
# the checks only read, and a write that gets through is itself a failure), and lists every
# URL that fails, not only the first.


def test_outsiders_get_404(world):
    insider, outsider = client_of(world.alice), client_of(world.otto)
    failures = []
    for route, pattern in URLS:
        url = build(route, pattern, world)
        if insider.get(url).status_code == 404 and insider.post(url, {}).status_code == 404:
            failures.append(f"{url}: control: Alice must reach it")
            continue
        got = outsider.get(url).status_code
        posted = outsider.post(
            url, {"action": "reveal", "role": "admin", "decision": "approve", "email": "x@y.z"}
        ).status_code
        # 405 answers a method the address never accepts, whatever the id: it reveals nothing.
        if not (got in (404, 405) and posted in (404, 405) and 404 in (got, posted)):
            failures.append(f"{url}: outsider got {got} / posted {posted}")
    assert not failures, "\n".join(failures)


def test_a_viewer_cannot_write(world):
    viewer = client_of(world.vera)
    before = AuditEvent.objects.count()
    failures = []
    for route, pattern in URLS:
        url = build(route, pattern, world)
        for data in (
            {"action": "role", "role": "admin"},
            {"action": "deactivate"},
            {"action": "mfa_reset"},
            {"decision": "approve"},
            {"email": "spy@example.org", "role": "admin"},
        ):
            status = viewer.post(url, data).status_code
            if status not in (403, 404, 405):
                failures.append(f"{url} {data}: {status}")
    assert not failures, "\n".join(failures)
    assert AuditEvent.objects.count() == before


# What a researcher may open: the DSA Transparency Database pages (public data) only.
RESEARCHER_PAGES = ("o/<slug:org_slug>/tdb/",)


def test_a_researcher_reaches_nothing_of_the_organisation(world):
    researcher = client_of(world.rita)
    before = AuditEvent.objects.count()
    failures = []
    for route, pattern in URLS:
        url = build(route, pattern, world)
        got = researcher.get(url).status_code
        if route.startswith(RESEARCHER_PAGES):
            if got != 200:
                failures.append(f"{url}: researcher got {got}, not 200")
            continue
        posted = researcher.post(url, {"action": "reveal", "role": "admin"}).status_code
        if not (got in (404, 405) and posted in (404, 405) and 404 in (got, posted)):
            failures.append(f"{url}: researcher got {got} / posted {posted}")
    assert not failures, "\n".join(failures)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("who", ["ines", "vera", "carlos"])
def test_only_administrators_see_the_audit_log(who, world, signed_in):
    client = signed_in(getattr(world, who))
    assert client.get("/o/defenders/audit/").status_code == 404
    client.logout()
    assert signed_in(world.alice).get("/o/defenders/audit/").status_code == 200
