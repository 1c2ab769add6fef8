"""CSV import of takedown demands: every valid row kept, every bad one reported by line with
its reason; odd files (byte-order mark, semicolons, quoted line breaks, wrong encoding, missing
columns, ragged rows) handled in words."""

from __future__ import annotations

import pytest
import time_machine

from amparo.audit.models import AuditEvent
from amparo.takedowns import importer
from amparo.takedowns.models import Demand

pytestmark = pytest.mark.django_db

URL = "/o/defenders/takedowns/import/"
NOW = "2023-06-30T12:00:00+00:00"
HEADER = "platform,authority_country,authority,legal_basis,demanded_on,scope,source,targets,response,responded_on"


def upload(client, text: str | bytes, name: str = "demands.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    raw = text.encode() if isinstance(text, str) else text
    return client.post(URL, {"file": SimpleUploadedFile(name, raw, content_type="text/csv")})


@time_machine.travel(NOW, tick=False)
def test_good_rows_are_kept_and_bad_ones_reported_by_line(people, signed_in):
    text = "\n".join(
        [
            HEADER,
            'x,TR,BTK,"Law No. 5651, Art 8/A",2023-05-12,geo_blocked,transparency_report,"https://x.com/a/status/1\n@a",geo_blocked,2023-05-13',
            "facebook,VN,MIC,Decree 72,2023-03-01,global,lumen,@b,complied_fully,2023-03-02",
            "facebook,Vietnam,MIC,Decree 72,2023-03-01,global,lumen,@c,complied_fully,2023-03-02",
            "",
            "youtube,TR,BTK,,2023-13-01,sideways,rumour,,refused,",
            "youtube,TR,BTK,,2023-05-10,global,hrd,,refused,2023-05-01",
            "youtube,TR,BTK,,2023-05-10,global,hrd,,refused,,surplus",
            "youtube,TR,BTK,,2023-07-10,global,hrd,,unknown,",
        ]
    )
    response = upload(signed_in(people.carlos), text)
    page = response.content.decode()
    assert "2 demands recorded." in page and "5 rows not recorded:" in page
    assert Demand.objects.count() == 2
    x = Demand.objects.get(platform="x")
    assert x.targets == [
        {"kind": "url", "value": "https://x.com/a/status/1"},
        {"kind": "account", "value": "@a"},
    ]
    assert x.legal_basis == "Law No. 5651, Art 8/A"
    # Line numbers are those of the file (the quoted line break makes row 2 two lines long).
    assert "<td>5</td>" in page and "Give the country as two letters" in page
    assert "<td>7</td>" in page and "demanded_on: Enter a valid date." in page
    assert "scope: Select a valid choice. sideways is not one of the available choices." in page
    assert "<td>8</td>" in page and "The response cannot come before the demand." in page
    assert "<td>9</td>" in page and "This row has more cells than the header." in page
    assert "<td>10</td>" in page and "cannot be in the future" in page
    event = AuditEvent.objects.get(action="takedown.imported")
    assert event.new == {"created": 2, "rejected_lines": [5, 7, 8, 9, 10], "file_error": False}
    assert AuditEvent.objects.filter(action="takedown.recorded").count() == 2


@time_machine.travel(NOW, tick=False)
def test_excel_files_with_a_byte_order_mark_and_semicolons_are_read(people, signed_in):
    text = (
        "\ufeff"
        + HEADER.replace(",", ";")
        + "\nx;TR;BTK;;2023-05-12;geo_blocked;hrd;@a;refused;2023-05-20\n"
    )
    page = upload(signed_in(people.carlos), text).content.decode()
    assert "1 demand recorded." in page
    assert Demand.objects.get().response == "refused"


@time_machine.travel(NOW, tick=False)
def test_a_file_that_cannot_be_read_says_why_and_records_nothing(people, signed_in):
    client = signed_in(people.carlos)
    page = upload(
        client,
        (HEADER + "\nx,TR,İstanbul Valiliği,,2023-05-12,global,hrd,,unknown,\n").encode("cp1254"),
    ).content.decode()
    assert "The file is not UTF-8 text" in page
    page = upload(client, "platform,authority\nx,BTK\n").content.decode()
    assert (
        "Columns missing from the first line: authority_country, demanded_on, scope, source."
        in page
    )
    page = upload(client, HEADER + ",colour\n").content.decode()
    assert "Unknown columns: colour." in page
    page = upload(client, "").content.decode()
    assert "The submitted file is empty." in page or "The file is empty." in page
    assert not Demand.objects.exists()


def test_the_template_is_downloadable_and_imports_as_it_is(people, signed_in):
    client = signed_in(people.carlos)
    response = client.get(URL + "template.csv")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert response.content.decode().splitlines()[0] == ",".join(importer.COLUMNS)
    page = upload(client, response.content).content.decode()
    assert "1 demand recorded." in page


def test_only_writers_import(people, signed_in):
    assert upload(signed_in(people.vera), HEADER).status_code == 404
    assert signed_in(people.vera).get(URL + "template.csv").status_code == 404
    assert upload(signed_in(people.otto), HEADER).status_code == 404
    assert not AuditEvent.objects.filter(action="takedown.imported").exists()
