"""Filings of a collective action, per member where the law needs it and together where it
allows, each checked against the mandates at preparation and again at filing time.

* Priority complaints, one per member (DSA Art 86(2): a body mandated under Art 86(1) files
  the person's Art 20 complaint, "processed and decided upon with priority"): the Art 20
  complaint is the person's own, so each member needs their own document.
* Art 21 submissions, one per member (the dispute is the person's; Art 21(1)).
* One joint Art 53 complaint to the Digital Services Coordinator of the member state of the
  platform's establishment (Art 53 lets "any body, organisation or association mandated to
  exercise the rights conferred by this Regulation on their behalf" complain; Art 56(1) makes
  the coordinator of establishment competent).
* One Art 23 notice to the platform when the cause is false mass reporting, citing the
  enforcement burst and co-action evidence of campaign detection (Art 23(2)-(3)).
* One representative-action file for a qualified entity (Directive (EU) 2020/1828, DSA Art 90).

Before any Art 86 filing the representing body's eligibility is checked
(``eligibility.require_standing``). No member without a valid mandate covering the use is in a
filing; a revoked member's prepared filings are withdrawn and a filing whose member's mandate no
longer covers it is refused.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.collective import documents, eligibility, mandates, states
from amparo.collective.models import CollectiveAction, Filing, Mandate, Member
from amparo.core import rls
from amparo.engines.remedies import ladder
from amparo.worker.registry import daily

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

K = Filing.Kind
#: The mandate use each kind of filing needs.
USE: dict[str, str] = {
    K.ART86_PRIORITY: "art20_priority_complaint",
    K.ART23_NOTICE: "art20_priority_complaint",
    K.ART21: "art21_out_of_court",
    K.ART53_JOINT: "art53_complaint",
    K.REPRESENTATIVE_ACTION: "representative_action",
}
PER_MEMBER = frozenset({K.ART86_PRIORITY, K.ART21})
OUTCOMES = ("upheld", "partly", "rejected", "no_answer")


def mandated(action: CollectiveAction, use: str, at: Any = None) -> list[tuple[Member, Mandate]]:
    """The approved members with a mandate covering ``use`` now (or at ``at``)."""
    at = at or timezone.now()
    found = []
    with rls.bypass():
        members = (
            Member.objects.filter(action=action, approved_at__isnull=False)
            .select_related("case", "case__data_key", "action", "action__organisation")
            .prefetch_related("mandates")
        )
        for member in members:
            mandate = mandates.covering(member, use, at=at)
            if mandate is not None:
                found.append((member, mandate))
    return found


def _coordinator(action: CollectiveAction, actor: Actor) -> None:
    require_capability(actor, action.organisation_id, Capability.COORDINATE)


def _save(
    action: CollectiveAction,
    kind: str,
    *,
    body: Any,
    language: str,
    text: str,
    sha: str,
    members: list[Member],
    actor: Actor,
    member: Member | None = None,
    member_language: str = "",
    member_text: str = "",
    cites: dict[str, Any] | None = None,
) -> Filing:
    filing = Filing(
        action=action,
        organisation_id=action.organisation_id,
        data_key_id=action.data_key_id,
        member=member,
        kind=kind,
        representing_body=body,
        language=language,
        member_language=member_language,
        document_sha256=sha,
        included_members=[str(m.pk) for m in members],
        cites=cites or {},
        created_by=actor,
    )
    filing.document_text = text
    filing.member_document_text = member_text
    filing.save()
    record(
        "collective.filing_prepared",
        actor=actor,
        obj=filing,
        new={"kind": kind, "members": len(members), "language": language},
    )
    return filing


def _open_kinds(action: CollectiveAction, kind: str) -> set[str]:
    """Members who already have a prepared or filed filing of ``kind``."""
    return {
        str(f.member_id)
        for f in Filing.objects.filter(
            action=action, kind=kind, status__in=(states.PREPARED, states.FILED, states.DECIDED)
        )
    }


def _start_filing(action: CollectiveAction, actor: Actor) -> None:
    if action.status == states.BUILDING:
        from amparo.collective.services import move_action

        move_action(action, states.FILING, actor=actor)


@transaction.atomic
def prepare_per_member(action: CollectiveAction, kind: str, *, actor: Actor) -> list[Filing]:
    """A priority Art 20 complaint (Art 86(2)) or an Art 21 submission for every member whose
    mandate covers it and who has none yet."""
    _coordinator(action, actor)
    if kind not in PER_MEMBER:
        raise ValidationError(_("This filing is made once for the whole action."))
    body = eligibility.require_standing(action.organisation)
    engine_kind = "art20_complaint" if kind == K.ART86_PRIORITY else "art21_submission"
    done = _open_kinds(action, kind)
    made = []
    for member, mandate in mandated(action, USE[kind]):
        if str(member.pk) in done:
            continue
        who = documents.person(member, mandate)
        main, theirs = documents.languages_for(action, who)
        text, sha = documents.engine_document(
            kind=engine_kind, language=main, body=body, action=action, who=who
        )
        member_text = ""
        if theirs:
            member_text, _sha = documents.engine_document(
                kind=engine_kind, language=theirs, body=body, action=action, who=who
            )
        made.append(
            _save(
                action,
                kind,
                body=body,
                language=main,
                text=text,
                sha=sha,
                members=[member],
                member=member,
                member_language=theirs,
                member_text=member_text,
                actor=actor,
            )
        )
    if not made:
        raise ValidationError(
            _("No member has a valid mandate for this filing that is not already prepared.")
        )
    _start_filing(action, actor)
    return made


def _joint_people(action: CollectiveAction, kind: str) -> tuple[list[Member], list[Any]]:
    pairs = mandated(action, USE[kind])
    if not pairs:
        raise ValidationError(_("No member has a valid mandate for this filing."))
    return [m for m, _m in pairs], [documents.person(m, mandate) for m, mandate in pairs]


@transaction.atomic
def prepare_art53(action: CollectiveAction, *, actor: Actor) -> Filing:
    """One joint Art 53 complaint to the coordinator of the platform's establishment."""
    from amparo.remedies.routes import coordinator

    _coordinator(action, actor)
    body = eligibility.require_standing(action.organisation)
    members, people = _joint_people(action, K.ART53_JOINT)
    state = documents.establishment(action.organisation, action.platform)
    dsc = coordinator(action.organisation, state)
    language = documents.platform_language(action.organisation, action.platform)
    facts = _(
        "This complaint is lodged jointly for %(count)s persons who mandated us under Article "
        "86(1): %(names)s. Their accounts were restricted by the same kind of decision between "
        "%(start)s and %(end)s."
    )
    from django.utils import translation

    with translation.override(language):
        facts = facts % {
            "count": len(people),
            "names": ", ".join(p.name or p.pseudonym for p in people),
            "start": action.window_start.isoformat(),
            "end": action.window_end.isoformat(),
        }
    text, sha = documents.engine_document(
        kind="art53_complaint",
        language=language,
        body=body,
        action=action,
        who=None,
        facts=facts,
        recipient=dsc.name if dsc else "",
        member_state=state,
    )
    filing = _save(
        action,
        K.ART53_JOINT,
        body=body,
        language=language,
        text=text,
        sha=sha,
        members=members,
        actor=actor,
    )
    _start_filing(action, actor)
    return filing


def campaigns_cited(action: CollectiveAction) -> list[Any]:
    """The enforcement burst the action was built from and the co-action groups among its
    accepted proposals' reasons."""
    from amparo.campaigns.models import Campaign

    ids = {str(action.campaign_id)} if action.campaign_id else set()
    with rls.bypass():
        for proposal in action.proposals.filter(status="accepted"):
            for reason in proposal.reasons or []:
                if reason.get("code") in ("campaign_burst", "co_action"):
                    ids.add(reason["campaign"])
    return list(
        Campaign.objects.filter(pk__in=ids, organisation_id=action.organisation_id).order_by(
            "starts_at"
        )
    )


@transaction.atomic
def prepare_art23(action: CollectiveAction, *, actor: Actor) -> Filing:
    """The Art 23 notice to the platform, with the burst and co-action evidence."""
    _coordinator(action, actor)
    body = eligibility.require_standing(action.organisation)
    campaigns = campaigns_cited(action)
    if not campaigns:
        raise ValidationError(
            _(
                "An Art 23 notice cites the evidence of false mass reporting: build the action "
                "from a campaign, or accept members found in one."
            )
        )
    members, people = _joint_people(action, K.ART23_NOTICE)
    language = documents.platform_language(action.organisation, action.platform)
    text, sha, cites = documents.art23_notice(
        action=action, body=body, people=people, campaigns=campaigns, language=language
    )
    filing = _save(
        action,
        K.ART23_NOTICE,
        body=body,
        language=language,
        text=text,
        sha=sha,
        members=members,
        actor=actor,
        cites=cites,
    )
    _start_filing(action, actor)
    return filing


@transaction.atomic
def prepare_representative_action(action: CollectiveAction, *, actor: Actor) -> Filing:
    _coordinator(action, actor)
    body = eligibility.require_standing(action.organisation)
    members, people = _joint_people(action, K.REPRESENTATIVE_ACTION)
    with rls.bypass():
        steps = list(action.filings.exclude(status=states.WITHDRAWN))
    text, sha = documents.representative_action_file(
        action=action, body=body, people=people, filings=steps, language="en"
    )
    filing = _save(
        action,
        K.REPRESENTATIVE_ACTION,
        body=body,
        language="en",
        text=text,
        sha=sha,
        members=members,
        actor=actor,
    )
    _start_filing(action, actor)
    return filing


def _move(filing: Filing, action: str, **changes: Any) -> None:
    current = Filing.objects.filter(pk=filing.pk).values_list("status", flat=True).first()
    to = states.check_filing(current or filing.status, action)
    if not Filing.objects.filter(pk=filing.pk, status=current).update(status=to, **changes):
        raise ValidationError(_("This filing was changed a moment ago; open it again."))
    filing.status = to
    for name, value in changes.items():
        setattr(filing, name, value)


@transaction.atomic
def approve(filing: Filing, *, actor: Actor) -> Filing:
    """A second person approves what leaves (as for an escalation carrying personal data):
    a coordinator or administrator of the coordinating organisation who did not prepare it."""
    _coordinator(filing.action, actor)
    if filing.created_by_id == getattr(actor, "pk", None):
        raise ValidationError(_("A second person approves a filing: not the one who prepared it."))
    _move(filing, "approve", approved_by=actor, approved_at=timezone.now())
    record("collective.filing_approved", actor=actor, obj=filing, new={"kind": filing.kind})
    return filing


#: A filed filing whose decision is overdue is chased every this many days.
CHASE_EVERY_DAYS = 7
CHASE_JOB = "collective.chase_filings"


def chase_overdue(today: date | None = None) -> int:
    """Tell the coordinating team about every filed filing whose expected decision is past
    (Art 20(4) "without undue delay"; the ODS body's 90 days, Art 21(4)), again every week
    while no decision is recorded. Returns how many were chased."""
    from datetime import timedelta

    from amparo.intake.notifying import notify, team

    today = today or timezone.localdate()
    count = 0
    with rls.bypass():
        due = Filing.objects.filter(status=states.FILED, decision_due__lt=today).select_related(
            "action__organisation"
        )
        for filing in due:
            if filing.chased_on and filing.chased_on > today - timedelta(days=CHASE_EVERY_DAYS):
                continue
            with transaction.atomic():
                if not Filing.objects.filter(pk=filing.pk, status=states.FILED).update(
                    chased_on=today
                ):
                    continue
                organisation = filing.action.organisation
                notify(
                    team(organisation),
                    organisation,
                    "collective_filing_overdue",
                    link="collective_action",
                    object_id=filing.action_id,
                )
                record(
                    "collective.filing_chased",
                    obj=filing,
                    organisation=filing.organisation_id,
                    new={"kind": filing.kind, "due": str(filing.decision_due)},
                )
                count += 1
    return count


@daily(CHASE_JOB)
def _chase_daily(job: Any) -> None:
    chase_overdue()


@transaction.atomic
def file(filing: Filing, *, filed_on: date, reference: str, actor: Actor) -> Filing:
    """Record that the filing went out on ``filed_on``: every member it names must still be
    covered by a valid mandate now (Art 86(1): revocable at any time)."""
    action = filing.action
    _coordinator(action, actor)
    if filed_on > timezone.localdate():
        raise ValidationError(_("The day it was filed cannot be in the future."))
    if filed_on < timezone.localdate(filing.created_at):
        raise ValidationError(_("The day it was filed cannot be before it was prepared."))
    covered = {str(m.pk) for m, _m in mandated(action, USE[filing.kind])}
    missing = [m for m in filing.included_members if m not in covered]
    if missing:
        raise ValidationError(
            _(
                "A member named in this filing no longer has a valid mandate for it: withdraw "
                "it and prepare it again."
            )
        )
    due = None
    if filing.kind == K.ART86_PRIORITY:
        due = ladder.art20_expected_decision(filed_on)
    elif filing.kind == K.ART21:
        due = ladder.ods_decision_due(filed_on)
    _move(
        filing,
        "file",
        filed_on=filed_on,
        filed_at=timezone.now(),
        reference=reference.strip()[:200],
        decision_due=due,
    )
    record(
        "collective.filing_filed",
        actor=actor,
        obj=filing,
        new={"kind": filing.kind, "filed_on": filed_on.isoformat()},
    )
    return filing


@transaction.atomic
def decide(filing: Filing, *, outcome: str, decided_on: date, actor: Actor) -> Filing:
    _coordinator(filing.action, actor)
    if outcome not in OUTCOMES:
        raise ValidationError(_("Unknown outcome."))
    if decided_on > timezone.localdate() or (filing.filed_on and decided_on < filing.filed_on):
        raise ValidationError(_("The day of the decision must be between filing and today."))
    _move(filing, "decide", outcome=outcome, decided_on=decided_on)
    record("collective.filing_decided", actor=actor, obj=filing, new={"outcome": outcome})
    return filing


@transaction.atomic
def withdraw(filing: Filing, *, actor: Actor) -> Filing:
    _coordinator(filing.action, actor)
    _move(filing, "withdraw")
    record("collective.filing_withdrawn", actor=actor, obj=filing, new={"kind": filing.kind})
    return filing


def withdraw_for_member(member: Member) -> int:
    """A member revoked: every filing not yet filed that names them is withdrawn (they leave every
    future filing; a joint one is prepared again without them)."""
    count = 0
    with rls.bypass():
        open_states = (states.PREPARED, states.APPROVED)
        for filing in Filing.objects.filter(action_id=member.action_id, status__in=open_states):
            if str(member.pk) not in (filing.included_members or []):
                continue
            if Filing.objects.filter(pk=filing.pk, status__in=open_states).update(
                status=states.WITHDRAWN
            ):
                count += 1
                record(
                    "collective.filing_withdrawn",
                    obj=filing,
                    organisation=filing.organisation_id,
                    new={"kind": filing.kind, "reason": "mandate_revoked"},
                )
    return count
