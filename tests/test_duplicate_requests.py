"""A form sent twice makes one request: the repeat is given the request made the first time.
A repeat is the same form again (its submission key) or an identical request still open."""

import re
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client

from portal.models import NewsletterSubscription
from subject_requests.models import DataRequest, FieldChange
from tests.test_requests_rectification import FORM, REVIEW, _form_data

OTHER = "/en/requests/other/"
OBJECTION = "/en/requests/objection/"
REPEATED = "You already sent this request, so it was not sent again."


def _submission_key(client, url) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="submission" value="([^"]+)"', html).group(1)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.mark.django_db
def test_a_free_form_request_sent_twice_is_made_once(
    client, maija, django_capture_on_commit_callbacks
):
    form = {"description": "Please check my data", "submission": _submission_key(client, OTHER)}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(OTHER, form)
        second = client.post(OTHER, form, follow=True)

    assert DataRequest.objects.count() == 1
    assert REPEATED in _messages(second)
    assert len(mail.outbox) == 1  # one confirmation


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["erasure", "restriction"])
def test_an_erasure_or_restriction_sent_twice_is_made_once(client, maija, kind):
    url = f"/en/requests/{kind}/postal/"
    form = {"description": "", "submission": _submission_key(client, url)}

    client.post(url, form)
    client.post(url, form)

    assert DataRequest.objects.filter(type=kind).count() == 1


@pytest.mark.django_db
def test_the_same_request_from_a_fresh_form_gives_the_open_one(client, maija):
    for _ in range(3):
        client.post(OTHER, {"description": "Please check my data"})
        response = client.post(
            OTHER,
            {"description": "Please check my data", "submission": _submission_key(client, OTHER)},
            follow=True,
        )

    assert DataRequest.objects.count() == 1
    assert REPEATED in _messages(response)


@pytest.mark.django_db
def test_a_different_request_is_no_repeat(client, maija):
    client.post(OTHER, {"description": "Please check my data"})
    client.post(OTHER, {"description": "Please check my data, and my orders"})
    client.post("/en/requests/erasure/postal/", {"description": "Please check my data"})

    assert DataRequest.objects.count() == 3


@pytest.mark.django_db
def test_once_the_first_is_closed_the_same_request_can_be_made_again(client, maija):
    client.post(OTHER, {"description": "Please check my data"})
    first = DataRequest.objects.get()
    client.post(f"/en/requests/{first.public_id}/cancel/")

    client.post(OTHER, {"description": "Please check my data"})

    assert DataRequest.objects.count() == 2


@pytest.mark.django_db
def test_a_replayed_form_gives_its_request_even_after_it_was_closed(client, maija):
    form = {"description": "Please check my data", "submission": _submission_key(client, OTHER)}
    client.post(OTHER, form)
    first = DataRequest.objects.get()
    client.post(f"/en/requests/{first.public_id}/cancel/")

    client.post(OTHER, form)

    assert DataRequest.objects.get() == first


@pytest.mark.django_db
def test_a_garbled_submission_key_is_no_key_and_no_error(client, maija):
    response = client.post(OTHER, {"description": "Hello", "submission": "<script>\x01"})

    assert response.status_code == 302
    assert DataRequest.objects.get().submission_key == ""


@pytest.mark.django_db
def test_the_same_correction_sent_again_is_made_once(client, maija):
    record = maija[0].billingcustomer_records.get()
    for _ in range(3):
        client.post(f"{FORM}?record={record.pk}", _form_data(record, street_address="Uusi 1"))
        response = client.post(REVIEW, follow=True)

    assert DataRequest.objects.count() == 1
    assert FieldChange.objects.count() == 1
    assert REPEATED in _messages(response)


@pytest.mark.django_db
def test_an_objection_sent_twice_is_made_once_and_a_new_one_that_changes_something_counts(
    client, maija
):
    form = {"unsubscribe": "on", "submission": _submission_key(client, OBJECTION)}
    client.post(OBJECTION, form)
    client.post(OBJECTION, form)
    # A fresh form with the same choice changes nothing: the same objection again.
    client.post(OBJECTION, {"unsubscribe": "on", "submission": _submission_key(client, OBJECTION)})
    assert DataRequest.objects.count() == 1

    NewsletterSubscription.objects.update(status="confirmed", unsubscribed_at=None)
    client.post(OBJECTION, {"unsubscribe": "on", "submission": _submission_key(client, OBJECTION)})

    assert DataRequest.objects.count() == 2


@pytest.mark.django_db
def test_an_objection_form_sent_again_after_it_took_effect_gives_its_request(client, maija):
    # Once in force, the choice is no longer offered; the same form sent again still gets
    # the request it made, not a form error.
    form = {"unsubscribe": "on", "submission": _submission_key(client, OBJECTION)}
    first = client.post(OBJECTION, form)
    again = client.post(OBJECTION, form)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert DataRequest.objects.count() == 1


# --- Twenty at the same moment ----------------------------------------------------------------


def _at_once(client, posts, count=20):
    """`count` threads, each its own connection and a client in the same session, send their
    post at the same moment; returns the status codes."""
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    start = threading.Barrier(count)
    statuses = []

    def run():
        browser = Client(raise_request_exception=False)
        browser.cookies[settings.SESSION_COOKIE_NAME] = session_cookie
        try:
            start.wait()
            statuses.append(posts(browser).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@pytest.mark.django_db(transaction=True)
def test_twenty_posts_of_one_form_at_once_make_one_request(client, maija):
    form = {"description": "Please check my data", "submission": _submission_key(client, OTHER)}

    statuses = _at_once(client, lambda browser: browser.post(OTHER, form))

    assert statuses == [302] * 20
    assert DataRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_identical_posts_without_a_key_at_once_make_one_request(client, maija):
    statuses = _at_once(
        client, lambda browser: browser.post(OTHER, {"description": "Please check my data"})
    )

    assert statuses == [302] * 20
    assert DataRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_posts_of_one_correction_review_at_once_make_one_request(client, maija):
    record = maija[0].billingcustomer_records.get()
    client.post(f"{FORM}?record={record.pk}", _form_data(record, street_address="Uusi 1"))

    statuses = _at_once(client, lambda browser: browser.post(REVIEW))

    assert statuses == [302] * 20
    assert DataRequest.objects.count() == 1
    assert FieldChange.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_posts_of_one_objection_at_once_make_one_request(client, maija):
    form = {"unsubscribe": "on", "submission": _submission_key(client, OBJECTION)}

    statuses = _at_once(client, lambda browser: browser.post(OBJECTION, form))

    assert statuses == [302] * 20
    assert DataRequest.objects.count() == 1
