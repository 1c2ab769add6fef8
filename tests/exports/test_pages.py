"""The exports page and downloads, through Django's client: what each role sees, every dataset
in every format parsed back, filters, form errors, and the audit event of each export."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from amparo.audit.models import AuditEvent
from tests.exports.conftest import body, read_csv, read_json, read_xlsx, rows_of

DATASETS = ("reports", "cases", "escalations", "remedies", "figures", "audit")
FORMATS = ("csv", "json", "xlsx")
URL = "/o/defenders/exports/"
DOWNLOAD = "/o/defenders/exports/download/"


def test_an_administrator_downloads_every_dataset_in_every_format(world, signed_in):
    client = signed_in(world.alice)
    for name in DATASETS:
        for fmt in FORMATS:
            response = client.get(DOWNLOAD, {"dataset": name, "format": fmt})
            assert response.status_code == 200
            assert response["Content-Disposition"].startswith("attachment")
            assert f"defenders-{name}-" in response["Content-Disposition"]
            rows = rows_of(fmt, body(response))
            assert rows, f"{name} has rows in this world"
            assert len(rows) == int(response["X-Export-Rows"])
            event = AuditEvent.objects.filter(action="export.downloaded").last()
            assert event is not None and event.actor_id == world.alice.pk
            assert event.organisation_id == world.org.pk
            assert event.new == {
                "dataset": name,
                "format": fmt,
                "filters": {},
                "rows": len(rows),
                "via": "page",
            }
    assert AuditEvent.objects.filter(action="export.downloaded").count() == 18


def test_the_csv_is_rfc_4180_with_an_optional_byte_order_mark(world, signed_in):
    client = signed_in(world.alice)
    plain = body(client.get(DOWNLOAD, {"dataset": "escalations", "format": "csv"}))
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert plain.split(b"\r\n")[0].startswith(b"case,platform,channel,")
    assert plain.endswith(b"\r\n")
    marked = body(client.get(DOWNLOAD, {"dataset": "escalations", "format": "csv", "bom": "on"}))
    assert marked.startswith(b"\xef\xbb\xbf") and marked[3:] == plain
    assert AuditEvent.objects.filter(action="export.downloaded").last().new["bom"] is True


def test_the_json_carries_its_schema(world, signed_in):
    response = signed_in(world.alice).get(DOWNLOAD, {"dataset": "escalations", "format": "json"})
    assert response["Content-Type"] == "application/json"
    doc = read_json(body(response))
    assert doc["dataset"] == "escalations" and doc["schema_version"] == 1
    assert doc["organisation"] == {"slug": "defenders", "name": "Defenders Helpline"}
    assert dt.datetime.fromisoformat(doc["generated_at"]).tzinfo is not None
    assert {"name": "response_received_on", "type": "date"}.items() <= doc["columns"][9].items()
    (row,) = doc["rows"]
    assert row["case"] == world.case.reference and row["state"] == "responded"
    assert row["response_received_on"] == timezone.localdate().isoformat()
    assert dt.datetime.fromisoformat(row["sent_at"]).tzinfo is not None


def test_the_workbook_has_typed_cells_and_a_sheet_of_columns(world, signed_in):
    response = signed_in(world.alice).get(DOWNLOAD, {"dataset": "remedies", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = body(response)
    (row,) = read_xlsx(data)
    assert row["route"] == "art20_complaint" and row["step"] == 1
    assert row["case"] == world.case.reference
    assert row["includes_identity"] is False
    informed = row["informed_on"]
    assert informed.date() == timezone.localdate() - dt.timedelta(days=2)
    columns = read_xlsx(data, "columns")
    assert columns[1] == {
        "name": "decision_type",
        "type": "string",
        "description": "The platform's decision, a code.",
    }


def test_reports_are_pseudonymised_per_contact(world, signed_in):
    rows = read_csv(body(signed_in(world.alice).get(DOWNLOAD, {"dataset": "reports"})))
    assert len(rows) == 3, "three reports of this organisation, none of the other"
    by_case = {r["case"]: r for r in rows}
    (first,) = [r for r in rows if r["case"] == world.case.reference]
    (second,) = [r for r in rows if r["incident_type"] == "harassment"]
    assert first["reporter"] == second["reporter"], "the same contact, the same pseudonym"
    assert first["reporter"].startswith("P") and len(first["reporter"]) == 17
    (declined,) = [r for r in rows if r["consent_statistics"] == "no"]
    assert declined["reporter"] != first["reporter"]
    assert first["platform"] == "facebook" and first["country"] == "DE"
    assert world.declined_case.reference not in by_case


def test_a_date_range_is_whole_days_in_the_server_time_zone(world, signed_in, settings):
    import time_machine

    from amparo.cases.models import Case

    settings.TIME_ZONE = "America/Mexico_City"
    # Opened at 23:30 in Mexico City on 3 March: 4 March in UTC.
    opened = dt.datetime(2026, 3, 4, 5, 30, tzinfo=dt.UTC)
    Case.objects.filter(pk=world.case.pk).update(opened_at=opened)
    client = signed_in(world.alice)
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC), tick=False):
        timezone.activate("America/Mexico_City")
        try:
            on_3 = read_csv(
                body(
                    client.get(
                        DOWNLOAD, {"dataset": "cases", "since": "2026-03-03", "until": "2026-03-03"}
                    )
                )
            )
            on_4 = read_csv(
                body(
                    client.get(
                        DOWNLOAD, {"dataset": "cases", "since": "2026-03-04", "until": "2026-03-04"}
                    )
                )
            )
        finally:
            timezone.deactivate()
    assert [r["reference"] for r in on_3] == [world.case.reference]
    assert on_4 == []
    event = AuditEvent.objects.filter(action="export.downloaded").last()
    assert event.new["filters"] == {"since": "2026-03-04", "until": "2026-03-04"}
    assert event.new["rows"] == 0


def test_the_platform_filter(world, signed_in):
    client = signed_in(world.alice)
    rows = read_csv(body(client.get(DOWNLOAD, {"dataset": "escalations", "platform": "facebook"})))
    assert len(rows) == 1
    assert read_csv(body(client.get(DOWNLOAD, {"dataset": "escalations", "platform": "x"}))) == []
    assert AuditEvent.objects.filter(action="export.downloaded").last().new["filters"] == {
        "platform": "x"
    }


def test_bad_requests_say_why_and_export_nothing(world, signed_in):
    client = signed_in(world.alice)
    for query, field, message in (
        (
            {"dataset": "cases", "since": "2026-03-05", "until": "2026-03-04"},
            "until",
            "before its start",
        ),
        (
            {"dataset": "remedies", "platform": "facebook"},
            "platform",
            "cannot be filtered by platform",
        ),
        ({"dataset": "cases", "since": "5 March"}, "since", "Enter a valid date"),
        ({"dataset": "nonsense"}, "dataset", "Select a valid choice"),
        ({"dataset": "cases", "format": "pdf"}, "format", "Select a valid choice"),
    ):
        response = client.get(DOWNLOAD, query)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert field in response.context["form"].errors
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()


def test_the_page_lists_only_what_each_role_may_export(world, signed_in):
    def listed(user):
        client = signed_in(user)
        response = client.get(URL)
        client.logout()
        if response.status_code == 404:
            return None
        html = response.content.decode()
        return {name for name in DATASETS if f'id="dataset-{name}"' in html}

    everything = set(DATASETS)
    assert listed(world.alice) == everything
    assert listed(world.cora) == everything - {"audit"}
    assert listed(world.carlos) == everything - {"audit", "reports"}
    assert listed(world.vera) == everything - {"audit", "reports"}
    assert listed(world.ines) is None
    assert listed(world.rita) is None
    assert listed(world.otto) is None


def test_the_page_explains_each_column_and_links_tokens_for_administrators(world, signed_in):
    html = signed_in(world.alice).get(URL).content.decode()
    assert "<code>response_received_on</code>" in html
    assert "The day the platform&#x27;s first answer arrived" in html
    assert "Export tokens" in html
    assert f'href="{DOWNLOAD}?dataset=cases&amp;format=xlsx"' in html
    cora = signed_in(world.cora).get(URL).content.decode()
    assert "Export tokens" not in cora


def test_the_menu_links_the_exports_page_for_those_who_may_export(world, signed_in):
    for user, shown in ((world.carlos, True), (world.ines, False), (world.rita, False)):
        client = signed_in(user)
        html = client.get("/").content.decode()
        assert ('href="/o/defenders/exports/"' in html) is shown, user
        client.logout()


def test_the_page_speaks_the_staff_members_language(world, signed_in):
    client = signed_in(world.carlos)
    client.cookies["django_language"] = "ar"
    html = client.get(URL).content.decode()
    assert 'dir="rtl"' in html
    assert "التصدير" in html and "مجموعات البيانات التي يمكنك تصديرها" in html
