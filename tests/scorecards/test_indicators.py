"""Each measured indicator on constructed data whose answer is known, with a frozen clock."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import override_settings

from amparo.intake.models import RiskPeriod
from amparo.scorecards.figures import lines
from amparo.scorecards.indicators import Measure, Period
from tests.scorecards import helpers as h

pytestmark = pytest.mark.django_db

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
NOW = "2026-03-31T12:00:00+00:00"


def counts(indicator, key=None):
    rows = indicator.rows if key is None else [r for r in indicator.rows if r.key == key]
    total = {}
    for r in rows:
        for k, v in r.counts.items():
            total[k] = total.get(k, 0) + v
    return total


@time_machine.travel(NOW, tick=False)
def test_channel_responsiveness_counts_pending_apart(people):
    org, carlos = people.org, people.carlos
    c = h.case(org)
    for hours in (2, 30, 71.5):
        h.escalation(c, carlos, sent=h.at("2026-03-10"), answered_after_hours=hours)
    h.escalation(c, carlos, sent=h.at("2026-03-10"), answered_after_hours=100)
    h.escalation(c, carlos, sent=h.at("2026-03-20"))  # no answer, 72 h long gone
    h.escalation(c, carlos, sent=h.at("2026-03-30"))  # sent a day ago: pending
    h.escalation(c, carlos, sent=h.at("2026-02-27"), answered_after_hours=1)  # not March
    other = h.case(org, platform="tiktok")
    h.escalation(other, carlos, sent=h.at("2026-03-10"), answered_after_hours=1)

    indicator = Measure(org, "facebook", MARCH).channels()
    assert counts(indicator) == {"within_72h": 3, "later": 1, "unanswered": 1, "pending": 1}
    summary = indicator.summary()
    assert (summary["numerator"], summary["n"], summary["apart"]) == (3, 5, 1)
    assert summary["rate"] == pytest.approx(0.6)
    assert summary["median"] == pytest.approx(50.8)  # of 2, 30, 71.5, 100
    assert summary["small"] is True  # five cases: shown, flagged


@time_machine.travel(NOW, tick=False)
@override_settings(TIME_ZONE="Asia/Tokyo")
def test_the_period_is_counted_in_the_organisations_time_zone(people):
    c = h.case(people.org)
    # 28 February 20:00 UTC is already 1 March in Tokyo: in.
    h.escalation(c, people.carlos, sent=h.at("2026-02-28", 20), answered_after_hours=5)
    # 31 March 11:00 UTC is 20:00 in Tokyo: in.
    h.escalation(c, people.carlos, sent=h.at("2026-03-31", 11), answered_after_hours=5)
    # 31 March 15:30 UTC is already 1 April in Tokyo: out.
    h.escalation(c, people.carlos, sent=h.at("2026-03-31", 15).replace(minute=30))
    indicator = Measure(people.org, "facebook", MARCH).channels()
    assert sum(counts(indicator).values()) == 2


@time_machine.travel(NOW, tick=False)
def test_heightened_risk_periods_against_the_baseline(people):
    org, carlos = people.org, people.carlos
    RiskPeriod.objects.create(
        organisation=None,
        country="MX",
        kind="election",
        starts_on=date(2026, 3, 10),
        ends_on=date(2026, 3, 15),
    )
    RiskPeriod.objects.create(  # another organisation's period does not count here
        organisation=people.other_org,
        country="MX",
        kind="protest",
        starts_on=date(2026, 3, 20),
        ends_on=date(2026, 3, 25),
    )
    mx, br = h.case(org, country="MX"), h.case(org, country="BR", language="pt")
    h.escalation(mx, carlos, sent=h.at("2026-03-12"), answered_after_hours=120)
    h.escalation(mx, carlos, sent=h.at("2026-03-14"))
    h.escalation(br, carlos, sent=h.at("2026-03-12"), answered_after_hours=3)  # not MX's period
    h.escalation(mx, carlos, sent=h.at("2026-03-22"), answered_after_hours=3)
    m = Measure(org, "facebook", MARCH)
    risk = m.risk_periods_vs_baseline()
    assert counts(risk, "risk") == {"within_72h": 0, "later": 1, "unanswered": 1, "pending": 0}
    assert counts(risk, "baseline") == {"within_72h": 2, "later": 0, "unanswered": 0, "pending": 0}
    assert any("MX" in fact for fact in risk.facts) and len(risk.facts) == 1

    languages = m.languages()
    assert counts(languages, "pt")["within_72h"] == 1
    assert counts(languages, "es") == {"within_72h": 1, "later": 1, "unanswered": 1, "pending": 0}
    shown = lines(languages)
    assert shown[-1]["is_total"] and shown[-1]["n"] == 4  # the baseline row: every language


@time_machine.travel(NOW, tick=False)
def test_account_recovery_success(people):
    org = people.org
    h.case(
        org,
        incident_type="account_hacked",
        status="resolved",
        outcome="account_restored",
        restored_on=date(2026, 3, 6),
        opened=h.at("2026-03-02"),
        closed=h.at("2026-03-07"),
    )
    h.case(
        org,
        incident_type="account_hacked",
        status="closed",
        outcome="no_action",
        closed=h.at("2026-03-09"),
    )
    h.case(org, incident_type="account_suspended", status="awaiting_platform")
    h.case(
        org,
        incident_type="account_suspended",
        status="resolved",
        outcome="account_restored",
        restored_on=date(2026, 3, 12),
        opened=h.at("2026-03-02"),
    )
    h.case(org, incident_type="account_suspended", status="closed", outcome="withdrawn")  # left out
    h.case(org, incident_type="harassment", status="closed", outcome="content_removed")
    indicator = Measure(org, "facebook", MARCH).account_recovery()
    assert counts(indicator, "account_hacked") == {"recovered": 1, "not_recovered": 1, "open": 0}
    assert counts(indicator, "account_suspended") == {"recovered": 1, "not_recovered": 0, "open": 1}
    s = indicator.summary()
    assert (s["numerator"], s["n"], s["apart"]) == (2, 3, 1)
    assert s["median"] == 7.0  # 4 and 10 days


@time_machine.travel(NOW, tick=False)
def test_remedy_reversals_and_time_to_decide(people):
    org, carlos = people.org, people.carlos
    c = h.case(org)
    h.remedy_step(c, carlos, filed=date(2026, 3, 2), decided=date(2026, 3, 5), outcome="upheld")
    h.remedy_step(c, carlos, filed=date(2026, 3, 3), decided=date(2026, 3, 13), outcome="partly")
    h.remedy_step(c, carlos, filed=date(2026, 3, 4), decided=date(2026, 3, 6), outcome="rejected")
    h.remedy_step(c, carlos, filed=date(2026, 3, 20))  # waiting
    h.remedy_step(
        c,
        carlos,
        filed=date(2026, 3, 5),
        decided=date(2026, 3, 25),
        outcome="upheld",
        article="Art 21",
    )
    h.remedy_step(
        c, carlos, filed=date(2026, 2, 5), decided=date(2026, 3, 25), outcome="upheld"
    )  # Feb
    indicator = Measure(org, "facebook", MARCH).appeals()
    assert counts(indicator, "Art 20") == {
        "reversed": 2,
        "rejected": 1,
        "no_answer": 0,
        "pending": 1,
    }
    assert counts(indicator, "Art 21")["reversed"] == 1
    s = indicator.summary()
    assert (s["numerator"], s["n"], s["apart"]) == (3, 4, 1)
    assert s["median"] == 6.5  # 3, 10, 2, 20 days

    h.case(
        org,
        incident_type="content_removed",
        status="resolved",
        outcome="content_restored",
        closed=h.at("2026-03-05"),
    )
    h.case(org, incident_type="content_removed", status="closed", outcome="no_action")
    restoration = Measure(org, "facebook", MARCH).restoration()
    assert counts(restoration, "content_removed") == {"restored": 1, "not_restored": 1, "open": 0}
    assert restoration.summary()["median"] == 3.0


@time_machine.travel(NOW, tick=False)
def test_decisions_found_in_the_transparency_database_and_their_delay(people):
    org, carlos = people.org, people.carlos
    a, b, c = h.case(org), h.case(org), h.case(org)
    h.decision(a, carlos, informed=date(2026, 3, 5), decided=date(2026, 3, 4))
    h.statement(a, created="2026-03-09 10:00:00")
    h.decision(b, carlos, informed=date(2026, 3, 6))
    h.statement(b, created="2026-03-06T00:00:00")
    h.decision(c, carlos, informed=date(2026, 3, 7))  # no statement found
    indicator = Measure(org, "facebook", MARCH).transparency_database()
    s = indicator.summary()
    assert (s["numerator"], s["n"]) == (2, 3)
    assert s["median"] == 2.5  # 5 days (from the decision) and 0 days


@time_machine.travel(NOW, tick=False)
def test_partner_channels_their_availability_and_answers(people):
    org, carlos = people.org, people.carlos
    c = h.case(org)
    h.escalation(
        c,
        carlos,
        sent=h.at("2026-03-10"),
        answered_after_hours=10,
        channel_code="meta.trusted_partner",
        channel_kind="trusted_partner",
    )
    h.escalation(c, carlos, sent=h.at("2026-03-10"), answered_after_hours=10)  # not a partner one
    indicator = Measure(org, "facebook", MARCH).partner_channels()
    assert counts(indicator) == {"within_72h": 1, "later": 0, "unanswered": 0, "pending": 0}
    assert indicator.facts[0].startswith("Partner channels in the register for this platform:")
    assert "Open to this organisation: 0" in indicator.facts[1]


@time_machine.travel(NOW, tick=False)
def test_responsiveness_of_every_platform_and_channel_at_once(people):
    from amparo.escalations.scorecard import responsiveness

    fb, tt = h.case(people.org), h.case(people.org, platform="tiktok")
    h.escalation(fb, people.carlos, sent=h.at("2026-03-10"), answered_after_hours=80)
    h.escalation(fb, people.carlos, sent=h.at("2026-03-31", 6))  # pending
    h.escalation(tt, people.carlos, sent=h.at("2026-03-10"), answered_after_hours=4)
    rows = {r["platform"]: r for r in responsiveness(people.org, MARCH.start, MARCH.end)}
    assert rows["facebook"]["later"] == 1 and rows["facebook"]["pending"] == 1
    assert rows["facebook"]["share_within_72h"] == 0.0  # the pending one is not counted
    assert rows["tiktok"]["share_within_72h"] == 1.0
    assert rows["tiktok"]["median_hours_to_first_response"] == 4.0
