"""Customers sign in with a one-time code mailed to them; nothing reveals who is a customer."""

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from portal.models import AuditEvent
from tests.factories import BillingCustomerFactory, UserFactory
from tests.signin import CONFIRM_URL, REQUEST_URL, last_code, request_code, sign_in_by_code

pytestmark = pytest.mark.django_db

KNOWN = "maija.m@example.fi"
UNKNOWN = "nobody.here@example.fi"


@pytest.fixture
def known_customer():
    return BillingCustomerFactory(email=KNOWN)


def _normalised(response, email):
    return response.content.decode().replace(email, "EMAIL")


def test_known_and_unknown_addresses_get_identical_responses(client, known_customer):
    first = request_code(client, KNOWN)
    page_known = client.get(first["Location"])
    client.logout()
    other = Client()
    second = request_code(other, UNKNOWN)
    page_unknown = other.get(second["Location"])
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    normal_known = _normalised(page_known, KNOWN)
    normal_unknown = _normalised(page_unknown, UNKNOWN)
    # CSRF tokens differ per session; everything else is the same page.
    strip = lambda html: __import__("re").sub(r'value="[A-Za-z0-9]{64}"', "", html)  # noqa: E731
    assert strip(normal_known) == strip(normal_unknown)
    known_mail, unknown_mail = mail.outbox
    assert known_mail.subject == unknown_mail.subject
    assert known_mail.body.replace(last_code(KNOWN), "C") == unknown_mail.body.replace(
        last_code(UNKNOWN), "C"
    )


def test_code_signs_in_and_lands_on_the_front_door(client, known_customer):
    response = sign_in_by_code(client, KNOWN.upper())
    assert response.status_code == 302 and response["Location"] == "/en/home/"
    page = client.get("/en/my-data/").content.decode()
    assert "1 record about you" in page


def test_unknown_address_is_told_plainly_that_no_data_is_held(client):
    sign_in_by_code(client, UNKNOWN)
    page = client.get("/en/my-data/").content.decode()
    assert "We hold no data linked to this address" in page
    assert "add and verify that address" in page and "postal address" in page


def test_the_code_mail_is_in_the_language_of_the_page(client, known_customer):
    intro = "Your one-time sign-in code for Tector's privacy portal is:"
    for lang in ("sv", "fi", "en"):
        Client().post(f"/{lang}/accounts/login/code/", {"email": KNOWN})
        with translation.override(lang):
            assert gettext(intro) in mail.outbox[-1].body
    assert "engångskod" in mail.outbox[0].body  # and it really is Swedish


def test_expired_code_is_refused(client, settings, known_customer, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    request_code(client, KNOWN)
    code = last_code(KNOWN)
    # The clock moves on past the code's lifetime (15 minutes); nobody waits for it.
    time_machine.shift(settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT + 1)
    response = client.post(CONFIRM_URL, {"code": code})
    assert response.status_code == 302 and "/my-data/" not in response["Location"]
    assert "_auth_user_id" not in client.session


def test_third_wrong_code_ends_the_attempt(client, known_customer):
    request_code(client, KNOWN)
    code = last_code(KNOWN)
    for _ in range(2):
        response = client.post(CONFIRM_URL, {"code": "AAAA-AAAA"})
        assert response.status_code == 200
        assert "Incorrect code" in response.content.decode()
    third = client.post(CONFIRM_URL, {"code": "AAAA-AAAA"})
    assert third.status_code == 302
    # Even the right code no longer works: a new one must be requested.
    client.post(CONFIRM_URL, {"code": code})
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.sign_in.failed").count() == 3


@pytest.mark.parametrize("email", [KNOWN, UNKNOWN])
def test_code_requests_are_rate_limited_per_address(known_customer, email):
    # A new browser session each time, as someone flooding a mailbox would use.
    for _ in range(5):
        assert request_code(Client(), email).status_code == 302
    response = request_code(Client(), email)
    assert response.status_code == 200
    assert "Too many" in response.content.decode()
    assert len(mail.outbox) == 5


def test_code_requests_are_rate_limited_per_ip(settings):
    settings.ACCOUNT_RATE_LIMITS = {"request_login_code": "3/h/ip,5/h/key", "login_failed": None}
    for n in range(3):
        assert request_code(Client(), f"person{n}@example.fi").status_code == 302
    assert request_code(Client(), "person9@example.fi").status_code == 200


def test_staff_cannot_sign_in_by_code(client):
    staff = UserFactory(is_staff=True, email="staff@example.fi", username="staff@example.fi")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    response = request_code(client, staff.email)
    assert response.status_code == 302  # the same answer as for anyone ...
    assert not mail.outbox  # ... but no code exists for a staff account


def test_code_sent_and_sign_in_are_audited(client, known_customer):
    sign_in_by_code(client, KNOWN)
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "auth.code.sent" in actions and "auth.sign_in.succeeded" in actions


def test_sign_out_is_audited_and_ends_the_session(client, known_customer):
    sign_in_by_code(client, KNOWN)
    client.post("/en/accounts/logout/")
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.sign_out").exists()


def test_confirm_page_without_a_pending_code_sends_back_to_asking_for_one(client):
    response = client.get(CONFIRM_URL)
    assert response.status_code == 302 and response["Location"] == REQUEST_URL
    assert client.get(REQUEST_URL).status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_code_just_inside_its_lifetime_still_signs_in(
    client, settings, known_customer, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    request_code(client, KNOWN)
    time_machine.shift(settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT - 5)
    response = client.post(CONFIRM_URL, {"code": last_code(KNOWN)})
    assert response.status_code == 302 and "_auth_user_id" in client.session
