"""The DSA remedy ladder: which remedies are open after a platform decision, and their clocks.

Regulation (EU) 2022/2065 (Digital Services Act, "DSA"). Every clock below says whether it is
law (an article and paragraph) or practice (a default a helpline can change). Dates are
computed as in :mod:`.clocks` (calendar months with month-end clamping; deadlines are dates
in the user's member state).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from .clocks import add_months

__all__ = [
    "ART16_EXPECTED_RESPONSE_DAYS",
    "ART20_EXPECTED_RESPONSE_DAYS",
    "ART20_MIN_FILING_MONTHS",
    "DECISION_TYPES",
    "META_PLATFORMS",
    "ODS_DECISION_DAYS",
    "ODS_EXTENSION_DAYS",
    "OVERSIGHT_BOARD_APPEAL_DAYS",
    "Decision",
    "Remedy",
    "RemedyCode",
    "art16_expected_decision",
    "art20_expected_decision",
    "art20_filing_deadline",
    "ods_decision_due",
    "open_remedies",
    "oversight_board_deadline",
]

#: Art 20(1): complaints may be lodged "for a period of at least six months" (law).
ART20_MIN_FILING_MONTHS = 6
#: Art 20(4) says only "without undue delay"; this is a helpline's working assumption (practice).
ART20_EXPECTED_RESPONSE_DAYS = 14
#: Art 16(6) also says only "without undue delay"; working assumption (practice).
ART16_EXPECTED_RESPONSE_DAYS = 7
#: Art 21(4): decision within 90 calendar days of receipt of the complete complaint (law).
ODS_DECISION_DAYS = 90
#: Art 21(4): extendable by up to 90 days for highly complex disputes, 180 in total (law).
ODS_EXTENSION_DAYS = 90
#: Oversight Board bylaws: appeal within 60 days of Meta's final decision (practice, not law).
OVERSIGHT_BOARD_APPEAL_DAYS = 60

META_PLATFORMS = frozenset({"facebook", "instagram", "threads"})

DECISION_TYPES = frozenset(
    {
        "content_removed",
        "visibility_restricted",
        "account_suspended",
        "account_terminated",
        "service_restricted",
        "monetisation",
        "no_action",  # a notifier's notice was rejected: the platform decided not to act
        "content_online",  # illegal content is online and nothing has been notified yet
    }
)

DEADLINE_KINDS = ("filing_window", "decision_due", "none")


class RemedyCode(StrEnum):
    ART16_NOTICE = "art16_notice"
    ART20_COMPLAINT = "art20_complaint"
    ART86_PRIORITY_COMPLAINT = "art86_priority_complaint"
    ART21_ODS = "art21_ods"
    ART53_DSC_COMPLAINT = "art53_dsc_complaint"
    ART23_MISUSE = "art23_misuse"
    PLATFORM_APPEAL = "platform_appeal"
    OVERSIGHT_BOARD = "oversight_board"
    NATIONAL_REGULATOR = "national_regulator"


@dataclass(frozen=True)
class Decision:
    """A platform decision, as a caseworker records it."""

    platform: str
    decided_on: date | None
    informed_on: date
    user_in_eu: bool
    member_state: str | None
    decision_type: str
    cause_false_mass_reporting: bool = False
    represented_by_art86_body: bool = False
    platform_has_oversight_board: bool = False
    non_eu_regulator: str | None = None

    def __post_init__(self) -> None:
        if self.decision_type not in DECISION_TYPES:
            raise ValueError(
                f"unknown decision_type {self.decision_type!r}; one of {sorted(DECISION_TYPES)}"
            )

    @property
    def oversight_board_applies(self) -> bool:
        return self.platform_has_oversight_board or self.platform.lower() in META_PLATFORMS


@dataclass(frozen=True)
class Remedy:
    """One open step of the ladder.

    ``deadline_kind`` is ``"filing_window"`` (file by ``deadline``), ``"decision_due"`` (the
    other side must decide by ``deadline``) or ``"none"`` (no deadline known).
    """

    code: RemedyCode
    article: str
    title: str
    legal_basis: str
    opens_on: date
    deadline: date | None
    deadline_kind: str
    notes: tuple[str, ...] = field(default=())
    is_law: bool = True

    def __post_init__(self) -> None:
        if self.deadline_kind not in DEADLINE_KINDS:
            raise ValueError(f"deadline_kind must be one of {DEADLINE_KINDS}")
        if (self.deadline is None) != (self.deadline_kind == "none"):
            raise ValueError("a deadline needs a deadline_kind other than 'none', and back")


def art20_filing_deadline(informed_on: date) -> date:
    """Last day on which an internal complaint is surely in time.

    Art 20(1) DSA: complaints may be lodged "for a period of at least six months following
    the day on which the recipient of the service is informed about the decision". Six
    calendar months from ``informed_on``, same day number, clamped to the month's end
    (31 Aug -> 28/29 Feb). A platform may allow longer; it may not allow less.
    """
    return add_months(informed_on, ART20_MIN_FILING_MONTHS)


def art20_expected_decision(filed_on: date, days: int = ART20_EXPECTED_RESPONSE_DAYS) -> date:
    """When to expect the platform's decision on an internal complaint (practice).

    Art 20(4) DSA requires decisions "in a timely, non-discriminatory, diligent and
    non-arbitrary manner" and Art 20(4)/(5) "without undue delay" - no number. Art 86(2):
    complaints by a mandated body are decided "with priority and without undue delay".
    ``days`` is a configurable working assumption, not law.
    """
    return filed_on + timedelta(days=days)


def art16_expected_decision(sent_on: date, days: int = ART16_EXPECTED_RESPONSE_DAYS) -> date:
    """When to expect the decision on an Art 16 notice (practice).

    Art 16(4)-(6) DSA: the provider confirms receipt "without undue delay" and decides "in a
    timely, diligent, non-arbitrary and objective manner"; Art 22(1): trusted flaggers'
    notices "with priority" and "without undue delay" - no number in law.
    """
    return sent_on + timedelta(days=days)


def ods_decision_due(received_on: date, complex: bool = False) -> date:
    """When a certified out-of-court dispute settlement body must decide.

    Art 21(4) DSA: within 90 calendar days "after the receipt of the complete complaint"; for
    highly complex disputes the body may extend by up to 90 days, 180 days at most. Counted
    in calendar days after the day of receipt. ``complex=True`` gives the outer limit.
    """
    days = ODS_DECISION_DAYS + (ODS_EXTENSION_DAYS if complex else 0)
    return received_on + timedelta(days=days)


def oversight_board_deadline(final_decision_on: date) -> date:
    """Last day to appeal to the Oversight Board (Meta platforms) - practice, not law.

    The Board's bylaws: an appeal within 60 days of the platform's final decision on the
    user's appeal (the Board's own rules; not a statutory period).
    """
    return final_decision_on + timedelta(days=OVERSIGHT_BOARD_APPEAL_DAYS)


def open_remedies(
    decision: Decision,
    *,
    ods_received_on: date | None = None,
    ods_complex: bool = False,
    appeal_decided_on: date | None = None,
    expected_response_days: int = ART20_EXPECTED_RESPONSE_DAYS,
) -> list[Remedy]:
    """The remedies open after ``decision``, in the order a caseworker would consider them.

    ``ods_received_on``: the day an Art 21 body received the complete complaint (gives the
    Art 21 remedy a ``decision_due`` deadline). ``appeal_decided_on``: the platform's final
    decision on the user's own appeal (starts the Oversight Board's 60 days).
    """
    if decision.user_in_eu:
        remedies = _eu_remedies(decision, ods_received_on, ods_complex, expected_response_days)
    else:
        remedies = _outside_eu_remedies(decision)
    if decision.oversight_board_applies and decision.decision_type != "content_online":
        remedies.append(_oversight_board(decision, appeal_decided_on))
    if not decision.user_in_eu and decision.non_eu_regulator:
        remedies.append(
            Remedy(
                RemedyCode.NATIONAL_REGULATOR,
                "-",
                f"Complaint to {decision.non_eu_regulator}",
                "National law of the user's country (not the DSA)",
                decision.informed_on,
                None,
                "none",
                ("Check the regulator's own rules for time limits and who may complain.",),
                is_law=False,
            )
        )
    return remedies


def _eu_remedies(
    decision: Decision, ods_received_on: date | None, ods_complex: bool, expected_days: int
) -> list[Remedy]:
    informed = decision.informed_on
    remedies: list[Remedy] = []
    if decision.decision_type == "content_online":
        remedies.append(
            Remedy(
                RemedyCode.ART16_NOTICE,
                "Art 16",
                f"Notice of illegal content to {decision.platform}",
                "Art 16(1)-(2) DSA; decision under Art 16(6)",
                informed,
                None,
                "none",
                (
                    "Must contain (a) a substantiated explanation why the content is illegal, "
                    "(b) the exact URL(s), (c) the notifier's name and e-mail, (d) a bona fide "
                    "statement that the notice is accurate and complete (Art 16(2)).",
                    "The provider decides 'without undue delay' (Art 16(6)): no number in law; "
                    f"practice default: {ART16_EXPECTED_RESPONSE_DAYS} days.",
                ),
            )
        )
    else:
        window = art20_filing_deadline(informed)
        who = (
            "the notifier (the decision not to act on a notice)"
            if decision.decision_type == "no_action"
            else "the affected user"
        )
        remedies.append(
            Remedy(
                RemedyCode.ART20_COMPLAINT,
                "Art 20",
                f"Internal complaint to {decision.platform}",
                "Art 20(1) DSA (at least six months); Art 20(4)-(6)",
                informed,
                window,
                "filing_window",
                (
                    f"May be filed by {who}, free of charge, electronically (Art 20(1)-(3)).",
                    "Six calendar months from the day the user was informed; a platform may "
                    "allow longer (Art 20(1): 'at least').",
                    "Decision 'without undue delay', not solely automated (Art 20(4), 20(6)); "
                    f"practice default: expect it within {expected_days} days.",
                ),
            )
        )
        if decision.represented_by_art86_body:
            remedies.append(
                Remedy(
                    RemedyCode.ART86_PRIORITY_COMPLAINT,
                    "Art 86(2)",
                    f"Priority complaint by a representative body to {decision.platform}",
                    "Art 86(2) DSA, through the Art 20 system; window of Art 20(1)",
                    informed,
                    window,
                    "filing_window",
                    (
                        "Filed through the Art 20 complaint system by a body mandated under "
                        "Art 86(1); 'processed and decided upon with priority and without "
                        "undue delay' (Art 86(2)).",
                        "Record the user's mandate; it is revocable.",
                    ),
                )
            )
        due = ods_decision_due(ods_received_on, ods_complex) if ods_received_on else None
        remedies.append(
            Remedy(
                RemedyCode.ART21_ODS,
                "Art 21",
                "Out-of-court dispute settlement",
                "Art 21(1) DSA; decision within 90 days, Art 21(4); fees, Art 21(5)",
                informed,
                due,
                "decision_due" if due else "none",
                (
                    "No need to use the Art 20 complaint first (Art 21(1)).",
                    "A certified body decides within 90 calendar days of receiving the "
                    "complete complaint, up to 180 for highly complex disputes (Art 21(4)).",
                    "Not binding; the courts remain open (Art 21(1)). The platform pays the "
                    "fees if the user wins; the user pays nothing unless in manifest bad "
                    "faith (Art 21(5)).",
                ),
            )
        )
    state = decision.member_state.upper() if decision.member_state else None
    remedies.append(
        Remedy(
            RemedyCode.ART53_DSC_COMPLAINT,
            "Art 53",
            f"Complaint to the Digital Services Coordinator of {state or 'the user'}",
            "Art 53 DSA (no time limit in the Regulation)",
            informed,
            None,
            "none",
            (
                "Lodged with the DSC of the member state where the user is located or "
                "established; the DSC may transmit it to the DSC of establishment.",
                "Both parties have the right to be heard and to information on the status "
                "of the complaint, in accordance with national law."
                + ("" if state else " Member state unknown: record where the user is."),
            ),
        )
    )
    if decision.cause_false_mass_reporting:
        remedies.append(
            Remedy(
                RemedyCode.ART23_MISUSE,
                "Art 23",
                f"Misuse complaint to {decision.platform}: false mass reporting",
                "Art 23(2)-(3) DSA",
                informed,
                None,
                "none",
                (
                    "Platforms must, after a prior warning, suspend for a reasonable period "
                    "the processing of notices and complaints from those who frequently "
                    "submit manifestly unfounded ones (Art 23(2)).",
                    "Factors to document (Art 23(3)): the absolute number of manifestly "
                    "unfounded notices in a given time frame; their relative proportion; the "
                    "gravity of the misuse and its consequences; the intention of the sender.",
                ),
            )
        )
    return remedies


def _outside_eu_remedies(decision: Decision) -> list[Remedy]:
    return [
        Remedy(
            RemedyCode.PLATFORM_APPEAL,
            "-",
            f"Appeal through {decision.platform}'s own appeal channel",
            "The platform's terms of service (the DSA does not apply to this user)",
            decision.informed_on,
            None,
            "none",
            (
                "The statement of reasons and the Transparency Database cover EU users only.",
                "Check the platform's own time limit for appeals; use the escalation "
                "register's expected response time for reminders.",
            ),
            is_law=False,
        )
    ]


def _oversight_board(decision: Decision, appeal_decided_on: date | None) -> Remedy:
    deadline = oversight_board_deadline(appeal_decided_on) if appeal_decided_on else None
    return Remedy(
        RemedyCode.OVERSIGHT_BOARD,
        "-",
        "Appeal to the Oversight Board",
        "The Oversight Board's charter and bylaws (practice, not law)",
        appeal_decided_on or decision.informed_on,
        deadline,
        "filing_window" if deadline else "none",
        (
            "Only after the platform's own appeal is exhausted; within 60 days of the "
            "platform's final decision (the Board's rules, not law).",
            "The Board selects few cases; its decision on the content is binding on Meta.",
        ),
        is_law=False,
    )
