"""A task-first front door (issue #13, item 2): a signed-in customer lands on the actions and
the state of their open requests; the public notice calls visitors to sign in; my-data folds
the registers holding nothing about the person into one line each."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from portal.models import IssuedExtract
from subject_requests.models import DataRequest
from tests.extracts import EMAIL, signed_in_customer
from tests.factories import (
    BillingCustomerFactory,
    DataSubjectFactory,
    NewsletterSubscriptionFactory,
)
from tests.signin import sign_in_by_code
from tests.staff_queue_helpers import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def matti(client):
    """Matti as in the demo: on the newsletter only."""
    subject = DataSubjectFactory(display_name="Matti Virtanen")
    NewsletterSubscriptionFactory(subject=subject, email=EMAIL)
    return subject, signed_in_customer(client)


def test_customers_land_on_the_front_door_after_signing_in(client, matti):
    assert reverse(settings.LOGIN_REDIRECT_URL) == reverse("home")
    client.logout()
    response = sign_in_by_code(client, EMAIL)
    assert response["Location"] == reverse("home")


def test_the_front_door_opens_with_the_actions(client, matti):
    html = client.get(reverse("home")).content.decode()
    for name in (
        "my_data",
        "extract_pdf",
        "request_rectification_all",
        "request_objection",
        "request_erasure_all",
        "request_restriction_all",
        "request_other",
    ):
        assert f'href="{reverse(name)}"' in html, name
    for text in (
        "See my data",
        "Take a copy",
        "Correct my details",
        "Marketing choices",
        "Erase my data",
        "Restrict processing",
        "Object to processing",
        "Ask something else",
    ):
        assert text in html


def test_the_front_door_shows_the_open_requests_with_status_due_date_and_link(client, matti):
    subject, user = matti
    open_one = make_request(user=user, subject=subject, register="", due_in=12)
    closed = make_request(
        user=user, subject=subject, status=DataRequest.Status.COMPLETED, register=""
    )
    objection = make_request(
        user=user,
        subject=subject,
        type=DataRequest.Type.OBJECTION,
        register="",
        status=DataRequest.Status.IN_REVIEW,
    )
    html = client.get(reverse("home")).content.decode()
    assert reverse("request_detail", args=[open_one.public_id]) in html
    assert reverse("request_detail", args=[closed.public_id]) not in html
    due = timezone.localdate() + datetime.timedelta(days=12)
    assert f"answer by {due:%-d %b %Y}" in html
    assert "Received" in html or "received" in html  # the status, in words
    # An objection is in force on receipt: no due date is shown for it.
    assert reverse("request_detail", args=[objection.public_id]) in html
    assert html.count("answer by") == 1


def test_without_data_the_front_door_offers_no_actions_that_lead_nowhere(client):
    signed_in_customer(client)
    html = client.get(reverse("home")).content.decode()
    assert reverse("request_erasure_all") not in html
    assert reverse("request_rectification_all") not in html
    assert "add and verify that address" in html
    assert "You have no open requests." in html


def test_the_front_door_needs_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("account_request_login_code") in response["Location"]


def test_the_navigation_links_the_front_door(client, matti):
    html = client.get(reverse("my_data")).content.decode()
    assert f'href="{reverse("home")}"' in html


def test_the_public_notice_calls_visitors_to_sign_in(client):
    html = client.get(reverse("privacy_notice")).content.decode()
    assert "See the data we hold about you" in html
    assert f'class="button" href="{reverse("account_request_login_code")}"' in html


def test_the_notice_does_not_ask_a_signed_in_person_to_sign_in(client, matti):
    html = client.get(reverse("privacy_notice")).content.decode()
    assert "See the data we hold about you" not in html
    assert f'href="{reverse("home")}"' in html


def test_registers_holding_nothing_fold_into_one_line_without_actions(client, matti):
    html = client.get(reverse("my_data")).content.decode()
    assert "Registers holding no data about you" in html
    # Matti's newsletter in full, with its actions; billing in one line, without any.
    assert reverse("request_erasure", args=["newsletter"]) in html
    assert reverse("request_erasure", args=["billing"]) not in html
    assert reverse("request_restriction", args=["billing"]) not in html
    assert reverse("request_rectification", args=["billing"]) not in html
    assert '<li id="register-billing">' in html
    assert 'id="register-billing-title"' not in html  # no full section


def test_a_person_with_data_everywhere_sees_no_folded_registers(client):
    subject = DataSubjectFactory()
    BillingCustomerFactory(subject=subject, email=EMAIL)
    signed_in_customer(client)
    html = client.get(reverse("my_data")).content.decode()
    assert reverse("request_erasure", args=["billing"]) in html


def test_copies_issued_are_dated_in_the_language_s_format(client, matti):
    _subject, user = matti
    issued = IssuedExtract.objects.create(
        user=user, reference="REF-TEST-1", format=IssuedExtract.Format.PDF
    )
    moment = timezone.make_aware(datetime.datetime(2026, 11, 30, 16, 47))
    IssuedExtract.objects.filter(pk=issued.pk).update(issued_at=moment)
    english = client.get(reverse("my_data")).content.decode()
    assert "30 Nov 2026, 16:47" in english
    with translation.override("fi"):
        finnish = client.get(reverse("my_data")).content.decode()
    assert "30.11.2026 klo 16.47" in finnish


def test_object_to_processing_starts_an_art_21_1_objection(client, matti):
    # The front door opens the objection's own request type (test_interest_objection.py);
    # the free-form request still offers the start of one.
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("request_interest_objection")}"' in html
    form = client.get(reverse("request_other") + "?topic=objection").content.decode()
    assert "I object to the processing of my data based on your legitimate interest" in form
    assert "I object" not in client.get(reverse("request_other") + "?topic=x").content.decode()
