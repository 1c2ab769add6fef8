"""Demo collective redress: Schutzraum (Berlin, eligible under DSA Art 86(1)) coordinates a
collective action about account suspensions, with Línea Segura as partner; the partner's
caseworker approves its cases and records one signed mandate."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.utils import timezone

from amparo.accounts.models import Membership, Organisation, User
from amparo.accounts.roles import Role
from amparo.cases.models import Case
from amparo.collective import eligibility, mandates, proposals, services
from amparo.collective.models import CollectiveAction, Member, Proposal
from amparo.core import rls

COORDINATOR = "schutzraum"
PARTNER = "linea-segura"


def _person(organisation: Organisation, *roles: str) -> User | None:
    for role in roles:
        found = (
            Membership.objects.filter(organisation=organisation, role=role)
            .select_related("user")
            .first()
        )
        if found is not None:
            return found.user
    return None


def seed_collective() -> None:
    owner = Organisation.objects.filter(slug=COORDINATOR).first()
    partner = Organisation.objects.filter(slug=PARTNER).first()
    if owner is None or partner is None or CollectiveAction.objects.filter(organisation=owner):
        return
    coordinator = _person(owner, Role.COORDINATOR, Role.ADMIN)
    caseworker = _person(partner, Role.CASEWORKER, Role.ADMIN)
    with rls.bypass():
        platforms = Counter(
            Case.objects.filter(organisation=partner).values_list("platform", flat=True)
        )
    if coordinator is None or caseworker is None or not platforms:
        return
    eligibility.record_eligibility(
        owner,
        not_for_profit=True,
        registration_number="VR 40123 B",
        member_state="DE",
        statutory_objectives=(
            "Protecting human rights defenders and journalists online, including ensuring "
            "compliance with Regulation (EU) 2022/2065."
        ),
        dsa_interest=True,
        statutes=("satzung.txt", "text/plain", b"Satzung des Schutzraum e.V. (Demo)\n"),
        actor=coordinator,
    )
    platform = platforms.most_common(1)[0][0]
    today = timezone.localdate()
    action = services.open_action(
        owner,
        title="Suspensions of exiled journalists after false mass reporting",
        platform=platform,
        decision_type="account_suspended",
        decision_ground="incompatible_content",
        window_start=today - timedelta(days=365),
        window_end=today,
        community="Journalists and defenders in exile",
        actor=coordinator,
    )
    services.add_partner(action, partner, actor=coordinator)
    proposals.refresh(action, actor=coordinator)
    with rls.bypass():
        pending = list(Proposal.objects.filter(action=action, status=Proposal.Status.PENDING))
    for proposal in pending[:6]:
        services.accept_proposal(proposal, actor=coordinator)
    with rls.bypass():
        waiting = list(Member.objects.filter(action=action, approved_at__isnull=True))
    for member in waiting:
        services.approve_member(member, actor=caseworker)
    if not waiting:  # no case matched the pattern: the partner adds a few of its own
        with rls.bypass():
            own = list(Case.objects.filter(organisation=partner, platform=platform)[:3])
        waiting = [services.add_own_case(action, case, actor=caseworker) for case in own]
    if waiting:
        mandates.record_by_caseworker(
            waiting[0],
            channel="signed_form",
            evidence=("mandato-firmado.txt", "text/plain", b"Mandato firmado (demo)\n"),
            remedies=["art20_priority_complaint", "art53_complaint"],
            disclose_name=False,
            actor=caseworker,
        )
