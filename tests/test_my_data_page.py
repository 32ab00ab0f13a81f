"""The my-data page: every register, every field, the reasons, and links to act."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst

from portal.models import AuditEvent, WebshopAccount
from portal.registers import REGISTERS
from tests.extracts import customer_in_every_register, signed_in_customer
from tests.factories import InvoiceFactory, OrderFactory

pytestmark = pytest.mark.django_db


def test_page_shows_every_register_field_and_reason(client):
    subject, account = customer_in_every_register()
    signed_in_customer(client)
    html = client.get("/en/my-data/").content.decode()
    for register in REGISTERS:
        assert f'id="register-{register.key}"' in html
        assert escape(str(register.purpose)) in html
        assert escape(str(register.legal_basis)) in html
        assert escape(str(register.transfers)) in html
        assert escape(str(register.automated_decisions)) in html
        for spec in register.fields:
            assert escape(capfirst(str(register.field_label(spec.name)))) in html
    assert "Suomen Asiakastieto Oy" in html
    assert "Koivukuja 3 B 12" in html and "T550002" in html and "14 pv netto" in html
    assert "/en/requests/rectification/billing/" in html
    assert "/en/requests/objection/" in html
    assert "/en/requests/erasure/webshop/" in html


def test_registers_without_data_say_so(client):
    from tests.factories import NewsletterSubscriptionFactory

    NewsletterSubscriptionFactory(email="maija@example.fi")
    signed_in_customer(client)
    html = client.get("/en/my-data/").content.decode()
    # Every declared register but the newsletter (the test settings declare a fifth).
    empty = len(REGISTERS) - 1
    assert html.count('<span class="none">No data in this register.</span>') == empty


def test_password_hash_is_never_shown(client):
    _, account = customer_in_every_register()
    signed_in_customer(client)
    html = client.get("/en/my-data/").content.decode()
    assert account.password and account.password not in html
    assert "md5$" not in html and "pbkdf2" not in html
    assert "It is stored only as a one-way hash and is never shown" in html


def test_query_count_does_not_grow_with_orders(client):
    _, account = customer_in_every_register(orders=5)
    signed_in_customer(client)
    client.get("/en/my-data/")  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/en/my-data/").status_code == 200
    for n in range(495):
        InvoiceFactory(order=OrderFactory(account=account, number=f"X{n:05d}"))
    assert WebshopAccount.objects.get().orders.count() == 500
    with CaptureQueriesContext(connection) as many:
        html = client.get("/en/my-data/").content.decode()
    assert "X00494" in html
    assert len(many.captured_queries) == len(few.captured_queries)


def test_viewing_the_page_is_audited(client):
    subject, _ = customer_in_every_register()
    user = signed_in_customer(client)
    client.get("/en/my-data/")
    event = AuditEvent.objects.get(action="data.my_data.viewed")
    assert event.actor_id == user.pk and event.subject_id == subject.pk


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_page_is_in_the_chosen_language(client, lang):
    customer_in_every_register()
    signed_in_customer(client)
    html = client.get(f"/{lang}/my-data/").content.decode()
    with translation.override(lang):
        for register in REGISTERS:
            assert escape(str(register.name)) in html
            assert escape(str(register.purpose)) in html
