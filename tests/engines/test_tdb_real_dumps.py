"""Features of the dump files as the Commission really publishes them (issue 18): empty parts,
the older 37-column schema, impostor archives, impossible dates, duplicate uuids, quarantine
lines as published, look-ups by any spelling, and a CLI that fails in one clear line."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.dataset as ds
import pytest

from amparo.engines.tdb import schema, synth
from amparo.engines.tdb.cases import UnknownPlatform, find_statements
from amparo.engines.tdb.ingest import ingest
from amparo.engines.tdb.store import Store

AMPARO = Path(sys.executable).parent / "amparo"


# --- dumps as the exporter writes them ------------------------------------------------------


def csv_text(table: pa.Table, columns: tuple[str, ...] | None = None) -> bytes:
    """CSV the way the exporter writes it: a header, rows joined by "\\n", no final newline."""
    if columns is not None:
        table = table.select(list(columns))
    buf = io.BytesIO()
    pacsv.write_csv(table, buf, pacsv.WriteOptions(quoting_style="needed"))
    return buf.getvalue().rstrip(b"\n")


def header(columns: tuple[str, ...] = schema.FULL_COLUMNS) -> bytes:
    return ",".join(columns).encode()


def write_dump(
    folder: Path,
    scope: str,
    day: dt.date,
    parts: list[bytes],
    *,
    version: str = "full",
    nested: bool = True,
    per_zip: int = 10,
) -> Path:
    """``sor-<scope>-<day>-<version>.zip``: an outer STORED zip of DEFLATED ``.csv.zip``
    members (or, ``nested=False``, of CSV parts directly), and its ``.sha1``."""
    folder.mkdir(parents=True, exist_ok=True)
    base = f"sor-{scope}-{day.isoformat()}-{version}"
    path = folder / f"{base}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as outer:
        for z in range(0, max(len(parts), 1), per_zip):
            group = parts[z : z + per_zip]
            if nested:
                inner = io.BytesIO()
                with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as iz:
                    for p, data in enumerate(group):
                        iz.writestr(f"{base}-{z // per_zip:05d}-{p:05d}.csv", data)
                outer.writestr(f"{base}-{z // per_zip:05d}.csv.zip", inner.getvalue())
            else:
                for p, data in enumerate(group):
                    outer.writestr(f"{base}-{z + p:05d}.csv", data, zipfile.ZIP_DEFLATED)
    sign(path)
    return path


def sign(path: Path) -> None:
    digest = hashlib.sha1(path.read_bytes()).hexdigest()
    path.with_name(path.name + ".sha1").write_text(f"{digest}  {path.name}")


def rows_of(store: Store) -> pa.Table:
    return ds.dataset(store.rows_dir, format="parquet", partitioning="hive").to_table()


def table(day: dt.date, n: int, seed: int, **kw) -> pa.Table:
    t = synth.make_table(day, n, seed, **kw)
    # no spill into the day before, unless a test plants one
    start = pa.scalar(f"{day.isoformat()} 00:00:00")
    created = pc.if_else(pc.less(t["created_at"], start), start, t["created_at"])
    return t.set_column(t.schema.get_field_index("created_at"), "created_at", created)


def set_cell(t: pa.Table, row: int, column: str, value: str | None) -> pa.Table:
    values = t[column].to_pylist()
    values[row] = value
    return t.set_column(t.schema.get_field_index(column), column, pa.array(values, pa.string()))


def quarantine(store: Store, dump: str) -> list[dict[str, str]]:
    with (store.quarantine_dir / f"{dump}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# --- empty parts ----------------------------------------------------------------------------


@pytest.mark.parametrize("empty", [b"HEADER", b"HEADER\n", b""], ids=["header", "header-nl", "0b"])
def test_empty_parts_ingest_with_no_rows(tmp_path, empty):
    day = dt.date(2025, 9, 2)
    data = header() if empty.startswith(b"HEADER") else b""
    data += empty.removeprefix(b"HEADER")
    # the exporter's per-platform dump of a quiet day: sub-part 0 only, and it is empty
    quiet = write_dump(tmp_path / "d", "tiny-platform", day, [data])
    busy = write_dump(tmp_path / "d", "tiktok", day, [csv_text(table(day, 40, 1)), data])
    store = Store(tmp_path / "store")

    reports = {r.dump: r for r in ingest([quiet, busy], store)}

    r_busy = reports[busy.stem]
    assert r_busy.status == "ingested", r_busy.message
    assert r_busy.rows_written == 40 and r_busy.parts == 2 and r_busy.empty_parts == 1
    if data:  # a part with a header names its shape; one without a byte cannot
        r_quiet = reports[quiet.stem]
        assert r_quiet.status == "ingested" and r_quiet.rows_written == 0, r_quiet.message
    else:  # a dump whose only part holds not a byte holds nothing: refused, not recorded
        assert reports[quiet.stem].status == "failed"
        assert store.read_manifest(f"tiny-platform-{day}") is None
    assert rows_of(store).num_rows == 40


def test_an_error_in_a_part_names_the_part(tmp_path):
    day = dt.date(2025, 9, 2)
    good = csv_text(table(day, 30, 2))
    dump = write_dump(tmp_path, "global", day, [good, b"id,name\n1,x"])

    [r] = ingest([dump], Store(tmp_path / "store"))

    assert r.status == "failed"
    assert f"{dump.stem}-00000.csv.zip/{dump.stem}-00000-00001.csv" in r.message
    assert "not a statement-of-reasons header" in r.message


# --- schemas --------------------------------------------------------------------------------

OLD_FULL = dict(schema.CSV_SCHEMAS)["2023-full"]
OLD_LIGHT = dict(schema.CSV_SCHEMAS)["2023-light"]


@pytest.mark.parametrize(
    ("shape", "day", "version", "nested"),
    [
        ("2023-full", dt.date(2023, 9, 27), "full", False),  # the first weeks, flat layout
        ("2023-light", dt.date(2024, 6, 6), "light", True),  # European elections
        ("2025-full", dt.date(2025, 3, 14), "full", True),
        ("2025-light", dt.date(2025, 9, 2), "light", True),
    ],
)
def test_one_real_format_day_per_schema_version(tmp_path, shape, day, version, nested):
    columns = dict(schema.CSV_SCHEMAS)[shape]
    assert len(columns) == {"2023-full": 37, "2023-light": 33, "2025-full": 38,
                            "2025-light": 34}[shape]  # fmt: skip
    t = table(day, 300, 3)
    t = set_cell(t, 0, "content_id_ean", "4006381333931")
    parts = [csv_text(t.slice(0, 120), columns), csv_text(t.slice(120), columns), header(columns)]
    dump = write_dump(tmp_path / "d", "global", day, parts, version=version, nested=nested)
    store = Store(tmp_path / "store")

    [r] = ingest([tmp_path / "d"], store)

    assert r.status == "ingested", r.message
    assert r.rows_written == 300 and r.quarantined == 0 and r.duplicates == 0
    assert r.csv_schemas == {shape: 3} and r.empty_parts == 1
    # reported as null in the store (a light dump's four missing columns go without saying)
    assert r.missing_columns == (["content_id_ean"] if shape.startswith("2023") else [])
    rows = rows_of(store)
    assert rows.num_rows == 300 and rows.schema.names[:38] == list(schema.FULL_COLUMNS)
    eans = rows["content_id_ean"]
    assert eans.null_count == (300 if shape.startswith("2023") else 299)
    if version == "light":
        assert rows["decision_facts"].null_count == 300
    assert store.read_manifest(f"global-{day}")["csv_schemas"] == {shape: 3}
    assert dump.exists()


def test_another_header_with_the_required_columns_is_read_and_its_gaps_reported(tmp_path):
    day = dt.date(2023, 10, 2)
    columns = tuple(c for c in OLD_FULL if c not in {"content_language", "account_type"})
    dump = write_dump(tmp_path, "global", day, [csv_text(table(day, 50, 4), columns)])

    [r] = ingest([dump], Store(tmp_path / "store"))

    assert r.status == "ingested" and r.rows_written == 50, r.message
    assert r.csv_schemas == {"other": 1}
    assert r.missing_columns == ["account_type", "content_language", "content_id_ean"]


# --- impostors ------------------------------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    sign(path)
    return path


@pytest.mark.parametrize("content", ["readme", "nothing", "other-csv", "not-a-zip"])
def test_a_named_zip_holding_something_else_is_refused_and_not_recorded(tmp_path, content):
    day = dt.date(2025, 9, 2)
    path = tmp_path / "fake" / f"sor-global-{day}-full.zip"
    path.parent.mkdir()
    if content == "readme":
        _zip(path, {"README.txt": b"Service unavailable"})
    elif content == "nothing":
        _zip(path, {})
    elif content == "other-csv":
        _zip(path, {"export.csv": b"id,amount\n1,2\n"})
    else:
        path.write_bytes(b"<html>503 Service Unavailable</html>")
        sign(path)
    store = Store(tmp_path / "store")

    [r] = ingest([path], store)

    assert r.status == "failed" and r.message
    assert store.manifests() == {} and not store.has_rows()
    real = write_dump(tmp_path / "real", "global", day, [csv_text(table(day, 20, 5))])
    [again] = ingest([real], store)  # the real dump of that day is not skipped
    assert again.status == "ingested" and again.rows_written == 20


# --- impossible dates -----------------------------------------------------------------------


def test_impossible_dates_are_quarantined_not_moved_to_another_day(tmp_path):
    day = dt.date(2025, 2, 28)
    t = table(day, 50, 6)
    t = set_cell(t, 3, "created_at", "2025-02-30 10:00:00")
    t = set_cell(t, 7, "content_date", "2025-02-29 00:00:00")
    t = set_cell(t, 9, "end_date_account_restriction", "2025-04-31 00:00:00")
    t = set_cell(t, 11, "content_date", "2024-02-29 00:00:00")  # a leap day: fine
    dump = write_dump(tmp_path, "global", day, [csv_text(t)])
    store = Store(tmp_path / "store")

    [r] = ingest([dump], store)

    assert r.status == "ingested", r.message
    assert r.rows_written == 47 and r.quarantined == 3
    assert r.reasons == {
        "impossible date in created_at": 1,
        "impossible date in content_date": 1,
        "impossible date in end_date_account_restriction": 1,
    }
    days = set(pc.cast(rows_of(store)["created_at"], pa.date32()).to_pylist())
    assert days == {day}  # nothing moved to March
    assert {q["line"] for q in quarantine(store, dump.stem)} == {"5", "9", "11"}


# --- duplicates -----------------------------------------------------------------------------


def test_duplicate_uuids_within_a_dump_and_across_neighbouring_days(tmp_path):
    d1, d2 = dt.date(2025, 9, 1), dt.date(2025, 9, 2)
    first = table(d1, 100, 7)
    second = table(d2, 100, 8)
    # the real files repeat whole rows (2024-03-14 has the same TikTok row twice) ...
    second = pa.concat_tables([second, second.slice(10, 2)])
    # ... and a row of the day before spills into the next day's dump
    spill = first.slice(50, 3)
    dumps = tmp_path / "d"
    write_dump(dumps, "global", d1, [csv_text(first)])
    write_dump(dumps, "global", d2, [csv_text(second), csv_text(spill)])
    store = Store(tmp_path / "store")

    r1, r2 = ingest([dumps], store)

    assert (r1.duplicates, r1.rows_written) == (0, 100)
    assert (r2.duplicates_in_dump, r2.duplicates_in_store, r2.duplicates_removed) == (2, 3, 5)
    assert r2.rows_read == 105 and r2.rows_written == 100
    rows = rows_of(store)
    assert rows.num_rows == 200 and len(pc.unique(rows["uuid"])) == 200
    assert store.read_manifest(f"global-{d2}")["duplicates"] == 5

    # the other order: the spill is kept from the later dump, the earlier dump loses it
    other = Store(tmp_path / "other")
    [late] = ingest([dumps / f"sor-global-{d2}-full.zip"], other)
    [early] = ingest([dumps / f"sor-global-{d1}-full.zip"], other)
    assert (late.duplicates_in_dump, late.duplicates_in_store) == (2, 0)
    assert (early.duplicates_in_dump, early.duplicates_in_store) == (0, 3)
    assert rows_of(other).num_rows == 200

    # --keep-duplicates: counted, written
    kept = Store(tmp_path / "kept")
    ingest([dumps], kept, keep_duplicates=True)
    assert rows_of(kept).num_rows == 205
    assert kept.read_manifest(f"global-{d2}")["duplicates_kept"] is True

    # a forced re-ingest of the same day is not counted against its own earlier rows
    [again] = ingest([dumps / f"sor-global-{d2}-full.zip"], store, force=True)
    assert (again.duplicates_in_dump, again.duplicates_in_store) == (2, 3)
    assert rows_of(store).num_rows == 200


# --- quarantine lines -----------------------------------------------------------------------


def test_quarantine_records_the_physical_line_and_the_raw_line_as_published(tmp_path):
    day = dt.date(2025, 9, 2)
    t = table(day, 12, 9)
    t = set_cell(t, 1, "decision_facts", "first line\nsecond line\nthird line")
    t = set_cell(t, 4, "category_specification", '["KEYWORD_OTHER"')  # broken JSON array
    data = csv_text(t)
    lines = data.split(b"\n")
    # a short row after the multi-line field: record 8, physical line 10
    short = b"only,three,fields"
    data = b"\n".join([*lines[:9], short, *lines[9:]])
    dump = write_dump(tmp_path, "global", day, [data])
    store = Store(tmp_path / "store")

    [r] = ingest([dump], store)

    assert r.quarantined == 2 and r.rows_written == 11
    found = {q["reason"].split(" (")[0]: q for q in quarantine(store, dump.stem)}
    physical = data.split(b"\n")
    broken = found["bad JSON array in category_specification"]
    assert broken["raw"].encode() == physical[int(broken["line"]) - 1]
    assert broken["line"] == "8"  # header 1, row 2 spans lines 3-5
    wrong = found["wrong number of fields"]
    assert wrong["line"] == "10" and wrong["raw"] == short.decode()


# --- look-ups -------------------------------------------------------------------------------


def test_lookups_match_any_spelling_of_the_platform_and_trim_ids(tmp_path):
    day = dt.date(2025, 9, 2)
    t = table(day, 40, 10, platform="Google Play")
    t = set_cell(t, 0, "platform_uid", "  com.app.padded ")
    ids = t["platform_uid"].to_pylist()
    dump = write_dump(tmp_path, "google-play", day, [csv_text(t)])
    store = Store(tmp_path / "store")
    assert ingest([dump], store)[0].status == "ingested"

    for spelling in ("Google Play", "google play", "GOOGLE-PLAY", "google_play", "googleplay"):
        assert len(find_statements(store, spelling, f" {ids[3]}\t")) == 1, spelling
    assert len(find_statements(store, "google-play", "com.app.padded")) == 1
    assert find_statements(store, "Google Play", "no-such-id") == []
    with pytest.raises(UnknownPlatform, match="Tok Tik"):
        find_statements(store, "Tok Tik", ids[3])


# --- the CLI --------------------------------------------------------------------------------


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd)}
    return subprocess.run(
        [str(AMPARO), "tdb", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )


def test_cli_mistakes_fail_in_one_clear_line(tmp_path):
    day = dt.date(2025, 9, 2)
    dump = write_dump(tmp_path / "d", "global", day, [csv_text(table(day, 20, 11))])
    store = tmp_path / "store"
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.zip").write_bytes(b"")
    fake = tmp_path / "fake" / f"sor-global-{day}-full.zip"
    fake.parent.mkdir()
    _zip(fake, {"README.txt": b"nothing here"})

    cases = {
        "missing file": (["ingest", str(tmp_path / "nope.zip"), "--store", str(store)], "no such"),
        "not a dump": (
            ["ingest", str(tmp_path / "notes.zip"), "--store", str(store)],
            "not a dump",
        ),
        "empty folder": (["ingest", str(tmp_path / "empty"), "--store", str(store)], "no dump"),
        "impostor": (["ingest", str(fake), "--store", str(store)], "no CSV part"),
        "no store": (["status", "--store", str(tmp_path / "nowhere")], "no store"),
        "no store (aggregate)": (["aggregate", "--store", str(tmp_path / "nowhere")], "no store"),
    }
    for label, (args, words) in cases.items():
        done = _cli(*args, cwd=tmp_path)
        assert done.returncode != 0, label
        assert "Traceback" not in done.stdout + done.stderr, label
        assert words in done.stderr + done.stdout, (label, done.stdout, done.stderr)
    assert not store.exists() or Store(store).manifests() == {}

    assert _cli("ingest", str(dump), "--store", str(store), cwd=tmp_path).returncode == 0
    for args, words in (
        (["aggregate", "--by", "platform,colour"], "unknown dimension colour"),
        (["aggregate", "nonesuch"], "unknown aggregation nonesuch"),
        (["lens", "no-question"], "unknown question"),
        (["lookup", "--platform", "Tok Tik", "123"], "no platform 'Tok Tik'"),
    ):
        done = _cli(*args, "--store", str(store), cwd=tmp_path)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stdout + done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and words in done.stderr, done.stderr
    status = _cli("status", "--store", str(store), cwd=tmp_path)
    assert status.returncode == 0 and "duplicates" in status.stdout
