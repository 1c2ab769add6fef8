"""A small Transparency Database store for the demo: two weeks of synthetic statements of
reasons, written as the Commission's daily dumps and ingested the way an operator would
(``amparo tdb ingest``), so the researcher pages and the case look-up have data to show."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

DAYS = 14
ROWS_PER_DAY = 3_000


def seed_tdb(store_root: Path, *, today: dt.date | None = None) -> int:
    """Write and ingest ``DAYS`` synthetic daily dumps into ``store_root``; returns the rows
    stored. Nothing is written when the store already holds data."""
    from amparo.engines.tdb import synth
    from amparo.engines.tdb.ingest import ingest
    from amparo.engines.tdb.store import Store

    if (store_root / "rows").is_dir():
        return 0
    from django.utils import timezone

    last = (today or timezone.localdate()) - dt.timedelta(days=3)
    dumps = Path(tempfile.mkdtemp(prefix="amparo-demo-dumps-"))
    try:
        for i in range(DAYS):
            day = last - dt.timedelta(days=DAYS - 1 - i)
            synth.write_dump(dumps, day, ROWS_PER_DAY, seed=1000 + i, workers=1)
        reports = ingest([dumps], Store(store_root), workers=1)
    finally:
        shutil.rmtree(dumps, ignore_errors=True)
    return sum(report.rows_written for report in reports)
