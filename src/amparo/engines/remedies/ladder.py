"""The DSA remedy ladder: which remedies are open after a platform decision, and their clocks.

Regulation (EU) 2022/2065 (Digital Services Act, "DSA"). Every clock below says whether it is
law (an article and paragraph) or practice (a default a helpline can change). Dates are
computed as in :mod:`.clocks` (calendar months with month-end clamping; deadlines are dates
in the member state of whoever must act).

Routes depend on **who acts** and **where**, not on the victim's country alone:

* the affected user themself (with the organisation's help): the DSA ladder when they are in
  the EU (Art 2(1): the Regulation covers recipients located or established in the Union);
* a representative mandated under Art 86(1): the same ladder, with priority (Art 86(2)); the
  body must be properly constituted under the law of a member state (Art 86(1)(b));
* the organisation as notifier on its own standing: "any individual or entity" may notify
  illegal content (Art 16(1)); whoever submitted a notice may complain against the decision
  taken on it (Art 20(1)), take it to a certified body (Art 21(1)) and complain to the
  Digital Services Coordinator where it is established (Art 53). So an HRD outside the EU
  still gets the DSA ladder, for illegal content, through an organisation in the EU.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from .clocks import add_months, deadline_zone
from .from_statement import decision_from_statement

__all__ = [
    "ART16_EXPECTED_RESPONSE_DAYS",
    "ART20_EXPECTED_RESPONSE_DAYS",
    "ART20_MIN_FILING_MONTHS",
    "DECISION_GROUNDS",
    "DECISION_TYPES",
    "META_PLATFORMS",
    "ODS_DECISION_DAYS",
    "ODS_EXTENSION_DAYS",
    "OVERSIGHT_BOARD_APPEAL_DAYS",
    "Actor",
    "Decision",
    "Remedy",
    "RemedyCode",
    "art16_expected_decision",
    "art20_expected_decision",
    "art20_filing_deadline",
    "decision_from_statement",
    "ods_decision_due",
    "open_remedies",
    "oversight_board_deadline",
]

#: Art 20(1): access to the complaint system "for a period of at least six months" (law).
ART20_MIN_FILING_MONTHS = 6
#: Art 20(4) says only "without undue delay"; this is a helpline's working assumption (practice).
ART20_EXPECTED_RESPONSE_DAYS = 14
#: Art 16(6) also says only "without undue delay"; working assumption (practice).
ART16_EXPECTED_RESPONSE_DAYS = 7
#: Art 21(4): decision "no later than 90 calendar days after the receipt of the complaint" (law).
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
#: The ground a decision was taken on (Art 17(3)(d)-(e)); "" = not known.
DECISION_GROUNDS = frozenset({"illegal_content", "incompatible_content"})

DEADLINE_KINDS = ("filing_window", "decision_due", "none")


class Actor(StrEnum):
    """Who acts on the case."""

    AFFECTED_USER = "affected_user"  # the person the decision is about (helped by the organisation)
    REPRESENTATIVE = "representative"  # a body mandated by the person under Art 86(1)
    NOTIFIER = "notifier"  # the organisation on its own standing under Art 16


class RemedyCode(StrEnum):
    ART16_NOTICE = "art16_notice"
    ART20_COMPLAINT = "art20_complaint"
    ART86_PRIORITY_COMPLAINT = "art86_priority_complaint"
    ART21_ODS = "art21_ods"
    ART53_DSC_COMPLAINT = "art53_dsc_complaint"
    ART23_MISUSE = "art23_misuse"
    PLATFORM_REPORT = "platform_report"
    PLATFORM_APPEAL = "platform_appeal"
    OVERSIGHT_BOARD = "oversight_board"
    NATIONAL_REGULATOR = "national_regulator"
    PUBLIC_REPORTING = "public_reporting"


@dataclass(frozen=True)
class Decision:
    """A platform decision, as a caseworker records it, with who acts and where."""

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
    acting_as: str = Actor.AFFECTED_USER
    organisation_country: str | None = None
    organisation_in_eu: bool = False
    platform_establishment: str | None = None

    def __post_init__(self) -> None:
        if self.decision_type not in DECISION_TYPES:
            raise ValueError(
                f"unknown decision_type {self.decision_type!r}; one of {sorted(DECISION_TYPES)}"
            )
        if self.acting_as not in {a.value for a in Actor}:
            raise ValueError(
                f"unknown acting_as {self.acting_as!r}; one of {sorted(a.value for a in Actor)}"
            )
        if self.organisation_in_eu and not self.organisation_country:
            raise ValueError("organisation_in_eu needs organisation_country (its member state)")

    @property
    def oversight_board_applies(self) -> bool:
        return self.platform_has_oversight_board or self.platform.lower() in META_PLATFORMS

    @property
    def represented(self) -> bool:
        return self.represented_by_art86_body or self.acting_as == Actor.REPRESENTATIVE

    @property
    def art86_body_eligible(self) -> bool:
        """Art 86(1)(b): the body is properly constituted under the law of a member state
        (not known = not excluded; the caseworker checks it)."""
        return self.organisation_in_eu or not self.organisation_country

    @property
    def organisation_notifies(self) -> bool:
        """The organisation notifies on its own standing and the DSA covers it."""
        return self.acting_as == Actor.NOTIFIER and (self.organisation_in_eu or self.user_in_eu)

    @property
    def dsa_route(self) -> bool:
        """Whether the DSA's complaint ladder is open to whoever acts on this decision.

        A restriction of the user's content or account (Art 20(1)(a)-(d)) is contested by
        the user or their representative: only when the user is in the EU. A decision on a
        notice (``no_action``) is contested by whoever notified: the organisation as
        notifier (established in the EU, or notifying for a user in the EU) or the person.
        """
        if self.decision_type == "no_action" and self.acting_as == Actor.NOTIFIER:
            return self.organisation_notifies
        return self.user_in_eu

    def state_of(self, filed_by: str) -> str | None:
        """The member state of whoever files: its DSC receives the Art 53 complaint and its
        zone counts the deadlines ("where the recipient is located or established")."""
        if filed_by == Actor.NOTIFIER and self.organisation_in_eu:
            return (self.organisation_country or "").upper() or None
        return self.member_state.upper() if self.member_state else None


@dataclass(frozen=True)
class Remedy:
    """One open step of the ladder.

    ``deadline_kind`` is ``"filing_window"`` (file by ``deadline``), ``"decision_due"`` (the
    other side must decide by ``deadline``) or ``"none"`` (no deadline known).
    ``deadline_is_minimum``: the law sets only a minimum (Art 20(1): "at least six months"),
    so filing later is not excluded. ``filed_by`` is an :class:`Actor` value, ``member_state``
    the state whose coordinator receives an Art 53 complaint, ``time_zone`` the zone the
    deadline is counted in.
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
    filed_by: str = Actor.AFFECTED_USER
    member_state: str | None = None
    time_zone: str = "UTC"
    deadline_is_minimum: bool = False

    def __post_init__(self) -> None:
        if self.deadline_kind not in DEADLINE_KINDS:
            raise ValueError(f"deadline_kind must be one of {DEADLINE_KINDS}")
        if (self.deadline is None) != (self.deadline_kind == "none"):
            raise ValueError("a deadline needs a deadline_kind other than 'none', and back")


def art20_filing_deadline(informed_on: date) -> date:
    """Last day of the minimum period in which an internal complaint can be lodged.

    Art 20(1) DSA: access to the complaint system "for a period of at least six months
    following the decision"; Art 20(2): that period "shall start on the day on which the
    recipient of the service is informed about the decision in accordance with Article 16(5)
    or Article 17". Six calendar months from ``informed_on``, same day number, clamped to the
    month's end (31 Aug -> 28/29 Feb). A platform may allow longer, never less: a complaint
    filed later is not excluded by the Regulation (say so; do not refuse it).
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

    Art 21(4) DSA: "no later than 90 calendar days after the receipt of the complaint"; for
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

    ``ods_received_on``: the day an Art 21 body received the complaint (gives the Art 21
    remedy a ``decision_due`` deadline). ``appeal_decided_on``: the platform's final decision
    on the user's own appeal (starts the Oversight Board's 60 days).
    """
    if decision.decision_type == "content_online":
        remedies = _illegal_content_online(decision)
    elif decision.dsa_route:
        remedies = _dsa_ladder(decision, ods_received_on, ods_complex, expected_response_days)
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
                filed_by=decision.acting_as,
            )
        )
    remedies.append(_public_reporting(decision))
    return remedies


def _illegal_content_online(decision: Decision) -> list[Remedy]:
    """Illegal content still online: a notice, never an appeal (there is nothing to appeal)."""
    informed = decision.informed_on
    remedies: list[Remedy] = []
    org_standing = decision.organisation_in_eu and (
        decision.acting_as == Actor.NOTIFIER or not decision.user_in_eu
    )
    if decision.user_in_eu or org_standing:
        by = Actor.NOTIFIER if org_standing else decision.acting_as
        if by == Actor.NOTIFIER and decision.organisation_in_eu:
            who = (
                f"the organisation, established in {decision.organisation_country}, as "
                "notifier on its own standing (Art 16(1): 'any individual or entity')"
            )
        elif by == Actor.NOTIFIER:
            who = "the organisation as notifier (Art 16(1): 'any individual or entity')"
        else:
            who = "the person, or the organisation as notifier"
        own = by == Actor.NOTIFIER and decision.organisation_in_eu
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
                    f"Filed by {who}.",
                    "Must contain (a) a sufficiently substantiated explanation why the content "
                    "is illegal, (b) the exact URL(s), (c) the notifier's name and e-mail, (d) a "
                    "bona fide statement that the notice is accurate and complete (Art 16(2)).",
                    "The provider decides 'without undue delay' (Art 16(6)): no number in law; "
                    f"practice default: {ART16_EXPECTED_RESPONSE_DAYS} days.",
                    "If it decides not to act, record that decision ('no_action'): the notifier "
                    "may then complain (Art 20(1)), go to a certified body (Art 21(1)) and "
                    "complain to its Digital Services Coordinator (Art 53).",
                ),
                filed_by=by,
                time_zone=deadline_zone(
                    decision.organisation_country if own else decision.member_state
                ),
            )
        )
    if not decision.user_in_eu:
        remedies.append(
            Remedy(
                RemedyCode.PLATFORM_REPORT,
                "-",
                f"Report the content through {decision.platform}'s own reporting tools",
                "The platform's terms of service (community standards)",
                informed,
                None,
                "none",
                (
                    "For content that breaks the platform's rules or the law of the person's "
                    "country; the DSA's duties do not cover this person.",
                    "Use the escalation register's expected response time for reminders.",
                ),
                is_law=False,
                filed_by=decision.acting_as,
            )
        )
    return remedies


def _dsa_ladder(
    decision: Decision, ods_received_on: date | None, ods_complex: bool, expected_days: int
) -> list[Remedy]:
    informed = decision.informed_on
    notifier = decision.decision_type == "no_action"
    by = decision.acting_as if notifier else _user_side(decision)
    state = decision.state_of(by)
    zone = deadline_zone(state)
    remedies: list[Remedy] = []
    window = art20_filing_deadline(informed)
    if notifier:
        who = (
            "the organisation that submitted the notice (Art 20(1): 'including individuals or "
            "entities that have submitted a notice'), against the decision not to act"
            if by == Actor.NOTIFIER
            else "the notifier (whoever submitted the notice), against the decision not to act"
        )
    else:
        who = "the affected user"
    notes = [
        f"May be filed by {who}, free of charge, electronically (Art 20(1)-(3)).",
        "At least six months (Art 20(1)), counted from the day the recipient is informed of "
        "the decision under Art 16(5) or Art 17 (Art 20(2)). The Regulation sets a minimum: "
        "a platform may accept a later complaint, so file late rather than not at all.",
        "Decision 'without undue delay', not solely automated (Art 20(4), 20(6)); "
        f"practice default: expect it within {expected_days} days.",
    ]
    if decision.acting_as == Actor.NOTIFIER and not notifier:
        notes.append(
            "A notifier cannot contest a restriction of someone else's content or account: the "
            "person complains, or mandates the organisation under Art 86(1)."
        )
    remedies.append(
        Remedy(
            RemedyCode.ART20_COMPLAINT,
            "Art 20",
            f"Internal complaint to {decision.platform}",
            "Art 20(1) DSA (at least six months), Art 20(2) (from the day the recipient is "
            "informed); Art 20(4)-(6)",
            informed,
            window,
            "filing_window",
            tuple(notes),
            filed_by=by,
            time_zone=zone,
            deadline_is_minimum=True,
        )
    )
    if decision.represented and by == Actor.REPRESENTATIVE and decision.art86_body_eligible:
        remedies.append(
            Remedy(
                RemedyCode.ART86_PRIORITY_COMPLAINT,
                "Art 86(2)",
                f"Priority complaint by a representative body to {decision.platform}",
                "Art 86(2) DSA, through the Art 20 system; window of Art 20(1)-(2)",
                informed,
                window,
                "filing_window",
                (
                    "Filed through the Art 20 complaint system by a body mandated under "
                    "Art 86(1); 'processed and decided upon with priority and without "
                    "undue delay' (Art 86(2)).",
                    "The body operates on a not-for-profit basis, is properly constituted under "
                    "the law of a member state and its statutory objectives include ensuring "
                    "compliance with the Regulation (Art 86(1)(a)-(c)).",
                    "Record the user's mandate; it is revocable.",
                ),
                filed_by=Actor.REPRESENTATIVE,
                time_zone=zone,
                deadline_is_minimum=True,
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
                "Open to recipients 'including individuals or entities that have submitted "
                "notices' (Art 21(1)); no need to use the Art 20 complaint first.",
                "The person chooses any certified body that takes the dispute (Art 21(1)).",
                "A certified body decides no later than 90 calendar days after the receipt "
                "of the complaint, up to 180 for highly complex disputes (Art 21(4)).",
                "Not binding; the courts remain open (Art 21(1)-(2)). The platform pays the "
                "fees if the dispute is decided in favour of the recipient or notifier, who "
                "pays nothing otherwise unless in manifest bad faith (Art 21(5)).",
            ),
            filed_by=by,
            time_zone=zone,
        )
    )
    remedies.append(_art53(decision, state, by, zone))
    if decision.cause_false_mass_reporting and not notifier:
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
                filed_by=by,
                time_zone=zone,
            )
        )
    return remedies


def _user_side(decision: Decision) -> str:
    return Actor.REPRESENTATIVE if decision.represented else Actor.AFFECTED_USER


def _art53(decision: Decision, state: str | None, by: str, zone: str) -> Remedy:
    where = (
        "where the organisation is established"
        if by == Actor.NOTIFIER and decision.organisation_in_eu
        else "where the user is located or established"
    )
    establishment = (
        f" ({decision.platform_establishment.upper()} for this provider)"
        if decision.platform_establishment
        else ""
    )
    return Remedy(
        RemedyCode.ART53_DSC_COMPLAINT,
        "Art 53",
        f"Complaint to the Digital Services Coordinator of {state or 'the user'}",
        "Art 53 DSA (no time limit in the Regulation)",
        decision.informed_on,
        None,
        "none",
        (
            f"Lodged with the Digital Services Coordinator of the member state {where}; it "
            "assesses the complaint and, where appropriate, transmits it to the Digital "
            f"Services Coordinator of establishment{establishment} (Art 53).",
            "Both parties have the right to be heard and to information on the status "
            "of the complaint, in accordance with national law (Art 53)."
            + ("" if state else " Member state unknown: record where the user is."),
        ),
        filed_by=by,
        member_state=state,
        time_zone=zone,
    )


def _outside_eu_remedies(decision: Decision) -> list[Remedy]:
    appeal = (
        "ask for a review of its decision on the report"
        if decision.decision_type == "no_action"
        else "appeal its decision"
    )
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
                f"Use {decision.platform}'s own channel to {appeal}.",
                "The statement of reasons and the Transparency Database cover EU users only.",
                "Check the platform's own time limit for appeals; use the escalation "
                "register's expected response time for reminders.",
            ),
            is_law=False,
            filed_by=decision.acting_as,
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
        filed_by=decision.acting_as,
    )


def _public_reporting(decision: Decision) -> Remedy:
    return Remedy(
        RemedyCode.PUBLIC_REPORTING,
        "-",
        "Public reporting",
        "No legal procedure: documentation and advocacy",
        decision.informed_on,
        None,
        "none",
        (
            "Document the case for transparency reports, regulators, the press or a "
            "collective action, with the person's consent and only in forms that are safe "
            "to publish (no identity, small counts suppressed).",
            "Weigh the person's safety before anything is published.",
        ),
        is_law=False,
        filed_by=decision.acting_as,
    )
