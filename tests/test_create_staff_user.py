"""`manage.py create_staff_user`: the first member of staff on a new installation."""

import io
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command

from accounts import roles
from accounts.models import User
from portal.models import AuditEvent
from tests.signin import PASSWORD_URL, totp_now

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password-2026"


def _create(monkeypatch, *args, password=PASSWORD):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("create_staff_user", *args, "--password-stdin", stdout=out)
    return out.getvalue()


def _password_step(client, email):
    response = client.post(PASSWORD_URL, {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_with_totp_the_printed_secret_signs_in_to_the_staff_queue(client, monkeypatch):
    out = _create(monkeypatch, "Katri@Example.fi", "--role", roles.CONTACT_PERSON, "--totp")
    secret = re.search(r"TOTP secret: ([A-Z2-7]+)", out).group(1)
    assert "otpauth://totp/" in out and f"secret={secret}" in out
    user = User.objects.get(username="katri@example.fi")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [roles.CONTACT_PERSON]
    assert EmailAddress.objects.get(user=user).verified
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()

    response = _password_step(client, "katri@example.fi")
    assert "/2fa/authenticate/" in response["Location"]
    client.post(response["Location"], {"code": totp_now(secret)})
    assert client.get("/en/staff/").status_code == 200
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"staff.user.created", "auth.mfa.enrolled"} <= actions


def test_without_totp_they_enrol_at_first_sign_in(client, monkeypatch):
    out = _create(monkeypatch, "it@example.fi", "--role", roles.ADMINISTRATOR)
    assert "TOTP secret" not in out
    _password_step(client, "it@example.fi")
    response = client.get("/en/staff/")
    assert response["Location"] == "/en/accounts/2fa/totp/activate/"


def test_refuses_a_weak_password_an_existing_account_and_a_bad_address(monkeypatch):
    with pytest.raises(CommandError, match="too short"):
        _create(monkeypatch, "a@example.fi", "--role", roles.ADMINISTRATOR, password="short")
    _create(monkeypatch, "a@example.fi", "--role", roles.ADMINISTRATOR)
    with pytest.raises(CommandError, match="already has an account"):
        _create(monkeypatch, "A@EXAMPLE.FI", "--role", roles.CONTACT_PERSON)
    with pytest.raises(CommandError, match="Not an email address"):
        _create(monkeypatch, "not-an-address", "--role", roles.ADMINISTRATOR)
    assert User.objects.count() == 1
