"""Generate schema-faithful DSA Transparency Database dump files for the benchmark.

    .venv/bin/python bench/tdb/generate.py [--rows 5000000] [--day 2025-09-02] [--out DIR]

Writes ``sor-global-<day>-full.zip`` and its ``.sha1`` exactly as the Commission publishes
them: an outer zip of ``.csv.zip`` parts of 1,000,000 rows, each holding CSV parts of 100,000
rows, deflated at level 6. Values follow the published enumerations (v2 categories from
2025-07-01, v1 before) with heavy-tailed platform shares, mostly automated
terms-of-service decisions, templated free text with per-row ids and a long tail of
multi-paragraph explanations (newlines inside quoted fields), EEA-wide territorial scopes,
about 1.1 KB of CSV and 95 bytes of zip per row (the real 2023-09-27 dump: 975 and 83), and
0.01 % malformed rows (wrong field count, bad timestamp, missing uuid, broken JSON array).

The same seed gives byte-identical files. The generator itself is
:mod:`amparo.engines.tdb.synth`, which the tests use too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from amparo.engines.tdb import synth  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "tdb" / "data" / "dumps"


def generate(
    rows: int,
    day: dt.date,
    out: Path,
    seed: int = 2025,
    malformed_rate: float = 1e-4,
    empty_part: bool = False,
):
    return synth.write_dump(
        out, day, rows, seed=seed, malformed_rate=malformed_rate, workers=2, empty_part=empty_part
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    p.add_argument("--rows", type=int, default=5_000_000)
    p.add_argument("--day", type=dt.date.fromisoformat, default=dt.date(2025, 9, 2))
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--seed", type=int, default=2025)
    p.add_argument("--malformed-rate", type=float, default=1e-4)
    a = p.parse_args(argv)
    t = time.perf_counter()
    r = generate(a.rows, a.day, a.out, a.seed, a.malformed_rate)
    print(
        f"{r.path}: {r.rows:,} rows ({sum(r.malformed.values()):,} malformed), "
        f"{r.csv_bytes / 1e6:,.0f} MB of CSV, {r.zip_bytes / 1e6:,.0f} MB zipped, "
        f"{time.perf_counter() - t:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
