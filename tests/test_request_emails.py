"""Request emails people can act on: a link back to the request, its reference, the
registers concerned, the contact address and a consistent subject line."""

import pytest
from django.core import mail

from portal.controller import CONTACT_EMAIL
from portal.registers.marketing import UNSUBSCRIBE
from subject_requests.notifications import reference
from subject_requests.services.base import request_extend, request_reject
from subject_requests.services.objection import objection_submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_receipt_links_back_to_the_request_with_its_reference(
    maija, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://tietosuoja.example.fi"
    subject, user = maija
    with django_capture_on_commit_callbacks(execute=True):
        request = objection_submit(
            user=user, subjects=[subject], choices={UNSUBSCRIBE}, language="en"
        )
    message = mail.outbox[-1]
    ref = reference(request)
    assert message.subject.startswith("Tector: ") and message.subject.endswith(f" – {ref}")
    assert f"https://tietosuoja.example.fi/en/requests/{request.public_id}/" in message.body
    assert f"Reference: {ref}" in message.body
    assert "Registers concerned: " in message.body and "Mailing list" in message.body
    assert CONTACT_EMAIL in message.body


def test_the_objection_receipt_says_it_is_in_force_and_gives_no_due_date(
    maija, django_capture_on_commit_callbacks
):
    subject, user = maija
    with django_capture_on_commit_callbacks(execute=True):
        request = objection_submit(
            user=user, subjects=[subject], choices={UNSUBSCRIBE}, language="en"
        )
    body = mail.outbox[-1].body
    assert "in force now" in body
    assert "answer by" not in body and request.due_on.strftime("%-d.%-m.%Y") not in body


def test_the_decision_and_extension_mails_have_the_same_shape(
    rectification, django_capture_on_commit_callbacks
):
    request, _record = rectification
    staff = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        request_extend(request=request, staff=staff, months=2, reason="Many registers.")
        request_reject(request=request, staff=staff, reason="Not ours to change.")
    ref = reference(request)
    for message in mail.outbox[-2:]:
        assert message.subject.startswith("Tector: ") and message.subject.endswith(f" – {ref}")
        assert f"/en/requests/{request.public_id}/" in message.body
        assert CONTACT_EMAIL in message.body
        assert "Registers concerned: " in message.body


def test_the_add_address_mail_speaks_of_the_portal(client, maija):
    client.post("/en/accounts/email/", {"action_add": "", "email": "new@example.fi"})
    message = mail.outbox[-1]
    assert message.subject.startswith("Tector: ") and "privacy portal" in message.subject
    assert "privacy portal" in message.body and "register" not in message.body.lower()
