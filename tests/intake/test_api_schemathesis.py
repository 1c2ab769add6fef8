"""Property-based checks of the API against its own OpenAPI schema (schemathesis): no server
errors, every answer (status code, body, headers) conforms to what the schema declares, and
requests the schema forbids are refused. Bounded: at most 50 generated requests per operation."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.conftest import STRICT

# CI (strict mode) needs this check: there a missing schemathesis is an error, not a skip.
schemathesis = (
    importlib.import_module("schemathesis") if STRICT else pytest.importorskip("schemathesis")
)


def _schema() -> Any:
    from django.core.wsgi import get_wsgi_application

    from amparo.intake.api import api

    raw = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()


@pytest.fixture
def keep_connection(db: Any) -> Iterator[None]:
    """As Django's test client does: keep the test's database connection open between the
    requests schemathesis makes through the WSGI application."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_conforms_to_its_schema(
    case: Any, token: str, keep_connection: None, settings: Any
) -> None:
    settings.AMPARO_API_LIMIT_PER_MINUTE = 100_000  # the limit has its own tests
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        # A schema-valid report can still be refused (422) by rules across fields that the
        # schema does not express: contact consent "yes" needs a contact method, the country
        # must be a known code, ... Everything else is checked, including that requests the
        # schema forbids are refused.
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
