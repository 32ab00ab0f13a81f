"""Erasure and restriction decided from the staff page: what goes, what the Accounting Act
keeps, the shredded audit details with the chain intact, and restricted records flagged."""

import pytest
from django.db import transaction

from portal.audit import audit_record, audit_verify
from portal.errors import Refusal
from portal.models import (
    AuditEvent,
    BillingCustomer,
    Delivery,
    Invoice,
    NewsletterSubscription,
    Order,
    PostalRecipient,
    WebshopAccount,
)
from portal.registers import REGISTERS
from subject_requests.decisions import decision_text
from subject_requests.models import DataRequest
from subject_requests.services.base import request_submit
from tests.extracts import EMAIL, customer_in_every_register, signed_in_customer
from tests.factories import OrderFactory
from tests.staff_queue_helpers import signed_in_staff, url

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def person(client):
    """A customer in every register who asked for something; staff signed in after."""
    subject, account = customer_in_every_register(orders=3)
    user = signed_in_customer(client)
    client.get("/en/my-data/")  # an earlier audit event with the person's details
    return user, subject, account


def _submit(user, subject, type):
    return request_submit(user=user, type=type, subject=subject, register="", language="en")


def test_erasure_keeps_invoices_and_their_orders_and_deletes_the_rest(
    client, person, django_capture_on_commit_callbacks
):
    user, subject, account = person
    uninvoiced = OrderFactory(account=account, number="T9999")
    with transaction.atomic():
        audit_record(
            action="register.record.changed",
            subject=subject,
            target=account,
            details={"fields": {"email": {"old": EMAIL, "new": EMAIL}}},
        )
    data_request = _submit(user, subject, DataRequest.Type.ERASURE)
    staff = signed_in_staff(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(data_request, "decide"), {"decision": "approve"}, follow=True)
    assert "Decision saved." in _messages(response)

    # Postal and newsletter records are deleted outright.
    assert not PostalRecipient.objects.filter(subject=subject).exists()
    assert not NewsletterSubscription.objects.filter(subject=subject).exists()
    # The Accounting Act keeps the invoices and the orders they belong to.
    account.refresh_from_db()
    assert Invoice.objects.filter(order__account=account).count() == 3
    assert Order.objects.filter(account=account).count() == 3
    assert not Order.objects.filter(pk=uninvoiced.pk).exists()
    assert not Delivery.objects.filter(order__account=account).exists()
    assert account.email == "" and account.password == "" and account.phone == ""
    billing = BillingCustomer.objects.get(subject=subject)
    assert billing.email == "" and billing.payment_terms == ""
    assert WebshopAccount.objects.filter(subject=subject).count() == 1

    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    assert data_request.decided_by == staff
    assert "kept until" in decision_text(data_request)

    # The person's earlier audit events lose their details; the chain still verifies.
    earlier = AuditEvent.objects.filter(subject=subject, action="data.my_data.viewed")
    assert earlier.exists() and all(e.shredded_at is not None for e in earlier)
    assert not AuditEvent.objects.filter(
        subject=subject, shredded_at__isnull=True, details__icontains=EMAIL
    ).exists()
    checked, chain_break = audit_verify()
    assert chain_break is None and checked > 0


def test_the_history_after_erasure_says_details_were_erased(client, person):
    user, subject, _ = person
    data_request = _submit(user, subject, DataRequest.Type.ERASURE)
    signed_in_staff(client)
    client.post(url(data_request, "decide"), {"decision": "approve", "reason": ""})
    html = client.get(url(data_request)).content.decode()
    assert "(details erased with the person" in html
    assert "Completed" in html


def test_erasure_of_an_unverified_request_is_refused(client, person):
    user, subject, account = person
    data_request = _submit(user, subject, DataRequest.Type.ERASURE)
    DataRequest.objects.filter(pk=data_request.pk).update(identity_verified=False)
    signed_in_staff(client)
    response = client.post(url(data_request, "decide"), {"decision": "approve"}, follow=True)
    assert "Only requests from a verified identity can be approved." in _messages(response)
    assert PostalRecipient.objects.filter(subject=subject).exists()


def test_restriction_marks_every_record_and_staff_see_the_flag(client, person):
    user, subject, _ = person
    data_request = _submit(user, subject, DataRequest.Type.RESTRICTION)
    signed_in_staff(client)
    response = client.post(url(data_request, "decide"), {"decision": "approve"}, follow=True)
    assert "Decision saved." in _messages(response)
    for register in REGISTERS:  # the test settings declare a fifth, tests/fifth_register/
        assert register.records_for(subject).get().restricted_at is not None, register.key
    html = response.content.decode()
    assert html.count('class="flag flag-restricted"') == len(REGISTERS)


def test_the_register_admin_shows_and_filters_restricted_records(client, person):
    user, subject, _ = person
    BillingCustomer.objects.filter(subject=subject).update(restricted_at="2026-11-01T10:00Z")
    signed_in_staff(client, role=None, is_superuser=True)
    listing = client.get("/en/staff/admin/portal/billingcustomer/")
    html = listing.content.decode()
    assert "column-restricted" in html and "icon-yes.svg" in html
    restricted = client.get("/en/staff/admin/portal/billingcustomer/?restricted=yes")
    assert restricted.context["cl"].result_count == 1
    other = client.get("/en/staff/admin/portal/billingcustomer/?restricted=no")
    assert other.context["cl"].result_count == 0
    for model in ("postalrecipient", "newslettersubscription", "webshopaccount"):
        page = client.get(f"/en/staff/admin/portal/{model}/?restricted=no")
        assert page.status_code == 200 and "column-restricted" in page.content.decode()


def test_erasure_without_linked_data_cannot_be_approved():
    from subject_requests.models import DataRequest
    from subject_requests.services.base import request_submit
    from subject_requests.services.erasure import erasure_decide
    from tests.factories import UserFactory

    data_request = request_submit(user=UserFactory(), type=DataRequest.Type.ERASURE)
    with pytest.raises(Refusal):
        erasure_decide(request=data_request, staff=UserFactory(is_staff=True), approve=True)
    data_request.refresh_from_db()
    assert data_request.is_open
