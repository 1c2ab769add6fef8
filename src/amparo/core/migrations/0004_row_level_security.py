"""PostgreSQL row-level security on case data (see amparo.core.rls and docs/security.md).

PostgreSQL only: on SQLite the operations do nothing.
"""

from typing import Any

from django.db import migrations

TABLES = (
    "intake_report",
    "intake_evidence",
    "intake_message",
    "intake_indicator",
    "cases_case",
    "cases_note",
    "cases_task",
    "escalations_escalation",
    "remedies_platformdecision",
    "remedies_remedystep",
    "campaigns_detectionrun",
    "campaigns_campaign",
)
ALLOWED = (
    "current_setting('amparo.organisation', true) = '*'"
    " OR organisation_id::text = current_setting('amparo.organisation', true)"
)


def enable(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        schema_editor.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        schema_editor.execute(f"DROP POLICY IF EXISTS amparo_organisation ON {table}")
        schema_editor.execute(
            f"CREATE POLICY amparo_organisation ON {table} USING ({ALLOWED}) WITH CHECK ({ALLOWED})"
        )


def disable(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP POLICY IF EXISTS amparo_organisation ON {table}")
        schema_editor.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        schema_editor.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_webhooks"),
        ("intake", "0004_report_held"),
        ("cases", "0003_case_list_indexes"),
        ("escalations", "0001_initial"),
        ("remedies", "0001_initial"),
        ("campaigns", "0001_initial"),
    ]

    operations = [migrations.RunPython(enable, disable, elidable=False)]
