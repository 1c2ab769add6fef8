"""The server install (`pip install amparo`) has no PySpark: campaign detection and the
Transparency Database work without it, and asking for the Spark engine says, in one line, how
to install it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from amparo.engines._extras import SPARK_MISSING, require_pyspark


@pytest.fixture
def without_pyspark(monkeypatch):
    """Make ``import pyspark`` fail as it does when the extra is not installed."""
    for name in [m for m in sys.modules if m == "pyspark" or m.startswith("pyspark.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyspark", None)


def test_require_pyspark_says_how_to_install(without_pyspark):
    with pytest.raises(SystemExit) as exc:
        require_pyspark()
    message = str(exc.value)
    assert "pip install 'amparo[spark]'" in message
    assert "\n" not in message


def test_tdb_spark_engine_without_pyspark(without_pyspark, tmp_path, capsys):
    from amparo.engines.tdb.cli import main

    (tmp_path / "store").mkdir()
    try:
        code = main(["aggregate", "--engine", "spark", "--store", str(tmp_path / "store")])
        message = capsys.readouterr().err.strip()
    except SystemExit as exc:  # raised before the command's own error handling
        code, message = 2, str(exc)
    assert code == 2 and message == SPARK_MISSING


def test_campaigns_spark_engine_without_pyspark(without_pyspark, tmp_path):
    from amparo.engines.campaigns.cli import main

    posts = tmp_path / "posts.csv"
    posts.write_text("id,account,text,timestamp\n1,a,hello,2025-01-01T00:00:00Z\n")
    with pytest.raises(SystemExit) as exc:
        main(["detect", str(posts), "--out", str(tmp_path / "out"), "--engine", "spark"])
    assert str(exc.value) == SPARK_MISSING


def test_spark_sessions_without_pyspark(without_pyspark):
    from amparo.engines.campaigns import spark as campaigns_spark
    from amparo.engines.tdb import spark as tdb_spark

    for session in (campaigns_spark.local_session, tdb_spark.local_session):
        with pytest.raises(SystemExit) as exc:
            session()
        assert str(exc.value) == SPARK_MISSING


CSV = "id,account,timestamp,text\n" + "".join(
    f"{w}{a},acct{a},{1740823200 + 600 * w + a},"
    f"the same smear number {w} about the defender again and again\n"
    for w in range(4)
    for a in range(4)
)
ACTIONS = (
    "account,action,timestamp\n"
    + "".join(f"acct{i % 4},suspended,{1740823200 + 86400 * 3 + i}\n" for i in range(12))
    + "".join(f"acct{i % 4},suspended,{1740823200 + 3600 * 7 * i}\n" for i in range(12))
)


def test_detection_and_tdb_without_pyspark_nor_scipy(tmp_path):
    """In a fresh interpreter where PySpark and SciPy cannot be imported, campaign detection
    runs (near-identical texts and bursts included) and the Transparency Database's command
    line and DuckDB engine import."""
    (tmp_path / "posts.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "actions.csv").write_text(ACTIONS, encoding="utf-8")
    code = f"""
import json, sys
sys.modules["pyspark"] = None
sys.modules["scipy"] = None
from amparo.engines.campaigns.cli import main
from amparo.engines.tdb import cli, duck, spark
status = main(["detect", {str(tmp_path / "posts.csv")!r}, "--actions",
               {str(tmp_path / "actions.csv")!r}, "--out", {str(tmp_path / "out")!r},
               "--quiet", "--min-ratio", "0"])
doc = json.load(open({str(tmp_path / "out" / "campaigns.json")!r}))
print(status, sorted({{c["kind"] for c in doc["campaigns"]}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    status, kinds = done.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "0"
    assert kinds != "[]"
