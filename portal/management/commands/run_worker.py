"""`manage.py run_worker`: django-tasks' database worker (`db_worker`), kept alive through a
database restart.

`db_worker` looks for a task once per interval and opens a new connection each time
(CONN_MAX_AGE is 0). When PostgreSQL restarts, that look fails ("the database system is
shutting down", "connection refused"); `db_worker` only lets a locked SQLite database pass and
otherwise exits, so mail waits until systemd or a person starts it again. This command runs
the same worker, with the same options, and when the database fails it drops every
connection, waits (0.5 s, doubling up to 30 s) and looks again. A task that was running when
the database went away is left as django-tasks leaves a killed worker's: the outbox's sweep
sends its mail again, and an extract's page has its job run again (portal/extract/jobs.py).

Only the database's own failures are waited out (OperationalError, InterfaceError). Anything
else still stops the worker, for systemd's Restart=always to start it afresh.
"""

import os
import time

from django.core.management.base import CommandError
from django.db import InterfaceError, OperationalError, connections
from django.utils import autoreload
from django_tasks_db.management.commands import db_worker

FIRST_WAIT = 0.5
LONGEST_WAIT = 30.0


class ResilientWorker(db_worker.Worker):
    """django-tasks' worker loop, entered again after a database failure."""

    def run(self) -> None:
        wait = FIRST_WAIT
        while True:
            began = time.monotonic()
            try:
                return super().run()
            except (OperationalError, InterfaceError) as error:
                # A broken connection must not be reused; each alias opens anew when asked.
                connections.close_all()
                if time.monotonic() - began > LONGEST_WAIT:
                    wait = FIRST_WAIT  # it ran a good while: a new outage, not the same one
                first_line = (str(error).strip().splitlines() or [""])[0]
                db_worker.logger.warning(
                    "The database failed (%s: %s); worker_id=%s looks again in %.1f s.",
                    type(error).__name__,
                    first_line,
                    self.worker_id,
                    wait,
                )
                time.sleep(wait)  # SIGTERM here exits at once (nothing is in hand)
                wait = min(wait * 2, LONGEST_WAIT)
                self.startup_delay = False  # the random start-up delay is for the first start


class Command(db_worker.Command):
    help = "Run a database task worker that waits out a database restart instead of exiting"

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ) -> None:
        # db_worker's own handle() builds its Worker inline, so this repeats its few lines of
        # option handling; the loop itself is db_worker's (ResilientWorker.run calls it).
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloader's child runs tasks
            autoreload.run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
