"""Property tests of the mandate state machine (``collective/states.py``): nothing leaves
revoked, and a filing needs a valid mandate whose scope covers it at the filing time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.collective import states
from amparo.collective.models import REMEDIES

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
PLATFORMS = ("instagram", "facebook", "x")
DECISIONS = ("account_suspended", "content_removed")
moments = st.integers(min_value=-1000, max_value=1000).map(lambda h: T0 + timedelta(hours=h))
actions = st.lists(st.sampled_from(sorted(states.MANDATE_ACTIONS)), max_size=6)


@given(actions)
def test_no_transition_out_of_revoked_or_superseded(sequence):
    current = states.VALID
    for action in sequence:
        try:
            nxt = states.check_mandate(current, action)
        except ValidationError:
            assert current != states.VALID
            continue
        assert current == states.VALID  # only a valid mandate moves
        current = nxt
    if states.REVOKED in sequence[:1]:
        assert current == states.REVOKED


@st.composite
def mandates(draw):
    state = draw(st.sampled_from([states.VALID, states.REVOKED, states.SUPERSEDED]))
    given_at = draw(moments)
    ended = None
    if state != states.VALID:
        ended = given_at + timedelta(hours=draw(st.integers(min_value=0, max_value=500)))
    return states.MandateView(
        state=state,
        given_at=given_at,
        revoked_at=ended,
        platforms=tuple(draw(st.sets(st.sampled_from(PLATFORMS), max_size=3))),
        decisions=tuple(draw(st.sets(st.sampled_from(DECISIONS), max_size=2))),
        remedies=tuple(draw(st.sets(st.sampled_from(REMEDIES), max_size=4))),
    )


@settings(max_examples=300)
@given(
    mandates(),
    st.sampled_from(REMEDIES),
    st.sampled_from(PLATFORMS),
    st.sampled_from(DECISIONS),
    moments,
)
def test_a_filing_needs_a_mandate_in_force_whose_scope_covers_it(m, remedy, platform, decision, at):
    covered = states.covers(m, remedy=remedy, platform=platform, decision_type=decision, at=at)
    in_force = at >= m.given_at and (m.revoked_at is None or at < m.revoked_at)
    in_scope = (
        platform in m.platforms
        and remedy in m.remedies
        and (not m.decisions or decision in m.decisions)
    )
    assert covered == (in_force and in_scope)
    if covered:
        assert m.state == states.VALID or at < m.revoked_at  # never after a revocation
    if m.state != states.VALID and m.revoked_at is not None:
        after = m.revoked_at + timedelta(seconds=1)
        assert not states.covers(
            m, remedy=remedy, platform=platform, decision_type=decision, at=after
        )


@pytest.mark.django_db
def test_the_services_keep_one_valid_mandate_and_revoked_stays_revoked():
    """Whatever the order of giving, recording and revoking (every sequence of three), a
    member has at most one valid mandate, revoked ones stay revoked, and revoking one twice is
    refused."""
    from itertools import product

    from amparo.collective import mandates as service
    from amparo.collective import services
    from amparo.collective.models import Mandate
    from tests.collective import scenario

    c = scenario.build(per_org=(1, 0), eligible=False)
    report, case = c.reports[0], c.cases[0]
    for steps in product(["give", "revoke", "record"], repeat=3):
        action = scenario.open_from_campaign(c)
        member = services.add_own_case(action, case, actor=c.caseworker)
        revoked: list[Mandate] = []
        for step in steps:
            if step == "give":
                service.give_by_followup(
                    report, member, remedies=["art53_complaint"], disclose_name=False, language="en"
                )
            elif step == "record":
                service.record_by_caseworker(
                    member,
                    channel="oral_consent",
                    evidence=("consent.ogg", "audio/ogg", b"OggS recording"),
                    remedies=["art20_priority_complaint"],
                    disclose_name=False,
                    actor=c.caseworker,
                )
            else:
                current = service.current(member)
                if current is None:
                    continue
                service.revoke(current, via="follow_up_page")
                revoked.append(current)
            rows = list(Mandate.objects.filter(member=member))
            assert sum(1 for r in rows if r.state == states.VALID) <= 1, steps
            assert all(
                r.state == states.REVOKED for r in rows if r.pk in {m.pk for m in revoked}
            ), steps
        for mandate in revoked:
            with pytest.raises(ValidationError):
                service.revoke(mandate, via="follow_up_page")
