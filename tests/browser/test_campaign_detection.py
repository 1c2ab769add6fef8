"""A coordinator finds a coordinated smear campaign in the browser: from the menu to the upload
form, a parameter set on the page, the run done by a real worker process, the evidence as
tables and a network picture (no Python dictionaries), every download, the campaign linked to a
case and shown on the case's page, and a weekly run scheduled."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPR = re.compile(r"\{'|'\}|\[\{|\}\]|\{\"")


def _worker() -> subprocess.Popen:
    """``amparo worker`` on the live server's database, as production runs it."""
    from django.db import connection

    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tests.settings",
        AMPARO_TEST_DB_NAME=str(connection.settings_dict["NAME"]),
        PYTHONPATH=os.getcwd(),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "amparo.cli", "worker", "--interval", "0.2", "--heartbeat", "1"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _stop(worker: subprocess.Popen) -> str:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
    return worker.stderr.read().decode()[-2000:] if worker.stderr else ""


def test_a_coordinator_finds_downloads_and_links_a_smear_campaign(
    page: Any, live_server: Any, tmp_path: Path
):
    from amparo.accounts import services as accounts
    from amparo.accounts.models import User
    from amparo.campaigns.models import DetectionRun, DetectionSchedule
    from tests.browser.conftest import sign_in
    from tests.campaigns_app.test_campaigns_app import posts_csv
    from tests.cases.conftest import new_report
    from tests.conftest import PASSWORD, give_totp

    org = accounts.create_organisation(name="Helpline", slug="helpline", actor=None)
    cora = User.objects.create_user("cora@helpline.example", PASSWORD, display_name="Cora")
    accounts.add_member(org, cora, "coordinator", actor=None)
    secret = give_totp(cora)
    from amparo.cases.services import open_case

    case = open_case(org, reports=[new_report(org)], title="Smear against Ana", actor=cora)
    upload = tmp_path / "posts.csv"
    upload.write_bytes(posts_csv())

    sign_in(page, live_server, cora, secret)
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_label("Posts (CSV, JSON Lines or Parquet", exact=False).set_input_files(upload)
    page.locator("#id_relay_min_items").fill("0")
    worker = _worker()
    try:
        page.get_by_role("button", name="Run detection").click()
        page.wait_for_url("**/campaigns/runs/**")  # the run's page, refreshing itself
        deadline = time.monotonic() + 120
        while "Done" not in page.get_by_role("status").inner_text():
            assert time.monotonic() < deadline, _stop(worker)
            time.sleep(1)
            page.reload()
    finally:
        log = _stop(worker)
    run = DetectionRun.objects.get()
    assert run.status == "done", log
    assert run.params["relay_min_items"] == 0
    assert run.created_by == cora

    # Every download, from the run's page.
    for name, check in (
        ("Report (HTML, opens offline)", lambda b: b"<html" in b and b"troll1" in b),
        ("Campaigns with their evidence (JSON)", lambda b: json.loads(b)),
        ("Accounts of each campaign (Parquet)", lambda b: b[:4] == b"PAR1"),
        ("Co-action network (GraphML)", lambda b: b"<graphml" in b),
        ("Co-action network (GEXF, for Gephi)", lambda b: b"<gexf" in b),
    ):
        with page.expect_download() as info:
            page.get_by_role("link", name=name).click()
        body = Path(info.value.path()).read_bytes()
        assert check(body), name

    # The campaign: evidence as tables and a network picture, not Python's dictionaries.
    kind = page.locator("main table tbody a").first.inner_text()
    page.locator("main table tbody a").first.click()
    main = page.locator("main")
    assert main.locator("table caption").count() >= 1
    assert main.locator("svg").count() >= 1
    assert "troll1" in main.inner_text()
    assert not REPR.search(main.inner_text()), main.inner_text()[:500]

    page.get_by_label("Link to case (reference)").fill(case.reference)
    page.get_by_role("button", name="Link").click()
    page.get_by_role("link", name=case.reference).click()
    linked = page.locator("#case-campaigns")
    assert kind in linked.inner_text()
    assert "linked by hand" in linked.inner_text()

    # A weekly run over what is collected.
    page.get_by_role("link", name="Campaigns").click()
    page.locator("#schedule-form").get_by_label("Name").fill("Weekly sweep")
    page.locator("#schedule-form").get_by_role("button", name="Schedule").click()
    expect(page.get_by_role("cell", name="Weekly sweep")).to_be_visible()
    assert DetectionSchedule.objects.get().name == "Weekly sweep"
