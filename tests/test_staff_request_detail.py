"""One request for staff: the request, requested / current / proposed values, the person's
register data beside it (restricted records flagged), the follow-up, and the history."""

import uuid

import pytest
from django.utils import timezone

from portal.disclosures import postal_disclosure_export
from portal.models import AuditEvent, BillingCustomer
from portal.registers.marketing import NO_DISCLOSURE
from subject_requests.models import DataRequest
from subject_requests.services.base import request_note, request_submit
from subject_requests.services.objection import objection_submit
from tests.factories import PostalRecipientFactory
from tests.staff_queue_helpers import customer, make_request, signed_in_staff, url

pytestmark = pytest.mark.django_db


def _page(client, data_request):
    response = client.get(url(data_request))
    assert response.status_code == 200
    return response.content.decode()


def test_unknown_request_is_404(client):
    signed_in_staff(client)
    assert client.get(f"/en/staff/requests/{uuid.uuid4()}/").status_code == 404


def test_shows_the_request_and_that_the_identity_is_verified(client, rectification):
    data_request, _ = rectification
    signed_in_staff(client)
    html = _page(client, data_request)
    assert "Rectification request" in html
    assert "Aino Asiakas" in html and "aino@example.fi" in html
    assert 'class="flag-ok">yes<' in html
    assert "Identity not verified." not in html


def test_an_unverified_request_says_it_can_only_be_rejected(client):
    data_request = make_request(identity_verified=False)
    signed_in_staff(client)
    html = _page(client, data_request)
    assert "Identity not verified." in html
    assert "Only requests from a verified identity can be approved" in html


def test_changes_show_requested_current_and_proposed_values(client, rectification):
    data_request, record = rectification
    signed_in_staff(client)
    html = _page(client, data_request)
    assert "Value when requested" in html and "Current value" in html
    assert "Testikatu 1" in html and "Uusikatu 5" in html and "040 765 4321" in html
    assert "changed since the request" not in html


def test_a_record_changed_since_the_request_is_flagged(client, rectification):
    data_request, record = rectification
    BillingCustomer.objects.filter(pk=record.pk).update(street_address="Muuttokatu 9")
    signed_in_staff(client)
    response = client.get(url(data_request))
    html = response.content.decode()
    assert "Muuttokatu 9" in html and "changed since the request" in html
    # The current value is what goes back as seen, so staff decide on what they saw.
    form = response.context["rectification_form"]
    seen = {name: field.initial for name, field in form.fields.items() if name.startswith("seen_")}
    assert "Muuttokatu 9" in seen.values()


def test_the_person_s_register_data_is_beside_the_request(client, rectification):
    data_request, record = rectification
    PostalRecipientFactory(subject=record.subject, street_address="Postikatu 77")
    signed_in_staff(client)
    html = _page(client, data_request)
    assert "The person's data in the registers" in html
    assert "Postikatu 77" in html and record.email in html
    assert "No data in this register." in html  # newsletter and web shop
    assert "Restricted" not in html


def test_restricted_records_are_flagged(client, rectification):
    data_request, record = rectification
    BillingCustomer.objects.filter(pk=record.pk).update(restricted_at=timezone.now())
    signed_in_staff(client)
    html = _page(client, data_request)
    assert 'class="flag flag-restricted"' in html
    assert "kept but not used, and never for marketing" in html


def test_an_objection_shows_the_partner_that_received_the_address(client, settings):
    settings.RECIPIENTS = {**settings.RECIPIENTS, "partner": "Kumppani Oy"}
    user, subject, _ = customer()
    PostalRecipientFactory(subject=subject, customer_number="P123")
    postal_disclosure_export(recipient_key="partner", purpose="Kevät")
    data_request = objection_submit(user=user, subjects=[subject], choices={NO_DISCLOSURE})
    signed_in_staff(client)
    html = _page(client, data_request)
    assert "Tell the recipients (Art. 19)" in html
    assert "Kumppani Oy" in html and "Mark told" in html


def test_history_lists_the_request_s_audit_events_and_internal_notes(client):
    user, subject, _ = customer()
    data_request = request_submit(
        user=user,
        type=DataRequest.Type.ERASURE,
        subject=subject,
        register="billing",
        description="Poistakaa tietoni.",
    )
    staff = signed_in_staff(client, first_name="Katri", last_name="Kontakti")
    request_note(request=data_request, staff=staff, note="Soitin asiakkaalle.")
    html = _page(client, data_request)
    history = html[html.index('id="history-title"') :]
    assert "Received" in history
    assert '<li class="history-note">' in history
    assert "Soitin asiakkaalle." in history and "Katri Kontakti" in history
    assert "Poistakaa tietoni." in html


def test_viewing_a_request_is_audited_but_not_in_its_history(client, rectification):
    data_request, record = rectification
    staff = signed_in_staff(client)
    _page(client, data_request)
    event = AuditEvent.objects.get(action="data.staff.viewed")
    assert event.actor_id == staff.pk and event.subject_id == record.subject_id
    assert event.details == {
        "request": str(data_request.public_id),
        "purpose": "request_handling",
        "role": "contact_person",
        "via": "request",
    }
    assert "data.staff.viewed" not in _page(client, data_request)


def test_a_closed_request_offers_only_a_note(client):
    data_request = make_request(status=DataRequest.Status.COMPLETED)
    signed_in_staff(client)
    html = _page(client, data_request)
    assert "This request is closed" in html
    assert "Assign to me" not in html and "Extend the deadline" not in html
    assert "Add the note" in html
