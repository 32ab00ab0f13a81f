"""Services refuse with one typed exception, portal.errors.Refusal; views show a refusal's
reason and nothing else, so that a real bug is a logged server error, never a message."""

import pytest
from django.test import Client
from django.utils import timezone, translation

from accounts.models import IdentityConflict
from portal.errors import Refusal
from portal.models import AuditEvent
from subject_requests.models import DataRequest
from subject_requests.services.base import RequestClosed, request_extend, request_reject
from tests.factories import UserFactory
from tests.staff_queue_helpers import make_request, messages_of, signed_in_staff, url

pytestmark = pytest.mark.django_db


def test_a_refused_service_call_raises_a_refusal_with_its_reason_and_code():
    data_request = make_request()
    staff = UserFactory(is_staff=True)
    with pytest.raises(Refusal) as refused, translation.override("en"):
        request_reject(request=data_request, staff=staff, reason="  ")
    assert not isinstance(refused.value, ValueError)
    assert str(refused.value) == "Give the reason; it is sent to the customer."
    assert refused.value.code == "refused"
    request_reject(request=data_request, staff=staff, reason="Not ours.")
    with pytest.raises(RequestClosed) as closed:
        request_extend(request=data_request, staff=staff, months=1, reason="Busy.")
    assert isinstance(closed.value, Refusal) and closed.value.code == "request_closed"


def test_a_refusal_shows_its_message_and_changes_nothing(client):
    signed_in_staff(client)
    data_request = make_request(received_days_ago=40)
    response = client.post(
        url(data_request, "extend"), {"months": "1", "reason": "Many requests."}, follow=True
    )
    assert response.status_code == 200
    assert any("The first month has passed" in m for m in messages_of(response))
    data_request.refresh_from_db()
    assert data_request.extended_at is None
    assert not AuditEvent.objects.filter(action="request.erasure.extended").exists()


def test_an_unexpected_error_is_a_server_error_not_a_message():
    """A request whose stored type is not one of the types (say, written by an old script)
    makes the audit trail refuse its event name: a bug to fix, not a reason to tell staff."""
    client = Client(raise_request_exception=False)
    signed_in_staff(client)
    data_request = make_request()
    DataRequest.objects.filter(pk=data_request.pk).update(type="Legacy Type")
    response = client.post(url(data_request, "note"), {"note": "Called the customer."})
    assert response.status_code == 500
    assert not AuditEvent.objects.filter(action__endswith=".note_added").exists()
    client.raise_request_exception = True
    with pytest.raises(ValueError, match="dotted lower-case"):
        client.post(url(data_request, "note"), {"note": "Again."})


def test_a_case_resolved_meanwhile_is_refused_with_its_message(client):
    signed_in_staff(client)
    conflict = IdentityConflict.objects.create(
        kind=IdentityConflict.Kind.CUSTOMER_NUMBER,
        customer_number="100101",
        resolved_at=timezone.now(),
        decision="different_people",
        resolution="Checked by phone.",
    )
    response = client.post(
        f"/en/staff/identity/{conflict.pk}/resolve/",
        {"decision": "same_person", "resolution": "Same."},
        follow=True,
    )
    assert "This case was already resolved. Nothing was changed." in messages_of(response)
    conflict.refresh_from_db()
    assert conflict.decision == "different_people"
