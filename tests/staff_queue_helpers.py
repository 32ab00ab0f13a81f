"""Helpers for the staff queue tests: staff with a role and TOTP, customers with requests."""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from subject_requests.models import DataRequest
from tests.factories import BillingCustomerFactory, DataSubjectFactory, UserFactory
from tests.signin import enrol_totp


def staff_member(role=roles.CONTACT_PERSON, **fields):
    """A member of staff in `role` (None for no role) with TOTP enrolled."""
    user = UserFactory(is_staff=True, **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    enrol_totp(user)
    return user


def signed_in_staff(client, role=roles.CONTACT_PERSON, **fields):
    user = staff_member(role, **fields)
    client.force_login(user)
    return user


def customer(email=None, name="Maija Meikäläinen"):
    """A signed-up customer with a verified address, a data subject and a billing record."""
    user = UserFactory(**({"username": email, "email": email} if email else {}))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    subject = DataSubjectFactory(display_name=name)
    record = BillingCustomerFactory(subject=subject, email=user.email)
    return user, subject, record


def make_request(
    *,
    type=DataRequest.Type.ERASURE,
    status=DataRequest.Status.RECEIVED,
    user=None,
    subject=None,
    register="billing",
    due_in=30,
    received_days_ago=0,
    **fields,
):
    """A request straight in the database, with the due date `due_in` days from today."""
    if user is None:
        user, subject, _ = customer()
    today = timezone.localdate()
    fields.setdefault("identity_verified", True)
    return DataRequest.objects.create(
        type=type,
        status=status,
        user=user,
        subject=subject,
        register=register,
        received_at=timezone.now() - datetime.timedelta(days=received_days_ago),
        due_on=today + datetime.timedelta(days=due_in),
        **fields,
    )


def url(data_request, action=""):
    base = f"/en/staff/requests/{data_request.public_id}/"
    return f"{base}{action}/" if action else base


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
