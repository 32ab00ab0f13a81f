"""import_register's bulk paths (portal/importing/bulk.py), with batches made tiny so that a
few rows cross their edges: look-ups in several batches, new rows written in several, and
changed rows that change different fields (on PostgreSQL one temporary table each).
Run on both databases: SQLite takes the ORM path, PostgreSQL arrays and COPY."""

from decimal import Decimal

import pytest
from django.utils import timezone

from portal import suppression
from portal.importing import bulk, register_import
from portal.models import BillingCustomer, DataSubject, PostalRecipient
from tests.factories import BillingCustomerFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "customer_number",
    "first_name",
    "last_name",
    "email",
    "credit_limit",
    "postal_code",
]


@pytest.fixture(autouse=True)
def tiny_batches(monkeypatch):
    monkeypatch.setattr(bulk, "BATCH", 2)
    monkeypatch.setattr(bulk, "ARRAY_BATCH", 2)


def _billing(rows):
    return register_import(register="billing", rows=[HEADER, *rows], dry_run=False, source="t")


def test_new_rows_in_several_batches_get_subjects_public_ids_and_dates():
    start = timezone.now()
    result = _billing(
        [
            [f"B{n}", "Aino", f"Asiakas{n}", f"aino{n}@example.fi", "1500,50", "00100"]
            for n in range(7)
        ]
    )
    assert result.records_created == result.subjects_created == 7
    records = BillingCustomer.objects.order_by("customer_number")
    assert [r.last_name for r in records] == [f"Asiakas{n}" for n in range(7)]
    assert {r.credit_limit for r in records} == {Decimal("1500.50")}
    subjects = DataSubject.objects.filter(pk__in=[r.subject_id for r in records])
    assert len({s.public_id for s in subjects}) == 7
    assert {s.display_name for s in subjects} == {f"Aino Asiakas{n}" for n in range(7)}
    now = timezone.now()
    for record in records:
        assert start <= record.created_at <= now and start <= record.updated_at <= now
        assert record.customer_type == "person" and record.restricted_at is None


def test_changed_rows_that_change_different_fields_are_each_written():
    for n in range(6):
        BillingCustomerFactory(
            customer_number=f"C{n}",
            first_name="Eino",
            last_name=f"Esimerkki{n}",
            email=f"eino{n}@example.fi",
            credit_limit=Decimal("100.00"),
            postal_code="00100",
        )
    before = timezone.now()
    rows = []
    for n in range(6):
        limit = "200" if n % 3 == 0 else "100"
        code = "33100" if n % 3 == 1 else "00100"
        rows.append([f"C{n}", "Eino", f"Esimerkki{n}", f"eino{n}@example.fi", limit, code])
    result = _billing(rows)
    assert (result.records_updated, result.records_unchanged) == (4, 2)
    by_number = {r.customer_number: r for r in BillingCustomer.objects.all()}
    assert [by_number[f"C{n}"].credit_limit for n in range(6)] == [
        Decimal("200.00"),
        Decimal("100.00"),
        Decimal("100.00"),
        Decimal("200.00"),
        Decimal("100.00"),
        Decimal("100.00"),
    ]
    assert [by_number[f"C{n}"].postal_code for n in range(6)] == [
        "00100",
        "33100",
        "00100",
        "00100",
        "33100",
        "00100",
    ]
    changed = {f"C{n}" for n in (0, 1, 3, 4)}
    for number, record in by_number.items():
        assert (record.updated_at >= before) == (number in changed)


def test_suppressed_people_are_left_out_across_batches():
    lines = [[f"P{n}", "", f"Postinen{n}", f"Katu {n}", "00100", "Helsinki"] for n in range(9)]
    for n in (1, 4, 8):
        suppression.values_suppress(
            "postal",
            {"last_name": f"Postinen{n}", "street_address": f"Katu {n}", "postal_code": "00100"},
        )
    header = [
        "customer_number",
        "first_name",
        "last_name",
        "street_address",
        "postal_code",
        "post_office",
    ]
    result = register_import(register="postal", rows=[header, *lines], dry_run=False)
    assert result.records_created == 6
    assert sorted(PostalRecipient.objects.values_list("customer_number", flat=True)) == [
        f"P{n}" for n in (0, 2, 3, 5, 6, 7)
    ]
