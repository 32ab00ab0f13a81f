"""The pages of issue #14 item 6 make as many queries with many people, orders and events in
the database as with a handful: the notice, my data, the JSON export, the PDF extract and
a request's staff page. (The queue's own test is in test_staff_queue.py; my data with
many orders of one customer in test_my_data_page.py.) Other people come from the scale
generator (portal/demo/scale.py), so every declared register and its events are there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.demo.scale import ScaleData
from subject_requests.services.base import request_note
from tests.extracts import customer_in_every_register, signed_in_customer
from tests.factories import DeliveryFactory, InvoiceFactory, OrderFactory, ReturnFactory
from tests.staff_queue_helpers import make_request, signed_in_staff, url

pytestmark = pytest.mark.django_db

_seeds = iter(range(1000, 2000))


def other_people(n):
    """`n` more people in every register, with orders, users, requests and audit events."""
    ScaleData(subjects=n, seed=next(_seeds), request_share=0.5).generate()


def more_orders(account, n):
    for i in range(n):
        order = OrderFactory(account=account, number=f"M{account.pk}-{i:04d}")
        InvoiceFactory(order=order)
        DeliveryFactory(order=order)
        if i % 5 == 0:
            ReturnFactory(order=order)


def queries(get):
    get()  # warm caches (content types, sessions, the linking's first look-ups)
    with CaptureQueriesContext(connection) as captured:
        response = get()
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def copies_every_time(settings):
    settings.PORTAL_COPY_REPEAT_SECONDS = 0


def test_the_notice_makes_the_same_queries_with_many_people(client):
    other_people(3)
    few = queries(lambda: client.get("/en/"))
    other_people(60)
    assert queries(lambda: client.get("/en/")) == few


def test_my_data_makes_the_same_queries_with_many_other_people(client):
    customer_in_every_register(orders=2)
    signed_in_customer(client)
    other_people(3)
    few = queries(lambda: client.get("/en/my-data/"))
    other_people(60)
    assert queries(lambda: client.get("/en/my-data/")) == few


@pytest.mark.parametrize("path", ["/en/my-data/export.json", "/en/my-data/extract.pdf"])
def test_a_copy_makes_the_same_queries_with_more_orders_and_people(client, copies_every_time, path):
    _subject, account = customer_in_every_register(orders=2)
    signed_in_customer(client)
    other_people(3)
    few = queries(lambda: client.post(path))
    more_orders(account, 25)
    other_people(40)
    assert queries(lambda: client.post(path)) == few


def test_a_requests_staff_page_makes_the_same_queries_with_a_longer_history(client):
    staff = signed_in_staff(client)
    other_people(3)
    data_request = make_request()
    request_note(request=data_request, staff=staff, note="first look")
    few = queries(lambda: client.get(url(data_request)))
    for n in range(15):
        request_note(request=data_request, staff=staff, note=f"note {n}")
    other_people(60)
    html = client.get(url(data_request)).content.decode()
    assert "note 14" in html
    assert queries(lambda: client.get(url(data_request))) == few
