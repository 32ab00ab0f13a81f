"""Backup and restore as docs/deployment.md describes them, on the database the suite runs on.

SQLite: the online backup API (what `sqlite3 db.sqlite3 ".backup FILE"` uses) to a file, and
that file restored into a new database. PostgreSQL: `pg_dump --format=custom` and
`pg_restore` into a fresh database (the documented procedure; pg_dump must be installed).
Either way the restored database has every table with the same number of rows, and
`manage.py verify_audit` run against it finds the audit trail intact.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from portal.models import AuditEvent
from tests.extracts import customer_in_every_register, signed_in_customer

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent


def _activity(client):
    """A person's data, their sign-in, a copy taken, a request filed: rows in most tables and
    a chain of audit events."""
    customer_in_every_register(orders=3)
    signed_in_customer(client)
    assert client.post("/en/my-data/extract.pdf").status_code == 200
    form = client.get("/en/requests/other/").context["form"]
    response = client.post(
        "/en/requests/other/",
        {
            "description": "Which partners have my address?",
            "submission": form["submission"].value(),
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.count() >= 3


def _counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def _source_counts() -> dict[str, int]:
    tables = sorted(connection.introspection.table_names())
    with connection.cursor() as cursor:
        return _counts(cursor, tables)


def _verify_audit(database_url: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"TEST_DATABASE_NAME"}}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="portal.settings_test")
    result = subprocess.run(
        [sys.executable, "manage.py", "verify_audit"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_backup_restored_keeps_every_row_and_the_audit_trail(client, tmp_path):
    _activity(client)
    before = _source_counts()
    assert sum(before.values()) > 50 and before["portal_auditevent"] >= 3
    if connection.vendor == "sqlite":
        restored_url, after = _sqlite_backup_and_restore(tmp_path, tables=sorted(before))
    else:
        restored_url, after = _postgres_dump_and_restore(tmp_path, tables=sorted(before))
    try:
        assert after == before
        report = _verify_audit(restored_url)
        assert f"Audit trail OK: {before['portal_auditevent']} events verified." in report
    finally:
        if connection.vendor == "postgresql":
            _drop(restored_url)


def _sqlite_backup_and_restore(tmp_path, tables):
    backup, restored = tmp_path / "backup.sqlite3", tmp_path / "restored.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(backup) as target:
        connection.connection.backup(target)  # the online backup: the portal may keep running
    with sqlite3.connect(backup) as source, sqlite3.connect(restored) as target:
        source.backup(target)
    with sqlite3.connect(restored) as db:
        after = _counts(db.cursor(), tables)  # a table missing there fails here
    return f"sqlite:///{restored}", after


def _postgres_dump_and_restore(tmp_path, tables):
    for tool in ("pg_dump", "pg_restore"):
        assert shutil.which(tool), f"{tool} is needed (the PostgreSQL client, see the docs)"
    params = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}
    common = [
        "--host",
        params.get("HOST") or "127.0.0.1",
        "--port",
        str(params.get("PORT") or 5432),
    ]
    common += ["--username", params.get("USER") or "postgres"]
    dump = tmp_path / "portal.dump"
    subprocess.run(
        ["pg_dump", *common, "--format=custom", "--file", str(dump), params["NAME"]],
        env=env,
        check=True,
        timeout=120,
    )
    restored = f"{params['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    server = _server_url(params, "postgres")
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(restored)))
    url = _server_url(params, restored)
    subprocess.run(
        ["pg_restore", *common, "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)],
        env=env,
        check=True,
        timeout=120,
    )
    with psycopg.connect(url) as db, db.cursor() as cursor:
        after = _counts(cursor, tables)  # a table missing there fails here
    return url, after


def _server_url(params, name):
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host, port = params.get("HOST") or "127.0.0.1", params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _drop(url):
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
