"""Staff second factor (issue #9, point 3): after a right password, wrong TOTP codes are
audited and counted; AXES_FAILURE_LIMIT of them lock the account's second factor for the
cool-off time with a clear page, from any address. Wrong correction-email codes are audited."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from accounts import roles
from portal.models import AuditEvent
from tests.factories import UserFactory
from tests.signin import PASSWORD_URL, enrol_totp, totp_now

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"  # tests.factories.UserFactory


@pytest.fixture
def katri():
    user = UserFactory(username="katri@example.fi", email="katri@example.fi", is_staff=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.groups.add(Group.objects.get(name=roles.CONTACT_PERSON))
    return user, enrol_totp(user)


def _password_step(client, **extra):
    response = client.post(
        PASSWORD_URL, {"login": "katri@example.fi", "password": PASSWORD}, **extra
    )
    assert response.status_code == 302 and "/2fa/authenticate/" in response["Location"]
    return response["Location"]


def _wrong(secret):
    return f"{(int(totp_now(secret)) + 1) % 1_000_000:06d}"


def _failures(reason="wrong_code"):
    events = AuditEvent.objects.filter(action="auth.mfa.failed")
    return [e for e in events if e.details.get("reason") == reason]


def test_wrong_totp_codes_are_audited_and_lock_the_second_factor_with_a_clear_page(
    client, katri, settings
):
    user, secret = katri
    url = _password_step(client)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"code": _wrong(secret)})
        assert response.status_code == 200 and "Incorrect code" in response.content.decode()
    locked = client.post(url, {"code": _wrong(secret)})
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Two-factor sign-in locked" in page and "60 minutes" in page
    # While locked, even the right code is not checked.
    assert client.post(url, {"code": totp_now(secret)}).status_code == 429
    assert "_auth_user_id" not in client.session
    failures = _failures()
    assert len(failures) == settings.AXES_FAILURE_LIMIT
    assert {e.details["user_id"] for e in failures} == {user.pk}
    assert all(e.details["type"] == "totp" and e.details["ip"] for e in failures)
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()


def test_hammering_the_code_form_checks_no_more_codes_than_the_limit(client, katri, settings):
    _, secret = katri
    url = _password_step(client)
    statuses = [client.post(url, {"code": _wrong(secret)}).status_code for _ in range(40)]
    assert statuses.count(200) == settings.AXES_FAILURE_LIMIT - 1
    assert set(statuses[settings.AXES_FAILURE_LIMIT - 1 :]) == {429}
    assert len(_failures()) == settings.AXES_FAILURE_LIMIT
    assert client.post(url, {"code": totp_now(secret)}).status_code == 429


def test_the_lock_is_per_account_whatever_the_address(client, katri, settings):
    _, secret = katri
    url = _password_step(client)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"code": _wrong(secret)})
    other = Client(REMOTE_ADDR="203.0.113.50")
    url = _password_step(other)
    response = other.post(url, {"code": totp_now(secret)})
    assert response.status_code == 429
    assert "_auth_user_id" not in other.session


def test_a_right_code_clears_the_earlier_wrong_ones(client, katri, settings):
    _, secret = katri
    url = _password_step(client)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"code": _wrong(secret)})
    assert client.post(url, {"code": totp_now(secret)}).status_code == 302
    assert client.get("/en/staff/").status_code == 200
    client.post("/en/accounts/logout/")
    url = _password_step(client)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(url, {"code": _wrong(secret)}).status_code == 200


def test_recovery_codes_count_against_the_same_lock(client, katri, settings):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user, secret = katri
    codes = RecoveryCodes.activate(user).get_unused_codes()
    url = _password_step(client)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"code": "not-a-recovery-code"})
    assert client.post(url, {"code": codes[0]}).status_code == 429


def test_login_failed_rate_limit_is_on(settings):
    from allauth.account import app_settings

    assert app_settings.RATE_LIMITS["login_failed"]


# --- Wrong codes for a new email address in a correction -----------------------------------


def test_wrong_correction_email_codes_are_audited(client, maija):
    from tests.test_requests_rectification import FORM, REVIEW, VERIFY, _form_data

    subject, user = maija
    billing = subject.billingcustomer_records.get()
    client.post(FORM, _form_data(billing, email="maija.uusi@example.fi"))
    client.post(REVIEW)
    assert mail.outbox and re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", mail.outbox[-1].body)
    for code in ("AAAA-AAAA", "AAAA-AAAB", "AAAA-AAAC"):
        client.post(VERIFY, {"code": code})
    events = list(AuditEvent.objects.filter(action="request.email_code.failed"))
    assert [e.details["result"] for e in events] == ["wrong", "wrong", "over"]
    assert {e.actor_id for e in events} == {user.pk}
    assert {e.details["email"] for e in events} == {"maija.uusi@example.fi"}
