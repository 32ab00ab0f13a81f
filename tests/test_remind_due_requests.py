import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts import roles
from subject_requests.models import DataRequest
from tests.factories import DataSubjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request(due_in_days, status=DataRequest.Status.RECEIVED):
    today = timezone.localdate()
    return DataRequest.objects.create(
        type=DataRequest.Type.ERASURE,
        status=status,
        user=UserFactory(),
        subject=DataSubjectFactory(display_name=f"Due in {due_in_days}"),
        received_at=timezone.now(),
        due_on=today + datetime.timedelta(days=due_in_days),
    )


def test_contact_persons_get_the_requests_due_within_five_days():
    staff = UserFactory(is_staff=True, email="katri@example.fi")
    staff.groups.add(Group.objects.get(name=roles.CONTACT_PERSON))
    UserFactory(is_staff=True, email="other-staff@example.fi")  # not a contact person
    _request(-1), _request(3), _request(5), _request(6)
    _request(1, status=DataRequest.Status.COMPLETED)
    call_command("remind_due_requests")
    (message,) = mail.outbox
    assert message.to == ["katri@example.fi"]
    assert "Due in -1" in message.body and "Due in 3" in message.body
    assert "Due in 5" in message.body and "Due in 6" not in message.body
    assert "Due in 1" not in message.body


def test_nothing_is_sent_when_nothing_is_due():
    _request(20)
    call_command("remind_due_requests")
    assert mail.outbox == []
