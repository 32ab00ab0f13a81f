# The database cache's table (CACHE_URL's default, dbcache://portal_cache), made by `migrate`
# so that no separate `createcachetable` is needed: rate limits, mail caps and allauth's
# used-TOTP markers live in it and must hold across processes. A cache of another kind
# (CACHE_URL=redis://…) needs no table and this does nothing.

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # Creates the table of every database cache in CACHES that does not exist yet.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_identity_conflict_kinds"),
    ]

    operations = [
        # Not reversed: the table holds nothing that must go with the migration.
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False),
    ]
