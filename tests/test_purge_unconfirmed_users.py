from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from tests.factories import BillingCustomerFactory
from tests.signin import request_code, sign_in_by_code

pytestmark = pytest.mark.django_db


def test_only_never_confirmed_code_requests_are_purged(client):
    BillingCustomerFactory(email="confirmed@example.fi")
    sign_in_by_code(client, "confirmed@example.fi")
    request_code(type(client)(), "never@example.fi")
    User.objects.update(date_joined=timezone.now() - timedelta(days=2))
    call_command("purge_unconfirmed_users")
    assert list(User.objects.values_list("username", flat=True)) == ["confirmed@example.fi"]


def test_recent_requests_are_kept(client):
    request_code(client, "recent@example.fi")
    call_command("purge_unconfirmed_users")
    assert User.objects.filter(username="recent@example.fi").exists()
