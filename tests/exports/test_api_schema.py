"""The export operations against the API's own OpenAPI schema (schemathesis), with a token that
may export every dataset, so the 200 answers (CSV, JSON, XLSX) are checked too, not only 404s.
Bounded: at most 25 generated requests per operation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis")


def _schema() -> Any:
    from django.core.wsgi import get_wsgi_application

    from amparo.intake.api import api

    raw = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    return loaded.include(path_regex="^/api/v1/exports/")


schema = _schema()


@pytest.fixture
def keep_connection(db: Any) -> Iterator[None]:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def export_token(world: Any) -> str:
    from amparo.exports import registry
    from amparo.exports.services import create_export_token

    _t, secret = create_export_token(
        world.org, name="schema", datasets=registry.all_datasets(), actor=world.alice
    )
    return secret


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_exports_conform_to_the_schema(
    case: Any, export_token: str, keep_connection: None, settings: Any
) -> None:
    settings.AMPARO_API_LIMIT_PER_MINUTE = 100_000
    if (
        case.path_parameters
        and "dataset" in case.path_parameters
        and case.path_parameters["dataset"] in ("", None)
    ):
        return
    case.call_and_validate(
        headers={"Authorization": f"Bearer {export_token}"},
        # A schema-valid request can still be refused (422) by rules across fields the schema
        # does not express (an end before the start, dates on a dataset without them).
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
