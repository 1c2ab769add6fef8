"""Upgrading from the previous release's schema with a row in every table, on SQLite and on
PostgreSQL: the database is migrated to the state of the previous release, every table is
filled through the historical models of that state, then `amparo migrate` brings it to the
current schema; every row must come through unchanged, and the app must pass `amparo check`
and answer /healthz."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.install.conftest import (
    FreshDatabase,
    amparo,
    amparo_shell,
    clean_env,
    free_port,
    get,
    running,
)

pytestmark = pytest.mark.slow

#: The latest migration of each Amparo app at commit 1653684, the last commit of the previous
#: release (`git ls-tree -r 1653684 --name-only src/amparo | grep migrations/0`). Apps not
#: named here had no migrations then (amparo.core); other apps' migrations are unchanged.
PREVIOUS_RELEASE = {
    "accounts": "0001_initial",
    "audit": "0002_append_only",
    "campaigns": "0001_initial",
    "cases": "0003_case_list_indexes",
    "escalations": "0001_initial",
    "intake": "0003_message_status_code_length",
    "keyring": "0001_initial",
    "remedies": "0001_initial",
    "worker": "0001_initial",
}
NO_MIGRATIONS_THEN = {"core"}

FILL = """
import datetime, decimal, json, uuid
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

PREVIOUS = json.loads(%(previous)r)
NONE_THEN = set(json.loads(%(none_then)r))
executor = MigrationExecutor(connection)
graph = executor.loader.graph
amparo_apps = {label for label, _ in graph.nodes if label in PREVIOUS or label in NONE_THEN}
targets = [(label, PREVIOUS[label]) for label in PREVIOUS]
# Amparo apps added since the previous release did not exist then: not migrated here (their
# migrations could pull in later migrations of the apps they depend on).
from django.apps import apps as registry
added_since = {
    c.label for c in registry.get_app_configs()
    if c.name.startswith("amparo.") and c.label not in PREVIOUS and c.label not in NONE_THEN
}
targets += [
    node for node in graph.leaf_nodes()
    if node[0] not in PREVIOUS and node[0] not in NONE_THEN and node[0] not in added_since
]
executor.migrate(targets)
# What `amparo migrate` does after migrating: content types and permissions.
from django.core.management.sql import emit_post_migrate_signal
emit_post_migrate_signal(0, False, "default")
executor.loader.build_graph()
apps = executor.loader.project_state(targets, at_end=True).apps
counter = [0]

def value(field, model):
    counter[0] += 1
    n = counter[0]
    if field.choices:
        return field.choices[0][0]
    if field.has_default():
        return field.get_default()
    kind = field.get_internal_type()
    if kind in ("CharField", "TextField", "SlugField"):
        if isinstance(field, models.EmailField):
            return f"row{n}@example.org"
        if isinstance(field, models.URLField):
            return f"https://example.org/{n}"
        text = f"v{n}-{model._meta.model_name}-{field.name}"
        return text[: field.max_length] if field.max_length else text
    if "Integer" in kind or kind in ("SmallAutoField",):
        return n
    if kind == "BooleanField":
        return True
    if kind == "DateTimeField":
        return timezone.now()
    if kind == "DateField":
        return datetime.date(2026, 1, 2)
    if kind == "TimeField":
        return datetime.time(12, 0)
    if kind == "DurationField":
        return datetime.timedelta(minutes=n)
    if kind == "DecimalField":
        return decimal.Decimal(1)
    if kind == "FloatField":
        return 1.5
    if kind == "BinaryField":
        return f"bytes-{n}".encode()
    if kind == "JSONField":
        return {"row": n}
    if kind == "UUIDField":
        return uuid.uuid4()
    if kind == "GenericIPAddressField":
        return "192.0.2.1"
    raise AssertionError(f"no value for {model.__name__}.{field.name} ({kind})")

todo = [
    m for m in apps.get_models(include_auto_created=True)
    if m._meta.managed and not m._meta.proxy
]
filled, problems = [], {}
for _round in range(len(todo) + 1):
    for model in list(todo):
        needed = [
            f.related_model for f in model._meta.concrete_fields
            if f.is_relation and not f.null and f.related_model is not model
        ]
        if any(not r._default_manager.exists() for r in needed):
            continue
        row = model()
        for f in model._meta.concrete_fields:
            if f.primary_key and f.get_internal_type().endswith("AutoField"):
                continue
            if f.is_relation:
                target = f.related_model._default_manager.order_by("?").first()
                if isinstance(f, models.OneToOneField):
                    used = model._default_manager.values_list(f.attname, flat=True)
                    target = f.related_model._default_manager.exclude(pk__in=used).first()
                    if target is None and not f.null:
                        target = None
                setattr(row, f.name, target)
            elif f.name in ("id",) and f.has_default():
                setattr(row, f.attname, f.get_default())
            else:
                setattr(row, f.attname, value(f, model))
        try:
            with transaction.atomic():
                models.Model.save_base(row, raw=True, force_insert=True)
        except Exception as exc:
            problems[model._meta.db_table] = f"{type(exc).__name__}: {exc}"[:300]
            continue
        todo.remove(model)
        filled.append(model._meta.db_table)
    if not todo:
        break
print("FILL " + json.dumps({
    "filled": filled,
    "left": {m._meta.db_table: problems.get(m._meta.db_table, "waits for a row") for m in todo},
}))
"""

DUMP = """
import json
from django.db import connection

def cell(v):
    if isinstance(v, memoryview):
        v = bytes(v)
    if isinstance(v, bytes):
        return "b:" + v.hex()
    return str(v) if v is not None else None

out = {}
with connection.cursor() as cursor:
    for table in sorted(t for t in connection.introspection.table_names() if not t.startswith("sqlite_")):
        q = connection.ops.quote_name(table)
        cursor.execute(f"SELECT * FROM {q}")
        columns = [c[0] for c in cursor.description]
        rows = sorted(json.dumps(dict(zip(columns, map(cell, r))), sort_keys=True)
                      for r in cursor.fetchall())
        out[table] = rows
print("DUMP " + json.dumps(out))
"""


NEW_COLUMNS = """
import json
from django.apps import apps
from django.db.models import NOT_PROVIDED

OLD = json.loads(%(old)r)  # table -> its columns before the upgrade
out = {}
for model in apps.get_models():
    table = model._meta.db_table
    if table not in OLD:
        continue
    for f in model._meta.concrete_fields:
        if f.column in OLD[table]:
            continue
        if f.db_default is not NOT_PROVIDED or f.has_default():
            expected = f.get_default()
            wrong = model._base_manager.exclude(**{f.name: expected}).count()
        elif not f.null and f.empty_strings_allowed:  # text without a default: empty
            expected, wrong = "", model._base_manager.exclude(**{f.name: ""}).count()
        else:
            expected, wrong = None, model._base_manager.exclude(**{f.name + "__isnull": True}).count()
        out[f"{table}.{f.column}"] = {"expected": str(expected), "rows": model._base_manager.count(),
                                      "wrong": wrong}
print("NEW " + json.dumps(out))
"""


#: Columns a data migration recomputes on purpose, by table (all others must stay as they were).
RECOMPUTED = {
    # cases/0005_next_due_with_clocks: "Next due" now counts escalation and remedy clocks too.
    "cases_case": {"next_due_at"},
}


def test_upgrade_from_previous_release_keeps_every_row(
    fresh_database: FreshDatabase, tmp_path: Path
) -> None:
    port = free_port()
    env = clean_env(
        tmp_path,
        DATABASE_URL=fresh_database.url,
        AMPARO_DATA_DIR=str(tmp_path / "data"),
        AMPARO_KEK="dGVzdC1vbmx5LWtlay0wMTIzNDU2Nzg5YWJjZGVmMDE",
        AMPARO_SECRET_KEY="upgrade-test-secret-key-0123456789-abcdefghijklmnopqrstuv",
        AMPARO_SITE_URL=f"http://127.0.0.1:{port}",
        AMPARO_SECURE_COOKIES="0",
    )
    script = FILL % {
        "previous": json.dumps(PREVIOUS_RELEASE),
        "none_then": json.dumps(sorted(NO_MIGRATIONS_THEN)),
    }
    fill = amparo_shell(script, env, tmp_path, "FILL")
    assert not fill["left"], fill["left"]
    before = amparo_shell(DUMP, env, tmp_path, "DUMP")
    empty = sorted(t for t, rows in before.items() if not rows and t != "django_migrations")
    assert not empty, f"tables left without a row: {empty}"
    # The previous release's schema: the tables this round added are not there yet.
    assert "core_outboundmessage" not in before

    migrated = amparo("migrate", env=env, cwd=tmp_path, timeout=300)
    assert migrated.returncode == 0, migrated.stdout[-2000:] + migrated.stderr[-3000:]
    applied = [line for line in migrated.stdout.splitlines() if "Applying" in line]
    assert any("core.0002_outbound_message" in line for line in applied), migrated.stdout
    assert any("accounts.0002_invitation_by_setup" in line for line in applied)

    after = amparo_shell(DUMP, env, tmp_path, "DUMP")
    for table, rows in before.items():
        if table == "django_migrations":
            assert len(after[table]) > len(rows)
            continue
        if table in ("django_content_type", "auth_permission"):  # added for new models
            assert set(rows) <= set(after[table]), table
            continue
        assert len(after.get(table, [])) == len(rows), f"{table}: rows lost or added"
        recomputed = RECOMPUTED.get(table, set())
        changed = [
            {k: (old[k], new.get(k)) for k in old if old[k] != new.get(k) and k not in recomputed}
            for old, new in zip(map(json.loads, rows), map(json.loads, after[table]), strict=True)
        ]
        assert not any(changed), f"{table} changed in the upgrade: {changed}"
    assert set(after) - set(before) >= {"core_outboundmessage", "amparo_cache"}

    # Columns added since the previous release hold their defaults in the old rows.
    old_columns = {t: sorted(json.loads(rows[0])) for t, rows in before.items() if rows}
    new = amparo_shell(NEW_COLUMNS % {"old": json.dumps(old_columns)}, env, tmp_path, "NEW")
    print(f"\n{fresh_database.kind}: new columns in old tables: {new}")
    assert not {c: v for c, v in new.items() if v["wrong"] or not v["rows"]}, new

    check = amparo("check", env=env, cwd=tmp_path)
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    pending = amparo("migrate", "--check", env=env, cwd=tmp_path)
    assert pending.returncode == 0, pending.stdout[-2000:]
    with running(env, tmp_path, port) as base:
        assert get(f"{base}/healthz")[0] == 200
