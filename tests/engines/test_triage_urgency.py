"""Urgency scoring: answers dominate, text adds, the most urgent report comes first."""

from __future__ import annotations

import pytest

from amparo.engines.triage import URGENCY_REASON_CODES, UrgencyInput, score_urgency
from amparo.engines.triage.urgency import INCIDENT_WEIGHTS, THRESHOLDS, level_for

INCIDENT_TYPES = [
    "account_suspended",
    "content_removed",
    "reach_reduced",
    "harassment",
    "threats_of_violence",
    "doxxing",
    "impersonation",
    "account_hacked",
    "ncii",
    "smear_campaign",
    "false_mass_reporting",
    "government_takedown",
    "internet_shutdown",
    "other",
]


def codes(urgency):
    return [r.code for r in urgency.reasons]


def test_arabic_death_threat_with_address_outranks_english_shadowban():
    threat = score_urgency(
        UrgencyInput(
            incident_type="threats_of_violence",
            text="هددوني بالقتل ونشروا عنوان منزلي: شارع الحمرا رقم 12، بيروت",
            language="ar",
        )
    )
    shadowban = score_urgency(
        UrgencyInput(
            incident_type="reach_reduced",
            text="I think my account is shadowbanned, nobody sees my posts since Monday.",
            language="en",
        )
    )
    assert threat.level == "critical"
    assert shadowban.level == "low"
    assert threat.score > shadowban.score
    assert {"death_threat", "address_mentioned"} <= set(codes(threat))
    death = next(r for r in threat.reasons if r.code == "death_threat")
    assert death.source == "text" and death.matched == "بالقتل"
    # The address itself is never copied into a reason, only the street word.
    address = next(r for r in threat.reasons if r.code == "address_mentioned")
    assert "12" not in (address.matched or "")


def test_queue_order():
    reports = {
        "danger": UrgencyInput("harassment", "help", danger_now=True),
        "arrest": UrgencyInput(
            "government_takedown", "La policía vino a buscarme", arrest_risk=True
        ),
        "hacked": UrgencyInput("account_hacked", "", under_attack_now=True),
        "suspended": UrgencyInput("account_suspended", "My page was suspended."),
        "shadowban": UrgencyInput("reach_reduced", "Nobody sees my posts."),
    }
    scores = {k: score_urgency(v).score for k, v in reports.items()}
    assert sorted(scores, key=scores.get, reverse=True) == list(reports)


@pytest.mark.parametrize("incident", INCIDENT_TYPES)
def test_danger_now_is_always_critical(incident):
    urgency = score_urgency(UrgencyInput(incident, "", danger_now=True))
    assert urgency.level == "critical"
    assert urgency.reasons[0].code == "danger_now"
    assert urgency.reasons[0].source == "answer" and urgency.reasons[0].matched is None


@pytest.mark.parametrize("answer", ["home_address_exposed", "minor_involved", "arrest_risk"])
def test_serious_answers_are_at_least_high(answer):
    urgency = score_urgency(UrgencyInput("other", "", **{answer: True}))
    assert urgency.level in ("high", "critical")


def test_answers_outweigh_any_single_text_reason():
    from amparo.engines.triage.urgency import ANSWER_WEIGHTS, TEXT_WEIGHTS

    assert min(ANSWER_WEIGHTS.values()) >= max(TEXT_WEIGHTS.values()) - 5
    with_answer = score_urgency(UrgencyInput("other", "", minor_involved=True))
    with_text = score_urgency(UrgencyInput("other", "My daughter is in the photos"))
    assert with_answer.score > with_text.score


def test_incident_bases():
    def level(t, **kw):
        return score_urgency(UrgencyInput(t, "", **kw)).level

    assert level("threats_of_violence") == "high"
    assert level("doxxing") == "high"
    assert level("ncii") == "high"
    assert level("account_hacked") == "medium"
    assert level("account_hacked", under_attack_now=True) == "high"
    assert level("false_mass_reporting") == "medium"
    assert level("account_suspended") == "medium"
    assert level("other") == "low"
    assert level("no_such_type") == "low"
    assert set(INCIDENT_WEIGHTS) == set(INCIDENT_TYPES)


def test_context_adds():
    plain = score_urgency(UrgencyInput("account_suspended", ""))
    context = score_urgency(
        UrgencyInput(
            "account_suspended", "", heightened_risk="election", reporter_is_hrd_or_journalist=True
        )
    )
    assert context.score > plain.score
    assert context.level == "high"
    risk = next(r for r in context.reasons if r.code == "heightened_risk")
    assert risk.source == "context" and risk.matched == "election"


def test_corroborating_text_counts_once():
    urgency = score_urgency(
        UrgencyInput("harassment", "Mi hija tiene 14 años", minor_involved=True)
    )
    minor_text = next(r for r in urgency.reasons if r.code == "minor_mentioned")
    assert minor_text.weight == 0 and minor_text.source == "text"
    alone = score_urgency(UrgencyInput("harassment", "", minor_involved=True))
    assert urgency.score == alone.score


def test_death_threat_drops_generic_threat():
    urgency = score_urgency(UrgencyInput("harassment", "They threatened to kill me"))
    assert "death_threat" in codes(urgency)
    assert "violence_threat" not in codes(urgency)


def test_false_positives_do_not_raise_urgency():
    urgency = score_urgency(
        UrgencyInput("content_removed", "My skill-sharing post about a killer app was removed.")
    )
    assert codes(urgency) == ["incident_content_removed"]


def test_reasons_sorted_and_score_clamped():
    urgency = score_urgency(
        UrgencyInput(
            "threats_of_violence",
            "We will kill you, we know where you live, the police came, your child is 12 years old",
            danger_now=True,
            minor_involved=True,
            arrest_risk=True,
            home_address_exposed=True,
            under_attack_now=True,
            heightened_risk="election",
            reporter_is_hrd_or_journalist=True,
        )
    )
    assert urgency.score == 100
    weights = [r.weight for r in urgency.reasons]
    assert weights == sorted(weights, reverse=True)
    assert all(r.code in URGENCY_REASON_CODES for r in urgency.reasons)


def test_levels():
    assert [level_for(s) for s in (0, 24, 25, 44, 45, 69, 70, 100)] == [
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
        "critical",
        "critical",
    ]
    assert [name for name, _ in THRESHOLDS] == ["critical", "high", "medium"]


def test_odd_text():
    assert score_urgency(UrgencyInput("other", None)).level == "low"  # type: ignore[arg-type]
    assert score_urgency(UrgencyInput("other", "\x00\ud800" * 10)).level == "low"


def test_docs_name_every_rule():
    from pathlib import Path

    from amparo.engines.triage.urgency import ANSWER_WEIGHTS, CONTEXT_WEIGHTS, TEXT_WEIGHTS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "triage.md").read_text()
    for table in (ANSWER_WEIGHTS, CONTEXT_WEIGHTS, TEXT_WEIGHTS):
        for code, weight in table.items():
            assert f"| `{code}` | {weight} |" in doc, code
    for incident, weight in INCIDENT_WEIGHTS.items():
        row = next(line for line in doc.splitlines() if f"`{incident}`" in line and "|" in line)
        assert row.rstrip().endswith(f"| {weight} |"), incident


def test_package_does_not_import_django():
    import subprocess
    import sys

    code = (
        "import sys, amparo.engines.triage as t;"
        "t.score_urgency(t.UrgencyInput('other', 'x')); t.redact('a@b.co');"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
