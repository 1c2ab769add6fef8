"""Routes from who acts and where: the person, a representative (Art 86), the organisation as
notifier (Art 16); deadlines counted in their own zone; a window that closed says so."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from amparo.engines.remedies import (
    Actor,
    Decision,
    RemedyCode,
    art20_filing_deadline,
    deadline_status,
    deadline_zone,
    decision_from_statement,
    ods_decision_due,
    open_remedies,
)

INFORMED = date(2026, 3, 10)


def decision(**changes):
    base = dict(
        platform="X (Twitter)",
        decided_on=None,
        informed_on=INFORMED,
        user_in_eu=False,
        member_state=None,
        decision_type="content_online",
    )
    base.update(changes)
    return Decision(**base)


def by_code(remedies):
    return {remedy.code: remedy for remedy in remedies}


def codes(remedies):
    return [remedy.code for remedy in remedies]


# A Mexican journalist threatened on X; the case is handled by an organisation in Berlin.
MEXICO_VIA_BERLIN = dict(organisation_country="DE", organisation_in_eu=True)


def test_illegal_content_about_an_hrd_outside_the_eu_gets_a_notice_by_the_eu_organisation():
    remedies = open_remedies(decision(acting_as=Actor.NOTIFIER, **MEXICO_VIA_BERLIN))
    notice = by_code(remedies)[RemedyCode.ART16_NOTICE]
    assert notice.filed_by == Actor.NOTIFIER
    assert "established in DE" in notice.notes[0] and "Art 16(1)" in notice.notes[0]
    assert "Art 16(2)" in notice.notes[1]
    assert notice.time_zone == "Europe/Berlin"
    # Content still online: a notice and the platform's own tools, never an appeal.
    assert RemedyCode.ART20_COMPLAINT not in codes(remedies)
    assert RemedyCode.PLATFORM_APPEAL not in codes(remedies)
    assert codes(remedies) == [
        RemedyCode.ART16_NOTICE,
        RemedyCode.PLATFORM_REPORT,
        RemedyCode.PUBLIC_REPORTING,
    ]


def test_the_eu_organisation_is_offered_as_notifier_even_when_the_person_is_said_to_act():
    notice = by_code(open_remedies(decision(**MEXICO_VIA_BERLIN)))[RemedyCode.ART16_NOTICE]
    assert notice.filed_by == Actor.NOTIFIER


def test_without_an_eu_actor_there_is_no_notice_under_the_dsa():
    remedies = codes(open_remedies(decision(acting_as=Actor.NOTIFIER, organisation_country="MX")))
    assert RemedyCode.ART16_NOTICE not in remedies
    assert remedies[0] == RemedyCode.PLATFORM_REPORT


def test_a_rejected_notice_opens_the_notifiers_ladder_with_the_coordinator_where_it_is_established():
    remedies = open_remedies(
        decision(
            decision_type="no_action",
            acting_as=Actor.NOTIFIER,
            platform_establishment="IE",
            **MEXICO_VIA_BERLIN,
        )
    )
    found = by_code(remedies)
    art20 = found[RemedyCode.ART20_COMPLAINT]
    assert art20.filed_by == Actor.NOTIFIER
    assert "'including individuals or entities that have submitted a notice'" in art20.notes[0]
    assert art20.deadline == date(2026, 9, 10) and art20.deadline_is_minimum
    assert art20.time_zone == "Europe/Berlin"
    ods = found[RemedyCode.ART21_ODS]
    assert ods.filed_by == Actor.NOTIFIER
    assert any("submitted notices" in note for note in ods.notes)
    art53 = found[RemedyCode.ART53_DSC_COMPLAINT]
    assert art53.member_state == "DE" and art53.title.endswith("of DE")
    assert "where the organisation is established" in art53.notes[0]
    assert "(IE for this provider)" in art53.notes[0]
    assert codes(remedies)[-1] == RemedyCode.PUBLIC_REPORTING


def test_a_notifier_outside_the_eu_for_a_person_outside_the_eu_has_no_dsa_ladder():
    remedies = codes(
        open_remedies(
            decision(decision_type="no_action", acting_as=Actor.NOTIFIER, organisation_country="MX")
        )
    )
    assert remedies[0] == RemedyCode.PLATFORM_APPEAL
    assert RemedyCode.ART20_COMPLAINT not in remedies


def test_a_notifier_cannot_contest_a_restriction_of_someone_elses_account():
    restricted = open_remedies(
        decision(decision_type="account_suspended", acting_as=Actor.NOTIFIER, **MEXICO_VIA_BERLIN)
    )
    # The person is outside the EU: their own account is not within the DSA ladder.
    assert codes(restricted)[0] == RemedyCode.PLATFORM_APPEAL
    in_eu = by_code(
        open_remedies(
            decision(
                decision_type="account_suspended",
                user_in_eu=True,
                member_state="FR",
                acting_as=Actor.NOTIFIER,
                **MEXICO_VIA_BERLIN,
            )
        )
    )
    art20 = in_eu[RemedyCode.ART20_COMPLAINT]
    assert art20.filed_by == Actor.AFFECTED_USER
    assert any("mandates the organisation under Art 86(1)" in n for n in art20.notes)
    assert in_eu[RemedyCode.ART53_DSC_COMPLAINT].member_state == "FR"  # the person's coordinator


def test_a_representative_must_be_constituted_in_a_member_state():
    eu = by_code(
        open_remedies(
            decision(
                decision_type="content_removed",
                user_in_eu=True,
                member_state="ES",
                acting_as=Actor.REPRESENTATIVE,
                **MEXICO_VIA_BERLIN,
            )
        )
    )
    priority = eu[RemedyCode.ART86_PRIORITY_COMPLAINT]
    assert priority.filed_by == Actor.REPRESENTATIVE and priority.time_zone == "Europe/Madrid"
    assert any("Art 86(1)(a)-(c)" in note for note in priority.notes)
    outside = codes(
        open_remedies(
            decision(
                decision_type="content_removed",
                user_in_eu=True,
                member_state="ES",
                acting_as=Actor.REPRESENTATIVE,
                organisation_country="MX",
            )
        )
    )
    assert RemedyCode.ART86_PRIORITY_COMPLAINT not in outside  # Art 86(1)(b)
    assert RemedyCode.ART20_COMPLAINT in outside


def test_a_national_regulator_outside_the_eu_is_offered_where_the_person_is():
    remedies = by_code(
        open_remedies(
            decision(
                decision_type="account_suspended", non_eu_regulator="Ofcom", **MEXICO_VIA_BERLIN
            )
        )
    )
    assert remedies[RemedyCode.NATIONAL_REGULATOR].title == "Complaint to Ofcom"
    assert RemedyCode.NATIONAL_REGULATOR in by_code(
        open_remedies(decision(non_eu_regulator="eSafety Commissioner"))
    )


def test_unknown_actors_and_an_eu_organisation_without_a_country_are_refused():
    with pytest.raises(ValueError, match="acting_as"):
        decision(acting_as="journalist")
    with pytest.raises(ValueError, match="organisation_country"):
        decision(organisation_in_eu=True)


def test_the_art20_window_is_a_minimum_counted_from_the_day_the_recipient_is_informed():
    art20 = by_code(
        open_remedies(
            decision(
                decision_type="content_removed",
                user_in_eu=True,
                member_state="PT",
                decided_on=date(2025, 8, 1),
                informed_on=date(2025, 8, 31),
            )
        )
    )[RemedyCode.ART20_COMPLAINT]
    assert art20.deadline == art20_filing_deadline(date(2025, 8, 31)) == date(2026, 2, 28)
    assert "Art 20(2)" in art20.legal_basis and art20.deadline_is_minimum
    assert "Art 16(5) or Art 17 (Art 20(2))" in art20.notes[1]
    assert "a platform may accept a later complaint" in art20.notes[1]


def test_an_ods_body_decides_90_days_after_receipt_of_the_complaint():
    ods = by_code(
        open_remedies(
            decision(decision_type="content_removed", user_in_eu=True, member_state="IT"),
            ods_received_on=date(2026, 1, 10),
        )
    )[RemedyCode.ART21_ODS]
    assert ods.deadline == ods_decision_due(date(2026, 1, 10)) == date(2026, 4, 10)
    notes = " ".join(ods.notes)
    assert "after the receipt of the complaint" in notes and "complete" not in notes


def test_deadlines_are_counted_in_the_zone_of_whoever_files():
    assert deadline_zone("PT") == "Europe/Lisbon"
    assert deadline_zone("el") == "Europe/Athens"
    assert deadline_zone("MX") == "UTC"
    assert deadline_zone(None, "Europe/Berlin") == "Europe/Berlin"


@time_machine.travel(datetime(2026, 2, 28, 23, 30, tzinfo=UTC), tick=False)
def test_days_left_follow_the_deadlines_own_zone_not_the_servers():
    # 23:30 UTC on 28 February: still the last day in Lisbon, already 1 March in Helsinki.
    lisbon = deadline_status(date(2026, 2, 28), tz="Europe/Lisbon", minimum=True)
    helsinki = deadline_status(date(2026, 2, 28), tz="Europe/Helsinki", minimum=True)
    assert lisbon.days_left == 0 and lisbon.last_day and not lisbon.closed
    assert helsinki.days_left == -1 and helsinki.closed and helsinki.minimum
    assert helsinki.today == date(2026, 3, 1)
    assert lisbon.closes_at == datetime(2026, 2, 28, 23, 59, 59, tzinfo=UTC)
    assert lisbon.time_zone == "Europe/Lisbon"


def test_a_statement_of_reasons_fills_the_decision():
    assert decision_from_statement(
        {
            "decision_account": "DECISION_ACCOUNT_SUSPENDED",
            "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
            "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
            "application_date": "2026-03-02",
            "puid": " 1789234567890123456 ",
        }
    ) == {
        "decision_type": "account_suspended",
        "decision_ground": "incompatible_content",
        "decided_on": date(2026, 3, 2),
        "statement_reference": "1789234567890123456",
    }
    assert decision_from_statement(
        {"decision_visibility": ["DECISION_VISIBILITY_CONTENT_DEMOTED"], "platform_uid": "p-1"}
    ) == {"decision_type": "visibility_restricted", "statement_reference": "p-1"}
    assert decision_from_statement({"decision_monetary": "DECISION_MONETARY_SUSPENSION"}) == {
        "decision_type": "monetisation"
    }
    assert decision_from_statement({"application_date": "not a day"}) == {}


def test_the_documents_know_every_decision_type_and_ground_of_the_ladder():
    from amparo.engines.remedies import DECISION_GROUNDS, DECISION_TYPES
    from amparo.engines.remedies.documents import (
        DECISION_GROUND_CODES,
        DECISION_TYPE_CODES,
        LANGUAGES,
        sentences,
    )

    assert DECISION_TYPE_CODES == DECISION_TYPES and DECISION_GROUND_CODES == DECISION_GROUNDS
    for language in LANGUAGES:
        for code in DECISION_TYPES:
            assert sentences(language)[f"dt_{code}"], (language, code)
