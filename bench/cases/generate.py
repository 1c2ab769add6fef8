"""Fill a migrated Amparo database with one organisation and N realistic cases, fast.

Run inside a process where Django is set up (``run.py`` does it). The organisation, its people
and their roles go through Amparo's services, as an administrator would create them; the cases
themselves are written with ``bulk_create`` in batches (opening 100,000 cases one by one through
``services.open_case`` would take hours and the list view reads nothing a report adds). Titles
are encrypted exactly as ``Case.save`` encrypts them: ``bulk_create`` calls each field's
``pre_save``, and ``EncryptedTextField.pre_save`` seals the value under the organisation's data
key, bound to the row's id (``check_encrypted`` proves it on a sample).

Distributions, deterministic from the seed, over the year before now:

* status: 58 % closed, 8 % resolved, 5 % new, 5 % triaged, 11 % in progress, 4 % escalated,
  9 % awaiting the platform (so about a third of the cases are open);
* urgency: 4 % critical, 14 % high, 42 % medium, 40 % low;
* platforms, countries and incident types weighted as a Latin-American / MENA / Eastern-European
  helpline sees them; the queue is ``<language>:<region>`` as intake computes it;
* assignees: 20 caseworkers with unequal loads (weights 1/sqrt(rank)); most new cases are
  unassigned, nearly every other case has someone;
* tags: 30 % of cases carry 1-3 of 24 tags (Zipf-like popularity);
* next due time: 45 % of open cases have one, from 10 days ago to 14 days ahead (so about 40 %
  of those are overdue); closed and resolved cases have none.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from typing import Any

ORG_SLUG = "bench-helpline"
BATCH = 5_000
CASEWORKERS = 20
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

STATUSES = {
    "closed": 58,
    "resolved": 8,
    "new": 5,
    "triaged": 5,
    "in_progress": 11,
    "escalated": 4,
    "awaiting_platform": 9,
}
URGENCY = {"critical": 4, "high": 14, "medium": 42, "low": 40}
PLATFORMS = {
    "facebook": 22,
    "instagram": 17,
    "x": 15,
    "tiktok": 10,
    "whatsapp": 7,
    "youtube": 7,
    "telegram": 6,
    "threads": 2,
    "messenger": 2,
    "linkedin": 2,
    "gmail": 2,
    "google-search": 1,
    "snapchat": 1,
    "bluesky": 1,
    "vk": 1,
    "signal": 1,
    "reddit": 1,
    "mastodon": 1,
    "other": 1,
}
# country: (weight, language of most reports from there)
COUNTRIES = {
    "MX": (9, "es"),
    "CO": (6, "es"),
    "BR": (6, "pt"),
    "VE": (5, "es"),
    "NI": (4, "es"),
    "GT": (3, "es"),
    "SV": (3, "es"),
    "HN": (2, "es"),
    "PE": (2, "es"),
    "AR": (2, "es"),
    "CU": (2, "es"),
    "TR": (5, "tr"),
    "EG": (4, "ar"),
    "IR": (4, "fa"),
    "SY": (2, "ar"),
    "PS": (3, "ar"),
    "LB": (2, "ar"),
    "TN": (1, "ar"),
    "RU": (4, "ru"),
    "BY": (3, "ru"),
    "UA": (3, "uk"),
    "GE": (2, "en"),
    "AZ": (2, "en"),
    "KZ": (1, "ru"),
    "IN": (4, "en"),
    "PK": (3, "en"),
    "BD": (2, "en"),
    "PH": (3, "en"),
    "MM": (2, "en"),
    "KE": (2, "en"),
    "NG": (2, "en"),
    "ET": (1, "en"),
    "UG": (1, "en"),
    "ZW": (1, "en"),
    "US": (1, "en"),
    "DE": (1, "en"),
    "": (2, "en"),
}
INCIDENTS = {
    "account_suspended": 22,
    "content_removed": 14,
    "false_mass_reporting": 10,
    "harassment": 12,
    "threats_of_violence": 6,
    "doxxing": 5,
    "impersonation": 8,
    "account_hacked": 9,
    "ncii": 2,
    "smear_campaign": 5,
    "government_takedown": 3,
    "reach_reduced": 2,
    "internet_shutdown": 1,
    "other": 1,
}
OUTCOMES = {
    "account_restored": 30,
    "content_restored": 12,
    "content_removed": 14,
    "no_action": 20,
    "withdrawn": 5,
    "referred": 7,
    "advice_given": 12,
}
TAGS = [
    "elections",
    "journalist",
    "exile",
    "lgbtqi",
    "whrd",
    "indigenous",
    "land-defender",
    "student",
    "lawyer",
    "union",
    "coordinated",
    "state-actor",
    "repeat",
    "verified-account",
    "media-outlet",
    "ngo-account",
    "protest",
    "minor-involved",
    "legal-threat",
    "dsa",
    "priority-partner",
    "press-freedom",
    "climate",
    "refugee",
]
WHO = [
    "an investigative journalist",
    "a community radio",
    "a women's rights collective",
    "an exiled reporter",
    "a land defender",
    "a student union",
    "a human rights lawyer",
    "an LGBTQI+ activist",
    "an independent outlet",
    "a trade unionist",
    "an election observer group",
    "a press freedom NGO",
]
WHAT = {
    "account_suspended": "account suspended without explanation",
    "content_removed": "reporting on protests removed",
    "false_mass_reporting": "page taken down after a mass-reporting wave",
    "harassment": "sustained harassment in replies and DMs",
    "threats_of_violence": "death threats after a broadcast",
    "doxxing": "home address published with photos",
    "impersonation": "fake account collecting donations",
    "account_hacked": "account taken over, 2FA changed",
    "ncii": "intimate images posted by an ex-partner",
    "smear_campaign": "coordinated smear campaign before the vote",
    "government_takedown": "takedown order from the ministry",
    "reach_reduced": "reach dropped to almost nothing",
    "internet_shutdown": "throttled during the strike",
    "other": "needs advice on a platform decision",
}


def _pick(rng: random.Random, weights: dict[str, Any], k: int) -> list[str]:
    names = list(weights)
    w = [v[0] if isinstance(v, tuple) else v for v in weights.values()]
    return rng.choices(names, weights=w, k=k)


def create_people() -> dict[str, Any]:
    """The organisation, an administrator, 20 caseworkers and a viewer, through the services."""
    from amparo.accounts import services
    from amparo.accounts.models import User
    from amparo.accounts.roles import Role
    from amparo.cases.models import Tag
    from amparo.keyring.services import organisation_key

    org = services.create_organisation(
        name="Bench Helpline", slug=ORG_SLUG, country="MX", default_language="es", actor=None
    )

    def person(email: str, role: str, name: str) -> Any:
        user = User.objects.create_user(email, None, display_name=name)  # unusable password
        services.add_member(org, user, role, actor=None)
        return user

    admin = person("admin@bench.example", Role.ADMIN, "Admin")
    workers = [
        person(f"caseworker{i:02d}@bench.example", Role.CASEWORKER, f"Caseworker {i:02d}")
        for i in range(CASEWORKERS)
    ]
    viewer = person("viewer@bench.example", Role.VIEWER, "Viewer")
    tags = Tag.objects.bulk_create(Tag(organisation=org, name=n) for n in TAGS)
    return {
        "org": org,
        "admin": admin,
        "workers": workers,
        "viewer": viewer,
        "tags": tags,
        "key": organisation_key(org),
    }


def give_totp(user: Any) -> None:
    """A TOTP authenticator, so the mandatory-MFA middleware lets the account through."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TOTP_SECRET)


def generate_cases(n: int, seed: int = 7) -> dict[str, Any]:
    """Create the people and ``n`` cases; returns what the measurement needs and timings."""
    from django.db import transaction
    from django.utils import timezone

    from amparo.cases.models import Case
    from amparo.core.platforms import platform_name
    from amparo.core.regions import region_of
    from amparo.intake.choices import URGENCY_ORDER

    started = time.perf_counter()
    rng = random.Random(seed)
    people = create_people()
    org, key, workers, tags = people["org"], people["key"], people["workers"], people["tags"]
    worker_weights = [1 / (i + 1) ** 0.5 for i in range(len(workers))]
    tag_weights = [1 / (i + 1) for i in range(len(tags))]
    open_statuses = {"new", "triaged", "in_progress", "escalated", "awaiting_platform"}
    now = timezone.now()
    year = timedelta(days=365).total_seconds()
    references: set[str] = set()
    through = Case.tags.through
    stats = {"tagged": 0, "tag_rows": 0, "with_due": 0, "overdue": 0, "assigned": 0, "open": 0}

    def reference() -> str:
        while True:
            ref = "C-" + "".join(rng.choice(ALPHABET) for _ in range(7))
            if ref not in references:
                references.add(ref)
                return ref

    done = 0
    while done < n:
        k = min(BATCH, n - done)
        statuses = _pick(rng, STATUSES, k)
        levels = _pick(rng, URGENCY, k)
        platforms = _pick(rng, PLATFORMS, k)
        countries = _pick(rng, COUNTRIES, k)
        incidents = _pick(rng, INCIDENTS, k)
        cases: list[Case] = []
        links: list[Any] = []
        for i in range(k):
            status, country, incident = statuses[i], countries[i], incidents[i]
            opened = now - timedelta(seconds=rng.random() * year)
            # Open cases were touched recently; closed ones some weeks after opening.
            age = (now - opened).total_seconds()
            if status in open_statuses:
                updated = now - timedelta(seconds=rng.random() * min(age, 30 * 86400))
            else:
                updated = opened + timedelta(seconds=min(age, rng.expovariate(1 / (20 * 86400))))
            case = Case(
                organisation=org,
                data_key=key,
                reference=reference(),
                status=status,
                is_open=status in open_statuses,
                incident_type=incident,
                platform=platforms[i],
                country=country,
                queue=f"{COUNTRIES[country][1]}:{region_of(country)}",
                urgency_level=levels[i],
                urgency_rank=URGENCY_ORDER[levels[i]],
                opened_at=opened,
                updated_at=updated,
            )
            case.title = (
                f"{platform_name(platforms[i])}: {rng.choice(WHO)}, {WHAT[incident]}"
                f" ({country or 'unknown country'})"
            )
            if status in open_statuses:
                stats["open"] += 1
                if status == "new" and rng.random() < 0.8:
                    case.assignee = None
                else:
                    case.assignee = rng.choices(workers, weights=worker_weights)[0]
                if rng.random() < 0.45:
                    case.next_due_at = now + timedelta(seconds=rng.uniform(-10, 14) * 86400)
                    stats["with_due"] += 1
                    stats["overdue"] += case.next_due_at < now
            else:
                if rng.random() < 0.95:
                    case.assignee = rng.choices(workers, weights=worker_weights)[0]
                case.outcome = _pick(rng, OUTCOMES, 1)[0]
                if case.outcome == "account_restored":
                    case.account_restored_on = updated.date()
                if status == "closed":
                    case.closed_at = updated
            stats["assigned"] += case.assignee is not None
            cases.append(case)
            if rng.random() < 0.30:
                chosen = {
                    t.pk: t for t in rng.choices(tags, weights=tag_weights, k=rng.randint(1, 3))
                }
                stats["tagged"] += 1
                links.extend(through(case_id=case.pk, tag_id=pk) for pk in chosen)
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=BATCH)
            through.objects.bulk_create(links, batch_size=BATCH)
        stats["tag_rows"] += len(links)
        done += k
    stats["seconds"] = round(time.perf_counter() - started, 1)
    check_encrypted()
    return {"people": people, "stats": stats}


def check_encrypted() -> None:
    """Titles are sealed in the database and open again through the model (a few rows)."""
    from django.db import connection

    from amparo.cases.models import Case
    from amparo.keyring.fields import Sealed

    sample = list(Case.objects.select_related("data_key").order_by("reference")[:5])
    with connection.cursor() as cursor:
        for case in sample:
            cursor.execute(
                "SELECT title FROM cases_case WHERE id = %s",
                [case.pk.hex if connection.vendor == "sqlite" else case.pk],
            )
            raw = bytes(cursor.fetchone()[0])
            assert isinstance(case.__dict__["title"], Sealed)
            title = case.title
            assert title and title.encode() not in raw, "title stored in clear"
