"""Ingest of Transparency Database dumps: nested zips, checksums, schema versions,
quarantine and incremental state."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pytest

from amparo.engines.tdb import archive, parse, rollup, schema, synth
from amparo.engines.tdb.ingest import ingest
from amparo.engines.tdb.store import Store

V1_DAY = dt.date(2025, 3, 14)
V2_DAY = dt.date(2025, 9, 2)
SMALL = {"rows_per_csv": 400, "rows_per_zip": 1200, "workers": 1}


def rows_in(store: Store, day: dt.date | None = None) -> pa.Table:
    dataset = ds.dataset(store.rows_dir, format="parquet", partitioning="hive")
    table = dataset.to_table()
    if day is not None:
        table = table.filter(pc.equal(pc.cast(table["created_at"], pa.date32()), day))
    return table


def test_a_nested_v2_full_dump_lands_in_day_and_platform_partitions(tmp_path):
    dump = synth.write_dump(tmp_path / "dumps", V2_DAY, 3000, seed=1, **SMALL)
    store = Store(tmp_path / "store")

    [report] = ingest([dump.path], store)

    assert report.status == "ingested", report.message
    assert report.rows_read == 3000
    assert report.rows_written == 3000 and report.quarantined == 0
    partitions = {
        p.relative_to(store.rows_dir).parts[:2] for p in store.rows_dir.rglob("*.parquet")
    }
    assert ("day=2025-09-02", "platform=tiktok") in partitions
    assert ("day=2025-09-01", "platform=google-shopping") in partitions  # spill from the day before
    table = rows_in(store)
    assert table.num_rows == 3000
    assert table.schema.field("territorial_scope").type == pa.list_(pa.string())
    assert table.schema.field("created_at").type == pa.timestamp("ms")
    assert set(pc.unique(table["category"]).to_pylist()) <= schema.CATEGORIES_V2
    assert not list(store.rows_dir.rglob("*.tmp"))


def test_json_array_columns_become_lists(tmp_path):
    dump = synth.write_dump(tmp_path, V2_DAY, 500, seed=2, **SMALL)
    store = Store(tmp_path / "store")
    ingest([dump.path], store)

    row = rows_in(store).sort_by("uuid").to_pylist()
    scopes = [r["territorial_scope"] for r in row if r["territorial_scope"]]
    assert any(s == list(schema.EEA_COUNTRIES) for s in scopes)
    assert any(r["category_addition"] == [] for r in row)  # "[]" is an empty list, not null
    assert all(isinstance(r["content_type"], list) for r in row)
    assert {v for r in row for v in r["decision_visibility"] or []} <= schema.DECISION_VISIBILITY


def test_a_v1_light_dump_is_read_with_the_old_categories(tmp_path):
    dump = synth.write_dump(tmp_path, V1_DAY, 1500, version="light", seed=3, **SMALL)
    store = Store(tmp_path / "store")

    [report] = ingest([dump.path], store)

    assert report.status == "ingested" and report.rows_written == 1500
    table = rows_in(store)
    cats = set(pc.unique(table["category"]).to_pylist())
    assert "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE" in cats
    assert cats <= schema.CATEGORIES_V1
    assert table["decision_facts"].null_count == table.num_rows  # not in light dumps
    assert report.unknown_values == {}


def test_unknown_future_values_are_kept_and_counted_not_rejected(tmp_path):
    def plant(t: pa.Table) -> pa.Table:
        i = t.schema.get_field_index("category")
        cat = pa.array(["STATEMENT_CATEGORY_SOMETHING_NEW"] * 5 + t["category"].to_pylist()[5:])
        t = t.set_column(i, "category", cat)
        j = t.schema.get_field_index("category_specification")
        kw = pa.array(['["KEYWORD_FROM_2027"]'] * 3 + t["category_specification"].to_pylist()[3:])
        return t.set_column(j, "category_specification", kw)

    dump = synth.write_dump(tmp_path, V2_DAY, 800, seed=4, transform=plant, **SMALL)
    [report] = ingest([dump.path], Store(tmp_path / "store"))

    assert report.rows_written == 800 and report.quarantined == 0
    assert report.unknown_values["category"] == {"STATEMENT_CATEGORY_SOMETHING_NEW": 10}
    assert report.unknown_values["category_specification"] == {"KEYWORD_FROM_2027": 6}


def test_malformed_rows_go_to_quarantine_with_their_reason_and_are_counted(tmp_path):
    dump = synth.write_dump(tmp_path, V2_DAY, 4000, seed=5, malformed_rate=0.02, **SMALL)
    store = Store(tmp_path / "store")
    planted = dump.malformed
    assert sum(planted.values()) > 20 and all(planted[k] for k in synth.MALFORMED_KINDS)

    [report] = ingest([dump.path], store)

    assert report.rows_read == 4000
    assert report.quarantined == sum(planted.values())
    assert report.rows_written + report.quarantined == report.rows_read
    assert report.reasons == {
        "wrong number of fields": planted["field_count"],
        "bad created_at": planted["created_at"],
        "missing uuid": planted["uuid"],
        "bad JSON array in content_type": planted["json_array"],
    }
    with (store.quarantine_dir / f"{dump.path.stem}.csv").open(newline="") as f:
        quarantined = list(csv.DictReader(f))
    assert len(quarantined) == report.quarantined
    assert all(r["reason"] and r["raw"] and r["part"].endswith(".csv") for r in quarantined)
    assert rows_in(store).num_rows == report.rows_written
    assert store.read_manifest(f"global-{V2_DAY}")["quarantined"] == report.quarantined


def test_a_bad_checksum_fails_the_dump_and_leaves_the_store_untouched(tmp_path):
    dump = synth.write_dump(tmp_path, V2_DAY, 300, seed=6, bad_checksum=True, **SMALL)
    store = Store(tmp_path / "store")

    [report] = ingest([dump.path], store)

    assert report.status == "failed"
    assert "SHA-1" in report.message
    assert not store.has_rows() and store.manifests() == {}


def test_a_missing_checksum_is_refused_unless_verification_is_off(tmp_path):
    dump = synth.write_dump(tmp_path, V2_DAY, 300, seed=7, **SMALL)
    Path(str(dump.path) + ".sha1").unlink()
    store = Store(tmp_path / "store")

    assert ingest([dump.path], store)[0].status == "failed"
    assert ingest([dump.path], store, verify=False)[0].status == "ingested"


def test_a_day_already_ingested_is_skipped_unless_forced(tmp_path):
    dump = synth.write_dump(tmp_path, V2_DAY, 600, seed=8, **SMALL)
    store = Store(tmp_path / "store")
    ingest([dump.path], store)

    [again] = ingest([dump.path], store)
    assert again.status == "skipped" and "already ingested" in again.message

    [forced] = ingest([dump.path], store, force=True)
    assert forced.status == "ingested"
    assert rows_in(store).num_rows == 600  # replaced, not doubled


def test_full_replaces_light_and_light_after_full_is_skipped(tmp_path):
    light = synth.write_dump(tmp_path, V2_DAY, 500, version="light", seed=9, **SMALL)
    full = synth.write_dump(tmp_path, V2_DAY, 500, version="full", seed=9, **SMALL)
    store = Store(tmp_path / "store")

    assert ingest([light.path], store)[0].status == "ingested"
    [rep] = ingest([full.path], store)
    assert rep.status == "ingested" and rep.replaced == [f"global-{V2_DAY}"]
    assert rows_in(store).num_rows == 500
    assert rows_in(store)["decision_facts"].null_count == 0
    assert ingest([light.path], store)[0].status == "skipped"


def test_global_dump_supersedes_per_platform_dumps_of_its_day(tmp_path):
    one = synth.write_dump(tmp_path, V2_DAY, 300, scope="tiktok", platform="TikTok", **SMALL)
    glob = synth.write_dump(tmp_path, V2_DAY, 700, seed=11, **SMALL)
    store = Store(tmp_path / "store")

    ingest([one.path], store)
    [rep] = ingest([glob.path], store)
    assert rep.replaced == [f"tiktok-{V2_DAY}"]
    assert rows_in(store).num_rows == 700
    assert ingest([one.path], store)[0].message.startswith("covered by")


def test_the_old_flat_layout_and_folders_of_dumps_are_read(tmp_path):
    synth.write_dump(tmp_path / "d", V1_DAY, 500, nested=False, seed=12, **SMALL)
    synth.write_dump(tmp_path / "d", V2_DAY, 500, seed=13, **SMALL)
    (tmp_path / "d" / "README.txt").write_text("not a dump")

    reports = ingest([tmp_path / "d"], Store(tmp_path / "store"))

    assert [r.status for r in reports] == ["ingested", "ingested"]
    assert [r.dump for r in reports] == [f"sor-global-{V1_DAY}-full", f"sor-global-{V2_DAY}-full"]


def test_dump_names_are_parsed_and_rejected():
    d = archive.parse_dump_name("/x/sor-google-play-2024-05-01-light.zip")
    assert (d.scope, d.day, d.version, d.key) == ("google-play", dt.date(2024, 5, 1), "light",
                                                  "google-play-2024-05-01")  # fmt: skip
    with pytest.raises(archive.ArchiveError):
        archive.parse_dump_name("statements.zip")


def test_the_engine_package_imports_nothing_from_django():
    code = (
        "import sys, importlib, pkgutil, amparo.engines.tdb as p\n"
        "for m in pkgutil.iter_modules(p.__path__):\n"
        "    if m.name not in ('__main__', 'spark'):\n"
        "        importlib.import_module('amparo.engines.tdb.' + m.name)\n"
        "assert not [k for k in sys.modules if k.split('.')[0] == 'django'], 'django imported'\n"
    )
    src = str(Path(__file__).resolve().parents[2] / "src")
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": src})


def test_isal_and_zlib_inflate_the_same_bytes_and_a_damaged_part_fails_its_dump(
    tmp_path, monkeypatch
):
    import zlib

    dump = synth.write_dump(tmp_path / "dumps", V2_DAY, 900, seed=9, **SMALL)
    [part, *_] = archive.iter_parts(archive.parse_dump_name(dump.path))
    fast = part.read()
    monkeypatch.setattr(archive, "inflate", zlib)
    assert part.read() == fast

    # flip one byte inside a CSV part's deflate stream: the CRC check must catch it
    raw = bytearray(part._source)  # the inner zip, as held in memory
    start = archive._data_offset(bytes(raw[part._info.header_offset :][:30]), part._info)
    for module in (zlib, archive._fast_zlib()):
        monkeypatch.setattr(archive, "inflate", module)
        damaged = bytearray(raw)
        damaged[start + part._info.compress_size // 2] ^= 0x01
        broken = archive.CsvPart(
            part.name, part.compressed_size, part.size, bytes(damaged), part._offset, part._info
        )
        # a broken stream is refused by the inflater, or inflates to bytes whose CRC differs
        with pytest.raises((archive.ArchiveError, module.error)):
            broken.read()
        # streamed as ingest reads it: the same bytes, and the same damage caught
        stream = part.open()
        assert stream.peek()[:20] == fast[:20]
        chunks = []
        while chunk := stream.read(1 << 16):
            chunks.append(chunk)
        assert b"".join(chunks) == fast
        with pytest.raises(archive.ArchiveError):
            parse.parse_part(broken.open(), "x")
        cut = bytes(raw[: start + part._info.compress_size // 2])
        truncated = archive.CsvPart(
            part.name, part.compressed_size, part.size, cut, part._offset, part._info
        )
        with pytest.raises(archive.ArchiveError, match="truncated"):
            parse.parse_part(truncated.open(), "x")


@pytest.mark.parametrize("fail_in", ["summing rollups", "writing rollups", "partitions"])
def test_a_failure_while_finishing_leaves_no_file_of_the_dump_behind(
    tmp_path, monkeypatch, fail_in
):
    from amparo.engines.tdb import ingest as ingest_module

    dump = synth.write_dump(tmp_path / "dumps", V2_DAY, 1500, seed=5, **SMALL)
    store = Store(tmp_path / "store")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    if fail_in == "summing rollups":
        monkeypatch.setattr(rollup.Accumulator, "result", boom)
    elif fail_in == "writing rollups":  # the third rollup's file fails once written
        write = ingest_module.pq.write_table
        written = []

        def write_then_fail(table, where, **kwargs):
            write(table, where, **kwargs)
            written.append(where)
            if len(written) > 2:
                raise OSError("disk full")

        monkeypatch.setattr(ingest_module.pq, "write_table", write_then_fail)
    else:  # after some partitions were already renamed to their final names
        finish = ingest_module._PartitionWriter._finish
        calls = []

        def finish_then_fail(self, part):
            calls.append(part)
            if len(calls) > 2:
                raise OSError("disk full")
            return finish(self, part)

        monkeypatch.setattr(ingest_module._PartitionWriter, "_finish", finish_then_fail)

    [report] = ingest([dump.path], store, workers=2)

    assert report.status == "failed" and "disk full" in report.message
    assert not [p for p in store.root.rglob("*") if p.is_file() and "manifest" not in p.parts]
    assert store.manifests() == {}
    monkeypatch.undo()
    [again] = ingest([dump.path], store)
    assert again.status == "ingested" and rows_in(store).num_rows == 1500


def test_rollup_counts_by_one_folded_key_equal_counts_by_the_columns():
    import numpy as np

    rng = np.random.default_rng(4)
    n = 5000
    sizes = {"a": 3, "b": 40, "c": 7}
    cols = {
        d: pa.array(rng.integers(0, k, n, dtype=np.int32), mask=rng.random(n) < 0.1)
        for d, k in sizes.items()
    }
    weights = pa.array(rng.integers(1, 5, n, dtype=np.int64))

    def as_dict(table):
        return {tuple(r[d] for d in sizes): r["statements"] for r in table.to_pylist()}

    expected: dict[tuple, int] = {}
    for i in range(n):
        key = tuple(cols[d][i].as_py() for d in sizes)
        expected[key] = expected.get(key, 0) + weights[i].as_py()
    folded = rollup._group_sum(cols, sizes, weights)
    # sizes too large to fold into 62 bits: grouped by the columns instead
    by_columns = rollup._group_sum(cols, dict.fromkeys(sizes, 1 << 30), weights)
    assert folded.schema == by_columns.schema
    assert as_dict(folded) == as_dict(by_columns) == expected
    counted = rollup._group_sum(cols, sizes, None)
    assert sum(counted["statements"].to_pylist()) == n


def test_parquet_files_dictionary_encode_enumerations_and_list_items(tmp_path):
    import pyarrow.parquet as pq

    from amparo.engines.tdb import ingest as ingest_module

    synth.write_dump(tmp_path / "dumps", V2_DAY, 600, seed=2, **SMALL)
    store = Store(tmp_path / "store")
    [report] = ingest([tmp_path / "dumps"], store)
    assert report.status == "ingested", report.message
    path = next(p for p in (store.root / "rows").rglob("*.parquet"))
    meta = pq.ParquetFile(path).metadata.row_group(0)
    columns = {meta.column(i).path_in_schema: meta.column(i) for i in range(meta.num_columns)}
    # every name given to the writer is a real column (a wrong one would be ignored silently)
    for name in [*ingest_module.LIST_ELEMENTS, *ingest_module.STATISTICS_COLUMNS]:
        assert name in columns, name
    for name in ["category", "territorial_scope.list.element", "content_type.list.element"]:
        assert "RLE_DICTIONARY" in columns[name].encodings, name
    assert "RLE_DICTIONARY" not in columns["decision_facts"].encodings
    assert columns["created_at"].is_stats_set and not columns["decision_facts"].is_stats_set
