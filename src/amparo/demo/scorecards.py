"""Demo data of the scorecard and the takedown register, modelled on seed 002 (IGF 2023 WS #457,
ARTICLE 19): Turkey's demands to X, Meta and YouTube on the eve of the 14 May 2023 elections
under threat of throttling, and Vietnam's demands to Facebook and YouTube, complied with in the
overwhelming majority. Targets are invented accounts; the authorities and laws are real."""

from __future__ import annotations

from datetime import date
from typing import Any

from amparo.accounts.models import Organisation, User
from amparo.intake.models import RiskPeriod
from amparo.scorecards.models import Assessment
from amparo.scorecards.services import record_assessment
from amparo.takedowns.models import Demand
from amparo.takedowns.services import record_demand

SLUG = "schutzraum"

BTK = "Information and Communication Technologies Authority (BTK)"
MIC = "Ministry of Information and Communications (MIC)"

# (platform, authority country, authority, legal basis, day, scope, source, targets, response,
#  responded on)
DEMANDS: list[tuple[str, str, str, str, str, str, str, list[str], str, str]] = [
    *[
        (
            platform,
            "TR",
            BTK,
            "Law No. 5651, Art 8/A (amended October 2022: throttling up to 90 %)",
            day,
            "throttling_threat",
            source,
            [f"https://{host}/gazeteci_{i}/status/{1650000 + i}", f"@muhalif_haber_{i}"],
            response,
            responded,
        )
        for i, (platform, host, day, source, response, responded) in enumerate(
            [
                ("x", "x.com", "2023-05-12", "transparency_report", "geo_blocked", "2023-05-13"),
                ("x", "x.com", "2023-05-12", "platform_notice", "geo_blocked", "2023-05-13"),
                ("x", "x.com", "2023-05-13", "platform_notice", "geo_blocked", "2023-05-13"),
                (
                    "facebook",
                    "facebook.com",
                    "2023-05-12",
                    "transparency_report",
                    "geo_blocked",
                    "2023-05-13",
                ),
                ("facebook", "facebook.com", "2023-05-13", "hrd", "complied_partly", "2023-05-14"),
                ("youtube", "youtube.com", "2023-05-13", "hrd", "geo_blocked", "2023-05-13"),
                ("youtube", "youtube.com", "2023-05-13", "lumen", "unknown", ""),
                ("x", "x.com", "2023-02-20", "lumen", "refused", "2023-03-01"),
            ]
        )
    ],
    *[
        (
            platform,
            "VN",
            MIC,
            "Decree 72/2013/ND-CP; Cybersecurity Law 2018, Art 26",
            day,
            "geo_blocked",
            "transparency_report",
            [f"https://{host}/blogger.{i}", f"@nhabao_doclap_{i}"],
            response,
            responded,
        )
        for i, (platform, host, day, response, responded) in enumerate(
            [
                ("facebook", "facebook.com", "2023-03-06", "complied_fully", "2023-03-08"),
                ("facebook", "facebook.com", "2023-04-11", "complied_fully", "2023-04-12"),
                ("facebook", "facebook.com", "2023-06-02", "complied_fully", "2023-06-05"),
                ("youtube", "youtube.com", "2023-04-20", "complied_fully", "2023-04-21"),
                ("facebook", "facebook.com", "2023-07-15", "refused", "2023-07-30"),
            ]
        )
    ],
]

ASSESSMENTS: list[tuple[int, str, str, str, str, str]] = [
    (
        1,
        "met",
        "A corporate human rights policy commits to the UN Guiding Principles and names "
        "human rights defenders; endorsed by the board.",
        "Meta Corporate Human Rights Policy",
        "https://about.fb.com/wp-content/uploads/2021/04/Facebooks-Corporate-Human-Rights-Policy.pdf",
        "2021-03-16",
    ),
    (
        2,
        "partly",
        "The annual human rights report describes salient risks including to defenders; no "
        "gender analysis of the risks to women and LGBTI defenders is published.",
        "Meta Human Rights Report 2023",
        "https://humanrights.fb.com/annual-human-rights-report-2023/",
        "2023-09-14",
    ),
    (
        4,
        "no_evidence",
        "No implementation plan with benchmarks for the protection of defenders was found.",
        "Meta Human Rights Report 2023 (searched for benchmarks)",
        "https://humanrights.fb.com/annual-human-rights-report-2023/",
        "2023-09-14",
    ),
]


def seed_scorecards() -> None:
    organisation = Organisation.objects.get(slug=SLUG)
    coordinator: Any = User.objects.get(email=f"coordinator@{SLUG}.example.org")
    RiskPeriod.objects.get_or_create(
        organisation=organisation,
        country="TR",
        kind=RiskPeriod.Kind.ELECTION,
        starts_on=date(2023, 4, 14),
        ends_on=date(2023, 5, 28),
        defaults={"note": "General and presidential elections, 14 and 28 May 2023"},
    )
    if not Demand.objects.filter(organisation=organisation).exists():
        for (
            platform,
            country,
            authority,
            basis,
            day,
            scope,
            source,
            targets,
            response,
            responded,
        ) in DEMANDS:
            record_demand(
                organisation,
                data={
                    "platform": platform,
                    "authority_country": country,
                    "authority": authority,
                    "legal_basis": basis,
                    "demanded_on": date.fromisoformat(day),
                    "scope": scope,
                    "source": source,
                    "targets": [
                        {"kind": "url" if t.startswith("https://") else "account", "value": t}
                        for t in targets
                    ],
                    "response": response,
                    "responded_on": date.fromisoformat(responded) if responded else None,
                },
                actor=coordinator,
            )
    if not Assessment.objects.filter(organisation=organisation).exists():
        for action, finding, summary, title, url, day in ASSESSMENTS:
            record_assessment(
                organisation,
                platform="facebook",
                action=action,
                finding=finding,
                summary=summary,
                source_title=title,
                source_url=url,
                source_date=date.fromisoformat(day),
                assessed_on=date.fromisoformat(day),
                actor=coordinator,
            )
