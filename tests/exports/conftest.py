"""A world to export, made through the real services.

Besides the people of tests/conftest.py: Cora, a coordinator of the Defenders Helpline; Rita, a
researcher there. Reports:

* Zephyrine's (consents to statistics) — two reports from the same contact, one in a case with
  an escalation (sent, answered), a platform decision and a remedy step;
* Noor's (does not consent to statistics), on TikTok in Brazil, in a case of its own;
* one report of Other Org.

Every reporter-typed field carries a canary that must never appear in an export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest

from tests.intake.conftest import valid_report

# Canaries: each holds letters that are not hexadecimal, so no hash or id can contain them.
NAME_CANARY = "Zephyrine Quokkafeld"
CONTACT_CANARY = "canaryzq7391@example.org"
NARRATIVE_CANARY = "NARRATIVEZQX"
OTHER_CANARIES = ("NOTICEZQX", "affectedzqx", "attackerzqx", "GENDERZQX", "TITLEZQX", "FACTSZQX")
CANARIES = (
    "quokkafeld",
    "zephyrine",
    "canaryzq",
    NARRATIVE_CANARY.lower(),
    *[c.lower() for c in OTHER_CANARIES],
)


def report_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "reporter_name": NAME_CANARY,
        "contact_method": "email",
        "contact_value": CONTACT_CANARY,
        "narrative": f"They suspended my page. {NARRATIVE_CANARY} {NAME_CANARY} {CONTACT_CANARY}",
        "platform_notice": "Your page was removed. NOTICEZQX",
        "affected": "@affectedzqx",
        "attackers": "@attackerzqx",
        "gender": "GENDERZQX",
    }
    data.update(overrides)
    return valid_report(**data)


def submit(org: Any, **overrides: Any) -> Any:
    from amparo.intake.forms import ReportForm
    from amparo.intake.services import submit_report

    form = ReportForm(report_data(**overrides))
    assert form.is_valid(), form.errors
    return submit_report(org, form.report_fields(), channel="web_form", language="es").report


class World:
    pass


@pytest.fixture
def world(people: Any) -> Any:
    from django.utils import timezone

    from amparo.accounts import services as accounts
    from amparo.accounts.models import User
    from amparo.accounts.roles import Role
    from amparo.cases.services import open_case
    from amparo.escalations import lifecycle, register
    from amparo.escalations import services as escalations
    from amparo.remedies import services as remedies

    w = people
    w.cora = User.objects.create_user("cora@defenders.example", "x" * 20)
    accounts.add_member(w.org, w.cora, Role.COORDINATOR, actor=None)
    w.rita = User.objects.create_user("rita@defenders.example", "x" * 20)
    accounts.add_member(w.org, w.rita, Role.RESEARCHER, actor=None)

    w.first = submit(w.org, country="DE")
    w.second = submit(w.org, country="DE", incident_type="harassment")
    w.declined = submit(
        w.org,
        platform="tiktok",
        country="BR",
        incident_type="doxxing",
        consent_statistics="no",
        contact_value="noor.zq@example.org",
        reporter_name="Noor",
    )
    w.foreign = submit(w.other_org)

    w.case = open_case(w.org, reports=[w.first], title="TITLEZQX page", actor=w.carlos)
    w.case.country = "DE"
    w.case.save(update_fields=["country"])
    w.declined_case = open_case(w.org, reports=[w.declined], title="TITLEZQX", actor=w.carlos)

    channel = register.channels_for_case(w.case)[0]
    w.escalation = escalations.create(w.case, channel.code, actor=w.carlos)
    today = timezone.localdate()
    lifecycle.mark_sent_by_hand(w.escalation, actor=w.carlos, sent_on=today)
    lifecycle.record_response(w.escalation, actor=w.carlos, received_on=today, text="NOTICEZQX")
    decision = remedies.record_decision(
        w.case,
        decision_type="account_suspended",
        informed_on=today - dt.timedelta(days=2),
        decided_on=None,
        represented=False,
        actor=w.carlos,
    )
    w.step = remedies.prepare_step(
        decision,
        "art20_complaint",
        language="en",
        facts="FACTSZQX",
        arguments="",
        requested="",
        include_identity=False,
        actor=w.carlos,
    )
    return w


# --- reading exports back ----------------------------------------------------------------


def body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def read_csv(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_json(data: bytes) -> dict[str, Any]:
    return json.loads(data.decode("utf-8"))


def read_xlsx(data: bytes, sheet: str | None = None) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    rows = list((book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True))
    head = rows[0]
    # A row may end early where its last cells are empty.
    return [
        dict(zip(head, (*row, *[None] * (len(head) - len(row))), strict=True)) for row in rows[1:]
    ]


def rows_of(fmt: str, data: bytes) -> list[dict[str, Any]]:
    if fmt == "csv":
        return read_csv(data)
    if fmt == "json":
        return read_json(data)["rows"]
    return read_xlsx(data)


def all_text(fmt: str, data: bytes) -> str:
    """Everything the file holds, as text, for canary searches (an XLSX unzipped whole)."""
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return data.decode("utf-8-sig")
