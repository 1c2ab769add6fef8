"""PostgreSQL row-level security on case data (amparo.core.rls): a query that forgets the
organisation filter still sees only the organisation the request or job is for."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.utils import timezone

from amparo.core import rls
from amparo.intake.models import Report
from amparo.intake.services import submit_report
from amparo.worker.models import ScheduledJob
from amparo.worker.registry import scheduled
from amparo.worker.services import run_job
from tests.intake.conftest import valid_report


def careless(request: HttpRequest, org_slug: str) -> JsonResponse:
    """A view that forgets both the access check and the organisation filter."""
    return JsonResponse(
        {"reports": sorted(str(pk) for pk in Report.objects.values_list("pk", flat=True))}
    )


urlpatterns = [
    path("o/<slug:org_slug>/careless/", careless),
    path("report/<slug:org_slug>/careless/", careless),
    path("", include("amparo.urls")),
]

SEEN_BY_JOB: list[set[str]] = []


@scheduled("test.rls_probe")
def _probe(job: Any) -> None:
    SEEN_BY_JOB.append({str(pk) for pk in Report.objects.values_list("pk", flat=True)})


# Row-level security is PostgreSQL's: these run in the PostgreSQL pass only.
postgres_only = pytest.mark.database("postgresql")


def make(org: Any) -> Report:
    from amparo.intake.forms import ReportForm

    form = ReportForm(valid_report())
    assert form.is_valid(), form.errors
    return submit_report(org, form.report_fields(), channel="web_form", language="en").report


@pytest.fixture
def enforced(db: Any) -> Iterator[None]:
    """Superusers (the test database's usual owner) ignore RLS: act as an ordinary role then."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
        privileged = cursor.fetchone()[0]
        if privileged:
            role = f"amparo_rls_probe_{uuid.uuid4().hex[:8]}"
            cursor.execute(f"CREATE ROLE {role} NOLOGIN")
            cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
            cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
            cursor.execute(f"SET ROLE {role}")
    yield
    if privileged:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@pytest.fixture
def two_orgs(people: Any) -> tuple[Report, Report]:
    return make(people.org), make(people.other_org)


@postgres_only
def test_every_case_table_has_a_forced_policy(db: Any) -> None:
    from importlib import import_module

    # The first migration set the policies; later ones add them to the tables they create.
    in_migrations = [
        *import_module("amparo.core.migrations.0004_row_level_security").TABLES,
        *import_module("amparo.intake.migrations.0005_queue_work").RLS_TABLES,
        *import_module("amparo.cases.migrations.0004_statement_match").RLS_TABLES,
        *import_module("amparo.sharing.migrations.0002_row_level_security").RLS_TABLES,
        *import_module("amparo.collective.migrations.0001_initial").RLS_TABLES,
        *import_module("amparo.takedowns.migrations.0001_initial").RLS_TABLES,
    ]
    assert sorted(in_migrations) == sorted(rls.TABLES)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity"
            " AND relname = ANY(%s)",
            [list(rls.TABLES)],
        )
        forced = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT tablename FROM pg_policies WHERE policyname = %s", [rls.POLICY])
        with_policy = {row[0] for row in cursor.fetchall()}
    assert forced == set(rls.TABLES) == with_policy


@postgres_only
def test_a_request_sees_only_its_organisation(
    enforced: None, two_orgs: tuple[Report, Report], people: Any, signed_in: Any, settings: Any
) -> None:
    settings.ROOT_URLCONF = __name__
    mine, theirs = two_orgs
    client = signed_in(people.alice)
    assert client.get("/o/defenders/careless/").json() == {"reports": [str(mine.pk)]}
    # A member of A asking for B's URL gets nothing of B (the view forgot to check access).
    assert client.get("/o/other/careless/").json() == {"reports": []}
    # Outside an organisation's URL: nothing.
    assert rls.current() == rls.BYPASS  # restored after each request
    otto = signed_in(people.otto)
    assert otto.get("/o/other/careless/").json() == {"reports": [str(theirs.pk)]}


@postgres_only
def test_the_public_form_sees_only_the_organisation_of_its_url(
    enforced: None, two_orgs: tuple[Report, Report], client: Any, settings: Any
) -> None:
    settings.ROOT_URLCONF = __name__
    _, theirs = two_orgs
    assert client.get("/report/other/careless/").json() == {"reports": [str(theirs.pk)]}
    assert client.get("/report/nobody/careless/").json() == {"reports": []}


@postgres_only
def test_no_organisation_sees_nothing_and_cannot_write(
    enforced: None, two_orgs: tuple[Report, Report], people: Any
) -> None:
    mine, theirs = two_orgs
    assert Report.objects.count() == 2  # connections start with the bypass
    with rls.organisation(None):
        assert rls.current() == rls.NOTHING
        assert Report.objects.count() == 0
        assert Report.objects.filter(pk=theirs.pk).update(language="fr") == 0
    with connection.cursor() as cursor:
        cursor.execute(f"RESET {rls.SETTING}")  # never set: NULL, not the bypass
    assert Report.objects.count() == 0
    rls.set_scope(rls.BYPASS)
    with rls.organisation(people.org):
        assert list(Report.objects.values_list("pk", flat=True)) == [mine.pk]
        assert Report.objects.filter(pk=theirs.pk).update(language="fr") == 0
        with pytest.raises(DatabaseError, match="row-level security"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE intake_report SET organisation_id = %s WHERE id = %s",
                    [people.other_org.pk, mine.pk],
                )
    assert Report.objects.get(pk=mine.pk).organisation_id == people.org.pk


@postgres_only
def test_a_job_for_one_organisation_sees_only_its_rows(
    enforced: None, two_orgs: tuple[Report, Report], people: Any
) -> None:
    _, theirs = two_orgs
    SEEN_BY_JOB.clear()
    for org in (people.other_org, None):
        job = ScheduledJob.objects.create(
            kind="test.rls_probe",
            key=f"rls:{org and org.pk}",
            due_at=timezone.now(),
            organisation=org,
        )
        run_job(job)
    assert [{str(theirs.pk)}, {str(r.pk) for r in two_orgs}] == SEEN_BY_JOB
    assert rls.current() == rls.BYPASS


@pytest.mark.database("sqlite")
def test_on_sqlite_the_scope_is_a_no_op(db: Any) -> None:
    rls.set_scope(rls.NOTHING)
    with rls.organisation(None):
        assert rls.current() is None
