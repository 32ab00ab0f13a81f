"""The bounded load test (issue #14, items 5 and 7c), on loopback, production mode.

gunicorn with 2 workers, a scratch PostgreSQL database, one task worker (run_worker) and an
SMTP server (aiosmtpd), started by bench/production.py as the production rehearsal starts
them. 50 customers (bench/seed.py: all four registers, 3 orders each) sign in by the code the
SMTP server received, each from a client address of its own; 2 contact persons sign in with
password and TOTP. Then headless locust (bench/load/locustfile.py) for 60 s: customers browse
my data, take PDF and JSON copies and file requests, staff open the queue and requests and
add notes. Afterwards: zero failures; every request locust saw filed is in the database
once, and nothing else; every issued copy was received; every outbox message delivered,
each Message-ID received by the SMTP server exactly once; verify_audit passes. Then the
ceiling: the same users asking for /healthz only (a bare Django view), with no pause, for 30 s.

    .venv/bin/python bench/load_test.py [--pg-restart]

--pg-restart (item 7c): PostgreSQL is restarted 20 s into the run (pg_ctlcluster; the script
waits for it to answer again). The requests that fail while it is down are counted and
reported; the portal must answer again without being restarted itself, the task worker
(run_worker) must still be running, and the checks above must hold for every request that
succeeded.
"""

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from production import ROOT, Portal, rehearsal

CUSTOMERS, STAFF = 50, 2
STAFF_PASSWORD = "load-staff-password-2026"


def sign_in_everyone(portal) -> dict:
    customers, staff = [], []
    for k in range(1, CUSTOMERS + 1):
        rehearsal.CLIENT_IP = f"198.51.100.{k}"
        browser = portal.browser()
        rehearsal.sign_in_by_code(browser, portal.mailbox, f"bench{k}@example.fi")
        customers.append({"ip": rehearsal.CLIENT_IP, "cookies": browser.cookies})
    for n in range(1, STAFF + 1):
        rehearsal.CLIENT_IP = f"198.51.100.{200 + n}"
        out = portal.manage(
            "create_staff_user", f"staff{n}@example.fi", "--role", "contact_person",
            "--password-stdin", "--totp", stdin=STAFF_PASSWORD + "\n",
        )  # fmt: skip
        secret = re.search(r"TOTP secret: ([A-Z2-7]+)", out).group(1)
        browser = portal.browser()
        form = browser.form("/en/accounts/login/")
        data = {**form, "login": f"staff{n}@example.fi", "password": STAFF_PASSWORD}
        _, headers, _ = browser.post("/en/accounts/login/", data, expect=302)
        form = browser.form(headers["Location"])
        code = rehearsal.totp_code(secret)
        browser.post(headers["Location"], {**form, "code": code}, expect=302)
        browser.get("/en/staff/", expect=200)
        staff.append({"ip": rehearsal.CLIENT_IP, "cookies": browser.cookies})
    return {"host": f"{rehearsal.HOST}:{portal.web_port}", "customers": customers, "staff": staff}


def locust(portal, work_dir, seconds, mode="") -> list[dict]:
    env = {
        **os.environ,
        "LOAD_SESSIONS": str(work_dir / "sessions.json"),
        "LOAD_RESULTS": str(work_dir / f"results{mode}.json"),
        "LOAD_MODE": mode,
    }
    prefix = work_dir / f"locust{mode}"
    subprocess.run(  # noqa: S603 - locust with our arguments
        [
            str(Path(sys.executable).parent / "locust"), "-f", "bench/load/locustfile.py",
            "--headless", "-u", str(CUSTOMERS + STAFF), "-r", str(CUSTOMERS + STAFF),
            "--run-time", f"{seconds}s", "--stop-timeout", "30", "--only-summary",
            "--host", f"http://127.0.0.1:{portal.web_port}", "--csv", str(prefix),
            "--loglevel", "WARNING",
        ],
        cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv") as stats:  # noqa: PTH123
        return list(csv.DictReader(stats))


def restart_postgresql_after(delay, log):
    def restart():
        time.sleep(delay)
        cluster = os.listdir("/etc/postgresql")[0]
        started = time.monotonic()
        log["down_at"] = time.time()
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"]
        subprocess.run(command, check=True)  # noqa: S603, S607 - the local cluster
        while True:  # answering again?
            try:
                rehearsal.admin_sql("SELECT 1")
                break
            except Exception:  # noqa: BLE001 - not yet
                time.sleep(0.2)
        log["restart_s"] = time.monotonic() - started
        log["up_at"] = time.time()

    thread = threading.Thread(target=restart, daemon=True)
    thread.start()
    return thread


def sql(portal, query):
    import psycopg

    with psycopg.connect(portal.database_url()) as connection:
        return connection.execute(query).fetchall()


def table(rows):
    print("| page | requests | failures | req/s | median ms | p95 ms |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        rate = float(row["Requests/s"])
        print(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {rate:.1f} | "
              f"{row['Median Response Time']} | {row['95%']} |")  # fmt: skip


def main(pg_restart: bool) -> int:
    work_dir = Path(tempfile.mkdtemp(prefix="portal-load-"))
    problems = []
    with Portal(workers=2, task_worker=True) as portal:
        portal.seed(1, CUSTOMERS, 3)
        sessions = sign_in_everyone(portal)
        (work_dir / "sessions.json").write_text(json.dumps(sessions))
        mail_before = len(portal.mailbox.messages)
        fault = {}
        if pg_restart:
            restart_postgresql_after(20, fault)
        rows = locust(portal, work_dir, 60)
        print(f"\n## mixed load, {CUSTOMERS} customers + {STAFF} staff, 60 s")
        table(rows)
        total = next(r for r in rows if r["Name"] == "Aggregated")
        failures = int(total["Failure Count"])
        if pg_restart:
            print(f"PostgreSQL restart took {fault.get('restart_s', float('nan')):.1f} s; "
                  f"{failures} failed requests during it")  # fmt: skip
            history = list(csv.DictReader(open(work_dir / "locust_stats_history.csv")))  # noqa: SIM115, PTH123
            failed_at = [
                (int(row["Timestamp"]), int(row["Total Failure Count"]))
                for row in history
                if row["Name"] == "Aggregated"
            ]
            up = fault.get("up_at", 0)
            # whole seconds: a row stamped t holds what failed until t + 1
            before = max((n for t, n in failed_at if t + 1 <= fault.get("down_at", 0)), default=0)
            at_up = max((n for t, n in failed_at if t <= up + 1), default=0)
            print(f"failures: {before} before the restart, {at_up - before} while it was down "
                  f"(and up to 1 s after), {failures - at_up} after it was back")  # fmt: skip
            if failures - at_up:
                problems.append(f"{failures - at_up} failures after PostgreSQL was back")
            # What the failed requests got (locust names the HTTP status in its error).
            with open(work_dir / "locust_failures.csv") as failed:  # noqa: PTH123
                for row in csv.DictReader(failed):
                    print(f"  failed: {row['Occurrences']} × {row['Method']} {row['Name']}: "
                          f"{row['Error']}")  # fmt: skip
            worker = next(p for name, p, _ in portal.processes.running if name == "run_worker")
            if worker.poll() is not None:
                problems.append("the task worker exited when PostgreSQL went down")
                print(f"run_worker exited ({worker.returncode}) when PostgreSQL went down; started "
                      "again, as systemd's Restart=always does (docs/deployment.md)")  # fmt: skip
                portal.start_task_worker()
            else:
                log = (Path(portal.log_dir) / "run_worker.log").read_text(errors="replace")
                met = [line for line in log.splitlines() if "The database failed" in line]
                print("run_worker kept running through the restart (not restarted); it met the "
                      f"database down {len(met)} time(s)")  # fmt: skip
                for line in met:
                    print(f"  {line[:200]}")
            status, _, body = portal.browser().get("/healthz", https=False)
            print(f"after the restart, without restarting the portal: /healthz {status} {body!r}")
            if status != 200:
                problems.append("the portal did not recover after the PostgreSQL restart")
        elif failures:
            problems.append(f"{failures} failed requests")

        results = json.loads((work_dir / "results.json").read_text())
        filed = results["filed"]
        in_db = [r[0] for r in sql(portal, "SELECT description FROM subject_requests_datarequest"
                                   " WHERE description LIKE 'Load test %'")]  # fmt: skip
        lost = set(filed) - set(in_db)
        extra = len(in_db) - len(set(in_db)) + len(set(in_db) - set(filed))
        print(f"requests filed (302 seen by locust): {len(filed)}; rows in the database: "
              f"{len(in_db)}; lost {len(lost)}, duplicated or unseen {extra}")  # fmt: skip
        if lost or (extra and not pg_restart):
            problems.append(f"requests lost {len(lost)}, duplicated/unseen {extra}")
        (issued,) = sql(portal, "SELECT count(*) FROM portal_issuedextract")[0]
        seen = results["copies"]["pdf"] + results["copies"]["json"]
        print(f"copies issued: {issued} in the database, {seen} received ({results['copies']})")
        if issued != seen and not pg_restart:
            problems.append(f"copies: {issued} recorded, {seen} received")

        until = time.monotonic() + 120
        while time.monotonic() < until:
            waiting = sql(portal, "SELECT count(*) FROM outbox_outboxmessage"
                          " WHERE status IN ('pending', 'sending')")[0][0]  # fmt: skip
            if not waiting:
                break
            time.sleep(1)
        counts = dict(sql(portal, "SELECT status, count(*) FROM outbox_outboxmessage GROUP BY 1"))
        ids = [r[0] for r in sql(portal, "SELECT headers->>'Message-ID' FROM outbox_outboxmessage"
                                 " WHERE status = 'sent'")]  # fmt: skip
        received = [str(m["Message-ID"]) for m in portal.mailbox.messages]
        missing = [i for i in ids if received.count(i) != 1]
        print(f"outbox: {counts}; received by the SMTP server during the run: "
              f"{len(portal.mailbox.messages) - mail_before} (and {mail_before} sign-in codes "
              f"before); sent rows not received exactly once: {len(missing)}")  # fmt: skip
        if set(counts) - {"sent"} or missing:
            problems.append(f"outbox {counts}, {len(missing)} not received exactly once")

        out = portal.manage("verify_audit")
        print(out.strip())
        if "Audit trail OK" not in out:
            problems.append("verify_audit failed")

        rows = locust(portal, work_dir, 30, mode="ceiling")
        print(f"\n## ceiling: /healthz only, the same {CUSTOMERS + STAFF} users, 30 s")
        table(rows)
    shutil.rmtree(work_dir, ignore_errors=True)
    print("\nPROBLEMS: " + "; ".join(problems) if problems else "\nall checks passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main("--pg-restart" in sys.argv))
