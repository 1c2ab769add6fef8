"""Bulk import from a spreadsheet: everything or nothing, with a report per row."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from amparo.intake.models import Report

HEADER = "incident_type,platform,narrative,country,attackers,occurred_on\n"


def upload(client, name: str, data: bytes):
    return client.post("/o/defenders/reports/import/", {"file": SimpleUploadedFile(name, data)})


def test_a_clean_csv_is_imported_whole(people, signed_in):
    rows = (
        HEADER + "harassment,x,Daily abusive replies from the same accounts.,PK,@a,2026-10-01\n"
        "account_suspended,instagram,Suspended after mass reporting.,TR,,2026-11-02\n"
    )
    response = upload(signed_in(people.carlos), "reports.csv", rows.encode())
    assert response.status_code == 200
    assert Report.objects.filter(channel="import").count() == 2
    assert "2 reports imported" in response.content.decode()


def test_one_bad_row_imports_nothing_and_names_the_row(people, signed_in):
    rows = (
        HEADER + "harassment,x,Fine row.,PK,,\n"
        "teleportation,x,Bad type.,PK,,\n"
        "harassment,nowhere,Bad platform.,PK,,2999-01-01\n"
    )
    response = upload(signed_in(people.carlos), "reports.csv", rows.encode())
    page = response.content.decode()
    assert not Report.objects.exists()
    assert "Nothing was imported" in page
    assert "<td>3</td><td>incident_type</td>" in page
    assert "<td>4</td><td>platform</td>" in page and "<td>4</td><td>occurred_on</td>" in page


def test_xlsx_works_too(people, signed_in):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Type", "Platform", "Description", "Country"])
    sheet.append(["doxxing", "telegram", "My address was posted in a channel.", "IR"])
    out = io.BytesIO()
    book.save(out)
    upload(signed_in(people.carlos), "coalition.xlsx", out.getvalue())
    assert Report.objects.get().incident_type == "doxxing"


def test_a_viewer_cannot_import(people, signed_in):
    response = upload(
        signed_in(people.vera), "r.csv", (HEADER + "harassment,x,Text.,PK,,\n").encode()
    )
    assert response.status_code == 404
    assert not Report.objects.exists()
