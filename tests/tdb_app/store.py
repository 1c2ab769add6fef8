"""A tiny Transparency Database store for the researcher pages and their engine: two days of
synthetic statements with planted rows whose content ids, texts, notifiers, laws and dates
the tests know."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa

from amparo.engines.tdb import synth
from amparo.engines.tdb.ingest import ingest
from amparo.engines.tdb.store import Store

DAYS = (dt.date(2025, 9, 1), dt.date(2025, 9, 2))
ROWS_PER_DAY = 600

#: Rows planted at the start of each CSV part (so once per day with these sizes).
PLANTED: list[dict[str, Any]] = [
    {"platform_name": "TikTok", "platform_uid": "7291829384756473829",
     "decision_facts": "Die Wahlen wurden durch koordinierte Konten gestört.",
     "content_date": "2025-08-01", "source_type": "SOURCE_TRUSTED_FLAGGER",
     "source_identity": "HateAid gGmbH"},
    {"platform_name": "X", "platform_uid": "1717181920212223242",
     "decision_facts": "Une journaliste a reçu des menaces de mort après l'article.",
     "content_date": "2025-08-31", "source_type": "SOURCE_ARTICLE_16",
     "source_identity": "A user"},
    {"platform_name": "LinkedIn", "platform_uid": "urn:li:activity:7123456789012345678",
     "decision_facts": "Las elecciones y el periodista: acoso coordinado.",
     "content_date": "2025-09-03"},  # after the application date: a negative delay
    {"platform_name": "Instagram", "platform_uid": "CxYz12AbC_d",
     "decision_facts": "=HYPERLINK(\"http://example.org\") spreadsheet trap",
     "illegal_content_legal_ground": "§ 185 StGB", "decision_ground":
     "DECISION_GROUND_ILLEGAL_CONTENT", "source_type": "SOURCE_TRUSTED_FLAGGER",
     "source_identity": "HateAid gGmbH"},
    {"platform_name": "Facebook", "platform_uid": "100044_10159",
     "decision_facts": "Οι εκλογές και η παραπληροφόρηση.", "content_date": ""},
    {"platform_name": "Telegram", "platform_uid": "somechannel/1234",
     "decision_facts": "hate speech against an activist"},
]  # fmt: skip


def plant(table: pa.Table) -> pa.Table:
    data = table.to_pydict()
    for i, row in enumerate(PLANTED):
        for column, value in row.items():
            data[column][i] = value
    return pa.table(data, schema=table.schema)


def build(root: Path) -> Store:
    for i, day in enumerate(DAYS):
        synth.write_dump(
            root / "dumps", day, ROWS_PER_DAY, seed=40 + i, rows_per_csv=ROWS_PER_DAY,
            transform=plant, workers=1,
        )  # fmt: skip
    store = Store(root / "store")
    reports = ingest([root / "dumps"], store, workers=1)
    assert [r.status for r in reports] == ["ingested", "ingested"], [r.message for r in reports]
    return store
