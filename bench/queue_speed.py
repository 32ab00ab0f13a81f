"""How fast is the staff request queue with 100 000 requests from 10 000 people?

Creates 10 000 data subjects (each with a portal user and a verified address) and 100 000
requests with bulk_create, inside a transaction that is rolled back at the end, so the
database is left as it was. A contact person with TOTP enrolled then asks for the queue page
through Django's test client (the whole middleware stack: session, MFA check, audit, ...),
with DEBUG off as in production. For each view of the queue it reports the median and p90
over the timed requests and the number of SQL queries.

Usage: .venv/bin/python bench/queue_speed.py [timed requests per view]
       DATABASE_URL=postgres://... .venv/bin/python bench/queue_speed.py   (a migrated database)
"""

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "true")  # the development database and mail

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import roles  # noqa: E402
from accounts.models import User  # noqa: E402
from portal.models import AuditEvent, DataSubject  # noqa: E402
from subject_requests import deadlines  # noqa: E402
from subject_requests.models import DataRequest  # noqa: E402
from tests.signin import enrol_totp  # noqa: E402

PEOPLE = 10_000
REQUESTS = 100_000
BATCH = 5_000
FIRST = ["Aino", "Eino", "Liisa", "Matti", "Maija", "Pekka", "Sanna", "Ville", "Helmi", "Onni"]
LAST = [
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
]
REGISTERS = ["billing", "postal", "newsletter", "webshop", ""]
CLOSED = [
    DataRequest.Status.COMPLETED,
    DataRequest.Status.REJECTED,
    DataRequest.Status.PARTLY_APPROVED,
    DataRequest.Status.CANCELLED,
]

# (label, query string) of the views of the queue that are timed.
VIEWS = [
    ("default: open requests, page 1", ""),
    ("any status, page 1", "?status=all"),
    ("any status, page 1000 (of 2000)", "?status=all&page=1000"),
    ("overdue only", "?overdue=on"),
    ("assigned to me", "?assignee=me"),
    ("type rectification, any status", "?type=rectification&status=all"),
    ('search by name ("virtanen")', "?q=virtanen"),
    ('search by email ("person4711@")', "?q=person4711%40&status=all"),
    ('search matching everyone ("example")', "?q=example"),
]


def _people(rng):
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(username=f"person{n}@example.fi", email=f"person{n}@example.fi", password="!")
            for n in range(PEOPLE)
        ],
        batch_size=BATCH,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=BATCH,
    )
    subjects = DataSubject.objects.bulk_create(
        [
            DataSubject(display_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", created_at=now)
            for _ in range(PEOPLE)
        ],
        batch_size=BATCH,
    )
    return users, subjects


def _requests(rng, users, subjects, staff):
    """About 12 % open (received or in review), the rest answered over the past three years."""
    today = timezone.localdate()
    rows = []
    for n in range(REQUESTS):
        person = n % PEOPLE
        is_open = rng.random() < 0.12
        age = rng.randint(0, 45) if is_open else rng.randint(30, 3 * 365)
        received = today - datetime.timedelta(days=age)
        status = rng.choice(DataRequest.OPEN) if is_open else rng.choice(CLOSED)
        rows.append(
            DataRequest(
                type=rng.choice(DataRequest.Type.values),
                status=status,
                user=users[person],
                subject=subjects[person],
                register=rng.choice(REGISTERS),
                identity_verified=rng.random() < 0.97,
                received_at=timezone.make_aware(
                    datetime.datetime.combine(
                        received, datetime.time(rng.randint(7, 20), rng.randint(0, 59))
                    )
                ),
                due_on=deadlines.due_date(received),
                assignee=staff if status == DataRequest.Status.IN_REVIEW else None,
            )
        )
        if len(rows) == BATCH:
            DataRequest.objects.bulk_create(rows)
            rows = []
    DataRequest.objects.bulk_create(rows)


def _staff():
    staff = User.objects.create(username="bench-contact@example.fi", is_staff=True)
    staff.groups.add(Group.objects.get(name=roles.CONTACT_PERSON))
    enrol_totp(staff)
    client = Client()
    client.force_login(staff)
    return staff, client


def _time(client, path, n):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return times, len(queries.captured_queries)


def main(n: int) -> None:
    rng = random.Random(2026)  # the same data on every run
    before = (DataRequest.objects.count(), AuditEvent.objects.count())
    results = []
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        with transaction.atomic():
            started = time.perf_counter()
            staff, client = _staff()
            users, subjects = _people(rng)
            _requests(rng, users, subjects, staff)
            if connection.vendor == "postgresql":
                # Production has autovacuum's statistics; without them the planner guesses.
                # ANALYZE is transactional too, so the rollback takes these back.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            print(
                f"created {PEOPLE} people and {REQUESTS} requests in "
                f"{time.perf_counter() - started:.1f} s "
                f"({DataRequest.objects.count()} requests in the database)"
            )
            for _label, query in VIEWS:
                for _ in range(3):  # warm-up: templates, session, query plans
                    client.get("/fi/staff/" + query)
            for label, query in VIEWS:
                times, queries = _time(client, "/fi/staff/" + query, n)
                results.append((label, times, queries))
            transaction.set_rollback(True)
    after = (DataRequest.objects.count(), AuditEvent.objects.count())
    print(f"database: {connection.vendor}; timed requests per view: {n}")
    for label, times, queries in results:
        p90 = statistics.quantiles(times, n=10)[-1]
        print(
            f"  {label:40} median {statistics.median(times):7.1f} ms   p90 {p90:7.1f} ms"
            f"   {queries} queries"
        )
    print("database left as it was:", "yes" if before == after else f"NO {before} -> {after}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
