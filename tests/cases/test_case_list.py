"""The case list at scale: the stored open flag, keyset paging, targeted search, constant queries
and the planner statistics job (cases/listing.py, worker/jobs.py)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amparo.cases import listing, services, states
from amparo.cases.models import Case
from tests.cases.conftest import new_report

LIST = "/o/defenders/cases/"


def open_cases(people, n, **report):
    return [
        services.open_case(
            people.org,
            reports=[new_report(people.org, **report)],
            title=f"case {i}",
            actor=people.carlos,
        )
        for i in range(n)
    ]


def references(html: str) -> list[str]:
    return re.findall(r'aria-label="Select (C-[A-Z0-9]{7})"', html)


def next_href(html: str) -> str:
    m = re.search(r'<a href="([^"]*)" rel="next">', html)
    return LIST + m.group(1).replace("&amp;", "&") if m else ""


def in_step(case: Case) -> bool:
    case.refresh_from_db()
    return case.is_open == (case.status in states.OPEN)


# ------------------------------------------------------------------------------ the open flag


def test_the_open_flag_follows_every_transition(people, case):
    assert case.is_open and in_step(case)
    path = [
        ("triaged", ""),
        ("in_progress", ""),
        ("escalated", ""),
        ("awaiting_platform", ""),
        ("resolved", "account_restored"),
        ("in_progress", ""),  # reopened
        ("closed", "advice_given"),
        ("in_progress", ""),  # reopened from closed
        ("closed", "withdrawn"),
    ]
    for to, outcome in path:
        services.transition_case(case, to, actor=people.carlos, outcome=outcome)
        assert in_step(case), to
    assert not case.is_open


def test_bulk_moves_keep_the_open_flag_in_step(people, signed_in):
    cases = open_cases(people, 3)
    services.transition_case(cases[2], "closed", actor=people.carlos, outcome="advice_given")
    client = signed_in(people.carlos)
    client.post(
        LIST + "?view=all",
        {"case": [str(c.pk) for c in cases], "bulk": "closed", "outcome": "no_action"},
    )
    assert all(in_step(c) and not c.is_open for c in cases)
    client.post(LIST + "?view=all", {"case": [str(c.pk) for c in cases], "bulk": "in_progress"})
    assert all(in_step(c) and c.is_open for c in cases)
    changed, refused = services.bulk_transition(
        cases, "resolved", actor=people.carlos, outcome="no_action"
    )
    assert changed == 3 and not refused
    assert all(in_step(c) and not c.is_open for c in cases)


def test_saving_the_status_alone_saves_the_flag_too(people, case):
    case.status = states.Status.CLOSED
    case.outcome = states.Outcome.WITHDRAWN
    case.save(update_fields=["status", "outcome"])
    assert in_step(case) and not case.is_open


def test_the_database_refuses_a_flag_out_of_step(people, case):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(is_open=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=states.Status.CLOSED)


def test_the_open_and_closed_views_use_the_flag(people, signed_in):
    cases = open_cases(people, 3)
    services.transition_case(cases[0], "closed", actor=people.carlos, outcome="advice_given")
    client = signed_in(people.carlos)
    assert set(references(client.get(LIST + "?view=open").content.decode())) == {
        cases[1].reference,
        cases[2].reference,
    }
    assert references(client.get(LIST + "?view=closed").content.decode()) == [cases[0].reference]


# ------------------------------------------------------------------------------ paging


@pytest.fixture
def tied(people):
    """31 cases, most of them with the same urgency and the very same updated_at."""
    cases = open_cases(people, 31)
    same = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    Case.objects.filter(pk__in=[c.pk for c in cases[:20]]).update(updated_at=same, urgency_rank=2)
    Case.objects.filter(pk__in=[c.pk for c in cases[20:26]]).update(
        updated_at=same + timedelta(microseconds=1), urgency_rank=2
    )
    Case.objects.filter(pk__in=[c.pk for c in cases[26:]]).update(urgency_rank=0)
    return cases


def expected_order(people) -> list[str]:
    return list(
        Case.objects.filter(organisation=people.org)
        .order_by("urgency_rank", "-updated_at", "pk")
        .values_list("reference", flat=True)
    )


@pytest.mark.parametrize("size", [1, 4, 7, 31, 40])
def test_cursor_pages_return_the_numbered_pages_rows_in_order_with_ties(people, tied, size):
    cases = Case.objects.filter(organisation=people.org)
    numbered, number = [], 1
    while True:
        page = listing.paginate(cases, size=size, number=number)
        numbered.append([c.reference for c in page])
        if not page.has_next():
            break
        number += 1
    by_cursor, page = [], listing.paginate(cases, size=size, number=1)
    by_cursor.append([c.reference for c in page])
    while page.has_next():
        page = listing.paginate(cases, size=size, after=page.next_cursor)
        assert page.number == len(by_cursor) + 1
        by_cursor.append([c.reference for c in page])
    assert by_cursor == numbered
    assert [r for p in by_cursor for r in p] == expected_order(people)


def test_the_next_link_walks_the_whole_list_through_the_view(people, tied, signed_in):
    client = signed_in(people.carlos)
    url, seen, numbers = LIST + "?view=all&size=25&q=mx", [], []
    while url:
        html = client.get(url).content.decode()
        seen += references(html)
        numbers.append(re.search(r"Page (\d+) of (\d+)", html).groups())
        url = next_href(html)
        assert not url or ("after=" in url and "q=mx" in url and "size=25" in url)
    assert seen == expected_order(people)
    assert numbers == [("1", "2"), ("2", "2")]
    numbered = client.get(LIST + "?view=all&size=25&page=2").content.decode()
    assert references(numbered) == seen[25:]
    assert 'rel="prev"' in numbered and "page=1" in numbered


@pytest.mark.parametrize(
    "after",
    [
        "garbage",
        "x" * 5000,
        signing.dumps([0, 1, "0" * 32, 2], salt="another.salt"),
        signing.dumps(["rank", "when", "who", "page"], salt="amparo.cases.list.cursor"),
        signing.dumps([0, 10**30, "0" * 32, 2], salt="amparo.cases.list.cursor"),
        signing.dumps([0, 1, "not-a-uuid", 2], salt="amparo.cases.list.cursor"),
        signing.dumps({"a": 1}, salt="amparo.cases.list.cursor"),
    ],
)
def test_a_bad_cursor_shows_the_first_page(people, tied, signed_in, after):
    client = signed_in(people.carlos)
    response = client.get(LIST, {"view": "all", "size": "25", "after": after})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Page 1 of 2" in html
    assert references(html) == expected_order(people)[:25]


@pytest.mark.parametrize(
    ("page", "shown"), [("abc", "1"), ("", "1"), ("0", "2"), ("-3", "2"), ("99999", "2")]
)
def test_bad_page_numbers_are_handled_as_before(people, tied, signed_in, page, shown):
    response = signed_in(people.carlos).get(LIST, {"view": "all", "size": "25", "page": page})
    assert response.status_code == 200
    assert f"Page {shown} of 2" in response.content.decode()


def test_a_cursor_of_a_case_closed_since_still_gives_the_rows_after_it(people, tied):
    cases = Case.objects.filter(organisation=people.org)
    before = expected_order(people)
    first = listing.paginate(listing.work_view(cases, "open", None), size=4, number=1)
    services.transition_case(first[3], "closed", actor=people.carlos, outcome="advice_given")
    after = listing.paginate(
        listing.work_view(cases, "open", None), size=4, after=first.next_cursor
    )
    assert [c.reference for c in after] == before[4:8]
    assert after.number == 2


# ------------------------------------------------------------------------------ search


def test_search_finds_by_reference_platform_country_and_tag(people, signed_in):
    mx_tiktok = open_cases(people, 2, platform="tiktok", country="MX")
    co_facebook = open_cases(people, 1, platform="facebook", country="CO")[0]
    on_x = open_cases(people, 1, platform="x", country="CO")[0]
    services.set_tags(co_facebook, ["Elections", "x"], actor=people.carlos)
    client = signed_in(people.carlos)

    def found(q: str) -> set[str]:
        return set(references(client.get(LIST, {"view": "all", "q": q}).content.decode()))

    tiktok = {c.reference for c in mx_tiktok}
    assert found(co_facebook.reference.lower()) == {co_facebook.reference}
    assert found("tiktok") == found("TikTok") == tiktok
    assert found("mx") == found("MX") == found("Mexico") == tiktok
    assert found("elections") == found("ELECTIONS") == {co_facebook.reference}
    # "x" is a platform (X) and, here, a tag too: both match, as before.
    assert found("x") == {co_facebook.reference, on_x.reference}
    assert found("X (Twitter)") == {on_x.reference}
    assert found("co") == found("Colombia") == {co_facebook.reference, on_x.reference}
    assert found("facebook") == {co_facebook.reference}
    assert found("nothing-like-this") == set()
    assert found("C-ZZZZZZZ") == set()


def test_search_stays_inside_the_organisation(people, signed_in):
    mine = open_cases(people, 1, platform="tiktok")[0]
    services.set_tags(mine, ["elections"], actor=people.carlos)
    other = services.open_case(
        people.other_org,
        reports=[new_report(people.other_org, platform="tiktok")],
        title="elsewhere",
        actor=people.otto,
    )
    services.set_tags(other, ["elections"], actor=people.otto)
    client = signed_in(people.carlos)
    for q in ("tiktok", "elections", "mx", other.reference):
        html = client.get(LIST, {"view": "all", "q": q}).content.decode()
        assert other.reference not in references(html)
        assert references(html) == ([] if q == other.reference else [mine.reference])
    assert signed_in(people.otto).get(LIST).status_code == 404


def test_the_tag_filter_lists_only_cases_with_that_tag(people, signed_in):
    cases = open_cases(people, 3)
    services.set_tags(cases[0], ["elections", "doxxing"], actor=people.carlos)
    services.set_tags(cases[1], ["doxxing"], actor=people.carlos)
    html = signed_in(people.carlos).get(LIST, {"view": "all", "tag": "doxxing"}).content.decode()
    assert set(references(html)) == {cases[0].reference, cases[1].reference}


# ------------------------------------------------------------------------------ queries


@pytest.mark.parametrize(
    "query", ["view=all", "view=open", "view=mine", "view=all&q=mx", "view=all&q=elections"]
)
def test_queries_are_the_same_for_every_page_size_and_for_cursor_pages(people, signed_in, query):
    cases = open_cases(people, 30)
    for i, c in enumerate(cases):
        services.set_tags(c, ["elections", f"t{i % 3}"], actor=people.carlos)
        services.assign_case(c, people.carlos, actor=people.carlos)
    client = signed_in(people.carlos)
    client.get(LIST)  # warm caches

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    first = client.get(f"{LIST}?{query}&size=25").content.decode()
    counts = {
        "25": count(f"{LIST}?{query}&size=25"),
        "50": count(f"{LIST}?{query}&size=50"),
        "100": count(f"{LIST}?{query}&size=100"),
        "page 2": count(f"{LIST}?{query}&size=25&page=2"),
        "next": count(next_href(first)),
    }
    assert len(set(counts.values())) == 1 and counts["25"] <= 15, counts


def test_the_list_loads_only_what_it_shows(people, signed_in):
    open_cases(people, 3)
    client = signed_in(people.carlos)
    client.get(LIST)
    with CaptureQueriesContext(connection) as captured:
        client.get(LIST + "?view=all")
    page = next(q["sql"] for q in captured if "IN (SELECT" in q["sql"] and "LIMIT" in q["sql"])
    assert "password" not in page and "security_stamp" not in page


# ------------------------------------------------------------------------------ statistics


def test_the_daily_job_refreshes_sqlite_statistics_and_schedules_itself(people):
    from amparo.worker import services as worker
    from amparo.worker.jobs import OPTIMIZE_DATABASE
    from amparo.worker.models import ScheduledJob

    open_cases(people, 2)
    worker.schedule(OPTIMIZE_DATABASE, key="optimize-today", due_at=timezone.now())
    [job] = worker.claim_due("w")
    worker.run_job(job)
    assert ScheduledJob.objects.get(key="optimize-today").status == ScheduledJob.Status.DONE
    assert ScheduledJob.objects.filter(
        kind=OPTIMIZE_DATABASE, status=ScheduledJob.Status.PENDING, due_at__gt=timezone.now()
    ).exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'cases_case'")
            assert "case_list_idx" in {row[0] for row in cursor.fetchall()}


def test_the_statistics_job_does_nothing_on_postgresql(db):
    from amparo.worker.jobs import optimize_database

    assert optimize_database() is (connection.vendor == "sqlite")


def test_the_worker_schedules_the_daily_jobs_once_a_day(db):
    from amparo.accounts.retention import APPLY_RETENTION
    from amparo.audit.jobs import PUBLISH_HEAD
    from amparo.campaigns.schedules import JOB as SCHEDULED_RUNS
    from amparo.intake.digest import JOB as DIGEST
    from amparo.intake.queue import INDEX_SEARCH
    from amparo.worker.jobs import HOUSEKEEPING, OPTIMIZE_DATABASE, schedule_daily_jobs
    from amparo.worker.models import ScheduledJob

    schedule_daily_jobs()
    schedule_daily_jobs()  # a restart the same day adds nothing
    assert sorted(ScheduledJob.objects.values_list("kind", flat=True)) == sorted(
        [
            HOUSEKEEPING,
            OPTIMIZE_DATABASE,
            PUBLISH_HEAD,
            APPLY_RETENTION,
            INDEX_SEARCH,
            SCHEDULED_RUNS,
            DIGEST,
            "collective.chase_filings",
            "sharing.refresh_digests",
            "federation.ensure_sync",
        ]
    )


def test_migrate_gathers_statistics_on_sqlite(db):
    from django.db.models.signals import post_migrate

    from amparo.worker.jobs import optimize_after_migrate

    assert optimize_after_migrate in [entry[1]() for entry in post_migrate.receivers]
    if connection.vendor == "sqlite":  # the test database was made by migrate
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_open_flag_from_the_status():
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.recorder import MigrationRecorder

    from amparo.accounts.services import create_organisation
    from amparo.keyring.services import organisation_key

    org = create_organisation(name="Old Data", slug="old-data", actor=None)
    key = organisation_key(org)
    before, after = [("cases", "0002_referral")], [("cases", "0003_case_list_indexes")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        OldCase = executor.loader.project_state(before).apps.get_model("cases", "Case")
        now = timezone.now()
        for i, status in enumerate(states.Status.values):
            OldCase.objects.create(
                organisation_id=org.pk,
                data_key_id=key.pk,
                reference=f"C-OLD{i:04d}",
                status=status,
                incident_type="doxxing",
                platform="x",
                opened_at=now,
                updated_at=now,
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert after[0] in MigrationRecorder(connection).applied_migrations()
    flags = dict(Case.objects.filter(organisation=org).values_list("status", "is_open"))
    assert flags == {s: s in states.OPEN for s in states.Status.values}
