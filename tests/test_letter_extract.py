"""Extracts for people who cannot sign in (Art. 15; EDPB Guidelines 01/2022): staff issue the
same PDF register extract, addressed to the postal address on file, as a letter ready to
print, recorded like every other copy (reference, audit trail, answered access request)."""

import datetime

import pytest
from django.utils import timezone

from portal.models import AuditEvent, IssuedExtract
from subject_requests.decisions import decision_text
from subject_requests.models import DataRequest
from tests.extracts import pdf_attachment, pdf_text
from tests.factories import DataSubjectFactory, PostalRecipientFactory
from tests.staff_queue_helpers import messages_of, signed_in_staff, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def toivo():
    """The demo's Toivo Mäkinen: the postal register only, no email, no portal account."""
    record = PostalRecipientFactory(
        first_name="Toivo",
        last_name="Mäkinen",
        customer_number="100103",
        street_address="Hämeenkatu 21 A 4",
        postal_code="33200",
        post_office="Tampere",
        subject=DataSubjectFactory(display_name="Toivo Mäkinen"),
    )
    return record.subject


def _issue(client, subject, **data):
    return client.post(
        f"/en/staff/subjects/{subject.public_id}/extract-letter/",
        {"language": "fi", "channel": "letter", **data},
    )


def _squeezed(text: str) -> str:
    return "".join(text.split())


def test_staff_print_toivos_extract_as_a_letter_to_his_postal_address(client, toivo):
    staff = signed_in_staff(client)
    response = _issue(client, toivo)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    issued = IssuedExtract.objects.get()
    assert issued.user is None and issued.issued_by == staff
    assert list(issued.subjects.all()) == [toivo]
    text = _squeezed(pdf_text(response.content))
    for line in ("Toivo Mäkinen", "Hämeenkatu 21 A 4", "33200 Tampere", issued.reference):
        assert _squeezed(line) in text
    # The extract itself follows the cover, with the JSON inside as in every copy.
    assert pdf_attachment(response.content)["reference"] == issued.reference
    assert "Hämeenkatu 21 A 4" in str(pdf_attachment(response.content))


def test_the_letter_extract_is_recorded_like_every_other_copy(client, toivo):
    staff = signed_in_staff(client)
    _issue(client, toivo, channel="phone")
    issued = IssuedExtract.objects.get()
    access = DataRequest.objects.get(type=DataRequest.Type.ACCESS)
    assert access.status == DataRequest.Status.COMPLETED and access.subject == toivo
    assert access.channel == "phone" and access.registered_by == staff
    assert issued.reference in decision_text(access)
    event = AuditEvent.objects.get(action="data.extract.issued")
    assert event.actor == staff and event.subject == toivo
    assert event.details["reference"] == issued.reference and event.details["by_letter"]
    assert AuditEvent.objects.filter(action="request.access.completed", subject=toivo).exists()


def test_the_letter_is_in_the_language_chosen(client, toivo):
    signed_in_staff(client)
    response = _issue(client, toivo, language="sv")
    assert "Hej," in pdf_text(response.content)


def test_a_registered_access_request_is_answered_by_the_letter_extract(client, toivo):
    signed_in_staff(client)
    received = timezone.localdate() - datetime.timedelta(days=5)
    client.post(
        f"/en/staff/intake/new/?subject={toivo.public_id}",
        {
            "channel": "letter",
            "received_on": received.isoformat(),
            "type": "access",
            "identity_check": "address_on_file",
            "language": "fi",
        },
    )
    access = DataRequest.objects.get()
    page = client.get(url(access)).content.decode()
    assert "Answer with the register extract" in page
    response = _issue(client, toivo, request=str(access.public_id))
    assert response.status_code == 200
    access.refresh_from_db()
    issued = IssuedExtract.objects.get()
    assert access.status == DataRequest.Status.COMPLETED
    assert issued.reference in decision_text(access)
    assert DataRequest.objects.count() == 1  # the registered request, not a second one
    assert timezone.localdate(access.received_at) == received


def test_a_person_without_a_postal_address_gets_no_letter(client):
    signed_in_staff(client)
    nobody = DataSubjectFactory(display_name="Ei Osoitetta")
    response = _issue(client, nobody)
    assert response.status_code == 302
    assert not IssuedExtract.objects.exists() and not DataRequest.objects.exists()
    followed = client.get(response["Location"])
    assert "There is no postal address on file for this person." in messages_of(followed)


def test_an_unknown_person_is_not_found(client):
    signed_in_staff(client)
    nobody = DataSubjectFactory.build()
    assert _issue(client, nobody).status_code == 404


def test_the_demo_letter_request_is_added_once(toivo):
    from portal.demo.requests import _letter_request

    assert _letter_request() == 1
    assert _letter_request() == 0
    (letter,) = DataRequest.objects.filter(subject=toivo)
    assert letter.channel == "letter" and letter.user is None and letter.is_open


def test_a_copy_staff_printed_is_logged_as_made_by_staff_not_by_the_person(client, toivo):
    from accounts.roles import staff_role
    from portal.extract.portal_data import consultations

    staff = signed_in_staff(client)
    _issue(client, toivo)
    (copy,) = [c for c in consultations([toivo.pk]) if c.reference]
    assert copy.by == staff_role(staff)
    assert str(copy.by_text) != "You"
