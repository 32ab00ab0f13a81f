"""Bench people in a scratch database: customers in all four registers with N orders each.

Run with the environment of the portal under test (DATABASE_URL and the rest):
    python bench/seed.py <first> <count> <orders>
Customer k (first <= k < first + count) has the address bench<k>@example.fi, customer number
9<k:05d>, and is in billing, postal, the newsletter, the web shop (N orders, each with an
invoice). Fictitious data.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal import models  # noqa: E402


def address(k: int) -> str:
    return f"bench{k}@example.fi"


def customer(k: int, orders: int) -> None:
    email, now, today = address(k), timezone.now(), datetime.date.today()
    subject = models.DataSubject.objects.create(display_name=f"Bench Customer {k}")
    common = {"subject": subject, "customer_number": f"9{k:05d}"}
    name = {"first_name": "Bench", "last_name": f"Customer{k}"}
    street = {"street_address": "Testikatu 1", "postal_code": "00100", "post_office": "Helsinki"}
    models.BillingCustomer.objects.create(
        **common, **name, **street, email=email, phone="040 123 4567",
        payment_terms="14 pv netto", credit_limit=Decimal("1000.00"),
    )  # fmt: skip
    models.PostalRecipient.objects.create(**common, **name, **street)
    models.NewsletterSubscription.objects.create(
        **common, email=email, status=models.NewsletterSubscription.Status.CONFIRMED,
        subscribed_at=now, confirmed_at=now,
    )  # fmt: skip
    account = models.WebshopAccount.objects.create(
        **common, **name, **street, email=email, username=f"bench{k}"
    )
    for n in range(orders):
        order = models.Order.objects.create(
            account=account, number=f"B{k:05d}{n:04d}", placed_at=now,
            status=models.Order.Status.DELIVERED, items="1 × Venttiili DN15",
            total=Decimal("49.90"),
        )  # fmt: skip
        models.Invoice.objects.create(
            order=order, number=f"L{k:05d}{n:04d}", issued_on=today,
            due_on=today + datetime.timedelta(days=14), amount=Decimal("49.90"),
        )  # fmt: skip


if __name__ == "__main__":
    first, count, orders = (int(a) for a in sys.argv[1:4])
    with transaction.atomic():
        for k in range(first, first + count):
            customer(k, orders)
    print(f"seeded {count} customers with {orders} orders each")
