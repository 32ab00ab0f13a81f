"""A restriction of processing is lifted only after telling the person (Art. 18(3)): a staff
POST on the request page writes the notice to the outbox in the person's language first,
then clears restricted_at, audited; nothing else clears it (not a GET, not the admin)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from accounts import roles
from outbox.models import OutboxMessage
from portal.models import AuditEvent, BillingCustomer
from portal.registers import REGISTERS
from subject_requests.models import DataRequest
from tests.factories import UserFactory
from tests.signin import enrol_totp
from tests.staff_queue_helpers import customer, make_request, messages_of, signed_in_staff, url

pytestmark = pytest.mark.django_db

REASON = "The disputed credit limit was checked with you by phone and is correct."


@pytest.fixture
def restricted():
    """A customer whose billing record is restricted, with the completed restriction request
    that did it, in Swedish."""
    user, subject, record = customer(email="saga@example.fi", name="Saga Svensson")
    record.restricted_at = timezone.now()
    record.save()
    data_request = make_request(
        type=DataRequest.Type.RESTRICTION,
        status=DataRequest.Status.COMPLETED,
        user=user,
        subject=subject,
        language="sv",
    )
    return data_request, record


def _lift(client, data_request, **data):
    return client.post(
        url(data_request, "lift-restriction"),
        {"register": "billing", "reason": REASON, **data},
        follow=True,
    )


def test_lifting_tells_the_person_first_then_clears_the_restriction(client, restricted):
    data_request, record = restricted
    staff = signed_in_staff(client)
    response = _lift(client, data_request)
    assert "The customer was told by email, and the restriction is lifted." in messages_of(response)
    record.refresh_from_db()
    assert record.restricted_at is None
    notice = OutboxMessage.objects.get(to=["saga@example.fi"])
    (sent,) = mail.outbox
    assert sent.to == ["saga@example.fi"] and REASON in sent.body
    # In the person's language: the Swedish address of the Ombudsman.
    assert "PB 800, 00531 Helsingfors" in sent.body
    lifted = AuditEvent.objects.get(action="register.record.restriction_lifted")
    assert lifted.actor == staff and lifted.details["register"] == "billing"
    assert lifted.details["fields"]["restricted_at"]["new"] is None
    assert notice.created_at <= lifted.created_at  # the notice first
    assert AuditEvent.objects.filter(
        action="request.restriction.restriction_lifted", details__reason=REASON
    ).exists()


def test_nothing_is_lifted_when_the_person_cannot_be_told(client, restricted):
    data_request, record = restricted
    data_request.user.emailaddress_set.all().delete()
    type(data_request.user).objects.filter(pk=data_request.user_id).update(email="")
    signed_in_staff(client)
    response = _lift(client, data_request)
    assert any("cannot be told" in m for m in messages_of(response))
    record.refresh_from_db()
    assert record.restricted_at is not None
    assert not OutboxMessage.objects.exists()
    assert not AuditEvent.objects.filter(action="register.record.restriction_lifted").exists()


def test_a_reason_is_required_and_a_register_without_restriction_is_refused(client, restricted):
    data_request, record = restricted
    signed_in_staff(client)
    response = _lift(client, data_request, reason="  ")
    assert "Give the reason; it is sent to the customer." in messages_of(response)
    response = _lift(client, data_request, register="postal")
    assert any("not restricted" in m for m in messages_of(response))
    response = _lift(client, data_request, register="no-such")
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.restricted_at is not None
    assert not OutboxMessage.objects.exists()


def test_a_get_lifts_nothing(client, restricted):
    data_request, record = restricted
    signed_in_staff(client)
    response = client.get(url(data_request, "lift-restriction"))
    assert response.status_code == 405
    record.refresh_from_db()
    assert record.restricted_at is not None


def test_staff_without_the_queue_role_cannot_lift(client, restricted):
    data_request, record = restricted
    signed_in_staff(client, role=roles.REGISTER_MAINTAINER)
    assert _lift(client, data_request).status_code == 403
    record.refresh_from_db()
    assert record.restricted_at is not None


def test_the_request_page_offers_the_lift_for_a_restricted_register(client, restricted):
    data_request, _record = restricted
    signed_in_staff(client)
    html = client.get(url(data_request)).content.decode()
    assert url(data_request, "lift-restriction") in html
    assert 'name="register" value="billing"' in html


def test_restricted_at_is_read_only_in_the_admin(client):
    for register in REGISTERS:
        model_admin = admin.site._registry[register.model_class]
        request = RequestFactory().get("/")
        assert "restricted_at" in model_admin.get_readonly_fields(request), register.key
    maintainer = UserFactory(is_staff=True)
    maintainer.groups.add(Group.objects.get(name=roles.REGISTER_MAINTAINER))
    enrol_totp(maintainer)
    client.force_login(maintainer)
    _user, _subject, record = customer()
    record.restricted_at = timezone.now()
    record.save()
    page = f"/en/staff/admin/portal/billingcustomer/{record.pk}/change/"
    html = client.get(page).content.decode()
    assert 'name="restricted_at_0"' not in html
    client.post(page, {"restricted_at_0": "", "restricted_at_1": ""})
    assert BillingCustomer.objects.get(pk=record.pk).restricted_at is not None
