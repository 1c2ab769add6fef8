"""DSA remedies: the ladder and its clocks, statements of reasons, and documents.

A Django-free package (Regulation (EU) 2022/2065, the Digital Services Act)::

    from amparo.engines.remedies import Decision, open_remedies, parse_statement
    from amparo.engines.remedies.documents import DocumentInput, build_document

    open_remedies(Decision(platform="Instagram", decided_on=None, informed_on=date(2025, 8, 31),
                           user_in_eu=True, member_state="PT",
                           decision_type="account_suspended"))
    # [Remedy(code='art20_complaint', ..., deadline=date(2026, 2, 28), ...), ...]
    parse_statement("We removed your post because it goes against our Community Standards...")
    # ParsedStatement(decision_visibility=(Extracted('DECISION_VISIBILITY_CONTENT_REMOVED', ...),), ...)

Clocks and their legal basis:

===========================  ==========================================  ========
clock                        rule                                        basis
===========================  ==========================================  ========
Art 20 filing window         >= 6 calendar months from being informed    law, Art 20(1)-(2)
Art 20 decision              "without undue delay"; default 14 days      practice
Art 86(2) priority           Art 20 window; "with priority"              law
Art 21 ODS decision          90 days from receipt of complaint (+90)     law, Art 21(4)
Art 16 notice decision       "without undue delay"; default 7 days       practice
Art 53, Art 23               no deadline                                 law
Oversight Board              60 days from Meta's final decision          practice (bylaws)
===========================  ==========================================  ========

Details in docs/remedies.md.
"""

from .clocks import (
    MEMBER_STATE_TIMEZONES,
    Clock,
    DeadlineStatus,
    add_months,
    days_left,
    deadline_at,
    deadline_status,
    deadline_zone,
    member_state_timezone,
)
from .ladder import (
    ART16_EXPECTED_RESPONSE_DAYS,
    ART20_EXPECTED_RESPONSE_DAYS,
    ART20_MIN_FILING_MONTHS,
    DECISION_GROUNDS,
    DECISION_TYPES,
    META_PLATFORMS,
    ODS_DECISION_DAYS,
    ODS_EXTENSION_DAYS,
    OVERSIGHT_BOARD_APPEAL_DAYS,
    Actor,
    Decision,
    Remedy,
    RemedyCode,
    art16_expected_decision,
    art20_expected_decision,
    art20_filing_deadline,
    decision_from_statement,
    ods_decision_due,
    open_remedies,
    oversight_board_deadline,
)
from .sor import EEA_COUNTRIES, Extracted, ParsedStatement, parse_statement

__all__ = [
    "ART16_EXPECTED_RESPONSE_DAYS",
    "ART20_EXPECTED_RESPONSE_DAYS",
    "ART20_MIN_FILING_MONTHS",
    "DECISION_GROUNDS",
    "DECISION_TYPES",
    "EEA_COUNTRIES",
    "MEMBER_STATE_TIMEZONES",
    "META_PLATFORMS",
    "ODS_DECISION_DAYS",
    "ODS_EXTENSION_DAYS",
    "OVERSIGHT_BOARD_APPEAL_DAYS",
    "Actor",
    "Clock",
    "DeadlineStatus",
    "Decision",
    "Extracted",
    "ParsedStatement",
    "Remedy",
    "RemedyCode",
    "add_months",
    "art16_expected_decision",
    "art20_expected_decision",
    "art20_filing_deadline",
    "days_left",
    "deadline_at",
    "deadline_status",
    "deadline_zone",
    "decision_from_statement",
    "member_state_timezone",
    "ods_decision_due",
    "open_remedies",
    "oversight_board_deadline",
    "parse_statement",
]
