"""Demo sharing: a hidden sharing group coordinated by Schutzraum with the three helplines in
it, so that their case pages show the attacker accounts they face in common, one approved
anonymised incident and one collective action looking for members."""

from __future__ import annotations

from amparo.accounts.models import Membership, Organisation, User
from amparo.accounts.roles import Role
from amparo.cases.models import Case
from amparo.core import rls
from amparo.sharing import items, services
from amparo.sharing.models import GroupMember, SharingGroup

OWNER = "schutzraum"
MEMBERS = ("linea-segura", "haq-cyber-helpline", "mtandao-haki")


def _person(organisation: Organisation, role: str) -> User | None:
    membership = (
        Membership.objects.filter(organisation=organisation, role=role)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def seed_sharing() -> None:
    owner = Organisation.objects.filter(slug=OWNER).first()
    if owner is None or SharingGroup.objects.filter(owner=owner).exists():
        return
    coordinator = _person(owner, Role.COORDINATOR) or _person(owner, Role.ADMIN)
    if coordinator is None:
        return
    group = services.create_group(
        owner,
        name="Digital defenders network",
        description="Helplines that compare attacker accounts without showing their cases.",
        hide_members=True,
        actor=coordinator,
    )
    for slug in MEMBERS:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            continue
        their = _person(organisation, Role.COORDINATOR) or _person(organisation, Role.ADMIN)
        if their is None:
            continue
        member = services.invite(group, organisation, actor=coordinator)
        with rls.organisation(organisation):
            services.answer_invitation(member, accept=True, actor=their)
    first = GroupMember.objects.filter(group=group, status="active").exclude(organisation=owner)
    sharer = first.select_related("organisation").first()
    if sharer is None:
        return
    organisation = sharer.organisation
    worker = _person(organisation, Role.CASEWORKER)
    reviewer = _person(organisation, Role.ADMIN) or _person(organisation, Role.COORDINATOR)
    with rls.organisation(organisation):
        case = Case.objects.filter(organisation=organisation).first()
        if case is not None and worker is not None and reviewer is not None:
            try:
                incident = items.propose_incident(
                    case,
                    distribution="group",
                    group=group,
                    at_risk_group="journalist",
                    actor=worker,
                )
                items.review(incident, approve=True, actor=reviewer)
            except Exception:  # noqa: S110  a demo case a reporter kept out of statistics
                pass
        if worker is not None and reviewer is not None:
            action = items.propose_collective_action(
                organisation,
                reference="",
                title="Joint complaint about false mass reporting of journalists' pages",
                description="We are collecting cases of pages suspended after coordinated "
                "false reports, for one complaint to the platform and the coordinator.",
                distribution="group",
                group=group,
                actor=worker,
            )
            items.review(action, approve=True, actor=reviewer)
