"""Spreadsheet formula injection: text cells that begin with = + - @ a tab or a carriage
return get a leading apostrophe in CSV and XLSX; numbers and JSON are left alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from amparo.accounts.roles import Capability
from amparo.audit.models import AuditEvent
from amparo.exports import registry
from amparo.exports.registry import Column, Dataset
from tests.exports.conftest import body, read_csv, read_json, read_xlsx

DOWNLOAD = "/o/defenders/exports/download/"
HOSTILE = ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
SAFE = ["plain", "a=b", "x-1", 'comma, "quoted"\nand a new line']


def _rows(_query) -> Iterator[list]:
    for text in HOSTILE + SAFE:
        yield [text, -3, 1.5]


@pytest.fixture
def hostile_dataset():
    dataset = registry.register(
        Dataset(
            name="hostile_test",
            title="Hostile (test)",
            description="Cells an attacker would type.",
            capability=Capability.VIEW_CASES,
            columns=(
                Column("text", "string", "Text."),
                Column("whole", "integer", "A negative number."),
                Column("number", "number", "A number."),
            ),
            rows=_rows,
        )
    )
    yield dataset
    registry.unregister(dataset.name)


def test_csv_cells_that_look_like_formulas_get_an_apostrophe(people, signed_in, hostile_dataset):
    response = signed_in(people.carlos).get(DOWNLOAD, {"dataset": "hostile_test"})
    data = body(response)
    rows = read_csv(data)
    assert [r["text"] for r in rows] == ["'" + h for h in HOSTILE] + SAFE
    assert {r["whole"] for r in rows} == {"-3"}, "numbers are numbers, never prefixed"
    raw = data.decode()
    assert '"comma, ""quoted""\nand a new line"' in raw, "RFC 4180 quoting"
    assert AuditEvent.objects.filter(action="export.downloaded").last().new["rows"] == 10


def test_xlsx_cells_that_look_like_formulas_get_an_apostrophe(people, signed_in, hostile_dataset):
    response = signed_in(people.carlos).get(DOWNLOAD, {"dataset": "hostile_test", "format": "xlsx"})
    rows = read_xlsx(body(response))
    # XML reads a carriage return back as a line feed; the apostrophe is what matters.
    expected = ["'" + h.replace("\r", "\n") for h in HOSTILE] + SAFE
    assert [r["text"] for r in rows] == expected
    assert {r["whole"] for r in rows} == {-3} and {r["number"] for r in rows} == {1.5}


def test_json_keeps_the_text_as_it_is(people, signed_in, hostile_dataset):
    response = signed_in(people.carlos).get(DOWNLOAD, {"dataset": "hostile_test", "format": "json"})
    assert [r["text"] for r in read_json(body(response))["rows"]] == HOSTILE + SAFE


def test_a_real_audit_cell_is_neutralised(world, signed_in):
    """A staff account whose address begins with "=" (valid in e-mail): its events' actor."""
    from amparo.accounts import services as accounts
    from amparo.accounts.models import User
    from amparo.accounts.roles import Role

    odd = User.objects.create_user("=cmd@defenders.example", "x" * 20)
    accounts.add_member(world.org, odd, Role.ADMIN, actor=None)
    client = signed_in(odd)
    client.get(DOWNLOAD, {"dataset": "cases"})
    rows = read_csv(body(client.get(DOWNLOAD, {"dataset": "audit"})))
    assert "'=cmd@defenders.example" in {r["actor"] for r in rows}
    xlsx = read_xlsx(body(client.get(DOWNLOAD, {"dataset": "audit", "format": "xlsx"})))
    assert "'=cmd@defenders.example" in {r["actor"] for r in xlsx}


def test_a_second_dataset_with_the_same_name_is_refused(hostile_dataset):
    with pytest.raises(ValueError, match="already registered"):
        registry.register(
            Dataset(
                name="hostile_test",
                title="Another",
                description="",
                capability=Capability.VIEW_CASES,
                columns=(),
                rows=_rows,
            )
        )
    with pytest.raises(ValueError, match="unknown type"):
        Column("x", "text", "")  # type: ignore[arg-type]
