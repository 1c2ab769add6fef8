"""Per-token API rate limits: 429 with Retry-After, counted per token in the shared cache."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.core.cache import caches
from django.test import Client

from amparo.intake import tokens


def status(token: str):
    return Client().get(
        "/api/v1/reports/00000000-0000-0000-0000-000000000000",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_one_request_over_the_limit_gets_429_with_retry_after(people, token, settings):
    settings.AMPARO_API_LIMIT_PER_MINUTE = 3
    _t, other = tokens.create(
        people.org, name="another system", scopes=["reports:status"], actor=people.alice
    )
    with time_machine.travel(datetime(2030, 3, 4, 9, 0, 15, tzinfo=UTC), tick=False) as clock:
        assert [status(token).status_code for _ in range(3)] == [404, 404, 404]
        limited = status(token)
        assert limited.status_code == 429
        assert limited["Retry-After"] == "45"  # the rest of the minute
        assert limited.json()["detail"].startswith("too many requests")
        # Another token is not affected; the first one is still limited.
        assert status(other).status_code == 404
        assert status(token).status_code == 429
        # Also for submissions, before anything is stored.
        response = Client().post(
            "/api/v1/reports",
            "{}",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == 429
        # The next minute it may send again.
        clock.move_to(datetime(2030, 3, 4, 9, 1, 0, tzinfo=UTC) + timedelta(seconds=1))
        assert status(token).status_code == 404


def test_counters_are_in_the_shared_cache_keyed_by_token_not_address(people, token, settings):
    from amparo.intake.models import ApiToken

    settings.AMPARO_API_LIMIT_PER_MINUTE = 2
    with time_machine.travel(datetime(2030, 3, 4, 9, 0, 0, tzinfo=UTC), tick=False):
        for address in ("198.51.100.1", "203.0.113.9"):  # other addresses: the same counter
            Client(REMOTE_ADDR=address).get(
                "/api/v1/reports/00000000-0000-0000-0000-000000000000",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
        assert status(token).status_code == 429
        window = int(datetime(2030, 3, 4, 9, 0, 0, tzinfo=UTC).timestamp() // 60)
        assert caches["default"].get(f"api-rate:{ApiToken.objects.get().pk}:{window}") == 3


def test_the_schema_declares_429_and_retry_after(db):
    schema = Client().get("/api/v1/openapi.json").json()
    for path, method in (("/api/v1/reports", "post"), ("/api/v1/reports/{report_id}", "get")):
        answer = schema["paths"][path][method]["responses"]["429"]
        assert "Retry-After" in answer["headers"]
        assert "application/json" in answer["content"]
