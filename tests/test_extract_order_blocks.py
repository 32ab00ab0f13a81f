"""In the PDF, each web-shop order is one block of plain lines: the order first, then its
items, then a line for each delivery, invoice and return."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from portal import models
from portal.extract.collect import subject_data
from tests.extracts import (
    customer_in_every_register,
    pdf_attachment,
    pdf_text,
    signed_in_customer,
)
from tests.factories import InvoiceFactory, OrderFactory

pytestmark = pytest.mark.django_db


def _order_with_everything(account):
    order = OrderFactory(
        account=account,
        number="T777001",
        items="2 × Sulkuventtiili DN40\n1 × Lianerotin DN25",
        total=Decimal("1234.50"),
    )
    models.Delivery.objects.create(
        order=order, method="Posti", address="Koivukuja 3 B 12, 00720 Helsinki"
    )
    InvoiceFactory(order=order, number="L777001", issued_on=datetime.date(2026, 3, 2))
    models.Return.objects.create(
        order=order,
        returned_on=datetime.date(2026, 3, 9),
        items="1 × Lianerotin DN25",
        reason="Väärä koko",
        refund=Decimal("42.00"),
    )
    return order


def test_the_order_comes_first_and_each_event_has_its_own_line():
    subject, account = customer_in_every_register(orders=0)
    _order_with_everything(account)
    with translation.override("en"):
        webshop = subject_data([subject])[3]
        (group,) = webshop.records[0].event_groups()
        first, items, delivery, invoice, returned = group.text().split("\n")
        legend = webshop.records[0].event_legend()
    assert first.startswith("T777001 · ") and first.endswith(" · delivered · 1,234.50")
    # Free text on a line of its own, its lines joined, whatever its length.
    assert items == "2 × Sulkuventtiili DN40; 1 × Lianerotin DN25"
    assert delivery.startswith("Deliveries: Posti · Koivukuja 3 B 12, 00720 Helsinki · ")
    assert invoice.startswith("Invoices: L777001 · 2 Mar 2026 · ")
    assert returned.startswith("Returns: 9 Mar 2026 · 1 × Lianerotin DN25 · Väärä koko · 42.00")
    # The labels are named once, in the same order as the values.
    assert legend == [
        "Order number · Ordered · Status · Total (EUR)",
        "Ordered products",
        "Deliveries: delivery method · delivery address · shipped · delivered · tracking code",
        "Invoices: invoice number · invoice date · due date · amount (EUR) · paid",
        "Returns: returned · returned products · reason for return · refund (EUR)",
    ]
    # An empty value keeps its place: a delivery not yet shipped shows dashes.
    assert " · — · — · " in delivery


def test_the_legend_is_above_the_orders_in_the_pdf(client):
    subject, account = customer_in_every_register(orders=0)
    _order_with_everything(account)
    signed_in_customer(client)
    text = "".join(pdf_text(client.post("/en/my-data/extract.pdf").content).split())
    legend = text.index("Ordernumber·Ordered·Status·Total(EUR)")  # pypdf's spaces dropped
    assert legend < text.index("T777001·")


def test_every_value_of_the_order_is_in_the_pdf(client):
    subject, account = customer_in_every_register(orders=0)
    _order_with_everything(account)
    signed_in_customer(client)
    text = "".join(pdf_text(client.post("/fi/my-data/extract.pdf").content).split())
    for value in (
        "T777001",
        "2×SulkuventtiiliDN40;1×LianerotinDN25",
        "1234,50",
        "Koivukuja3B12,00720Helsinki",
        "L777001",
        "2.3.2026",
        "9.3.2026",
        "Vääräkoko",
        "42,00",
    ):
        assert value in text, value


def test_deliveries_by_one_carrier_are_one_entry_with_every_date(client):
    subject, account = customer_in_every_register(orders=0)
    for day in (3, 17):
        order = OrderFactory(account=account, number=f"T8880{day}")
        shipped = datetime.datetime(2026, 3, day, 10, tzinfo=datetime.UTC)
        models.Delivery.objects.create(
            order=order, method="Posti", address="Koivukuja 3 B 12", shipped_at=shipped
        )
    signed_in_customer(client)
    content = client.post("/en/my-data/extract.pdf").content
    text = "".join(pdf_text(content).split())
    assert text.count("PostiOy(carrier)") == 1
    assert "17Mar2026,3Mar2026" in text
    # The JSON inside keeps each disclosure as its own entry.
    webshop = next(r for r in pdf_attachment(content)["registers"] if r["key"] == "webshop")
    assert len([d for d in webshop["disclosures"] if d["recipient"] == "posti"]) == 2
