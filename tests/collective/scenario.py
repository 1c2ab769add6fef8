"""A coalition as the tests meet it: the Defenders Helpline in Berlin coordinates, Voces Libres
is its partner on the same server; twelve journalists in exile had their Instagram accounts
suspended in the same week, after an enforcement burst that campaign detection found."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone

NAMES = [
    "Amira Haddad",
    "Bahar Karimi",
    "Chinedu Okafor",
    "Dilnoza Yusupova",
    "Elena Morozova",
    "Farid Rahimi",
    "Gulnara Sadykova",
    "Hamid Nouri",
    "Iryna Kovalenko",
    "Javad Tehrani",
    "Kamila Abdullaeva",
    "Leyla Aliyeva",
]
PASSWORD = "correct horse battery staple"


@dataclass
class Coalition:
    coordinator_org: Any
    partner_org: Any
    coordinator: Any  # Alice, coordinator (admin) of the helpline
    caseworker: Any  # Carlos, caseworker at the helpline
    partner_caseworker: Any  # Paula, caseworker at Voces Libres
    outsider: Any  # Otto, of an unrelated organisation
    partner_admin: Any  # Pablo, administrator of Voces Libres
    approver: Any = None  # Cora, the helpline's coordinator: the second person who approves
    campaign: Any = None
    cases: list[Any] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    reports: list[Any] = field(default_factory=list)


def handle(i: int) -> str:
    return f"@exile_reporter_{i:02d}"


def build(*, per_org: tuple[int, int] = (7, 5), eligible: bool = True) -> Coalition:
    from amparo.accounts import services as accounts
    from amparo.accounts.models import User
    from amparo.campaigns.models import Campaign, DetectionRun
    from amparo.cases.services import open_case
    from amparo.intake.forms import ReportForm
    from amparo.intake.services import submit_report
    from amparo.keyring.services import organisation_key
    from tests.intake.conftest import valid_report

    helpline = accounts.create_organisation(name="Defenders Helpline", slug="defenders", actor=None)
    partner = accounts.create_organisation(name="Voces Libres", slug="voces", actor=None)
    other = accounts.create_organisation(name="Other Org", slug="other", actor=None)

    def person(email: str, org: Any, role: str) -> Any:
        user = User.objects.create_user(email, PASSWORD, display_name=email.split("@")[0].title())
        accounts.add_member(org, user, role, actor=None)
        return user

    alice = person("alice@defenders.example", helpline, "admin")
    carlos = person("carlos@defenders.example", helpline, "caseworker")
    paula = person("paula@voces.example", partner, "caseworker")
    otto = person("otto@other.example", other, "admin")
    pablo = person("pablo@voces.example", partner, "admin")
    cora = person("cora@defenders.example", helpline, "coordinator")
    today = timezone.localdate()
    start = today - timedelta(days=6)
    run = DetectionRun.objects.create(
        organisation=helpline,
        data_key=organisation_key(helpline),
        created_by=alice,
        status=DetectionRun.Status.DONE,
        inputs=[],
    )
    campaign = Campaign(
        organisation=helpline,
        data_key=run.data_key,
        run=run,
        engine_id="burst-1",
        kind="enforcement_burst",
        score=0.93,
        account_count=12,
        item_count=12,
        starts_at=datetime.combine(start, datetime.min.time(), tzinfo=UTC),
        ends_at=datetime.combine(start + timedelta(days=2), datetime.min.time(), tzinfo=UTC),
        signals=["suspensions_burst"],
    )
    campaign.detail = {"accounts": [handle(i).lstrip("@") for i in range(12)], "items": []}
    campaign.save()
    coalition = Coalition(
        helpline, partner, alice, carlos, paula, otto, pablo, approver=cora, campaign=campaign
    )
    for i in range(sum(per_org)):
        org, worker = (helpline, carlos) if i < per_org[0] else (partner, paula)
        form = ReportForm(
            valid_report(
                incident_type="account_suspended",
                platform="instagram",
                country="DE",
                narrative=f"My account was suspended after a wave of false reports ({i}).",
                affected=handle(i),
                attackers="@troll_one",
                reporter_name=NAMES[i],
                consent_share_identity="yes" if i % 2 == 0 else "no",
                contact_value=f"+49 30 1234 56{i:02d}",
            )
        )
        assert form.is_valid(), form.errors
        submission = submit_report(org, form.report_fields(), channel="web_form", language="en")
        case = open_case(org, reports=[submission.report], title=f"Suspension {i}", actor=worker)
        coalition.cases.append(case)
        coalition.codes.append(submission.followup_code)
        coalition.reports.append(submission.report)
    if eligible:
        make_eligible(helpline, alice)
    return coalition


def make_eligible(organisation: Any, actor: Any) -> None:
    from amparo.accounts.identity import update_identity
    from amparo.collective.eligibility import record_eligibility

    update_identity(
        organisation,
        {
            "legal_name": f"{organisation.name} e.V.",
            "registration_number": "VR 41234 B",
            "registration_country": "DE",
            "postal_address": "Oranienstraße 25\n10999 Berlin",
            "notice_email": f"dsa@{organisation.slug}.example",
        },
        actor=actor,
    )
    organisation.refresh_from_db()
    record_eligibility(
        organisation,
        not_for_profit=True,
        registration_number="VR 41234 B",
        member_state="DE",
        statutory_objectives="Protecting journalists and defenders online, including DSA compliance.",
        dsa_interest=True,
        statutes=("statutes.pdf", "application/pdf", b"%PDF-1.4 statutes of the association"),
        actor=actor,
    )


def open_from_campaign(c: Coalition) -> Any:
    from amparo.collective import services

    return services.open_action(
        c.coordinator_org,
        title="Instagram suspensions of exiled journalists",
        platform="instagram",
        decision_type="account_suspended",
        decision_ground="incompatible_content",
        window_start=c.campaign.starts_at.date() - timedelta(days=1),
        window_end=timezone.localdate(),
        community="Journalists in exile",
        campaign=c.campaign,
        actor=c.coordinator,
    )


def all_members(c: Coalition, action: Any) -> list[Any]:
    """Invite the partner, find and accept every proposal, the partner approves its cases."""
    from amparo.collective import proposals, services
    from amparo.collective.models import Member, Proposal

    services.add_partner(action, c.partner_org, actor=c.coordinator)
    proposals.refresh(action, actor=c.coordinator)
    for proposal in Proposal.objects.filter(action=action, status="pending"):
        services.accept_proposal(proposal, actor=c.coordinator)
    for member in Member.objects.filter(action=action, approved_at__isnull=True):
        services.approve_member(member, actor=c.partner_caseworker)
    return list(Member.objects.filter(action=action).select_related("case", "action"))


def day(d: date) -> date:
    return d
