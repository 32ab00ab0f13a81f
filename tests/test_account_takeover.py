"""Regression: adding another person's address never opens her data (issue #9, point 1).

The probe: Matti added liisa.lahtinen@example.org under *Email addresses*; when Liisa later
signed in by code, or clicked "confirm" in the mail she received, the address was verified on
*his* account and his my-data showed her records.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import User
from portal.models import AuditEvent
from tests.factories import BillingCustomerFactory, NewsletterSubscriptionFactory
from tests.signin import REQUEST_URL, sign_in_by_code

pytestmark = pytest.mark.django_db

MATTI = "matti.virtanen@example.com"
LIISA = "liisa.lahtinen@example.org"
EMAIL_URL = "/en/accounts/email/"
LINK_RE = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


@pytest.fixture
def registers():
    NewsletterSubscriptionFactory(email=MATTI)
    return BillingCustomerFactory(email=LIISA, first_name="Liisa", last_name="Lähtinen")


@pytest.fixture
def matti(registers):
    client = Client()
    sign_in_by_code(client, MATTI)
    response = client.post(EMAIL_URL, {"email": LIISA, "action_add": ""})
    assert response.status_code == 302 and response["Location"] == EMAIL_URL  # added
    assert EmailAddress.objects.filter(email=LIISA, verified=False).exists()
    return client


def _my_data(client) -> str:
    return client.get("/en/my-data/").content.decode()


def _confirmation_link() -> str:
    for message in reversed(mail.outbox):
        found = LINK_RE.search(message.body) if LIISA in message.to else None
        if found:
            return found.group(0)
    raise AssertionError("no confirmation mail went to Liisa")


def test_adding_anothers_address_shows_nothing_of_hers(matti):
    assert "Lähtinen" not in _my_data(matti)


def test_her_code_sign_in_opens_her_own_account_not_his(matti):
    liisa = Client()
    sign_in_by_code(liisa, LIISA)
    assert "Lähtinen" in _my_data(liisa)
    assert "Lähtinen" not in _my_data(matti)
    matti_user = User.objects.get(username=MATTI)
    assert not EmailAddress.objects.filter(user=matti_user, email=LIISA).exists()
    owner = EmailAddress.objects.get(email=LIISA, verified=True).user
    assert owner != matti_user


def test_his_lapsed_claim_is_audited(matti):
    sign_in_by_code(Client(), LIISA)
    assert AuditEvent.objects.filter(action="auth.email.claim_lapsed").count() == 1


def test_her_click_on_confirm_does_not_verify_it_for_him(matti):
    link = _confirmation_link()
    anonymous = Client()
    page = anonymous.get(link)
    assert page.status_code == 200
    anonymous.post(link)
    assert not EmailAddress.objects.filter(email=LIISA, verified=True).exists()
    assert "Lähtinen" not in _my_data(matti)


def test_her_click_while_signed_in_as_herself_does_not_verify_it_for_him(matti):
    liisa = Client()
    sign_in_by_code(liisa, LIISA)
    # Her own address is now verified on her account; Matti's claim is gone, and a
    # confirmation link sent earlier can no longer attach it to his.
    liisa.post(_confirmation_link())
    matti_user = User.objects.get(username=MATTI)
    assert not EmailAddress.objects.filter(user=matti_user, email=LIISA).exists()
    assert "Lähtinen" not in _my_data(matti)


def test_the_mail_and_the_page_do_not_name_who_added_the_address(matti):
    message = next(m for m in mail.outbox if LIISA in m.to and LINK_RE.search(m.body))
    assert MATTI not in message.body and "Matti" not in message.body
    page = Client().get(_confirmation_link()).content.decode()
    assert MATTI not in page and "matti" not in page.lower()


def test_the_adder_confirms_in_his_own_session_when_he_reads_that_mailbox(matti):
    # Someone who really reads mail at the address (here: the link reaches his browser).
    matti.post(_confirmation_link())
    assert EmailAddress.objects.get(email=LIISA).verified
    assert "Lähtinen" in _my_data(matti)


def test_a_refused_code_request_creates_no_user(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"request_login_code": "1/h/ip"}
    client.post(REQUEST_URL, {"email": "first@example.fi"})
    before = User.objects.count()
    Client().post(REQUEST_URL, {"email": "second@example.fi"})
    assert User.objects.count() == before
    assert not User.objects.filter(username="second@example.fi").exists()


def test_the_email_page_says_how_an_added_address_is_confirmed(matti):
    page = matti.get(EMAIL_URL).content.decode()
    assert "Open it in this browser while you are signed in here" in page
    message = next(m for m in mail.outbox if LIISA in m.to and LINK_RE.search(m.body))
    assert message.subject.endswith("confirm an email address for the privacy portal")
