"""A task worker that outlives its database going away (issue #14, items 2 and 7).

PostgreSQL restarting ends every connection and refuses new ones for a few seconds. Here the
same happens to the test database alone: new connections are refused (ALLOW_CONNECTIONS
false) and every other session on it is ended (pg_terminate_backend). On SQLite the nearest
real fault is the database file gone from its place (a volume unmounted): the worker's next
connection finds no tables. django-tasks' `db_worker` exits on either; `run_worker` waits,
connects again, and does the work enqueued after the database is back."""

import pytest
from django.core import mail

from outbox.models import OutboxMessage
from tests.database_faults import database_away
from tests.workers import DATABASE_TASKS, Worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def _mail(subject: str) -> OutboxMessage:
    mail.send_mail(subject, "Body.", None, ["aino@example.fi"])
    return OutboxMessage.objects.get(subject=subject)


def _sent(row: OutboxMessage):
    def sent():
        row.refresh_from_db()
        return row.status == OutboxMessage.Status.SENT

    return sent


def test_run_worker_waits_out_the_database_and_carries_on(settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    with Worker(tmp_path, "resilient", command="run_worker") as worker:
        before = _mail("Before")
        wait_for(_sent(before), "for the mail sent before", worker=worker)
        with database_away():
            # Twice: the first failure, then a connection tried again that failed too.
            wait_for(
                lambda: "looks again in 1.0 s" in worker.log(),
                "for the worker to meet the database's absence twice",
                worker=worker,
            )
        after = _mail("After")  # enqueued once the database is back
        wait_for(_sent(after), "for the mail sent after", worker=worker)
        assert worker.process.poll() is None  # the same process, never restarted
        assert "The database failed (OperationalError" in worker.log()


def test_db_worker_alone_exits_when_the_database_goes_away(settings, tmp_path):
    # Why run_worker exists: django-tasks' own worker stops at the first such error.
    settings.TASKS = DATABASE_TASKS
    with Worker(tmp_path, "plain", command="db_worker") as worker:
        row = _mail("Before")
        wait_for(_sent(row), "for the mail sent before", worker=worker)
        with database_away():
            wait_for(lambda: worker.process.poll() is not None, "for db_worker to exit")
        assert worker.process.returncode != 0
        assert "OperationalError" in worker.log()
