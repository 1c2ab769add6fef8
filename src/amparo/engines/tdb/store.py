"""The on-disk layout of an ingested Transparency Database store.

::

    <store>/rows/day=YYYY-MM-DD/platform=<slug>/<dump>-<run>-<n>.parquet
    <store>/quarantine/<dump>.csv       rows that could not be read, with the reason
    <store>/manifest/<scope>-<day>.json  what was ingested from which dump (incremental state)

``day`` is the UTC day of ``created_at`` (a dump can hold rows of the day before), ``platform``
a slug of ``platform_name``. The store directory comes from an argument or ``AMPARO_TDB_DIR``.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_VAR = "AMPARO_TDB_DIR"


def slugify(name: str) -> str:
    """``"Google Play"`` → ``"google-play"``; stable and safe as a directory name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9.]+", "-", ascii_name.lower()).strip("-.")
    return slug or "unknown"


@dataclass(frozen=True)
class Store:
    root: Path

    @classmethod
    def at(cls, path: str | os.PathLike[str] | None = None) -> Store:
        """The store at ``path``, else at ``$AMPARO_TDB_DIR``; raises if neither is given."""
        raw = path if path is not None else os.environ.get(ENV_VAR)
        if not raw:
            raise ValueError(f"no store directory: pass one or set {ENV_VAR}")
        return cls(Path(raw).expanduser())

    @property
    def rows_dir(self) -> Path:
        return self.root / "rows"

    @property
    def quarantine_dir(self) -> Path:
        return self.root / "quarantine"

    @property
    def manifest_dir(self) -> Path:
        return self.root / "manifest"

    @property
    def rows_glob(self) -> str:
        return str(self.rows_dir / "**" / "*.parquet")

    @property
    def rollups_dir(self) -> Path:
        return self.root / "rollups"

    def rollup_dir(self, name: str) -> Path:
        return self.rollups_dir / name

    def has_rollup(self, name: str) -> bool:
        d = self.rollup_dir(name)
        return d.exists() and any(d.glob("*.parquet"))

    def ensure(self) -> None:
        for d in (self.rows_dir, self.quarantine_dir, self.manifest_dir):
            d.mkdir(parents=True, exist_ok=True)

    def has_rows(self) -> bool:
        return self.rows_dir.exists() and any(self.rows_dir.glob("day=*/platform=*/*.parquet"))

    def partition_dir(self, day: str, platform_slug: str) -> Path:
        return self.rows_dir / f"day={day}" / f"platform={platform_slug}"

    # --- manifest -------------------------------------------------------------------------

    def manifest_path(self, key: str) -> Path:
        return self.manifest_dir / f"{key}.json"

    def read_manifest(self, key: str) -> dict[str, Any] | None:
        p = self.manifest_path(key)
        if not p.exists():
            return None
        return json.loads(p.read_text(encoding="utf-8"))

    def write_manifest(self, key: str, entry: dict[str, Any]) -> None:
        self.ensure()
        p = self.manifest_path(key)
        tmp = p.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(entry, indent=2, sort_keys=True), encoding="utf-8")
        tmp.replace(p)

    def manifests(self) -> dict[str, dict[str, Any]]:
        if not self.manifest_dir.exists():
            return {}
        return {
            p.stem: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(self.manifest_dir.glob("*.json"))
        }

    def drop(self, key: str) -> None:
        """Remove what one manifest entry wrote (its Parquet files, quarantine and entry)."""
        entry = self.read_manifest(key)
        if entry is None:
            return
        self.uncompact(entry)
        for rel in entry.get("files", []):
            (self.root / rel).unlink(missing_ok=True)
        if entry.get("quarantine"):
            (self.root / entry["quarantine"]).unlink(missing_ok=True)
        self.manifest_path(key).unlink(missing_ok=True)
        for d in sorted(self.rows_dir.glob("day=*/platform=*"), reverse=True):
            if d.is_dir() and not any(d.iterdir()):
                d.rmdir()
        for d in self.rows_dir.glob("day=*"):
            if d.is_dir() and not any(d.iterdir()):
                d.rmdir()

    def uncompact(self, entry: dict[str, Any]) -> None:
        """Take an entry's counts out of the month files its rollups were compacted into
        (:mod:`.compact`): those files keep each dump's counts apart in a ``dump`` column."""
        compacted = entry.get("compacted") or {}
        if not compacted:
            return
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        stem = entry["rollup_stem"]
        for rel in compacted.values():
            path = self.root / rel
            if not path.exists():
                continue
            table = pq.read_table(path)
            kept = table.filter(pc.not_equal(table["dump"], stem))
            if kept.num_rows == table.num_rows:
                continue
            if kept.num_rows == 0:
                path.unlink()
                continue
            tmp = path.with_name(path.name + ".tmp")
            pq.write_table(kept, tmp, compression="zstd", row_group_size=65_536)
            tmp.replace(path)


def day_range(store: Store) -> tuple[str | None, str | None]:
    """First and last day in the store: of the ``day`` partitions (from directory names;
    nothing is read) and of the ingested dumps (whose rows may have been deleted, keeping
    their rollups)."""
    days: list[str] = []
    if store.rows_dir.exists():
        days += [p.name.removeprefix("day=") for p in store.rows_dir.glob("day=*") if p.is_dir()]
    if store.manifest_dir.exists():
        # the key is <scope>-<YYYY-MM-DD>: the dump's day, read off the file name
        days += [p.stem[-10:] for p in store.manifest_dir.glob("*-????-??-??.json")]
    days.sort()
    return (days[0], days[-1]) if days else (None, None)
