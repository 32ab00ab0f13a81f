"""Reasonable doubt about who made a request (Art. 12(6)): staff ask for more information
about the person's identity; the request shows it to staff and customer; the person answers
on their request's page, or staff record an answer that came by letter, email or phone. The
due date stays what the law sets, and the extension is still available."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from portal.models import AuditEvent
from subject_requests.models import DataRequest
from tests.factories import PostalRecipientFactory
from tests.staff_queue_helpers import (
    customer,
    make_request,
    messages_of,
    signed_in_staff,
    url,
)

pytestmark = pytest.mark.django_db

QUESTION = "Please tell us the customer number on your last invoice."


@pytest.fixture
def portal_request():
    user, subject, _record = customer(email="saga@example.fi", name="Saga Svensson")
    return make_request(type=DataRequest.Type.ERASURE, user=user, subject=subject, language="sv")


def _ask(client, data_request, message=QUESTION):
    return client.post(url(data_request, "identity/ask"), {"message": message}, follow=True)


def test_staff_ask_and_the_person_is_told_by_email_in_their_language(client, portal_request):
    staff = signed_in_staff(client)
    due = portal_request.due_on
    response = _ask(client, portal_request)
    assert "The question is sent to the customer by email." in messages_of(response)
    portal_request.refresh_from_db()
    assert portal_request.identity_state == DataRequest.INFO_REQUESTED
    assert portal_request.due_on == due  # the law's deadline does not move
    (sent,) = mail.outbox
    assert sent.to == ["saga@example.fi"] and QUESTION in sent.body
    assert "Hej," in sent.body
    event = AuditEvent.objects.get(action="request.erasure.identity_info_requested")
    assert event.actor == staff and event.details["message"] == QUESTION
    page = client.get(url(portal_request)).content.decode()
    assert "waiting for the answer" in page and QUESTION in page


def test_an_empty_question_is_not_sent(client, portal_request):
    signed_in_staff(client)
    response = client.post(url(portal_request, "identity/ask"), {"message": "  "})
    assert response.status_code == 400
    portal_request.refresh_from_db()
    assert portal_request.identity_state == "" and mail.outbox == []


def test_the_person_sees_the_question_and_answers_in_the_portal(client, portal_request):
    signed_in_staff(client)
    _ask(client, portal_request)
    client.logout()
    client.force_login(portal_request.user)
    detail = f"/en/requests/{portal_request.public_id}/"
    page = client.get(detail).content.decode()
    assert "We need more information about your identity" in page and QUESTION in page
    listing = client.get("/en/requests/").content.decode()
    assert "We need more information about your identity" in listing
    response = client.post(detail + "identity/", {"answer": "It is 100101."}, follow=True)
    assert "Thank you. Your answer was sent." in messages_of(response)
    portal_request.refresh_from_db()
    assert portal_request.identity_state == DataRequest.INFO_RECEIVED
    assert portal_request.info_answer == "It is 100101."
    event = AuditEvent.objects.get(action="request.erasure.identity_info_received")
    assert event.actor == portal_request.user and event.details["by_staff"] is False
    # A second answer is not taken: nothing is being asked now.
    again = client.post(detail + "identity/", {"answer": "Again"}, follow=True)
    assert "No information about your identity is being asked for." in messages_of(again)


def test_another_customer_cannot_answer(client, portal_request):
    signed_in_staff(client)
    _ask(client, portal_request)
    other, _subject, _record = customer(email="other@example.fi")
    client.logout()
    client.force_login(other)
    detail = f"/en/requests/{portal_request.public_id}/"
    assert client.post(detail + "identity/", {"answer": "Me!"}).status_code == 404
    portal_request.refresh_from_db()
    assert portal_request.identity_state == DataRequest.INFO_REQUESTED


def test_the_extension_is_still_available_while_waiting(client, portal_request):
    signed_in_staff(client)
    _ask(client, portal_request)
    response = client.post(
        url(portal_request, "extend"),
        {"months": "1", "reason": "We are waiting for your answer."},
        follow=True,
    )
    assert "The deadline is extended." in " ".join(messages_of(response))
    portal_request.refresh_from_db()
    assert portal_request.extended_at is not None


def test_staff_record_an_answer_that_came_by_letter(client):
    signed_in_staff(client)
    record = PostalRecipientFactory(first_name="Toivo", last_name="Mäkinen")
    received = timezone.localdate() - datetime.timedelta(days=3)
    client.post(
        f"/en/staff/intake/new/?subject={record.subject.public_id}",
        {
            "channel": "letter",
            "received_on": received.isoformat(),
            "type": "restriction",
            "identity_check": "not_checked",
            "language": "fi",
        },
    )
    data_request = DataRequest.objects.get()
    response = _ask(client, data_request, "Please send a copy of your signature.")
    assert "Print the letter below and post it." in " ".join(messages_of(response))
    assert mail.outbox == []
    letter = client.get(url(data_request) + "letter.pdf")
    assert letter["Content-Type"] == "application/pdf"
    client.post(url(data_request, "identity/answer"), {"answer": "Signed copy received by post."})
    data_request.refresh_from_db()
    assert data_request.identity_state == DataRequest.INFO_RECEIVED
    event = AuditEvent.objects.get(action="request.restriction.identity_info_received")
    assert event.details["by_staff"] is True


def test_a_closed_request_cannot_be_questioned(client, portal_request):
    signed_in_staff(client)
    portal_request.status = DataRequest.Status.REJECTED
    portal_request.save()
    response = _ask(client, portal_request)
    assert any("already" in m for m in messages_of(response))
    portal_request.refresh_from_db()
    assert portal_request.identity_state == ""


def test_staff_mark_the_identity_verified_after_the_answer(client):
    signed_in_staff(client)
    record = PostalRecipientFactory(first_name="Toivo", last_name="Mäkinen")
    client.post(
        f"/en/staff/intake/new/?subject={record.subject.public_id}",
        {
            "channel": "phone",
            "received_on": timezone.localdate().isoformat(),
            "type": "other",
            "identity_check": "not_checked",
            "language": "fi",
        },
    )
    data_request = DataRequest.objects.get()
    assert not data_request.identity_verified
    refused = client.post(url(data_request, "answer"), {"answer": "Here."}, follow=True)
    assert any("verified identity" in m for m in messages_of(refused))
    client.post(url(data_request, "identity/confirm"))
    data_request.refresh_from_db()
    assert data_request.identity_verified
    assert AuditEvent.objects.filter(action="request.other.identity_confirmed").exists()
    client.post(url(data_request, "answer"), {"answer": "Here."})
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
