"""PostgreSQL row-level security: an export streamed after the view returned (the middleware
has put the connection's scope back by then) still reads its organisation's rows, and only
those, as an ordinary database role that the policies bind."""

from __future__ import annotations

import pytest

from tests.exports.conftest import body, read_csv, read_json
from tests.test_row_level_security import enforced  # noqa: F401 (a fixture)

pytestmark = pytest.mark.database("postgresql")


def test_a_streamed_export_reads_under_the_organisations_scope(world, signed_in, enforced):  # noqa: F811
    client = signed_in(world.alice)
    response = client.get("/o/defenders/exports/download/", {"dataset": "reports"})
    assert response.streaming
    rows = read_csv(body(response))
    assert len(rows) == int(response["X-Export-Rows"]) == 3
    doc = read_json(
        body(client.get("/o/defenders/exports/download/", {"dataset": "cases", "format": "json"}))
    )
    assert {r["reference"] for r in doc["rows"]} == {
        world.case.reference,
        world.declined_case.reference,
    }
