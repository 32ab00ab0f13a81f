"""Do the pages keep their speed and their number of queries with a million rows?

Two databases, filled by `manage.py generate_scale_data` (one small, one at scale), are
measured side by side in one run: a worker process for each (DATABASE_URL set to it), and
the runs alternate between the two, page by page and round by round, so a change in the
speed of this shared machine affects both alike. In each database a worker adds the same
customer (a fixed seed: records in every register, orders with their events, a portal
user and requests with their history) inside a transaction that is rolled back at the
end, and a contact person with TOTP; it then asks for each page through Django's test
client (the whole middleware stack) with DEBUG off, as in production.

Pages: the privacy notice, my data, the JSON export and the PDF extract (both taken by
POST, as the button does), the staff queue and the staff page of one request.

Usage:
    .venv/bin/python bench/scale.py [rounds] [requests per page and round]
    SMALL_URL=postgres://...  SCALE_URL=postgres://...  (defaults: the databases
    scale_small and scale on 127.0.0.1, as BENCHMARKS.md creates them)
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432/"
PAGES = ("notice", "my-data", "export.json", "extract.pdf", "staff queue", "staff request")
BENCH_SEED = 314  # the bench customer; another seed than the generated data's


def worker() -> None:
    """Answers {"page": name, "n": k} lines with {"ms": [...], "queries": q} lines."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()

    from dataclasses import replace

    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from accounts import roles
    from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
    from accounts.models import User
    from portal.demo.scale import ScaleData
    from portal.models import AuditEvent, DataSubject, Order
    from portal.registers import REGISTERS
    from portal.registers.scale import ScaleSpec
    from subject_requests.models import DataRequest
    from tests.signin import enrol_totp

    def customer():
        """One person in every register, with a user and requests: the same in each database."""
        everywhere = tuple(
            replace(r, scale=replace(r.scale or ScaleSpec(), share=1.0)) for r in REGISTERS
        )
        ScaleData(subjects=1, seed=BENCH_SEED, registers=everywhere, request_share=1.0).generate()
        subject = DataSubject.objects.latest("pk")
        user = User.objects.latest("pk")
        request = DataRequest.objects.filter(subject=subject).latest("pk")
        client = Client()
        client.force_login(user)
        session = client.session
        session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = time.time()
        session.save()
        return subject, user, request, client

    def staff_client():
        staff = User.objects.create(username="bench-scale-staff@example.fi", is_staff=True)
        staff.groups.add(Group.objects.get(name=roles.CONTACT_PERSON))
        enrol_totp(staff)
        client = Client()
        client.force_login(staff)
        return client

    settings = override_settings(
        DEBUG=False, ALLOWED_HOSTS=["testserver"], PORTAL_COPY_REPEAT_SECONDS=0
    )
    with settings, transaction.atomic():
        subject, user, request, client = customer()
        staff = staff_client()
        anonymous = Client()
        pages = {
            "notice": lambda: anonymous.get("/fi/"),
            "my-data": lambda: client.get("/fi/my-data/"),
            "export.json": lambda: client.post("/fi/my-data/export.json"),
            "extract.pdf": lambda: client.post("/fi/my-data/extract.pdf"),
            "staff queue": lambda: staff.get("/fi/staff/"),
            "staff request": lambda: staff.get(f"/fi/staff/requests/{request.public_id}/"),
        }
        for page in pages.values():  # warm-up: templates, fonts, sessions, query plans
            for _ in range(2):
                assert page().status_code == 200
        orders = Order.objects.filter(account__subject=subject).count()
        history = AuditEvent.objects.filter(target=f"subject_requests.DataRequest:{request.pk}")
        print(
            json.dumps(
                {
                    "database": connection.vendor,
                    "people": DataSubject.objects.count(),
                    "audit events": AuditEvent.objects.count(),
                    "orders of the customer": orders,
                    "events in the request's history": history.count(),
                }
            ),
            flush=True,
        )
        for line in sys.stdin:
            ask = json.loads(line)
            if ask.get("quit"):
                break
            if ask.get("explain"):  # the slowest SELECTs of a page, as PostgreSQL runs them
                with CaptureQueriesContext(connection) as queries:
                    pages[ask["explain"]]()
                slow = []
                with connection.cursor() as cursor:
                    for query in queries.captured_queries:
                        if not query["sql"].startswith("SELECT"):
                            continue
                        cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                        plan = [row[0] for row in cursor.fetchall()]
                        ms = float(plan[-1].split(":")[1].split()[0])
                        slow.append((ms, query["sql"][:200], plan[:4]))
                slow.sort(reverse=True)
                print(json.dumps({"slowest": slow[:3]}), flush=True)
                continue
            page = pages[ask["page"]]
            times = []
            for _ in range(ask["n"]):
                start = time.perf_counter()
                response = page()
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (ask["page"], response.status_code)
            with CaptureQueriesContext(connection) as queries:
                page()
            print(json.dumps({"ms": times, "queries": len(queries.captured_queries)}), flush=True)
        transaction.set_rollback(True)


def _reference_loop() -> float:
    start = time.perf_counter()
    sum(i * i for i in range(10_000_000))
    return time.perf_counter() - start


def _start_worker(database_url: str) -> subprocess.Popen:
    """This script as a worker on `database_url` (our own command line, nothing from outside)."""
    return subprocess.Popen(  # noqa: S603
        [sys.executable, __file__, "--worker"],
        env={**os.environ, "DATABASE_URL": database_url},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def explain(page: str) -> None:
    """The three slowest SELECTs of `page` in the scale database, with their plans."""
    w = _start_worker(os.environ.get("SCALE_URL", PG + "scale"))
    print(w.stdout.readline().strip())
    w.stdin.write(json.dumps({"explain": page}) + "\n" + json.dumps({"quit": True}) + "\n")
    w.stdin.flush()
    for ms, sql, plan in json.loads(w.stdout.readline())["slowest"]:
        print(f"{ms:8.2f} ms  {sql}")
        for line in plan:
            print("            " + line)
    w.wait()


def main(rounds: int, n: int) -> None:
    urls = {
        "small": os.environ.get("SMALL_URL", PG + "scale_small"),
        "scale": os.environ.get("SCALE_URL", PG + "scale"),
    }
    workers = {name: _start_worker(url) for name, url in urls.items()}
    info = {name: json.loads(w.stdout.readline()) for name, w in workers.items()}
    for name, about in info.items():
        print(f"{name}: {about}")
    times = {(name, page): [] for name in workers for page in PAGES}
    queries = {}
    for _round in range(rounds):
        for page in PAGES:
            count = max(1, n // 4) if page == "extract.pdf" else n
            for name, w in workers.items():
                w.stdin.write(json.dumps({"page": page, "n": count}) + "\n")
                w.stdin.flush()
                answer = json.loads(w.stdout.readline())
                times[name, page] += answer["ms"]
                queries[name, page] = answer["queries"]
    for w in workers.values():
        w.stdin.write(json.dumps({"quit": True}) + "\n")
        w.stdin.flush()
        w.wait()
    print(f"{rounds} rounds; reference loop {_reference_loop():.2f} s")
    print(f"{'page':<16}{'small':>10}{'scale':>10}{'ratio':>8}{'queries':>14}{'n':>6}")
    for page in PAGES:
        small, scale = (statistics.median(times[name, page]) for name in ("small", "scale"))
        counts = f"{queries['small', page]} / {queries['scale', page]}"
        print(
            f"{page:<16}{small:>8.1f}ms{scale:>8.1f}ms{scale / small:>8.2f}{counts:>14}"
            f"{len(times['scale', page]):>6}"
        )


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    elif "--explain" in sys.argv:
        explain(sys.argv[sys.argv.index("--explain") + 1])
    else:
        args = [int(a) for a in sys.argv[1:3]]
        main(*(args + [5, 10][len(args) :]))
