"""Staff decisions from the request page: assign, per-field approval, conflicts, reject,
extend, manifestly unfounded, notes, and a decision someone else already took."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from portal.models import AuditEvent, BillingCustomer
from subject_requests import deadlines
from subject_requests.models import DataRequest, FieldChange
from subject_requests.services.base import request_reject
from tests.staff_queue_helpers import customer, make_request, signed_in_staff, url

pytestmark = pytest.mark.django_db

Status = DataRequest.Status


@pytest.fixture
def staff(client):
    return signed_in_staff(client)


def _seen(client, data_request) -> dict[str, str]:
    """The hidden current values of the page, as a browser would send them back."""
    html = client.get(url(data_request)).content.decode()
    return dict(re.findall(r'<input type="hidden" name="(seen_\d+)" value="([^"]*)"', html))


def _change(data_request, field) -> FieldChange:
    return data_request.changes.get(field=field)


def _post_fields(client, data_request, decisions, seen=None, **kwargs):
    data = dict(_seen(client, data_request) if seen is None else seen)
    for field, (decision, reason) in decisions.items():
        pk = _change(data_request, field).pk
        data[f"decision_{pk}"] = decision
        data[f"reason_{pk}"] = reason
    return client.post(url(data_request, "rectification"), data, follow=True, **kwargs)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_assign_to_me_puts_the_request_in_review(client, staff):
    data_request = make_request()
    response = client.post(url(data_request, "assign"), follow=True)
    assert "The request is assigned to you." in _messages(response)
    data_request.refresh_from_db()
    assert data_request.assignee == staff and data_request.status == Status.IN_REVIEW
    assert AuditEvent.objects.filter(action="request.erasure.assigned", actor=staff).exists()


def test_actions_accept_only_post(client, staff):
    data_request = make_request()
    assert client.get(url(data_request, "assign")).status_code == 405


# --- Rectification, field by field ----------------------------------------------------------


def test_approved_fields_are_applied_with_old_and_new_values_in_the_audit_trail(
    client, staff, rectification, django_capture_on_commit_callbacks
):
    data_request, record = rectification
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_fields(
            client, data_request, {"street_address": ("approve", ""), "phone": ("approve", "")}
        )
    assert "2 of 2 changes approved and applied" in _messages(response)
    record.refresh_from_db()
    # Phone numbers are stored normalised (portal.fields.PhoneNumberField).
    assert record.street_address == "Uusikatu 5" and record.phone == "+358407654321"
    data_request.refresh_from_db()
    assert data_request.status == Status.COMPLETED and data_request.decided_by == staff
    changed = AuditEvent.objects.filter(action="register.record.changed", actor=staff)
    fields = {k: v for event in changed for k, v in event.details["fields"].items()}
    # The values as stored: the new phone number normalised, as the record holds it.
    assert fields == {
        "street_address": {"old": "Testikatu 1", "new": "Uusikatu 5"},
        "phone": {"old": "+358401234567", "new": "+358407654321"},
    }
    assert all(e.subject_id == record.subject_id for e in changed)
    receipt, message = mail.outbox  # the receipt went when the request was made
    assert receipt.subject.startswith("Tector: we received your request")
    assert message.to == ["aino@example.fi"] and "Uusikatu 5" in message.body


def test_one_approved_one_rejected_is_partly_approved(client, staff, rectification):
    data_request, record = rectification
    _post_fields(
        client,
        data_request,
        {
            "street_address": ("approve", ""),
            "phone": ("reject", "The number is the switchboard's."),
        },
    )
    record.refresh_from_db()
    assert record.street_address == "Uusikatu 5" and record.phone == "+358401234567"
    data_request.refresh_from_db()
    assert data_request.status == Status.PARTLY_APPROVED
    phone = _change(data_request, "phone")
    assert phone.decision == "rejected" and phone.reason == "The number is the switchboard's."


def test_a_rejected_field_needs_a_reason_and_nothing_is_applied(client, staff, rectification):
    data_request, record = rectification
    response = client.post(
        url(data_request, "rectification"),
        {
            **_seen(client, data_request),
            f"decision_{_change(data_request, 'street_address').pk}": "approve",
            f"decision_{_change(data_request, 'phone').pk}": "reject",
        },
    )
    assert response.status_code == 400
    assert "Give a reason for each rejected change." in response.content.decode()
    record.refresh_from_db()
    assert record.street_address == "Testikatu 1"
    assert data_request.changes.filter(decision="pending").count() == 2


def test_every_field_must_be_decided(client, staff, rectification):
    data_request, _ = rectification
    response = client.post(
        url(data_request, "rectification"),
        {
            **_seen(client, data_request),
            f"decision_{_change(data_request, 'phone').pk}": "approve",
        },
    )
    assert response.status_code == 400
    data_request.refresh_from_db()
    assert data_request.is_open


def test_a_record_changed_after_the_page_was_shown_is_not_overwritten(client, staff, rectification):
    data_request, record = rectification
    seen = _seen(client, data_request)
    # Someone edits the record (say, in the admin) while the page is open.
    BillingCustomer.objects.filter(pk=record.pk).update(street_address="Muuttokatu 9")
    response = _post_fields(
        client,
        data_request,
        {"street_address": ("approve", ""), "phone": ("approve", "")},
        seen=seen,
    )
    text = _messages(response)
    assert "The record has changed since the request was made" in text
    assert "Changed: street address. Nothing was applied." in text
    record.refresh_from_db()
    assert record.street_address == "Muuttokatu 9" and record.phone == "+358401234567"
    data_request.refresh_from_db()
    assert data_request.is_open
    assert data_request.changes.filter(decision="pending").count() == 2
    # The page now shows the new current value; deciding again on it works.
    response = _post_fields(
        client, data_request, {"street_address": ("approve", ""), "phone": ("approve", "")}
    )
    record.refresh_from_db()
    assert record.street_address == "Uusikatu 5"


def test_a_record_changed_before_staff_looked_can_be_decided_on_what_they_saw(
    client, staff, rectification
):
    data_request, record = rectification
    BillingCustomer.objects.filter(pk=record.pk).update(phone="09 111 222")
    _post_fields(
        client,
        data_request,
        {"street_address": ("approve", ""), "phone": ("reject", "Already changed by phone.")},
    )
    record.refresh_from_db()
    assert record.street_address == "Uusikatu 5" and record.phone == "+3589111222"


def test_an_unverified_identity_cannot_be_approved(client, staff, rectification):
    data_request, record = rectification
    DataRequest.objects.filter(pk=data_request.pk).update(identity_verified=False)
    response = _post_fields(
        client, data_request, {"street_address": ("approve", ""), "phone": ("approve", "")}
    )
    assert "Only requests from a verified identity can be approved." in _messages(response)
    record.refresh_from_db()
    assert record.street_address == "Testikatu 1"


def test_a_request_someone_else_decided_is_not_changed(client, staff, rectification):
    data_request, record = rectification
    seen = _seen(client, data_request)
    colleague, *_ = customer(email="colleague@example.fi")
    request_reject(request=data_request, staff=colleague, reason="Duplicate request.")
    response = _post_fields(
        client,
        data_request,
        {"street_address": ("approve", ""), "phone": ("approve", "")},
        seen=seen,
    )
    assert "This request was already rejected; nothing was changed." in _messages(response)
    record.refresh_from_db()
    assert record.street_address == "Testikatu 1"
    data_request.refresh_from_db()
    assert data_request.decided_by == colleague and data_request.decision == "Duplicate request."
    for action in ("reject", "extend", "unfounded", "assign"):
        response = client.post(
            url(data_request, action),
            {"reason": "x", "months": "1", "justification": "x"},
            follow=True,
        )
        assert "already rejected; nothing was changed" in _messages(response), action
    data_request.refresh_from_db()
    assert data_request.extended_at is None and data_request.assignee is None


# --- Reject, extend, unfounded, note ------------------------------------------------------


def test_reject_needs_a_reason(client, staff):
    data_request = make_request(type=DataRequest.Type.OTHER)
    response = client.post(url(data_request, "reject"), {"reason": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    data_request.refresh_from_db()
    assert data_request.is_open


def test_reject_closes_the_request_and_tells_the_customer_of_the_right_to_complain(
    client, staff, rectification, django_capture_on_commit_callbacks
):
    data_request, _ = rectification
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(data_request, "reject"), {"reason": "We need the change in writing."}, follow=True
        )
    assert "Decision saved." in _messages(response)
    data_request.refresh_from_db()
    assert data_request.status == Status.REJECTED
    assert data_request.decision == "We need the change in writing."
    assert set(data_request.changes.values_list("decision", flat=True)) == {"rejected"}
    receipt, message = mail.outbox  # the receipt went when the request was made
    assert receipt.subject.startswith("Tector: we received your request")
    assert "We need the change in writing." in message.body
    assert "right to lodge a complaint" in message.body


def test_extend_needs_a_reason_and_a_length(client, staff):
    data_request = make_request()
    response = client.post(url(data_request, "extend"), {"months": "3", "reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice." in html and "This field is required." in html
    data_request.refresh_from_db()
    assert data_request.extended_at is None


def test_extend_moves_the_due_date_and_tells_the_customer(
    client, staff, django_capture_on_commit_callbacks
):
    user, subject, _ = customer(email="aino@example.fi")
    data_request = make_request(user=user, subject=subject, language="en")
    received = timezone.localdate(data_request.received_at)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(data_request, "extend"),
            {"months": "2", "reason": "Records must be fetched from the archive."},
            follow=True,
        )
    assert "The deadline is extended." in _messages(response)
    data_request.refresh_from_db()
    assert data_request.due_on == deadlines.extended_due_date(received, 2)
    assert data_request.extension_reason == "Records must be fetched from the archive."
    assert len(mail.outbox) == 1 and "archive" in mail.outbox[0].body
    # Only once.
    response = client.post(
        url(data_request, "extend"), {"months": "1", "reason": "Again."}, follow=True
    )
    assert "already been extended once" in _messages(response)


def test_extend_is_refused_after_the_first_month(client, staff):
    data_request = make_request(received_days_ago=40, due_in=-9)
    response = client.post(
        url(data_request, "extend"), {"months": "1", "reason": "Too late."}, follow=True
    )
    assert "The first month has passed" in _messages(response)
    data_request.refresh_from_db()
    assert data_request.extended_at is None


def test_extension_form_is_not_offered_after_the_first_month(client, staff):
    data_request = make_request(received_days_ago=40, due_in=-9)
    html = client.get(url(data_request)).content.decode()
    assert "the deadline can no longer be extended" in html
    assert 'action="' + url(data_request, "extend") + '"' not in html


def test_manifestly_unfounded_needs_a_written_justification(client, staff):
    data_request = make_request(type=DataRequest.Type.OTHER)
    response = client.post(url(data_request, "unfounded"), {"justification": ""})
    assert response.status_code == 400
    data_request.refresh_from_db()
    assert data_request.is_open and not data_request.manifestly_unfounded


def test_manifestly_unfounded_rejects_with_the_justification(client, staff):
    data_request = make_request(type=DataRequest.Type.OTHER)
    response = client.post(
        url(data_request, "unfounded"),
        {"justification": "The 14th identical request this week."},
        follow=True,
    )
    assert "manifestly unfounded" in _messages(response)
    data_request.refresh_from_db()
    assert data_request.status == Status.REJECTED and data_request.manifestly_unfounded
    assert data_request.decision == "The 14th identical request this week."
    event = AuditEvent.objects.get(action="request.other.rejected")
    assert event.details["manifestly_unfounded"] is True


def test_an_internal_note_goes_into_the_history(client, staff):
    data_request = make_request()
    response = client.post(url(data_request, "note"), {"note": "Called the customer."}, follow=True)
    assert "Note added." in _messages(response)
    assert "Called the customer." in response.content.decode()
    event = AuditEvent.objects.get(action="request.erasure.note_added")
    assert event.actor_id == staff.pk and event.details == {"note": "Called the customer."}
    assert client.post(url(data_request, "note"), {"note": ""}).status_code == 400


def test_erasure_rejection_needs_a_reason(client, staff):
    data_request = make_request(type=DataRequest.Type.ERASURE)
    response = client.post(url(data_request, "decide"), {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert "Give the reason; it is sent to the customer." in response.content.decode()
    response = client.post(
        url(data_request, "decide"), {"decision": "reject", "reason": "Open invoices."}, follow=True
    )
    data_request.refresh_from_db()
    assert data_request.status == Status.REJECTED and data_request.decision == "Open invoices."


def test_the_decision_form_is_only_for_erasure_and_restriction(client, staff):
    data_request = make_request(type=DataRequest.Type.OTHER)
    response = client.post(url(data_request, "decide"), {"decision": "approve"}, follow=True)
    assert "not decided with this form" in _messages(response)
    data_request.refresh_from_db()
    assert data_request.is_open


def test_free_form_request_is_answered_in_writing(client, django_capture_on_commit_callbacks):
    from django.core import mail
    from django.test import Client

    from subject_requests.models import DataRequest
    from subject_requests.services.base import request_submit
    from tests.extracts import customer_in_every_register, signed_in_customer
    from tests.staff_queue_helpers import signed_in_staff

    subject, _ = customer_in_every_register()
    customer = signed_in_customer(client)
    data_request = request_submit(
        user=customer,
        type=DataRequest.Type.OTHER,
        subject=subject,
        description="Mistä sain tietoni?",
    )
    staff_client = Client()
    signed_in_staff(staff_client)
    url = f"/en/staff/requests/{data_request.public_id}/answer/"
    assert staff_client.post(url, {"answer": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"answer": "Sait ne meiltä tilauksen yhteydessä."})
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    assert "tilauksen yhteydessä" in mail.outbox[-1].body
