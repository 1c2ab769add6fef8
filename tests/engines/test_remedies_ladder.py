"""The remedy ladder: which steps are open after a decision, and when each closes."""

from __future__ import annotations

from datetime import date

import pytest

from amparo.engines.remedies import (
    ART20_EXPECTED_RESPONSE_DAYS,
    Decision,
    RemedyCode,
    art16_expected_decision,
    art20_expected_decision,
    art20_filing_deadline,
    ods_decision_due,
    open_remedies,
    oversight_board_deadline,
)


def decision(**changes):
    base = dict(
        platform="Instagram",
        decided_on=date(2025, 8, 30),
        informed_on=date(2025, 8, 31),
        user_in_eu=True,
        member_state="PT",
        decision_type="account_suspended",
    )
    base.update(changes)
    return Decision(**base)


def codes(remedies):
    return [remedy.code for remedy in remedies]


def by_code(remedies):
    return {remedy.code: remedy for remedy in remedies}


def test_a_suspended_journalist_in_lisbon_can_complain_until_the_end_of_february():
    remedies = by_code(open_remedies(decision()))
    art20 = remedies[RemedyCode.ART20_COMPLAINT]
    assert art20.deadline == date(2026, 2, 28)
    assert art20.deadline_kind == "filing_window"
    assert art20.opens_on == date(2025, 8, 31)
    assert "Art 20(1)" in art20.legal_basis
    assert RemedyCode.ART21_ODS in remedies
    assert remedies[RemedyCode.ART53_DSC_COMPLAINT].title.endswith("of PT")
    assert remedies[RemedyCode.ART53_DSC_COMPLAINT].deadline is None


def test_the_ladder_comes_in_order_and_without_steps_that_do_not_apply():
    assert codes(open_remedies(decision(platform="TikTok"))) == [
        RemedyCode.ART20_COMPLAINT,
        RemedyCode.ART21_ODS,
        RemedyCode.ART53_DSC_COMPLAINT,
        RemedyCode.PUBLIC_REPORTING,  # every route ends with public reporting
    ]


def test_the_art20_window_uses_the_day_the_user_was_informed_not_the_decision_day():
    remedies = by_code(
        open_remedies(decision(decided_on=date(2023, 8, 1), informed_on=date(2023, 8, 31)))
    )
    assert remedies[RemedyCode.ART20_COMPLAINT].deadline == date(2024, 2, 29)


def test_a_represented_user_gets_a_priority_complaint_with_the_same_window():
    remedies = by_code(open_remedies(decision(represented_by_art86_body=True)))
    priority = remedies[RemedyCode.ART86_PRIORITY_COMPLAINT]
    assert priority.deadline == remedies[RemedyCode.ART20_COMPLAINT].deadline
    assert "Art 86(2)" in priority.legal_basis
    assert any("priority" in note for note in priority.notes)


def test_false_mass_reporting_opens_a_misuse_complaint_citing_the_factors():
    remedies = by_code(open_remedies(decision(cause_false_mass_reporting=True)))
    misuse = remedies[RemedyCode.ART23_MISUSE]
    assert misuse.deadline is None and misuse.deadline_kind == "none"
    assert "Art 23(2)-(3)" in misuse.legal_basis
    factors = " ".join(misuse.notes)
    for factor in ("absolute number", "proportion", "gravity", "intention"):
        assert factor in factors


def test_a_notifier_whose_notice_was_rejected_may_complain_too():
    remedies = by_code(open_remedies(decision(decision_type="no_action")))
    assert "notifier" in remedies[RemedyCode.ART20_COMPLAINT].notes[0]
    assert RemedyCode.ART21_ODS in remedies


def test_illegal_content_still_online_starts_with_an_art16_notice():
    remedies = codes(open_remedies(decision(decision_type="content_online")))
    assert remedies[0] == RemedyCode.ART16_NOTICE
    assert RemedyCode.ART20_COMPLAINT not in remedies
    assert RemedyCode.OVERSIGHT_BOARD not in remedies


def test_an_ods_body_must_decide_within_90_days_or_180_when_complex():
    assert ods_decision_due(date(2025, 1, 10)) == date(2025, 4, 10)
    assert ods_decision_due(date(2025, 1, 10), complex=True) == date(2025, 7, 9)
    remedies = by_code(open_remedies(decision(), ods_received_on=date(2025, 9, 15)))
    ods = remedies[RemedyCode.ART21_ODS]
    assert ods.deadline == date(2025, 12, 14)
    assert ods.deadline_kind == "decision_due"
    complex_ods = by_code(
        open_remedies(decision(), ods_received_on=date(2025, 9, 15), ods_complex=True)
    )[RemedyCode.ART21_ODS]
    assert complex_ods.deadline == date(2026, 3, 14)


def test_the_platforms_response_times_are_practice_defaults():
    assert art20_filing_deadline(date(2025, 8, 31)) == date(2026, 2, 28)
    assert art20_expected_decision(date(2025, 1, 1)) == date(
        2025, 1, 1 + ART20_EXPECTED_RESPONSE_DAYS
    )
    assert art20_expected_decision(date(2025, 1, 1), days=3) == date(2025, 1, 4)
    assert art16_expected_decision(date(2025, 1, 1), days=2) == date(2025, 1, 3)


def test_an_hrd_outside_the_eu_gets_the_platform_appeal_and_the_oversight_board():
    remedies = open_remedies(
        decision(user_in_eu=False, member_state=None, platform="Facebook"),
        appeal_decided_on=date(2025, 10, 1),
    )
    assert codes(remedies) == [
        RemedyCode.PLATFORM_APPEAL,
        RemedyCode.OVERSIGHT_BOARD,
        RemedyCode.PUBLIC_REPORTING,
    ]
    board = remedies[1]
    assert board.deadline == date(2025, 11, 30) == oversight_board_deadline(date(2025, 10, 1))
    assert board.is_law is False
    assert "practice" in board.legal_basis
    assert all(not remedy.article.startswith("Art") for remedy in remedies)


def test_the_oversight_board_window_waits_for_the_final_decision():
    remedies = by_code(open_remedies(decision(user_in_eu=False, platform="Threads")))
    board = remedies[RemedyCode.OVERSIGHT_BOARD]
    assert board.deadline is None and board.deadline_kind == "none"
    assert "60 days" in board.notes[0]


def test_the_oversight_board_flag_works_for_a_platform_not_on_the_list():
    remedies = codes(
        open_remedies(decision(user_in_eu=False, platform="X", platform_has_oversight_board=True))
    )
    assert RemedyCode.OVERSIGHT_BOARD in remedies
    assert RemedyCode.OVERSIGHT_BOARD not in codes(
        open_remedies(decision(user_in_eu=False, platform="YouTube"))
    )


def test_a_national_regulator_outside_the_eu_is_listed_when_given():
    remedies = by_code(
        open_remedies(decision(user_in_eu=False, platform="YouTube", non_eu_regulator="Ofcom"))
    )
    assert remedies[RemedyCode.NATIONAL_REGULATOR].title == "Complaint to Ofcom"
    assert remedies[RemedyCode.NATIONAL_REGULATOR].is_law is False


def test_an_eu_user_of_a_meta_platform_also_sees_the_board_after_the_dsa_steps():
    remedies = codes(open_remedies(decision(platform="Instagram")))
    assert remedies[-2:] == [RemedyCode.OVERSIGHT_BOARD, RemedyCode.PUBLIC_REPORTING]
    assert remedies.index(RemedyCode.ART21_ODS) < remedies.index(RemedyCode.OVERSIGHT_BOARD)


def test_an_unknown_member_state_is_said_so():
    art53 = by_code(open_remedies(decision(member_state=None)))[RemedyCode.ART53_DSC_COMPLAINT]
    assert "Member state unknown" in art53.notes[-1]


def test_unknown_decision_types_are_refused():
    with pytest.raises(ValueError, match="decision_type"):
        decision(decision_type="shadowban")


def test_every_remedy_states_its_basis():
    for remedy in open_remedies(
        decision(represented_by_art86_body=True, cause_false_mass_reporting=True)
    ):
        assert remedy.legal_basis and remedy.title and remedy.notes
        assert (remedy.deadline is None) == (remedy.deadline_kind == "none")
