"""The database gone for a while, as a restart or a lost volume makes it, for fault tests.

PostgreSQL: new connections to the test database are refused (ALLOW_CONNECTIONS false) and
every session on it is ended (pg_terminate_backend), as in a restart. SQLite: the database
file is moved away (a volume unmounted), so a new connection finds no tables."""

import os
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.db import connection

from tests.workers import database_url


@contextmanager
def database_away():
    connection.close()  # this process touches nothing while the database is away
    if connection.vendor == "postgresql":
        # From the server's own database: PostgreSQL refuses this on the database in use.
        server = database_url().rsplit("/", 1)[0] + "/postgres"
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [connection.settings_dict["NAME"]],
            )
            try:
                yield
            finally:
                admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
    else:
        path = Path(connection.settings_dict["NAME"])
        aside = path.with_name(path.name + ".away")
        os.replace(path, aside)
        try:
            yield
        finally:
            os.replace(aside, path)  # over the empty database the worker's connect made
