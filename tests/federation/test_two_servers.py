"""Two real Amparo servers on loopback, each with its own database, web secret, KEK and
server key, set up as partners with the `amparo federation` command as two operators would.

Helpline North (server A) has a reporter's report with canary values (name, contact,
narrative) and shares an attacker account with its coalition; Helpline South (server B) has a
case naming the same account. After a sync B holds the indicator and matches its case; after
North unshares and syncs again B no longer has it; and the canaries are found nowhere on B:
not in its database file, its log, or anything it answered.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from amparo.keyring import envelope
from tests.install.conftest import AMPARO, clean_env, free_port, get

pytestmark = pytest.mark.slow

CANARIES = ("Zorbafleet Quintanilla", "+52 55 0101 7777", "CANARY-NARRATIVE-7f3e9")
SHARED_ACCOUNT = "@troll_one"

MARK = "RESULT"
COMMON = """
import json
from amparo.accounts.models import User
from amparo.accounts import services as accounts
from amparo.sharing import services as sharing
def person(email, org, role):
    user = User.objects.create_user(email, "correct horse battery staple 42")
    accounts.add_member(org, user, role, actor=None)
    return user
def case_with(org, worker, **fields):
    from amparo.cases.services import open_case
    from amparo.intake.forms import ReportForm
    from amparo.intake.services import submit_report
    data = dict(incident_type="account_suspended", platform="facebook", occurred_on="",
        country="MX", affected="https://www.facebook.com/periodista.libre", links="",
        platform_notice="", consent_contact="yes", contact_method="signal",
        contact_safety="", consent_share_identity="no", consent_collective="yes",
        consent_statistics="yes", gender="", website="")
    data.update(fields)
    form = ReportForm(data)
    assert form.is_valid(), form.errors
    report = submit_report(org, form.report_fields(), channel="web_form", language="es").report
    return open_case(org, reports=[report], title="Caso", actor=worker)
"""

SETUP_NORTH = (
    COMMON
    + """
from amparo.sharing.items import propose_indicators, propose_incident, review
from amparo.federation.keys import public_summary
org = accounts.create_organisation(name="Helpline North", slug="north", actor=None)
nora = person("nora@north.example", org, "coordinator")
nina = person("nina@north.example", org, "coordinator")
nico = person("nico@north.example", org, "caseworker")
group = sharing.create_group(org, name="Coalition", hide_members=True, actor=nora)
case = case_with(org, nico, reporter_name=%(name)r, contact_value=%(contact)r,
    narrative="Me suspendieron la página. " + %(narrative)r, attackers=%(account)r)
item = review(propose_indicators(org, platform="facebook", accounts=[%(account)r],
    distribution="group", group=group, actor=nico), approve=True, actor=nora)
incident = review(propose_incident(case, distribution="group", group=group, actor=nico),
    approve=True, actor=nina)
print("RESULT " + json.dumps({"group": str(group.pk), "item": str(item.pk),
    "reporter": json.dumps(case.report_links.get().report.reporter), "key": public_summary()}))
"""
)

SETUP_SOUTH = (
    COMMON
    + """
from amparo.federation.keys import public_summary
org = accounts.create_organisation(name="Helpline South", slug="south", actor=None)
sara = person("sara@south.example", org, "coordinator")
sam = person("sam@south.example", org, "caseworker")
group = sharing.create_group(org, name="Coalition (south)", hide_members=True, actor=sara)
case = case_with(org, sam, reporter_name="Ana", contact_value="ana@example.org",
    narrative="Cuenta suspendida tras reportes falsos.", attackers="@Troll_One")
print("RESULT " + json.dumps({"group": str(group.pk), "case": str(case.pk), "key": public_summary()}))
"""
)

STATE_SOUTH = """
import json
from amparo.cases.models import Case
from amparo.federation.matching import remote_matches_for_case
from amparo.sharing.access import items_for
from amparo.accounts.models import Organisation
org = Organisation.objects.get(slug="south")
visible = [
    {"kind": i.kind, "origin": i.origin, "accounts": i.fields.get("accounts", []),
     "fields": sorted(i.fields)}
    for i in items_for(org)
]
found = remote_matches_for_case(Case.objects.get(organisation=org))
print("RESULT " + json.dumps({"visible": visible, "servers": found.servers,
    "per_account": found.per_account}))
"""

UNSHARE_NORTH = """
import json
from amparo.accounts.models import User
from amparo.sharing.items import withdraw
from amparo.sharing.models import SharedItem
item = SharedItem.objects.get(pk=%(item)r)
withdraw(item, actor=User.objects.get(email="nico@north.example"))
print("RESULT " + json.dumps({"withdrawn": True}))
"""


class Server:
    def __init__(self, root: Path, name: str) -> None:
        self.root = root / name
        self.root.mkdir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        kek, secret = self.root / "kek.key", self.root / "secret_key"
        kek.write_text(envelope.format_key(envelope.new_key()) + "\n")
        secret.write_text(f"two-servers-{name}-" + "s" * 40 + "\n")
        self.env = clean_env(
            self.root,
            DATABASE_URL=f"sqlite:///{self.root / 'db.sqlite3'}",
            AMPARO_KEK_FILE=str(kek),
            AMPARO_SECRET_KEY_FILE=str(secret),
            AMPARO_DATA_DIR=str(self.root / "data"),
            AMPARO_SITE_URL=self.url,
            AMPARO_SECURE_COOKIES="0",
            AMPARO_FEDERATION_ALLOW_HTTP_LOOPBACK="1",
        )
        self.outputs: list[str] = []
        self.process: subprocess.Popen[bytes] | None = None

    def amparo(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [AMPARO, *args],
            env=self.env,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        self.outputs += [result.stdout, result.stderr]
        if check:
            assert result.returncode == 0, " ".join(args) + "\n" + result.stderr[-3000:]
        return result

    def shell(self, script: str) -> Any:
        result = self.amparo("shell", "-c", script)
        line = next(x for x in result.stdout.splitlines() if x.startswith(MARK + " "))
        return json.loads(line.removeprefix(MARK + " "))

    def start(self) -> None:
        log = open(self.root / "serve.log", "wb")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            [AMPARO, "serve", "--port", str(self.port), "--workers", "1"],
            env=self.env,
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + 120
        # Without a worker /healthz says 503; any answer from the app means it is up.
        while get(f"{self.url}/federation/v1/changes")[0] != 404:
            assert self.process is not None and self.process.poll() is None, (
                self.root / "serve.log"
            ).read_text()[-2000:]
            assert time.monotonic() < deadline, "the server did not become healthy"
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def files_containing(self, needle: str) -> list[str]:
        data = needle.encode()
        return [
            str(path.relative_to(self.root))
            for path in self.root.rglob("*")
            if path.is_file() and data in path.read_bytes()
        ]


def both(first: Any, second: Any) -> tuple[Any, Any]:
    with ThreadPoolExecutor(2) as pool:
        a, b = pool.submit(first), pool.submit(second)
        return a.result(), b.result()


def test_two_servers_share_match_and_unshare_an_attacker_account(tmp_path: Path) -> None:
    north, south = Server(tmp_path, "north"), Server(tmp_path, "south")
    try:
        # One migration, copied before either server writes anything of its own: two
        # databases with the same empty schema, faster than migrating twice.
        north.amparo("migrate")
        for suffix in ("", "-wal", "-shm"):
            source = north.root / f"db.sqlite3{suffix}"
            if source.exists():
                shutil.copyfile(source, south.root / f"db.sqlite3{suffix}")
        values = {
            "name": CANARIES[0],
            "contact": CANARIES[1],
            "narrative": CANARIES[2],
            "account": SHARED_ACCOUNT,
        }
        a, b = both(lambda: north.shell(SETUP_NORTH % values), lambda: south.shell(SETUP_SOUTH))
        # The canaries are really on North, readable there.
        assert CANARIES[0] in a["reporter"] and CANARIES[1] in a["reporter"]
        north.start()
        south.start()

        def add(
            server: Server, name: str, other: Server, theirs: dict[str, Any], ours: str
        ) -> None:
            server.amparo(
                "federation",
                "partner",
                "add",
                "--name",
                name,
                "--url",
                other.url,
                "--key",
                theirs["key"]["public_key"],
                "--fingerprint",
                theirs["key"]["fingerprint"],
            )
            server.amparo(
                "federation",
                "link",
                "--partner",
                name,
                "--group",
                ours,
                "--remote-group",
                theirs["group"],
            )

        both(
            lambda: add(north, "Amparo South", south, b, a["group"]),
            lambda: add(south, "Amparo North", north, a, b["group"]),
        )
        north.wait_healthy()
        south.wait_healthy()

        # South pulls North's coalition: the indicator and the anonymised incident arrive.
        synced = south.amparo("federation", "sync")
        assert "pulled 2" in synced.stdout, synced.stdout + synced.stderr
        state = south.shell(STATE_SOUTH)
        indicators = [v for v in state["visible"] if v["kind"] == "indicator"]
        assert indicators == [
            {
                "kind": "indicator",
                "origin": north.url,
                "accounts": [SHARED_ACCOUNT],
                "fields": ["accounts", "platform"],
            }
        ]
        incident = next(v for v in state["visible"] if v["kind"] == "incident")
        assert "narrative" not in incident["fields"]
        assert state["servers"] == 1 and state["per_account"] == [["troll_one", 1]]

        # North unshares, and pushes the tombstone on its next sync.
        north.shell(UNSHARE_NORTH % {"item": a["item"]})
        pushed = north.amparo("federation", "sync")
        assert "pushed" in pushed.stdout and "rejected 0" in pushed.stdout, (
            pushed.stdout + pushed.stderr
        )
        state = south.shell(STATE_SOUTH)
        assert [v for v in state["visible"] if v["kind"] == "indicator"] == []
        assert state["servers"] == 0

        # What South answers to the world, as more responses to search.
        responses = [
            get(f"{south.url}/federation/v1/changes")[1],
            get(f"{south.url}/taxii2/api/collections/")[1],
        ]
    finally:
        north.stop()
        south.stop()

    # The search works: what did cross is found in South's files.
    assert south.files_containing("Helpline South")
    assert south.files_containing(SHARED_ACCOUNT)
    for canary in CANARIES:
        assert south.files_containing(canary) == [], canary
        assert not [text for text in south.outputs + responses if canary in text], canary
