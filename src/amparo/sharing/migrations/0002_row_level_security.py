# Row-level security (amparo.core.rls) on the keyed hashes of members' cases, as core/0004
# does: each row names a case of its organisation. Matching reads across organisations only
# inside rls.bypass() and returns counts (sharing/matching.py).

from django.db import migrations

RLS_TABLES = ("sharing_digest",)
ALLOWED = (
    "current_setting('amparo.organisation', true) = '*'"
    " OR organisation_id::text = current_setting('amparo.organisation', true)"
)


def enable_rls(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in RLS_TABLES:
        schema_editor.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        schema_editor.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        schema_editor.execute(f"DROP POLICY IF EXISTS amparo_organisation ON {table}")
        schema_editor.execute(
            f"CREATE POLICY amparo_organisation ON {table} USING ({ALLOWED}) WITH CHECK ({ALLOWED})"
        )


def disable_rls(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in RLS_TABLES:
        schema_editor.execute(f"DROP POLICY IF EXISTS amparo_organisation ON {table}")
        schema_editor.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        schema_editor.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial")]

    operations = [migrations.RunPython(enable_rls, disable_rls, elidable=False)]
