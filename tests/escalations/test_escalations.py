"""Escalating to platforms: minimal packages, consent before identity, a second person for
personal data, transports through one seam, clocks, responses and the scorecard."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from amparo.cases.services import open_case
from amparo.escalations import register, services
from amparo.escalations.models import Escalation
from amparo.intake.forms import ReportForm
from amparo.intake.services import submit_report
from amparo.worker.services import claim_due, run_job
from tests.intake.conftest import valid_report

CANARY = "CANARY7391"
REPORTER_FIELDS = {
    "reporter_name": f"Name {CANARY}",
    "contact_value": f"+52 55 {CANARY[-4:]} 9911 {CANARY}",
    "contact_safety": f"Safety {CANARY}",
    "gender": f"Gender {CANARY}",
}


def case_with(people, *, consent="no", platform="facebook", country="DE", **extra):
    data = valid_report(
        platform=platform,
        country=country,
        consent_share_identity=consent,
        links="https://www.facebook.com/photo/?fbid=123456789",
        **REPORTER_FIELDS,
        **extra,
    )
    form = ReportForm(data)
    assert form.is_valid(), form.errors
    report = submit_report(
        people.org, form.report_fields(), channel="web_form", language="en"
    ).report
    return open_case(people.org, reports=[report], title="escalation test", actor=people.carlos)


def all_channels(case):
    return register.channels_for_case(case)


def test_the_register_offers_channels_for_the_case(people):
    case = case_with(people)
    codes = [c.code for c in all_channels(case)]
    assert codes, "the register must offer channels for Facebook in Germany"
    assert any(c.kind.value == "regulator" for c in all_channels(case))


def test_no_reporter_canary_leaves_without_consent_through_any_channel(people):
    case = case_with(
        people,
        consent="no",
        narrative=f"They attacked me. My name is {REPORTER_FIELDS['reporter_name']}.",
    )
    channels = all_channels(case)
    assert len(channels) >= 3
    for chan in channels:
        for disclose in (False, True):  # asking to disclose without consent must change nothing
            if disclose:
                with pytest.raises(ValidationError):
                    services.create(case, chan.code, actor=people.carlos, disclose_identity=True)
                continue
            escalation = services.create(case, chan.code, actor=people.carlos)
            assert CANARY not in json.dumps(escalation.package, ensure_ascii=False), chan.code
            assert not escalation.carries_personal_data


def test_identity_goes_only_with_consent_and_a_second_persons_approval(people):
    case = case_with(people, consent="yes")
    chan = next(
        c for c in all_channels(case) if "affected_user_identity" in {f.value for f in c.may_carry}
    )
    escalation = services.create(case, chan.code, actor=people.carlos, disclose_identity=True)
    assert escalation.carries_personal_data and escalation.status == "awaiting_approval"
    assert CANARY in json.dumps(escalation.package, ensure_ascii=False)
    with pytest.raises(ValidationError):
        services.send(escalation, actor=people.carlos)  # not approved yet
    with pytest.raises(ValidationError, match="second person"):
        services.approve(escalation, actor=people.carlos)  # not by the same person
    services.approve(escalation, actor=people.alice)
    assert Escalation.objects.get().status == "ready"


def test_ask_me_each_time_needs_the_caseworker_to_confirm_they_asked(people):
    case = case_with(people, consent="ask")
    chan = next(
        c for c in all_channels(case) if "affected_user_identity" in {f.value for f in c.may_carry}
    )
    with pytest.raises(ValidationError, match="asked"):
        services.create(case, chan.code, actor=people.carlos, disclose_identity=True)
    escalation = services.create(
        case, chan.code, actor=people.carlos, disclose_identity=True, asked_and_confirmed=True
    )
    assert escalation.carries_personal_data


def test_packages_carry_only_what_the_channel_takes(people):
    case = case_with(people)
    for chan in all_channels(case):
        escalation = services.create(case, chan.code, actor=people.carlos)
        allowed = {f.value for f in chan.may_carry}
        assert set(escalation.package) <= allowed, chan.code


def test_an_email_escalation_goes_over_smtp_and_starts_the_clock(people, smtp_server):
    from tests.test_outbound import run_due

    case = case_with(people, platform="telegram")
    chan = next(c for c in all_channels(case) if c.reached_by_email)
    escalation = services.create(case, chan.code, actor=people.carlos)
    services.send(escalation, actor=people.carlos)
    assert smtp_server.messages == []  # queued: the worker delivers it
    assert Escalation.objects.get(pk=escalation.pk).status == "ready"
    assert run_due() == 1
    assert len(smtp_server.messages) == 1
    sent = smtp_server.messages[0]
    assert sent["To"] == chan.reached_by_email and case.reference in sent["Subject"]
    assert CANARY not in sent.as_string()
    escalation.refresh_from_db()
    assert escalation.status == "sent" and escalation.expected_response_at > escalation.sent_at
    # The reminder comes before the expected time, the chase at it.
    jobs = [
        j
        for j in claim_due("w", now=escalation.expected_response_at + timedelta(minutes=1))
        if j.kind.startswith("escalation.")
    ]
    assert {j.kind for j in jobs} == {"escalation.reminder", "escalation.chase"}
    for job in jobs:
        run_job(job)
    escalation.refresh_from_db()
    assert escalation.chases == 1


def test_a_form_filled_by_hand_records_the_reference(people):
    case = case_with(people)
    chan = next(c for c in all_channels(case) if not c.reached_by_email)
    escalation = services.create(case, chan.code, actor=people.carlos)
    assert escalation.transport in ("manual", "webhook")
    if escalation.transport == "manual":
        with pytest.raises(ValidationError, match="reference"):
            services.send(escalation, actor=people.carlos)
        services.send(escalation, actor=people.carlos, external_reference="FB-DSA-2026-11-77812")
        assert Escalation.objects.get(pk=escalation.pk).external_reference == "FB-DSA-2026-11-77812"


def test_the_response_stops_the_clock_and_feeds_the_scorecard(people):
    from amparo.escalations.scorecard import scorecard

    case = case_with(people)
    chan = next(c for c in all_channels(case) if not c.reached_by_email)
    escalation = services.create(case, chan.code, actor=people.carlos)
    services.send(escalation, actor=people.carlos, external_reference="REF-1")
    services.record_response(
        escalation,
        actor=people.carlos,
        outcome="reversed",
        account_restored_on=timezone.localdate(),
        text="We restored your account. Content ID: 123456789.",
    )
    escalation.refresh_from_db()
    assert escalation.first_response_at and escalation.outcome == "reversed"
    assert [
        j
        for j in claim_due("w", now=timezone.now() + timedelta(days=60))
        if j.kind.startswith("escalation.")
    ] == []
    row = scorecard(people.org)[0]
    assert (
        row["sent"] == 1
        and row["share_actioned"] == 1.0
        and row["share_reversed"] == 1.0
        and row["share_within_72h"] == 1.0
    )


def test_every_outbound_call_passes_the_one_seam(people, monkeypatch):
    from amparo.outbound import services as outbound

    calls = []

    class Recorder:
        def send_email(self, message):
            calls.append(("email", message.to))

        def post(self, url, body, headers, timeout):
            calls.append(("post", url))
            return outbound.HttpResult(200, "OK-1")

    monkeypatch.setattr(outbound, "backend", Recorder())
    case = case_with(people, platform="telegram")
    chan = next(c for c in all_channels(case) if c.reached_by_email)
    services.send(services.create(case, chan.code, actor=people.carlos), actor=people.carlos)
    assert calls == []  # queued, sent by the worker through the same seam
    from tests.test_outbound import run_due

    run_due()
    assert calls == [("email", [chan.reached_by_email])]


def test_a_webhook_escalation_posts_json_to_a_real_local_server(people, settings):
    """An organisation configures a partner API for a channel; the worker POSTs the package as
    JSON (signed: see tests/test_webhooks.py)."""
    from amparo.outbound import services as outbound
    from tests.test_outbound import run_due

    settings.AMPARO_WEBHOOK_ALLOW_NETWORKS = ["127.0.0.0/8"]
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from amparo.escalations.models import RegisterOverrides

    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(201)
            self.end_headers()
            self.wfile.write(b"PARTNER-REF-42")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        case = case_with(people, platform="telegram")
        chan = next(c for c in all_channels(case) if c.kind.value == "in_app_appeal")
        RegisterOverrides.objects.create(
            organisation=people.org,
            document={
                "change": {
                    chan.code: {
                        "details": {"webhook_url": f"http://127.0.0.1:{server.server_port}/cases"}
                    }
                }
            },
        )
        escalation = services.create(case, chan.code, actor=people.carlos)
        assert escalation.transport == "webhook"
        outbound.set_webhook_secret(people.org, chan.code)
        services.send(escalation, actor=people.carlos)
        assert received == [] and Escalation.objects.get().status == "ready"  # queued
        run_due()
    finally:
        server.shutdown()
    assert (
        received and received[0]["case"] == case.reference and CANARY not in json.dumps(received[0])
    )
    assert Escalation.objects.get().external_reference == "PARTNER-REF-42"


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    actions=st.lists(
        st.tuples(
            st.sampled_from(["carlos", "vera", "otto", "alice", "ines"]),
            st.sampled_from(["create", "approve", "send"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_random_escalation_actions_by_random_people_keep_every_rule(people, actions):
    """Property: only the organisation's writers can create, approve or send; each accepted
    action writes exactly one audit event; outsiders never touch the case."""
    from django.core.exceptions import PermissionDenied

    from amparo.audit.models import AuditEvent

    case = case_with(people, consent="yes")
    chan = next(
        c
        for c in all_channels(case)
        if "affected_user_identity" in {f.value for f in c.may_carry} and not c.reached_by_email
    )
    writers = {"carlos", "alice"}
    escalation = None
    for who, action in actions:
        actor = getattr(people, who)
        before = AuditEvent.objects.filter(action__startswith="escalation.").count()
        try:
            if action == "create":
                escalation = services.create(case, chan.code, actor=actor, disclose_identity=True)
            elif action == "approve" and escalation is not None:
                services.approve(escalation, actor=actor)
            elif action == "send" and escalation is not None:
                services.send(escalation, actor=actor, external_reference="REF")
            else:
                continue
            ok = True
        except (ValidationError, PermissionDenied):
            ok = False
        after = AuditEvent.objects.filter(action__startswith="escalation.").count()
        if ok:
            assert who in writers and after == before + 1
        else:
            assert after == before
        if escalation is not None:
            escalation.refresh_from_db()
            if escalation.carries_personal_data and escalation.status in ("ready", "sent"):
                assert (
                    escalation.approved_by_id
                    and escalation.approved_by_id != escalation.created_by_id
                )
