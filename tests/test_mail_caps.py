"""Codes mailed outside the sign-in (a correction's new address, a fresh sign-in) are capped
per user and per address for an hour, and signing in again does not reset the count."""

import time

import pytest
from django.core import mail
from django.test import Client

from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from subject_requests.models import DataRequest
from tests.extracts import EMAIL
from tests.staff_queue_helpers import customer
from tests.test_requests_rectification import FORM, REVIEW, VERIFY, _form_data

pytestmark = pytest.mark.django_db

THIRD_PARTY = "someone.else@example.org"
FRESH = "/en/accounts/confirm-with-code/"


def _new_sign_in(user, *, signed_in_ago=0):
    """A new session for `user`, as after signing in again."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - signed_in_ago
    session[LAST_SEEN_AT] = time.time()
    session.save()
    return client


def _mails_to(address) -> int:
    return sum(message.to == [address] for message in mail.outbox)


def _propose(client, record, email):
    client.post(f"{FORM}?record={record.pk}", _form_data(record, email=email))
    return client.post(REVIEW, follow=True)


def test_a_typed_address_gets_three_codes_an_hour_however_often_the_customer_signs_in(maija):
    subject, user = maija
    record = subject.billingcustomer_records.get()

    for _ in range(3):
        client = _new_sign_in(user)
        _propose(client, record, THIRD_PARTY)
        for _ in range(5):
            client.post(VERIFY, {"resend": "1"})

    assert _mails_to(THIRD_PARTY) == 3
    assert "Too many codes were sent." in client.get(VERIFY).content.decode()
    assert not DataRequest.objects.exists()


def test_one_customer_gets_five_correction_codes_an_hour_whatever_the_addresses(maija):
    subject, user = maija
    record = subject.billingcustomer_records.get()

    for n in range(7):
        response = _propose(_new_sign_in(user), record, f"new{n}@example.fi")

    assert sum(_mails_to(f"new{n}@example.fi") for n in range(7)) == 5
    assert "Too many codes were sent." in response.content.decode()


def test_another_customer_cannot_mail_the_same_address_past_its_cap(maija):
    subject, user = maija
    record = subject.billingcustomer_records.get()
    for _ in range(3):
        _propose(_new_sign_in(user), record, THIRD_PARTY)
    other_user, _other_subject, other_record = customer(email="pekka@example.fi")

    response = _propose(_new_sign_in(other_user), other_record, THIRD_PARTY)

    assert _mails_to(THIRD_PARTY) == 3
    assert "Too many codes were sent." in response.content.decode()


def test_fresh_sign_in_codes_are_capped_across_new_sign_ins(maija):
    _subject, user = maija

    for _ in range(7):
        response = _new_sign_in(user, signed_in_ago=16 * 60).post(FRESH, follow=True)

    assert _mails_to(EMAIL) == 5
    assert "Too many codes were sent." in response.content.decode()


def test_the_correction_cap_leaves_the_fresh_sign_in_code_alone(maija):
    subject, user = maija
    record = subject.billingcustomer_records.get()
    for n in range(5):
        _propose(_new_sign_in(user), record, f"new{n}@example.fi")

    _new_sign_in(user, signed_in_ago=16 * 60).post(FRESH)

    assert _mails_to(EMAIL) == 1
