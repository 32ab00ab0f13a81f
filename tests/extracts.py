"""Helpers for extract tests: a signed-in customer with data in every register (the four of
the seed and the test-only fifth, tests/fifth_register/)."""

import datetime
import io
import json
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import (
    BillingCustomerFactory,
    DataSubjectFactory,
    InvoiceFactory,
    LoyaltyMemberFactory,
    NewsletterSubscriptionFactory,
    OrderFactory,
    PostalRecipientFactory,
    UserFactory,
    WebshopAccountFactory,
)

EMAIL = "maija@example.fi"


def customer_in_every_register(orders=3):
    subject = DataSubjectFactory(display_name="Maija Meikäläinen")
    common = {"subject": subject, "customer_number": "100101"}
    BillingCustomerFactory(
        **common, email=EMAIL, street_address="Koivukuja 3 B 12", payment_terms="14 pv netto"
    )
    PostalRecipientFactory(**common, street_address="Koivukuja 3 B 12")
    NewsletterSubscriptionFactory(**common, email=EMAIL)
    account = WebshopAccountFactory(
        **common, email=EMAIL, username="maija.m", password="demo-password-2026"
    )
    for n in range(orders):
        InvoiceFactory(order=OrderFactory(account=account, number=f"T55{n:04d}"))
    LoyaltyMemberFactory(**common, email=EMAIL, name="Maija Meikäläinen", card_number="600155501")
    return subject, account


def signed_in_customer(client, email=EMAIL):
    user = UserFactory(username=email, email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    client.force_login(user)
    session = client.session
    import time

    from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT

    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = time.time()
    session.save()
    return user


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_attachment(content: bytes) -> dict:
    reader = PdfReader(io.BytesIO(content))
    (data,) = reader.attachments["rekisteriote.json"]
    return json.loads(data)


def order_history(account, count):
    """A long web-shop history: `count` delivered orders, one a day back from today."""
    from portal.models import Order

    now = timezone.now()
    Order.objects.bulk_create(
        Order(
            account=account,
            number=f"W{n:06d}",
            placed_at=now - datetime.timedelta(days=n),
            status="delivered",
            items="2 × Sulkuventtiili DN40",
            total=Decimal("123.45"),
        )
        for n in range(count)
    )
