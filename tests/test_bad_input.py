"""No input gives a server error: over-long sign-in fields, odd digits in a query, NUL in a
URL, a form body in another charset. Control characters are refused in what people type,
with a message that says what is wrong, and nothing is saved."""

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.test import Client

from accounts.models import User
from portal.models import AuditEvent
from subject_requests.models import DataRequest
from tests.signin import PASSWORD_URL, REQUEST_URL
from tests.staff_queue_helpers import make_request, signed_in_staff, url

pytestmark = pytest.mark.django_db

CONTROL_MESSAGE = "invisible control characters"
OTHER = "/en/requests/other/"
RECTIFICATION = "/en/requests/rectification/billing/"


def _browser():
    """A client that checks the CSRF token as a browser's server would, with a token."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(REQUEST_URL)
    return client, client.cookies["csrftoken"].value


def test_an_address_too_long_for_a_username_is_refused_on_the_code_form():
    client, token = _browser()
    address = "a" * 150 + "@example.fi"

    response = client.post(REQUEST_URL, {"email": address, "csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert not User.objects.filter(email=address).exists()
    assert not EmailAddress.objects.filter(email=address).exists()


@pytest.mark.parametrize("length", [300, 100_000])
def test_a_login_longer_than_any_account_is_refused_on_the_password_form(length):
    client, token = _browser()

    response = client.post(
        PASSWORD_URL, {"login": "a" * length, "password": "x", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_a_record_number_in_superscript_digits_is_not_found(client, maija):
    response = client.get(RECTIFICATION, {"record": "²"})

    assert response.status_code == 404


def test_a_record_number_too_long_for_int_is_not_found(client, maija):
    response = client.get(RECTIFICATION, {"record": "9" * 5000})

    assert response.status_code == 404


def test_an_extract_reference_with_a_nul_is_not_found(client, maija):
    response = client.get("/en/my-data/extracts/RO-AAAA%00/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/x-www-form-urlencoded; charset=utf-16", "email=a%40example.fi"),
        ("application/x-www-form-urlencoded; charset=latin-1", "email=a%40example.fi"),
    ],
)
def test_a_form_body_in_another_charset_gets_a_clear_400_page(content_type, body):
    client, token = _browser()
    encoding = content_type.split("charset=")[1]
    payload = f"csrfmiddlewaretoken={token}&{body}".encode(encoding)

    response = client.generic("POST", REQUEST_URL, payload, content_type=content_type)

    assert response.status_code == 400
    assert "The form could not be read" in response.content.decode()
    assert not User.objects.exists()


def test_a_broken_multipart_body_gets_the_same_400_page():
    client, _token = _browser()

    response = client.generic(
        "POST", REQUEST_URL, b"--x\r\nbroken", content_type="multipart/form-data; boundary="
    )

    assert response.status_code == 400
    assert "The form could not be read" in response.content.decode()


CONTROL_CHARACTERS = {
    "escape": "\x1b[31m",
    "vertical tab": "\x0b",
    "delete": "\x7f",
    "C1 control": "\x85",
    "NUL": "\x00",
    "right-to-left override": "\u202e",
    "left-to-right embedding": "\u202a",
    "first-strong isolate": "\u2068",
}


@pytest.mark.parametrize("character", CONTROL_CHARACTERS.values(), ids=CONTROL_CHARACTERS)
def test_control_characters_are_refused_in_a_free_form_request(client, maija, character):
    response = client.post(OTHER, {"description": f"Please check{character} my data"})

    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.content.decode()
    assert not DataRequest.objects.exists()


def test_control_characters_are_refused_in_a_name_to_correct(client, maija):
    from tests.test_requests_rectification import _form_data

    record = maija[0].billingcustomer_records.get()
    response = client.post(
        f"{RECTIFICATION}?record={record.pk}",
        _form_data(record, last_name="Meikäläinen\u202egnp.exe"),
    )

    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.content.decode()
    assert "portal_rectification" not in client.session


def test_control_characters_are_refused_in_a_staff_note(client):
    data_request = make_request()
    signed_in_staff(client)
    events = AuditEvent.objects.count()

    response = client.post(url(data_request, "note"), {"note": "ok\x1b]0;pwned\x07"})

    assert response.status_code == 400
    assert CONTROL_MESSAGE in response.content.decode()
    assert AuditEvent.objects.count() == events


def test_line_breaks_tabs_and_right_to_left_text_are_still_accepted(client, maija):
    text = "Hei,\r\n\tשלום עליכם\u200f مرحبا 👋\nKiitos"

    response = client.post(OTHER, {"description": text})

    assert response.status_code == 302
    assert DataRequest.objects.get().description == text
