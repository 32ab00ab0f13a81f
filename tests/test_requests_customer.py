"""The customer's side of requests: My requests, cancelling, the direct-marketing objection,
erasure, restriction and free-form requests. Corrections: test_requests_rectification.py."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import formats, translation

from portal.models import NewsletterSubscription, PostalRecipient
from subject_requests.models import DataRequest
from subject_requests.services.base import request_submit
from subject_requests.services.rectification import rectification_decide, rectification_submit
from tests.extracts import EMAIL, signed_in_customer
from tests.factories import BillingCustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def someone_else():
    """Another customer, with a record and a pending request of their own."""
    user = UserFactory(username="ville@example.fi")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    record = BillingCustomerFactory(email=user.email, street_address="Toinen tie 9")
    data_request = request_submit(
        user=user, type=DataRequest.Type.OTHER, subject=record.subject, description="Ville's"
    )
    return user, record, data_request


def _other(user, subject, text):
    return request_submit(user=user, type=DataRequest.Type.OTHER, subject=subject, description=text)


# --- My requests ---------------------------------------------------------------------------


def test_pages_need_sign_in(client):
    for url in (
        "/en/requests/",
        "/en/requests/objection/",
        "/en/requests/other/",
        "/en/requests/rectification/billing/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/code/" in response["Location"]


def test_my_requests_lists_only_own_requests_newest_first(client, maija, someone_else):
    subject, user = maija
    _other(user, subject, "The first one")
    _other(user, subject, "The second one")
    html = client.get("/en/requests/").content.decode()
    assert html.index("The second one") < html.index("The first one")
    assert "Ville&#x27;s" not in html and "Ville's" not in html
    assert str(someone_else[2].public_id) not in html


def test_my_requests_shows_status_due_date_register_and_field_decisions(client, maija):
    subject, user = maija
    billing = subject.billingcustomer_records.get()
    data_request = rectification_submit(
        user=user,
        record=billing,
        changes={"street_address": "Uusi katu 1", "phone": "+358501112222"},
    )
    phone = data_request.changes.get(field="phone")
    street = data_request.changes.get(field="street_address")
    rectification_decide(
        request=data_request,
        staff=UserFactory(is_staff=True),
        decisions={street.pk: (True, ""), phone.pk: (False, "We called the old number.")},
        seen={},
    )
    html = client.get("/en/requests/").content.decode()
    assert "Rectification" in html and "Billing and order register" in html
    assert "Partly approved" in html
    with translation.override("en"):
        assert formats.date_format(data_request.due_on, "SHORT_DATE_FORMAT") in html
    assert "Street address" in html and "Koivukuja 3 B 12" in html and "Uusi katu 1" in html
    assert "We called the old number." in html
    assert "Decided field by field; see each change." in html
    assert "lodge a complaint with the supervisory authority" in html
    # A decided request has no cancel button.
    assert f"/en/requests/{data_request.public_id}/cancel/" not in html


def test_request_detail_is_looked_up_through_the_owner(client, maija, someone_else):
    subject, user = maija
    mine = _other(user, subject, "Please call me")
    assert client.get(f"/en/requests/{mine.public_id}/").status_code == 200
    theirs = someone_else[2]
    assert client.get(f"/en/requests/{theirs.public_id}/").status_code == 404


def test_cancel_a_pending_request(client, maija):
    subject, user = maija
    data_request = _other(user, subject, "Never mind")
    html = client.get("/en/requests/").content.decode()
    assert f'action="/en/requests/{data_request.public_id}/cancel/"' in html
    response = client.post(f"/en/requests/{data_request.public_id}/cancel/", follow=True)
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.CANCELLED
    assert "Your request was cancelled." in response.content.decode()


def test_cancel_needs_post(client, maija):
    subject, user = maija
    data_request = _other(user, subject, "Never mind")
    assert client.get(f"/en/requests/{data_request.public_id}/cancel/").status_code == 405
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.RECEIVED


def test_another_customers_request_cannot_be_cancelled(client, maija, someone_else):
    theirs = someone_else[2]
    assert client.post(f"/en/requests/{theirs.public_id}/cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == DataRequest.Status.RECEIVED


def test_decided_request_cannot_be_cancelled(client, maija):
    subject, user = maija
    data_request = rectification_submit(
        user=user, record=subject.billingcustomer_records.get(), changes={"fax": "+35891234567"}
    )
    change = data_request.changes.get()
    rectification_decide(
        request=data_request,
        staff=UserFactory(is_staff=True),
        decisions={change.pk: (True, "")},
        seen={},
    )
    response = client.post(f"/en/requests/{data_request.public_id}/cancel/", follow=True)
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    assert "This request was already completed; nothing was changed." in response.content.decode()


# --- Direct-marketing objection -------------------------------------------------------------


def test_objection_takes_effect_at_once(client, maija, django_capture_on_commit_callbacks):
    subject, user = maija
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/requests/objection/",
            {"no_postal_marketing": "on", "no_disclosure": "on", "unsubscribe": "on"},
            follow=True,
        )
    html = response.content.decode()
    # Before any staff action: the records have changed and the request is completed.
    postal = PostalRecipient.objects.get(subject=subject)
    assert not postal.postal_marketing_allowed and not postal.disclosure_allowed
    assert NewsletterSubscription.objects.get(subject=subject).status == "unsubscribed"
    data_request = user.data_requests.get()
    assert data_request.type == DataRequest.Type.OBJECTION
    assert data_request.status == DataRequest.Status.COMPLETED
    assert response.redirect_chain[-1][0] == f"/en/requests/{data_request.public_id}/"
    assert "Your objection has already taken effect." in html
    assert "Do not disclose my name and address to your partners" in html
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    assert "It has already taken effect." in mail.outbox[0].body


def test_objection_can_be_partial(client, maija):
    subject, _ = maija
    client.post("/en/requests/objection/", {"unsubscribe": "on"})
    postal = PostalRecipient.objects.get(subject=subject)
    assert postal.postal_marketing_allowed and postal.disclosure_allowed
    assert NewsletterSubscription.objects.get(subject=subject).status == "unsubscribed"


def test_objection_needs_a_choice(client, maija):
    subject, user = maija
    response = client.post("/en/requests/objection/", {})
    assert response.status_code == 200
    assert "Choose at least one of the options." in response.content.decode()
    assert not user.data_requests.exists()
    assert PostalRecipient.objects.get(subject=subject).postal_marketing_allowed


# --- Erasure, restriction, free-form --------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "register", "explains"),
    [
        ("erasure", "billing", "Accounting Act"),
        ("erasure", "postal", "keyed one-way hash"),
        ("restriction", "webshop", "You dispute the accuracy of your data"),
    ],
)
def test_erasure_and_restriction_create_requests(client, maija, kind, register, explains):
    subject, user = maija
    url = f"/en/requests/{kind}/{register}/"
    assert explains in client.get(url).content.decode()
    response = client.post(url, {"description": "Thank you"}, follow=True)
    assert response.redirect_chain[-1][0] == "/en/requests/"
    data_request = user.data_requests.get()
    assert data_request.type == kind
    assert data_request.register == register and data_request.subject == subject
    assert data_request.description == "Thank you" and data_request.language == "en"
    assert data_request.status == DataRequest.Status.RECEIVED
    assert "Your request was sent." in response.content.decode()


def test_erasure_note_is_optional(client, maija):
    _, user = maija
    client.post("/en/requests/erasure/newsletter/", {"description": ""})
    assert user.data_requests.get().type == DataRequest.Type.ERASURE


def test_unknown_register_gives_404(client, maija):
    for url in (
        "/en/requests/erasure/nonsense/",
        "/en/requests/restriction/nonsense/",
        "/en/requests/rectification/nonsense/",
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"description": "x"}).status_code == 404
    assert not maija[1].data_requests.exists()


def test_request_uses_the_subject_holding_the_register(client, maija):
    """A second linked subject with a postal record only: the postal request is theirs."""
    from tests.factories import PostalRecipientFactory

    subject, user = maija
    # The same person's name on both: a customer number links only the same person.
    name = {"first_name": "Maija", "last_name": "Meikäläinen", "customer_number": "200200"}
    BillingCustomerFactory(email="maija.work@example.fi", **name)
    postal = PostalRecipientFactory(**name)
    subject.postalrecipient_records.all().delete()
    EmailAddress.objects.create(user=user, email="maija.work@example.fi", verified=True)
    client.post("/en/requests/restriction/postal/", {"description": ""})
    assert user.data_requests.get().subject == postal.subject


def test_other_request_needs_a_description(client, maija):
    _, user = maija
    response = client.post("/en/requests/other/", {"description": "  "})
    assert "This field is required." in response.content.decode()
    assert not user.data_requests.exists()
    client.post("/en/requests/other/", {"description": "Please check my customer number."})
    data_request = user.data_requests.get()
    assert data_request.type == DataRequest.Type.OTHER
    assert data_request.description == "Please check my customer number."


def test_dispute_link_prefills_the_free_form_request(client, maija):
    html = client.get("/en/requests/other/?register=billing&field=credit_limit").content.decode()
    assert "I dispute the credit limit (EUR) in the Billing and order register" in html
    client.post(
        "/en/requests/other/?register=billing&field=credit_limit",
        {"description": "The limit is too low."},
    )
    assert maija[1].data_requests.get().register == "billing"
    # Anything else in the query string is ignored.
    html = client.get("/en/requests/other/?register=billing&field=phone").content.decode()
    assert "I dispute" not in html


def test_customer_without_linked_data_can_make_a_free_form_request(client):
    user = signed_in_customer(client)
    client.post("/en/requests/other/", {"description": "I am on your postal list."})
    data_request = user.data_requests.get()
    assert data_request.subject is None and data_request.type == DataRequest.Type.OTHER
    # ... but there is nothing to erase or restrict.
    html = client.get("/en/requests/erasure/postal/").content.decode()
    assert "We hold no data linked to the addresses you have verified" in html
    client.post("/en/requests/erasure/postal/", {"description": ""})
    assert user.data_requests.count() == 1


def test_request_pages_are_in_the_chosen_language(client, maija):
    subject, user = maija
    _other(user, subject, "Moi")
    html = client.get("/fi/requests/").content.decode()
    assert '<html lang="fi">' in html
    client.post("/sv/requests/erasure/billing/", {"description": ""})
    assert user.data_requests.get(type="erasure").language == "sv"
