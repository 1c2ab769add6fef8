"""Property: escalations, referrals and remedy steps driven by random people of both
organisations, doing random things in random order (hypothesis' rule-based state machine).

Whatever happens: no move outside the state machines ever lands; every change is audited and
every refusal leaves no trace; an escalation reaches its platform at most once; outsiders,
viewers and intermediaries are always refused; the case waits for the platform exactly while
one of its escalations is out, and its stored "Next due" is its earliest running clock."""

from __future__ import annotations

import os
from collections import Counter
from typing import Any, ClassVar

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from amparo.audit.models import AuditEvent
from amparo.cases import clocks
from amparo.cases.models import Case, Referral
from amparo.cases.states import REFERRAL_TRANSITIONS
from amparo.core.models import OutboundMessage
from amparo.escalations import services as escalations
from amparo.escalations import states as escalation_states
from amparo.escalations.models import Escalation
from amparo.remedies import services as remedies
from amparo.remedies import states as remedy_states
from amparo.remedies.models import RemedyStep
from tests.escalations.lifecycle_helpers import email_channel, manual_channel
from tests.escalations.test_escalations import case_with
from tests.test_outbound import run_due

PEOPLE = ["alice", "adam", "carlos", "vera", "ines", "otto"]
WRITERS = {"alice", "adam", "carlos"}  # of the Defenders Helpline; Otto writes for the partner
EXAMPLES = int(os.environ.get("AMPARO_PROPERTY_EXAMPLES", "6"))
STEPS = int(os.environ.get("AMPARO_PROPERTY_STEPS", "16"))

# Mostly the organisation's writers, so that escalations get far; the others come often enough.
who = st.sampled_from(PEOPLE) | st.sampled_from(sorted(WRITERS))
pick = st.integers(min_value=0, max_value=3)


class Lifecycles(RuleBasedStateMachine):
    people: ClassVar[Any] = None

    def __init__(self) -> None:
        super().__init__()
        self.case = case_with(self.people, platform="telegram", country="DE", consent="yes")
        self.channels = [email_channel(self.case).code, manual_channel(self.case).code]
        self.seen: dict[Any, str] = {}  # escalation or step id -> status last seen
        self.referral_seen: str | None = None
        self.decision: Any = None

    # ------------------------------------------------------------------------------ helpers

    def _escalation(self, i: int) -> Escalation | None:
        found = list(Escalation.objects.filter(case=self.case).order_by("created_at", "pk"))
        return found[i % len(found)] if found else None

    def _step(self, i: int) -> RemedyStep | None:
        found = list(RemedyStep.objects.filter(decision__case=self.case).order_by("created_at"))
        return found[i % len(found)] if found else None

    def _fingerprint(self) -> tuple[Any, ...]:
        """Everything the actions can change, as rows."""
        return (
            sorted(Escalation.objects.filter(case=self.case).values_list("pk", "version")),
            sorted(RemedyStep.objects.filter(decision__case=self.case).values_list("pk", "status")),
            sorted(self.case.decisions.values_list("pk", flat=True)),
            sorted(Referral.objects.filter(case=self.case).values_list("pk", "status")),
            Case.objects.filter(pk=self.case.pk).values_list("status", "next_due_at").get(),
        )

    def _try(self, name: str, act: Any, *, writers: frozenset[str] = frozenset(WRITERS)) -> None:
        """Run ``act`` as ``name``: a change is audited; a refusal (or an edit that changes
        nothing) leaves no trace at all."""
        before, rows = AuditEvent.objects.count(), self._fingerprint()
        try:
            act(getattr(self.people, name))
            accepted = True
        except (ValidationError, PermissionDenied):
            accepted = False
        after, changed = AuditEvent.objects.count(), self._fingerprint() != rows
        if accepted:
            assert name in writers, f"{name} must have been refused"
            assert after > before if changed else after == before, "every change is audited"
        else:
            assert after == before and not changed, "a refusal must leave no trace"

    # ------------------------------------------------------------------------- escalations

    @initialize(channel=st.integers(0, 1), disclose=st.booleans())
    def prepare_one(self, channel: int, disclose: bool) -> None:
        """Every run starts with an escalation that Carlos prepared."""
        self.create("carlos", channel, disclose)

    @precondition(lambda self: Escalation.objects.filter(case=self.case).count() < 3)
    @rule(name=who, channel=st.integers(0, 1), disclose=st.booleans())
    def create(self, name: str, channel: int, disclose: bool) -> None:
        self._try(
            name,
            lambda actor: escalations.create(
                self.case, self.channels[channel], actor=actor, disclose_identity=disclose
            ),
        )

    @rule(
        name=who,
        i=pick,
        action=st.sampled_from(
            [
                "approve",
                "send",
                "send",
                "worker",
                "mark_sent",
                "respond",
                "close",
                "cancel",
                "edit",
            ]
        ),
        flag=st.booleans(),
    )
    def escalation_action(self, name: str, i: int, action: str, flag: bool) -> None:
        if action == "worker":  # the worker delivers what is queued
            run_due()
            return
        if (e := self._escalation(i)) is None:
            return
        today = timezone.localdate()
        acts = {
            "approve": lambda a: escalations.approve(e, actor=a),
            "send": lambda a: escalations.send(e, actor=a, external_reference="REF"),
            "mark_sent": lambda a: escalations.mark_sent_by_hand(e, actor=a, sent_on=today),
            "respond": lambda a: escalations.record_response(
                e, actor=a, outcome="actioned" if flag else "", text="Content ID: 4711."
            ),
            "close": lambda a: escalations.close(e, actor=a),
            "cancel": lambda a: escalations.cancel(e, actor=a),
            "edit": lambda a: escalations.edit(
                e, actor=a, notice={"explanation": "Why" if flag else ""}, disclose_identity=flag
            ),
        }
        self._try(name, acts[action])

    # ---------------------------------------------------------------------------- remedies

    @rule(
        name=who,
        i=pick,
        action=st.sampled_from(["decision", "prepare", "file", "decide", "cancel", "lapse"]),
    )
    def remedy_action(self, name: str, i: int, action: str) -> None:
        today = timezone.localdate()
        if action == "decision":
            if self.decision is not None:
                return

            def record(actor: Any) -> None:
                self.decision = remedies.record_decision(
                    self.case,
                    decision_type="account_suspended",
                    informed_on=today,
                    decided_on=None,
                    represented=False,
                    actor=actor,
                )

            self._try(name, record)
            return
        if action == "prepare":
            if self.decision is not None:
                self._try(
                    name,
                    lambda actor: remedies.prepare_step(
                        self.decision,
                        "art20_complaint",
                        language="en",
                        facts="",
                        arguments="",
                        requested="",
                        include_identity=False,
                        actor=actor,
                    ),
                )
            return
        if (step := self._step(i)) is None:
            return
        acts = {
            "file": lambda a: remedies.file_step(step, filed_on=today, reference="", actor=a),
            "decide": lambda a: remedies.record_outcome(
                step, outcome="upheld", decided_on=today, actor=a
            ),
            "cancel": lambda a: remedies.cancel_step(step, actor=a),
            "lapse": lambda a: remedies.lapse_step(step, actor=a),
        }
        self._try(name, acts[action])

    # --------------------------------------------------------------------------- referrals

    @rule(
        name=who,
        action=st.sampled_from(["refer", "accepted", "declined", "completed", "proposed"]),
    )
    def referral_action(self, name: str, action: str) -> None:
        from amparo.cases.referrals import answer, refer

        referral = Referral.objects.filter(case=self.case).first()
        if action == "refer" and referral is None:
            self._try(
                name,
                lambda actor: refer(
                    self.case, self.people.other_org, actor=actor, reporter_agreed=True
                ),
            )
        elif action != "refer" and referral is not None:  # only the partner's writers answer
            self._try(
                name,
                lambda actor: answer(referral, action, actor=actor),
                writers=frozenset({"otto"}),
            )

    # -------------------------------------------------------------------------- invariants

    @invariant()
    def every_rule_holds(self) -> None:
        escalation_rows = list(
            Escalation.objects.filter(case=self.case).values_list(
                "pk",
                "status",
                "carries_personal_data",
                "approved_by_id",
                "created_by_id",
                "edited_by_id",
            )
        )
        ids = [str(row[0]) for row in escalation_rows]
        # No move outside the state machines lands (each status against the one seen before).
        step_rows = RemedyStep.objects.filter(decision__case=self.case).values_list(
            "pk", "status", "filed_on", "decided_on"
        )
        for pk, status, *_rest in escalation_rows:
            last = self.seen.get(pk)
            assert last is None or status == last or status in escalation_states.allowed(last)
            self.seen[pk] = status
        for pk, status, filed_on, decided_on in step_rows:
            last = self.seen.get(pk)
            assert last is None or status == last or status in remedy_states.allowed(last)
            self.seen[pk] = status
            if status == remedy_states.DECIDED:  # an outcome only for a step that was filed
                assert filed_on is not None and decided_on is not None and filed_on <= decided_on
        referral = Referral.objects.filter(case=self.case).values_list("status", flat=True)
        for status in referral:
            last = self.referral_seen
            assert last is None or status == last or status in REFERRAL_TRANSITIONS[last]
            self.referral_seen = status
        # Each escalation was created once and reached its platform at most once.
        counted = Counter(
            AuditEvent.objects.filter(
                object_id__in=ids,
                action__in=[
                    "escalation.created",
                    "escalation.queued",
                    "escalation.sent",
                    "escalation.sent_by_hand",
                ],
            ).values_list("object_id", "action")
        )
        messages = Counter(
            OutboundMessage.objects.filter(kind="escalation", ref__in=ids).values_list(
                "ref", flat=True
            )
        )
        for pk, status, personal, approved_by, created_by, edited_by in escalation_rows:
            key = str(pk)
            assert counted[(key, "escalation.created")] == 1
            assert counted[(key, "escalation.queued")] <= 1 and messages[key] <= 1
            assert (
                counted[(key, "escalation.sent")] + counted[(key, "escalation.sent_by_hand")] <= 1
            )
            if personal and status in ("ready", "sent", "responded"):  # a second person approved
                assert approved_by and approved_by not in (created_by, edited_by)
        # The case waits for the platform exactly while an escalation is out; "Next due" is
        # its earliest running clock.
        case = Case.objects.get(pk=self.case.pk)
        out = any(row[1] == "sent" for row in escalation_rows)
        assert (case.status == "awaiting_platform") == out, (case.status, out)
        assert case.next_due_at == clocks.next_due_at(case)


def _notice_shapes_the_package(monkeypatch: Any) -> None:
    """Until the package builder writes the typed notice into the package, let its explanation
    do so here, so that edits change packages (and need approval again)."""
    import inspect

    from amparo.escalations import packaging

    real = packaging.build
    if "notice" in inspect.signature(real).parameters:
        return

    def build(case: Any, channel: Any, reports: Any, *, notice: Any = None, **kw: Any) -> Any:
        package = real(case, channel, reports, **kw)
        if notice and notice.get("explanation"):
            package.fields["explanation"] = notice["explanation"]
        return package

    monkeypatch.setattr(packaging, "build", build)


@pytest.mark.django_db
def test_random_people_in_random_order_keep_every_lifecycle_rule(people, monkeypatch):
    _notice_shapes_the_package(monkeypatch)
    Lifecycles.people = people
    try:
        run_state_machine_as_test(
            Lifecycles,
            settings=settings(
                max_examples=EXAMPLES,
                stateful_step_count=STEPS,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )
    finally:
        Lifecycles.people = None
