"""Art. 19 follow-ups: a rectification, erasure, restriction or objection lists exactly the
recipients who received the data concerned (from the ledger and the deliveries), staff mark
each one told (when, how), and the customer is told who they are."""

import datetime
import os

import pytest
from django.core import mail
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from portal.disclosures import disclosure_record, postal_disclosure_export
from portal.models import AuditEvent, Disclosure
from portal.registers.marketing import NO_DISCLOSURE, NO_POSTAL_MARKETING
from subject_requests.models import DataRequest, FollowUp
from subject_requests.services.erasure import erasure_decide, restriction_decide
from subject_requests.services.objection import objection_submit
from subject_requests.services.rectification import rectification_decide, rectification_submit
from tests.factories import (
    DeliveryFactory,
    OrderFactory,
    PostalRecipientFactory,
    WebshopAccountFactory,
)
from tests.fuzz_strategies import HTML, either, fields, urlencoded
from tests.staff_queue_helpers import customer, make_request, signed_in_staff, staff_member, url

pytestmark = pytest.mark.django_db
SHIPPED = timezone.make_aware(datetime.datetime(2026, 2, 3, 10))


@pytest.fixture(autouse=True)
def _names(settings):
    settings.RECIPIENTS = {
        **settings.RECIPIENTS,
        "partner": "Kumppani Oy",
        "posti": "Posti Oy",
        "principal": "Päämies Oy",
    }


@pytest.fixture
def shopper():
    """A customer with a web-shop account: one delivery by Posti, one disclosure of her name
    and invoices to the principal, and a postal entry in a partner export."""
    user, subject, _billing = customer(email="ostaja@example.fi")
    account = WebshopAccountFactory(subject=subject, email=user.email)
    DeliveryFactory(order=OrderFactory(account=account), method="Posti, nouto", shipped_at=SHIPPED)
    disclosure_record(
        actor=None,
        register_key="webshop",
        recipient_key="principal",
        record=account,
        fields=["first_name", "last_name", "invoices"],
        purpose="Takuu",
        disclosed_on=datetime.date(2026, 4, 1),
    )
    PostalRecipientFactory(subject=subject)
    postal_disclosure_export(recipient_key="partner", purpose="Kevät")
    return user, subject, account


def _recipients(request):
    return sorted((f.register, f.recipient) for f in request.follow_ups.all())


def test_objection_to_disclosure_lists_the_partner_that_received_the_address(shopper):
    user, subject, _ = shopper
    request = objection_submit(user=user, subjects=[subject], choices={NO_DISCLOSURE})
    assert _recipients(request) == [("postal", "partner")]
    follow_up = request.follow_ups.get()
    assert follow_up.last_disclosed_on == timezone.localdate()
    assert "street_address" in follow_up.fields
    assert AuditEvent.objects.filter(action="request.objection.follow_ups_listed").exists()


def test_an_objection_without_anyone_to_tell_lists_nobody(shopper):
    user, subject, _ = shopper
    request = objection_submit(user=user, subjects=[subject], choices={NO_POSTAL_MARKETING})
    assert _recipients(request) == []


def test_rectification_of_the_name_lists_carrier_and_principal_not_of_the_email(shopper):
    user, _subject, account = shopper
    staff = signed_in_staff_user()
    name = rectification_submit(user=user, record=account, changes={"last_name": "Uusi"})
    rectification_decide(
        request=name, staff=staff, decisions=_approve_all(name), seen=_seen(name, account)
    )
    assert _recipients(name) == [("webshop", "posti"), ("webshop", "principal")]
    posti = name.follow_ups.get(recipient="posti")
    assert posti.fields == ["last_name"] and posti.last_disclosed_on == datetime.date(2026, 2, 3)
    email = rectification_submit(user=user, record=account, changes={"phone": "0401112222"})
    rectification_decide(
        request=email, staff=staff, decisions=_approve_all(email), seen=_seen(email, account)
    )
    assert _recipients(email) == []  # nobody received the phone number


def test_a_rejected_rectification_lists_nobody(shopper):
    user, _subject, account = shopper
    staff = signed_in_staff_user()
    name = rectification_submit(user=user, record=account, changes={"last_name": "Uusi"})
    decisions = {c.pk: (False, "Ei näyttöä") for c in name.changes.all()}
    rectification_decide(request=name, staff=staff, decisions=decisions, seen={})
    assert _recipients(name) == []


def test_erasure_lists_every_recipient_even_of_the_deliveries_it_deletes(shopper):
    user, subject, _account = shopper
    request = make_request(user=user, subject=subject, register="webshop")
    erasure_decide(request=request, staff=signed_in_staff_user(), approve=True)
    assert _recipients(request) == [("webshop", "posti"), ("webshop", "principal")]
    # The delivery is gone, its disclosure to Posti is kept in the ledger, once.
    kept = Disclosure.objects.get(recipient="posti")
    assert kept.event.startswith("portal.Delivery:") and kept.purpose_code == "delivery"
    assert kept.disclosed_on == datetime.date(2026, 2, 3)


def test_restriction_of_every_register_lists_every_recipient(shopper):
    user, subject, _ = shopper
    request = make_request(
        type=DataRequest.Type.RESTRICTION, user=user, subject=subject, register=""
    )
    restriction_decide(request=request, staff=signed_in_staff_user(), approve=True)
    assert _recipients(request) == [
        ("postal", "partner"),
        ("webshop", "posti"),
        ("webshop", "principal"),
    ]


def test_the_decision_email_and_the_request_page_name_the_recipients(client, shopper):
    user, subject, _ = shopper
    request = make_request(
        type=DataRequest.Type.RESTRICTION, user=user, subject=subject, register="postal"
    )
    mail.outbox.clear()
    restriction_decide(request=request, staff=signed_in_staff_user(), approve=True)
    (message,) = [m for m in mail.outbox if user.email in m.to]
    assert "Kumppani Oy" in message.body and _art19_sentence(request.language) in message.body
    client.force_login(user)
    page = client.get(f"/en/requests/{request.public_id}/").content.decode()
    assert "Kumppani Oy" in page and "not told yet" in page


def test_staff_mark_a_recipient_told_and_the_customer_sees_it(client, shopper):
    user, subject, _ = shopper
    request = objection_submit(user=user, subjects=[subject], choices={NO_DISCLOSURE})
    follow_up = request.follow_ups.get()
    staff = signed_in_staff(client)
    told = url(request, f"follow-ups/{follow_up.pk}/told")
    response = client.post(told, {"told_on": "2026-11-02", "how": "email"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.told_on, follow_up.how, follow_up.told_by) == (
        datetime.date(2026, 11, 2),
        "email",
        staff,
    )
    event = AuditEvent.objects.get(action="request.objection.recipient_told")
    assert event.details["recipient"] == "partner" and event.actor_id == staff.pk
    # Twice is refused and changes nothing.
    client.post(told, {"told_on": "2026-11-03", "how": "letter"})
    follow_up.refresh_from_db()
    assert follow_up.how == "email"
    page = client.get(url(request)).content.decode()
    assert "Told on" in page
    client.force_login(user)
    page = client.get(f"/en/requests/{request.public_id}/").content.decode()
    assert "told on" in page


@pytest.mark.parametrize(
    "data",
    [
        {"told_on": "2999-01-01", "how": "email"},
        {"told_on": "2026-01-01", "how": "pigeon"},
        {"told_on": "not a date", "how": "email"},
        {},
    ],
)
def test_a_bad_told_form_changes_nothing(client, shopper, data):
    user, subject, _ = shopper
    request = objection_submit(user=user, subjects=[subject], choices={NO_DISCLOSURE})
    follow_up = request.follow_ups.get()
    signed_in_staff(client)
    response = client.post(url(request, f"follow-ups/{follow_up.pk}/told"), data)
    assert response.status_code in (302, 400)
    follow_up.refresh_from_db()
    assert follow_up.told_on is None


def test_a_follow_up_of_another_request_is_not_reachable(client, shopper):
    user, subject, _ = shopper
    request = objection_submit(user=user, subjects=[subject], choices={NO_DISCLOSURE})
    other = make_request()
    signed_in_staff(client)
    follow_up = request.follow_ups.get()
    client.post(
        url(other, f"follow-ups/{follow_up.pk}/told"), {"told_on": "2026-01-01", "how": "email"}
    )
    assert FollowUp.objects.get(pk=follow_up.pk).told_on is None


def signed_in_staff_user():
    return staff_member()


def _approve_all(request):
    return {c.pk: (True, "") for c in request.changes.all()}


def _seen(request, record):
    record.refresh_from_db()
    return {c.pk: str(getattr(record, c.field) or "") for c in request.changes.all()}


def test_the_queue_tags_a_request_with_recipients_still_to_tell(client, shopper):
    user, subject, _ = shopper
    request = objection_submit(user=user, subjects=[subject], choices={NO_DISCLOSURE})
    signed_in_staff(client)
    queue = client.get("/en/staff/?status=all").content.decode()
    assert '<span class="tag">follow-up</span>' in queue
    request.follow_ups.update(told_on=timezone.localdate(), how="email")
    queue = client.get("/en/staff/?status=all").content.decode()
    assert '<span class="tag">follow-up</span>' not in queue


FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_fuzz_the_told_form(client, shopper):
    user, subject, _ = shopper
    request = objection_submit(user=user, subjects=[subject], choices={NO_DISCLOSURE})
    follow_up = request.follow_ups.get()
    signed_in_staff(client)
    target = url(request, f"follow-ups/{follow_up.pk}/told")

    @FUZZ
    @given(pairs=fields(told_on=either("2026-11-02"), how=either("email", "letter", "phone")))
    def run(pairs):
        before = FollowUp.objects.get(pk=follow_up.pk).told_on
        response = client.post(
            target, data=urlencoded(pairs), content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code < 500
        body = response.content.decode("utf-8", "replace")
        for piece in HTML:
            if any(piece in value for _name, value in pairs):
                assert piece not in body
        if response.status_code == 400:  # refused: what was recorded before stays
            assert FollowUp.objects.get(pk=follow_up.pk).told_on == before

    run()


def test_the_objection_receipt_names_the_partner_to_be_told(shopper):
    user, subject, _ = shopper
    mail.outbox.clear()
    objection_submit(user=user, subjects=[subject], choices={NO_DISCLOSURE})
    (receipt,) = [m for m in mail.outbox if user.email in m.to]
    assert "Kumppani Oy" in receipt.body and _art19_sentence("fi") in receipt.body


def _art19_sentence(language):
    """The sentence that introduces the recipients, in the person's language."""
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(
            "We tell the recipients who received the data concerned (GDPR Art. 19):"
        )
