"""A real task worker (`manage.py run_worker` or `db_worker`) in a process of its own, on the
test database, for tests that kill it or take its database away. The test itself must use
the database task backend too (DATABASE_TASKS) and commit what the worker is to see
(django_db(transaction=True))."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def database_url() -> str:
    """The test database, as the worker's DATABASE_URL."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host, port = params.get("HOST") or "127.0.0.1", params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


def wait_for(condition, what: str, *, worker=None, timeout: float = 300.0) -> None:
    """Until condition() holds. The timeout only keeps a broken run from hanging: nothing
    here measures how long the worker takes (that is bench/'s business)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if worker is not None and worker.process.poll() is not None:
            code = worker.process.returncode
            raise AssertionError(f"the worker exited ({code}) {what}:\n{worker.log()}")
        if time.monotonic() > deadline:
            log = worker.log() if worker is not None else ""
            raise AssertionError(f"gave up waiting {what}\n{log}")
        time.sleep(0.05)


class Worker:
    """`with Worker(tmp_path, "first") as worker:` runs one worker until the block ends."""

    def __init__(self, log_dir: Path, name: str, command: str = "run_worker", **env):
        self.log_path = log_dir / f"worker-{name}.log"
        self.command, self.name, self.env = command, name, env

    def __enter__(self):
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update(
            DJANGO_SETTINGS_MODULE="tests.worker_settings",
            DATABASE_URL=database_url(),
            PYTHONUNBUFFERED="1",
            **self.env,
        )
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable, "manage.py", self.command, "--no-reload", "--interval", "0.1",
                    "--no-startup-delay", "--worker-id", f"test-{self.name}", "--verbosity", "2",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as when the machine or the OOM killer takes it."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
