"""How fast is the register extract (PDF)? Issue #14, item 3.

Production mode (DEBUG off), one process, on a scratch SQLite database made for the run (migrated,
with the demo data) and deleted afterwards, unless DATABASE_URL names one. Three people:
  * a customer in all four registers with 5 orders (the demo's Maija with her other orders left
    out, inside a transaction that is rolled back),
  * Maija of the demo data (36 orders),
  * a customer with N orders (500 by default), whose copy a task worker makes: a real
    `manage.py run_worker --interval 0.1` is started beside; the click is a POST through the
    real view (Django's test client), and the time until the person has the copy is until the
    page the POST leads to offers the download.
For each the whole copy (data, HTML, JSON, WeasyPrint, PDF/A-3b with the JSON, the records;
for the third, the worker's time from the click to the copy made) is timed side by side with
WeasyPrint alone making the same HTML with the same options as a plain caller would
(weasyprint.HTML(...).write_pdf(stylesheets=[the CSS file])), the runs alternating, so a
change in this shared machine's speed affects both alike.
Usage: .venv/bin/python bench/extract_speed.py [orders] [repeats]
"""

import datetime
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SCRATCH = None
if "DATABASE_URL" not in os.environ:
    SCRATCH = Path(tempfile.mkdtemp(prefix="extract-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "false")  # production mode
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("ALLOWED_HOSTS", "localhost,testserver")
os.environ.setdefault("PORTAL_BASE_URL", "https://localhost")
os.environ.setdefault("EMAIL_URL", "smtp://127.0.0.1:2525")  # nothing is mailed here
os.environ.setdefault("SUPPRESSION_KEYS", secrets.token_urlsafe(32))
os.environ.setdefault("DEFAULT_FROM_EMAIL", "Tector <rekisteriasiat@example.fi>")
os.environ.setdefault("PORTAL_COPY_REPEAT_SECONDS", "0")  # each click a new copy, made in full

import django  # noqa: E402
import pydyf  # noqa: E402
from machine import reference_loop_seconds  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from weasyprint import CSS, HTML, Attachment  # noqa: E402

from accounts.identity import linked_subjects, verified_emails  # noqa: E402
from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT  # noqa: E402
from accounts.models import User  # noqa: E402
from portal import models  # noqa: E402
from portal.extract.pdf import STYLESHEET  # noqa: E402
from portal.extract.services import pdf_extract_documents, pdf_extract_issue  # noqa: E402


def _customer(orders: int):
    subject = models.DataSubject.objects.create(display_name="Bench Customer")
    account = models.WebshopAccount.objects.create(
        subject=subject,
        customer_number="B900001",
        username="bench-customer",
        first_name="Bench",
        last_name="Customer",
        email="bench@example.fi",
        street_address="Testikatu 1",
        postal_code="00100",
        post_office="Helsinki",
    )
    now = timezone.now()
    made = models.Order.objects.bulk_create(
        models.Order(
            account=account,
            number=f"B{n:06d}",
            placed_at=now - datetime.timedelta(days=n),
            status="delivered",
            items="2 × Sulkuventtiili DN40\n1 × Lianerotin DN25",
            total=Decimal("123.45"),
        )
        for n in range(orders)
    )
    models.Delivery.objects.bulk_create(
        models.Delivery(
            order=o,
            method="Posti",
            address="Testikatu 1, 00100 Helsinki",
            shipped_at=o.placed_at,
            delivered_at=o.placed_at,
            tracking_code="JJFI123",
        )
        for o in made
    )
    models.Invoice.objects.bulk_create(
        models.Invoice(
            order=o,
            number=f"L{n:06d}",
            issued_on=o.placed_at.date(),
            due_on=o.placed_at.date(),
            amount=o.total,
            paid_on=o.placed_at.date(),
        )
        for n, o in enumerate(made)
    )
    models.Return.objects.bulk_create(
        models.Return(
            order=o,
            returned_on=o.placed_at.date(),
            items="1 × Lianerotin DN25",
            reason="Väärä koko",
            refund=Decimal("42.00"),
        )
        for o in made[::25]
    )
    return subject


def _median_seconds(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def _machine() -> str:
    """The versions that matter, and a fixed piece of pure Python work timed, so that figures
    taken on different days can be compared with the speed the machine had then."""
    import platform

    import weasyprint

    reference = reference_loop_seconds()
    return (
        f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}, "
        f"{os.cpu_count()} CPUs, reference loop {reference:.2f} s"
    )


def _user(username: str, email: str) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create(username=username, email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _weasyprint_alone(documents) -> int:
    """The copy made with WeasyPrint alone, as a plain caller would, from the documents the
    portal's copy is drawn from (services.pdf_extract_documents: the person's part and the
    appendix, the JSON): each HTML laid out from scratch with the CSS file, their pages written
    as one PDF with the JSON attached, pydyf at its own compression level 9 (portal/extract/
    pdf.py lowers it). Returns the pages."""
    fast_zlib, pydyf.zlib = pydyf.zlib, zlib
    try:
        person, rest = (
            HTML(string=text, base_url=str(ROOT)).render(
                stylesheets=[CSS(filename=str(STYLESHEET))], pdf_tags=True
            )
            for text in (documents["html"], documents["appendix"])
        )
        document = person.copy([*person.pages, *rest.pages])
        document.write_pdf(
            pdf_variant="pdf/a-3b",
            pdf_tags=True,
            custom_metadata=True,
            attachments=[
                Attachment(
                    string=documents["json_bytes"],
                    name="rekisteriote.json",
                    relationship="Alternative",
                )
            ],
        )
        return len(document.pages)
    finally:
        pydyf.zlib = fast_zlib


def _side_by_side(subject, user, repeats):
    """(whole runs, WeasyPrint-alone runs, pages) for the person's PDF copy."""
    emails = [user.email]
    issue = lambda: pdf_extract_issue(user=user, subjects=[subject], emails=emails)  # noqa: E731
    issue()  # warm-up: fonts, templates, stylesheets
    whole_all, alone_all = [], []
    pages = 0
    for _ in range(repeats):
        # What the next copy holds (its own access request among the requests, the copies
        # before it): WeasyPrint alone makes it, then the portal makes the copy.
        documents = pdf_extract_documents(user=user, subjects=[subject], emails=emails)
        start = time.perf_counter()
        pages = _weasyprint_alone(documents)
        alone_all.append(time.perf_counter() - start)
        start = time.perf_counter()
        issue()
        whole_all.append(time.perf_counter() - start)
    return whole_all, alone_all, pages


def _report(name, whole_all, alone_all, pages):
    whole, alone = statistics.median(whole_all), statistics.median(alone_all)
    runs = lambda values: ", ".join(f"{t:.3f}" for t in values)  # noqa: E731
    print(f"{name}: {pages} pages")
    print(f"  whole copy:       median {whole:.3f} s  (runs: {runs(whole_all)})")
    print(f"  WeasyPrint alone: median {alone:.3f} s  (runs: {runs(alone_all)})")
    print(f"  ratio whole / WeasyPrint alone: {whole / alone:.2f}")


def _maija():
    return models.DataSubject.objects.get(display_name="Maija Meikäläinen")


def _worker_path(orders: int, repeats: int) -> None:
    subject = _customer(orders)
    user = _user("bench-worker", "bench@example.fi")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = time.time()
    session.save()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.1", "--no-reload"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)  # the worker starts
        posts, ready, made, waited, alone_all = [], [], [], [], []
        for _ in range(repeats + 1):
            # What the worker's copy will hold, as the worker reads it (the person's linked
            # data and verified addresses, in the language of the click).
            documents = pdf_extract_documents(
                user=user, subjects=linked_subjects(user).subjects, emails=verified_emails(user)
            )
            start = time.perf_counter()
            response = client.post("/fi/my-data/extract.pdf", secure=True)
            posts.append(time.perf_counter() - start)
            assert response.status_code == 302, response.status_code
            page = response["Location"]
            while '/file"' not in (body := client.get(page, secure=True).content.decode()):
                assert "could not be made" not in body
                time.sleep(0.05)
            ready.append(time.perf_counter() - start)
            job = models.ExtractJob.objects.get(token=page.rstrip("/").rsplit("/", 1)[1])
            made.append((job.finished_at - job.created_at).total_seconds())
            waited.append((job.started_at - job.created_at).total_seconds())
            assert subject.issued_extracts.filter(pk=job.issued_id).exists()
            start = time.perf_counter()
            pages = _weasyprint_alone(documents)
            alone_all.append(time.perf_counter() - start)
        # The first is a warm-up.
        posts, ready, made, waited = posts[1:], ready[1:], made[1:], waited[1:]
        alone_all = alone_all[1:]
    finally:
        worker.terminate()
        worker.wait()
    runs = lambda values: ", ".join(f"{t:.3f}" for t in values)  # noqa: E731
    print(f"{orders} orders, made by a task worker (run_worker --interval 0.1): {pages} pages")
    print(
        f"  the POST (the page says the copy is being made): "
        f"median {statistics.median(posts):.3f} s  (runs: {runs(posts)})"
    )
    print(
        f"  click to the download offered: "
        f"median {statistics.median(ready):.3f} s  (runs: {runs(ready)})"
    )
    print(
        f"  of which the worker made it in:                  median {statistics.median(made):.3f} s"
        f" (of that, waiting for the worker to take it: median {statistics.median(waited):.3f} s)"
    )
    alone = statistics.median(alone_all)
    print(f"  WeasyPrint alone, the same HTML: median {alone:.3f} s  (runs: {runs(alone_all)})")
    print(f"  ratio worker's copy / WeasyPrint alone: {statistics.median(made) / alone:.2f}")


def main(orders: int, repeats: int) -> None:
    if SCRATCH is not None:  # load_demo runs only with DEBUG on: a development process
        for command in (["migrate", "-v0"], ["load_demo"]):
            subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                check=True,
                env={**os.environ, "DEBUG": "true"},
                stdout=subprocess.DEVNULL,
            )
    # Production serves the static files collectstatic wrote (as on every install).
    call_command("collectstatic", interactive=False, verbosity=0)
    translation.activate("fi")
    machine = _machine()
    user = _user("bench-user", "maija.meikalainen@example.fi")
    with transaction.atomic():  # 5 orders: Maija with her other orders left out
        maija = _maija()
        drop = list(
            models.Order.objects.filter(account__subject=maija)
            .order_by("-placed_at")
            .values_list("pk", flat=True)[5:]
        )
        models.Return.objects.filter(order__in=drop).delete()
        models.Invoice.objects.filter(order__in=drop).delete()
        models.Order.objects.filter(pk__in=drop).delete()
        five = _side_by_side(maija, user, repeats)
        transaction.set_rollback(True)
    maija36 = _side_by_side(_maija(), user, repeats)
    print(f"{machine}; repeats: {repeats}")
    _report("5 orders, all four registers (Maija, 5 orders)", *five)
    _report(
        f"Maija, {models.Order.objects.filter(account__subject=_maija()).count()} orders", *maija36
    )
    _worker_path(orders, repeats)


if __name__ == "__main__":
    try:
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 500,
            int(sys.argv[2]) if len(sys.argv) > 2 else 5,
        )
    finally:
        if SCRATCH is not None:
            shutil.rmtree(SCRATCH, ignore_errors=True)
