"""Staff intake (Art. 12(2)-(3)): a request received by letter, email, phone or in person
is registered by the contact person, with the day it arrived. The deadline counts from that
day; it enters the same queue, decisions and audit trail; answers go by email when an address
was given, otherwise as a letter to print. It is never shown in the portal, not even to a
person who signs in later and is linked to the same records."""

import datetime
import io

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from portal.models import AuditEvent
from subject_requests import deadlines
from subject_requests.models import DataRequest, FieldChange
from tests.factories import PostalRecipientFactory
from tests.staff_queue_helpers import customer, messages_of, signed_in_staff, url

pytestmark = pytest.mark.django_db

INTAKE = "/en/staff/intake/new/"


def _form(**changes):
    data = {
        "channel": "letter",
        "received_on": (timezone.localdate() - datetime.timedelta(days=10)).isoformat(),
        "type": "erasure",
        "register": "",
        "description": "Please erase everything you hold about me.",
        "identity_check": "address_on_file",
        "identity_note": "Signed letter from the address in the postal register.",
        "language": "fi",
    }
    data.update(changes)
    return data


def _register(client, subject=None, query="", **changes):
    target = INTAKE + (f"?subject={subject.public_id}" if subject else "") + query
    return client.post(target, _form(**changes), follow=True)


@pytest.fixture
def toivo():
    record = PostalRecipientFactory(
        first_name="Toivo",
        last_name="Mäkinen",
        street_address="Hämeenkatu 21 A 4",
        postal_code="33200",
        post_office="Tampere",
    )
    record.subject.display_name = "Toivo Mäkinen"
    record.subject.save()
    return record.subject


def _pdf_text(content: bytes) -> str:
    """The text of the PDF without spaces (the extraction splits kerned pairs: "T oivo")."""
    pages = PdfReader(io.BytesIO(content)).pages
    return "".join("".join(page.extract_text().split()) for page in pages)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def test_a_letter_requests_deadline_counts_from_the_day_it_was_received(client, toivo):
    staff = signed_in_staff(client)
    response = _register(client, toivo)
    assert "The request is registered and in the queue." in messages_of(response)
    data_request = DataRequest.objects.get()
    received = timezone.localdate() - datetime.timedelta(days=10)
    assert timezone.localdate(data_request.received_at) == received
    assert data_request.due_on == deadlines.due_date(received)
    assert data_request.user is None and data_request.registered_by == staff
    assert data_request.channel == "letter" and data_request.subject == toivo
    assert data_request.identity_verified and data_request.identity_check == "address_on_file"
    event = AuditEvent.objects.get(action="request.erasure.received")
    assert event.actor == staff and event.subject == toivo
    assert event.details["channel"] == "letter"
    assert event.details["received_on"] == received.isoformat()


def test_a_received_date_in_the_future_is_refused(client, toivo):
    signed_in_staff(client)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _register(client, toivo, received_on=tomorrow.isoformat())
    assert response.status_code == 400
    assert "The date received cannot be in the future." in response.content.decode()
    assert not DataRequest.objects.exists()


def test_a_request_received_long_ago_is_already_overdue(client, toivo):
    signed_in_staff(client)
    received = timezone.localdate() - datetime.timedelta(days=70)
    _register(client, toivo, received_on=received.isoformat())
    data_request = DataRequest.objects.get()
    assert data_request.due_on == deadlines.due_date(received)
    assert data_request.due_on < timezone.localdate()


def test_intake_requests_appear_in_the_queue_with_their_due_date(client, toivo):
    signed_in_staff(client)
    _register(client, toivo)
    data_request = DataRequest.objects.get()
    queue = client.get("/en/staff/").content.decode()
    assert str(data_request.public_id) in queue
    page = client.get(url(data_request)).content.decode()
    assert "Letter" in page and "Hämeenkatu 21 A 4" in page


def test_a_request_without_an_address_is_answered_by_letter_printed_by_staff(client, toivo):
    signed_in_staff(client)
    _register(client, toivo, language="sv")
    assert mail.outbox == []
    data_request = DataRequest.objects.get()
    response = client.get(url(data_request) + "letter.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for line in ("Toivo Mäkinen", "Hämeenkatu 21 A 4", "33200 Tampere", "Hej,"):
        assert _squeeze(line) in text
    assert "http" not in text  # no portal link: the request is not shown there


def test_an_email_given_at_intake_gets_the_answers_by_email(client, toivo):
    signed_in_staff(client)
    _register(client, toivo, channel="email", reply_email="toivo@example.fi")
    (sent,) = mail.outbox
    assert sent.to == ["toivo@example.fi"]
    assert "See your request in the privacy portal" not in sent.body
    data_request = DataRequest.objects.get()
    client.post(url(data_request, "reject"), {"reason": "We hold nothing we may erase."})
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["toivo@example.fi"]


def test_worked_to_a_decision_the_letter_gives_the_decision(client, toivo):
    signed_in_staff(client)
    _register(client, toivo, type="other", description="What do you do with my address?")
    data_request = DataRequest.objects.get()
    response = client.post(
        url(data_request, "answer"), {"answer": "We send you the spring catalogue."}, follow=True
    )
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    text = _pdf_text(client.get(url(data_request) + "letter.pdf").content)
    assert _squeeze("We send you the spring catalogue.") in text
    assert response.status_code == 200


def test_a_correction_by_letter_carries_its_field_changes(client):
    signed_in_staff(client)
    _user, subject, record = customer(name="Saga Svensson")
    query = f"&record=billing:{record.pk}"
    response = _register(
        client,
        subject,
        query,
        type="rectification",
        **{
            "fix-street_address": "Uusi katu 5",
            "fix-first_name": record.first_name,
            "fix-last_name": record.last_name,
            "fix-postal_code": record.postal_code,
            "fix-post_office": record.post_office,
            "fix-email": record.email,
            "fix-phone": record.phone,
        },
    )
    assert response.status_code == 200, response.content.decode()[:3000]
    data_request = DataRequest.objects.get()
    change = FieldChange.objects.get(request=data_request)
    assert (change.field, change.new_value) == ("street_address", "Uusi katu 5")
    assert data_request.register == "billing"


def test_a_record_of_another_person_is_not_found(client, toivo):
    signed_in_staff(client)
    _user, _subject, record = customer()
    response = client.get(f"{INTAKE}?subject={toivo.public_id}&record=billing:{record.pk}")
    assert response.status_code == 404
    assert client.get(f"{INTAKE}?subject=not-a-uuid").status_code == 404


def test_a_person_linked_later_does_not_see_the_request_in_the_portal(client, toivo):
    """The letter may not have been theirs to read: it stays staff-side."""
    staff_client = client
    signed_in_staff(staff_client)
    user, subject, _record = customer(email="saga@example.fi", name="Saga Svensson")
    _register(staff_client, subject)
    data_request = DataRequest.objects.get()
    staff_client.logout()
    staff_client.force_login(user)
    assert staff_client.get(f"/en/requests/{data_request.public_id}/").status_code == 404
    assert str(data_request.public_id) not in staff_client.get("/en/requests/").content.decode()
    answer = staff_client.post(
        f"/en/requests/{data_request.public_id}/identity/", {"answer": "It was me."}
    )
    assert answer.status_code == 404


def test_a_request_without_a_person_is_linked_later(client, toivo):
    signed_in_staff(client)
    _register(client, contact_name="T. Mäkinen", contact_address="Hämeenkatu 21 A 4\n33200 Tampere")
    data_request = DataRequest.objects.get()
    assert data_request.subject is None
    queue = client.get("/en/staff/").content.decode()
    assert str(data_request.public_id) in queue and "T. Mäkinen" in queue
    found = client.get(f"/en/staff/intake/?q=Mäkinen&link={data_request.public_id}")
    assert "Link to the request" in found.content.decode()
    client.post(url(data_request, "link-subject"), {"subject": str(toivo.public_id)})
    data_request.refresh_from_db()
    assert data_request.subject == toivo
    assert AuditEvent.objects.filter(action="request.erasure.subject_linked").exists()


def test_search_finds_people_by_customer_number_name_and_email(client, toivo):
    signed_in_staff(client)
    _user, subject, record = customer(email="saga@example.fi", name="Saga Svensson")
    for query in (record.customer_number, "svens", "SAGA@example.fi"):
        page = client.get("/en/staff/intake/", {"q": query}).content.decode()
        assert "Saga Svensson" in page, query
    assert "Toivo" not in client.get("/en/staff/intake/", {"q": "svens"}).content.decode()
    # Each person listed is recorded as shown to staff (the consultation log, C-579/21).
    listed = AuditEvent.objects.filter(subject=subject, details__via="list")
    assert listed.count() == 4


def test_a_confirmed_portal_address_on_the_persons_records_gets_the_answers(client):
    signed_in_staff(client)
    _user, subject, _record = customer(email="saga@example.fi", name="Saga Svensson")
    _register(client, subject)
    (sent,) = mail.outbox
    assert sent.to == ["saga@example.fi"]
    assert "See your request in the privacy portal" not in sent.body


def test_staff_are_reminded_to_print_the_letter_after_a_decision(client, toivo):
    signed_in_staff(client)
    _register(client, toivo)
    data_request = DataRequest.objects.get()
    response = client.post(url(data_request, "reject"), {"reason": "Nothing held."}, follow=True)
    assert any("print the letter on this page" in m for m in messages_of(response))


def test_a_restriction_by_letter_without_email_is_not_lifted_untold(client, toivo):
    """Art. 18(3): no address to tell the person first, so nothing changes (no server error)."""
    signed_in_staff(client)
    _register(client, toivo, type="restriction", register="postal")
    data_request = DataRequest.objects.get()
    client.post(url(data_request, "decide"), {"decision": "approve", "reason": ""})
    record = toivo.postalrecipient_records.get()
    assert record.restricted_at is not None
    response = client.post(
        url(data_request, "lift-restriction"),
        {"register": "postal", "reason": "Checked."},
        follow=True,
    )
    record.refresh_from_db()
    assert record.restricted_at is not None
    assert any("no email address" in m for m in messages_of(response))


def test_the_due_reminder_names_a_request_without_a_person(client):
    from subject_requests.reminders import reminders_send

    staff = signed_in_staff(client, email="katri@example.fi")
    _register(client, contact_name="T. Mäkinen")
    mail.outbox.clear()
    reminders_send(days=40)
    (sent,) = [m for m in mail.outbox if m.to == [staff.email]]
    assert "T. Mäkinen" in sent.body and "None" not in sent.body


def test_an_erasure_by_letter_is_decided_register_by_register(client, toivo):
    signed_in_staff(client)
    _register(client, toivo)
    data_request = DataRequest.objects.get()
    response = client.post(
        url(data_request, "decide-registers"),
        {"decision_postal": "approve", "reason_postal": "", "reason": ""},
        follow=True,
    )
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED, messages_of(response)
    assert not toivo.postalrecipient_records.exists()
    assert any("print the letter on this page" in m for m in messages_of(response))
    # The decision letter still has the address: it was kept with the request at intake.
    letter = client.get(url(data_request) + "letter.pdf")
    assert letter["Content-Type"] == "application/pdf"
    assert _squeeze("Hämeenkatu 21 A 4") in _pdf_text(letter.content)
