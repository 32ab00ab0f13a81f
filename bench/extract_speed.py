"""How fast are the register extract (PDF) and the JSON export for a customer with 500 orders?

Creates such a customer inside a transaction that is rolled back, so the database is left as
it was. It measures, in one run:
  * the whole extract (collect the data, render the template, WeasyPrint, PDF/A-3 with the
    JSON attached, issue record and audit events),
  * WeasyPrint alone rendering exactly the same HTML with the same options,
  * the whole JSON export.
Usage: .venv/bin/python bench/extract_speed.py [orders] [repeats]
"""

import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "true")  # the development database and mail

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from weasyprint import CSS, HTML, Attachment  # noqa: E402

from accounts.models import User  # noqa: E402
from portal import models  # noqa: E402
from portal.extract.collect import subject_data  # noqa: E402
from portal.extract.export_json import export_bytes, export_document  # noqa: E402
from portal.extract.pdf import STYLESHEET, extract_html  # noqa: E402
from portal.extract.services import (  # noqa: E402
    json_export_issue,
    pdf_extract_context,
    pdf_extract_issue,
)


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

    start = time.perf_counter()
    sum(i * i for i in range(10_000_000))
    reference = time.perf_counter() - start
    return (
        f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}, "
        f"{os.cpu_count()} CPUs, reference loop {reference:.2f} s"
    )


def main(orders: int, repeats: int) -> None:
    translation.activate("fi")
    with transaction.atomic():
        subject = _customer(orders)
        user = User.objects.create(username="bench-user")
        emails = ["bench@example.fi"]
        issue_pdf = lambda: pdf_extract_issue(user=user, subjects=[subject], emails=emails)  # noqa: E731
        issue_pdf()  # warm-up: fonts, templates
        registers = subject_data([subject])
        context = pdf_extract_context(
            registers=registers,
            emails=emails,
            reference="RO-BENC-HMAR-K000-0000",
            issued_at=timezone.now(),
        )
        html = extract_html(context)
        json_bytes = export_bytes(
            export_document(registers=registers, emails=emails, reference="RO-BENC-HMAR-K000-0000")
        )
        css = CSS(filename=str(STYLESHEET))

        layout_all, write_all = [], []

        def weasyprint_alone():
            # The same as HTML(...).write_pdf(...) in one call, timed in its two halves.
            start = time.perf_counter()
            document = HTML(string=html, base_url=str(Path(__file__).parent)).render(
                stylesheets=[css], pdf_tags=True
            )
            laid_out = time.perf_counter()
            document.write_pdf(
                pdf_variant="pdf/a-3b",
                pdf_tags=True,
                custom_metadata=True,
                attachments=[
                    Attachment(
                        string=json_bytes, name="rekisteriote.json", relationship="Alternative"
                    )
                ],
            )
            layout_all.append(laid_out - start)
            write_all.append(time.perf_counter() - laid_out)

        # Interleaved, so that a change in the machine's speed during the run (it is a shared
        # virtual machine) affects both figures alike.
        whole_all, alone_all = [], []
        for _ in range(repeats):
            whole_all.append(_median_seconds(issue_pdf, 1)[0])
            alone_all.append(_median_seconds(weasyprint_alone, 1)[0])
        whole, alone = statistics.median(whole_all), statistics.median(alone_all)
        json_time, _ = _median_seconds(
            lambda: json_export_issue(user=user, subjects=[subject], emails=emails), repeats * 3
        )
        pages = len(HTML(string=html).render(stylesheets=[css]).pages)
        transaction.set_rollback(True)
    print(f"orders: {orders}, pages: {pages}, repeats: {repeats}, {_machine()}")
    runs = lambda values: ", ".join(f"{t:.2f}" for t in values)  # noqa: E731
    print(f"PDF extract, whole:    median {whole:.3f} s  (runs: {runs(whole_all)})")
    print(f"WeasyPrint alone:      median {alone:.3f} s  (runs: {runs(alone_all)})")
    print(f"ratio whole / alone:   {whole / alone:.2f}")
    print(
        f"  of which layout {statistics.median(layout_all):.3f} s, "
        f"drawing and writing the file {statistics.median(write_all):.3f} s"
    )
    print(f"JSON export, whole:    median {json_time * 1000:.0f} ms")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 500, int(sys.argv[2]) if len(sys.argv) > 2 else 3
    )
