"""The shared cache table (used TOTP codes, sign-in throttling counters).

A migration, not a ``post_migrate`` receiver: Django sends ``post_migrate`` only for apps with
models, and ``core`` had none, so a fresh ``amparo migrate`` never created the table and every
sign-in failed. ``createcachetable`` skips tables that already exist, so upgrading an install
that has the table is safe.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    from django.conf import settings

    quote = schema_editor.connection.ops.quote_name
    for cache in settings.CACHES.values():
        if cache["BACKEND"].endswith("db.DatabaseCache"):
            schema_editor.execute(f"DROP TABLE IF EXISTS {quote(cache['LOCATION'])}")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
