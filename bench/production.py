"""The portal started as in production on loopback, for the benchmarks: a scratch PostgreSQL
database, gunicorn, optionally a task worker (run_worker), and an SMTP server (aiosmtpd).

It reuses the production rehearsal's set-up (.ci/rehearsal.py: the environment, the
processes, the browser over HTTP behind an imagined TLS proxy, the code sign-in, TOTP), so
the benchmarks run the portal exactly as the rehearsal checks it.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rehearsal():
    spec = importlib.util.spec_from_file_location("rehearsal", ROOT / ".ci" / "rehearsal.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.DEADLINE = time.monotonic() + 6 * 3600  # its 4-minute limit is for CI
    return module


rehearsal = _rehearsal()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def pss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


class Portal:
    """with Portal(workers=1) as portal: portal.browser(), portal.mailbox, portal.env ..."""

    def __init__(self, *, workers=1, task_worker=False, env=None, demo=False):
        self.workers, self.task_worker, self.extra_env, self.demo = workers, task_worker, env, demo
        self.db_name = f"portal_bench_{os.getpid()}"
        self.processes = rehearsal.Processes()
        self.log_dir = tempfile.mkdtemp(prefix="portal-bench-")
        self.smtp = None

    def database_url(self) -> str:
        parts = urllib.parse.urlsplit(rehearsal.ADMIN_URL)
        return urllib.parse.urlunsplit(parts._replace(path=f"/{self.db_name}"))

    def manage(self, *args, stdin=None, **env):
        return rehearsal.manage({**self.env, **env}, *args, stdin=stdin)

    def seed(self, first, count, orders):
        result = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, "bench/seed.py", str(first), str(count), str(orders)],
            cwd=ROOT, env=self.env, check=False, capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode:
            raise RuntimeError(f"seed failed:\n{result.stdout}{result.stderr}")

    def __enter__(self):
        self.web_port, smtp_port = rehearsal.free_port(), rehearsal.free_port()
        self.env = rehearsal.production_env(smtp_port)
        self.env.update(DATABASE_URL=self.database_url(), LOG_LEVEL="WARNING")
        self.env.update(self.extra_env or {})
        rehearsal.admin_sql(f'CREATE DATABASE "{self.db_name}"')
        try:
            self.manage("migrate", "--no-input", "--verbosity", "0")
            self.manage("collectstatic", "--no-input", "--verbosity", "0")
            if self.demo:  # Maija and the other demo people (load_demo wants DEBUG on)
                self.manage("load_demo", DEBUG="true")
            self.smtp, self.mailbox = rehearsal.start_smtp(smtp_port)
            self.gunicorn = rehearsal.start_gunicorn(
                self.processes, self.env, self.log_dir, self.web_port, workers=self.workers
            )
            if self.task_worker:
                self.start_task_worker()
            rehearsal.wait_until_healthy(self.browser(), self.processes)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def start_task_worker(self):
        args = [sys.executable, "manage.py", "run_worker", "--no-reload", "--interval", "0.5"]
        return self.processes.start("run_worker", args, self.env, self.log_dir)

    def browser(self):
        return rehearsal.Browser(self.web_port)

    def rehearsal_sign_in(self, browser, address):
        rehearsal.sign_in_by_code(browser, self.mailbox, address)

    def memory(self) -> dict:
        """RSS and PSS (KiB) of the gunicorn master and its workers."""
        pids = [self.gunicorn.pid, *children(self.gunicorn.pid)]
        return {
            "pids": len(pids),
            "rss_kib": sum(rss_kib(p) for p in pids),
            "pss_kib": sum(pss_kib(p) for p in pids),
        }

    def __exit__(self, *exc):
        self.processes.stop_all()
        if self.smtp is not None:
            self.smtp.stop()
        try:
            rehearsal.admin_sql(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        finally:
            shutil.rmtree(self.log_dir, ignore_errors=True)
