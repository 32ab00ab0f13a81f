"""The general right to object (Art. 21(1), 21(4)) to processing based on legitimate
interest: its own request type, declared per register, shown separately in the notice and on
my-data; filing it restricts the records at once (Art. 18(1)(d)); staff uphold it (the
processing stops) or refuse it with a written assessment, and then the restriction ends."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from portal.models import AuditEvent, BillingCustomer
from portal.registers import REGISTERS
from portal.registers.interests import objectionable
from subject_requests.models import DataRequest
from tests.staff_queue_helpers import customer, messages_of, signed_in_staff, url

pytestmark = pytest.mark.django_db

GROUNDS = "My credit limit is used to decide things about me I cannot check."
ASSESSMENT = "Credit sales to you carry a risk we must manage; the limit protects both sides."


@pytest.fixture(autouse=True)
def _english():
    """English pages (/en/...), so the texts checked here stay English when translated."""
    with translation.override("en"):
        yield


@pytest.fixture
def ilona(client):
    user, subject, record = customer(email="ilona@example.fi", name="Ilona Isokoski")
    record.payment_terms = "14 days net"
    record.credit_limit = Decimal("5000.00")
    record.save()
    client.force_login(user)
    return user, subject, record


def _object(client):
    return client.post(
        reverse("request_interest_objection"),
        {"register": "billing", "grounds": GROUNDS, "submission": "k" * 20},
        follow=True,
    )


def test_billing_declares_credit_risk_management_as_legitimate_interest():
    (billing,) = objectionable(REGISTERS)
    assert billing.key == "billing"
    (interest,) = billing.legitimate_interests
    assert interest.fields == ("payment_terms", "credit_limit")
    assert interest.cleared_values(billing) == {"payment_terms": "", "credit_limit": None}


def test_the_objection_restricts_processing_at_once(client, ilona):
    user, subject, record = ilona
    response = _object(client)
    assert response.status_code == 200
    data_request = DataRequest.objects.get(user=user)
    assert data_request.type == DataRequest.Type.INTEREST_OBJECTION
    assert data_request.register == "billing" and data_request.description == GROUNDS
    assert data_request.is_open
    record.refresh_from_db()
    assert record.restricted_at == data_request.received_at
    (receipt,) = mail.outbox
    assert "the processing of your data in the register is restricted" in receipt.body
    assert AuditEvent.objects.filter(action="register.record.restricted").exists()
    # Sent twice: one request.
    _object(client)
    assert DataRequest.objects.filter(user=user).count() == 1


def test_upheld_objection_stops_the_processing_and_ends_the_restriction(client, ilona):
    user, subject, record = ilona
    _object(client)
    data_request = DataRequest.objects.get(user=user)
    mail.outbox.clear()
    signed_in_staff(client)
    page = client.get(url(data_request)).content.decode()
    assert "Assessment of compelling legitimate grounds" in page
    response = client.post(
        url(data_request, "interest-decision"), {"decision": "uphold"}, follow=True
    )
    assert "Decision saved. The customer is told by email." in messages_of(response)
    data_request.refresh_from_db()
    record.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    assert record.payment_terms == "" and record.credit_limit is None
    assert record.restricted_at is None
    (sent,) = mail.outbox
    assert "Your objection was upheld" in sent.body


def test_refusal_needs_the_assessment(client, ilona):
    user, subject, record = ilona
    _object(client)
    data_request = DataRequest.objects.get(user=user)
    signed_in_staff(client)
    response = client.post(url(data_request, "interest-decision"), {"decision": "refuse"})
    assert response.status_code == 400
    data_request.refresh_from_db()
    record.refresh_from_db()
    assert data_request.is_open and record.restricted_at is not None


def test_refused_objection_tells_the_remedies_then_lifts_the_restriction(client, ilona):
    user, subject, record = ilona
    _object(client)
    data_request = DataRequest.objects.get(user=user)
    mail.outbox.clear()
    signed_in_staff(client)
    client.post(
        url(data_request, "interest-decision"),
        {"decision": "refuse", "assessment": ASSESSMENT},
    )
    data_request.refresh_from_db()
    record.refresh_from_db()
    assert data_request.status == DataRequest.Status.REJECTED
    assert record.credit_limit == Decimal("5000.00") and record.payment_terms == "14 days net"
    assert record.restricted_at is None
    (sent,) = mail.outbox
    assert ASSESSMENT in sent.body
    assert "Ombudsman" in sent.body


def test_a_restriction_requested_separately_stays(client, ilona):
    user, subject, record = ilona
    _object(client)
    objection = DataRequest.objects.get(user=user)
    DataRequest.objects.create(
        type=DataRequest.Type.RESTRICTION,
        status=DataRequest.Status.COMPLETED,
        user=user,
        subject=subject,
        register="billing",
        received_at=objection.received_at,
        due_on=objection.due_on,
    )
    signed_in_staff(client)
    client.post(url(objection, "interest-decision"), {"decision": "refuse", "assessment": "x"})
    record.refresh_from_db()
    assert record.restricted_at is not None


def test_shown_separately_in_the_notice(client):
    html = client.get(reverse("privacy_notice")).content.decode()
    assert 'id="objection"' in html
    assert "Your right to object to processing based on our legitimate interest" in html
    assert "Managing credit risk: your payment terms and credit limit" in html


def test_shown_on_my_data_and_the_front_door(client, ilona):
    html = client.get(reverse("my_data")).content.decode()
    link = f'{reverse("request_interest_objection")}?register=billing'
    assert link in html
    assert "Managing credit risk: your payment terms and credit limit" in html
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("request_interest_objection")}"' in home


def test_without_data_there_is_nothing_to_object_to(client):
    user, subject, record = customer(email="tyhja@example.fi")
    record.delete()
    client.force_login(user)
    response = client.post(
        reverse("request_interest_objection"), {"register": "billing", "grounds": GROUNDS}
    )
    assert response.status_code == 200
    assert not DataRequest.objects.filter(user=user).exists()
    assert BillingCustomer.objects.filter(subject=subject).count() == 0


def test_withdrawing_the_objection_ends_its_restriction(client, ilona):
    user, subject, record = ilona
    _object(client)
    data_request = DataRequest.objects.get(user=user)
    page = client.get(reverse("request_detail", args=[data_request.public_id])).content.decode()
    assert "the restriction of processing it started ends at once" in page
    client.post(reverse("request_cancel", args=[data_request.public_id]))
    data_request.refresh_from_db()
    record.refresh_from_db()
    assert data_request.status == DataRequest.Status.CANCELLED
    assert record.restricted_at is None and record.credit_limit == Decimal("5000.00")


def test_an_objection_rejected_as_manifestly_unfounded_ends_its_restriction(client, ilona):
    user, subject, record = ilona
    _object(client)
    data_request = DataRequest.objects.get(user=user)
    signed_in_staff(client)
    client.post(url(data_request, "unfounded"), {"justification": "The tenth this week."})
    data_request.refresh_from_db()
    record.refresh_from_db()
    assert data_request.status == DataRequest.Status.REJECTED
    assert data_request.manifestly_unfounded
    assert record.restricted_at is None


def test_an_objection_registered_by_staff_from_a_letter_restricts_at_once():
    import datetime

    from subject_requests.services.intake import intake_register
    from tests.staff_queue_helpers import staff_member

    _user, subject, record = customer(email="kirje@example.fi", name="Kalle Kirje")
    data_request = intake_register(
        staff=staff_member(),
        channel=DataRequest.Channel.LETTER,
        received_on=timezone.localdate() - datetime.timedelta(days=3),
        type=DataRequest.Type.INTEREST_OBJECTION,
        identity_check=DataRequest.IdentityCheck.ADDRESS_ON_FILE,
        subject=subject,
        register="billing",
        description=GROUNDS,
        contact_name="Kalle Kirje",
        contact_address="Postikatu 2, 00200 Helsinki",
    )
    record.refresh_from_db()
    assert record.restricted_at == data_request.received_at
