"""Web-shop customers sign in with their web-shop password; staff with password and TOTP;
five wrong passwords lock a username+IP for an hour (django-axes)."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts import roles
from portal.models import AuditEvent
from tests.factories import UserFactory, WebshopAccountFactory
from tests.signin import PASSWORD_URL, enrol_totp, totp_now

pytestmark = pytest.mark.django_db

PASSWORD = "demo-password-2026"


@pytest.fixture
def shop_account():
    return WebshopAccountFactory(username="liisa.l", email="liisa@example.org", password=PASSWORD)


def _login(client, login, password, **extra):
    return client.post(PASSWORD_URL, {"login": login, "password": password}, **extra)


@pytest.mark.parametrize("login", ["liisa.l", "LIISA.L", "liisa@example.org"])
def test_webshop_customer_signs_in_with_username_or_email(client, shop_account, login):
    response = _login(client, login, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/en/home/"
    page = client.get("/en/my-data/").content.decode()
    assert "1 record about you" in page  # the web-shop account itself


def test_wrong_webshop_password_is_refused_with_a_message(client, shop_account):
    response = _login(client, "liisa.l", "wrong-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_username_gets_the_same_answer_as_a_wrong_password(client, shop_account):
    wrong = _login(client, "liisa.l", "wrong-password").content.decode()
    unknown = _login(client, "nobody.here", "wrong-password").content.decode()
    strip = lambda html: __import__("re").sub(r'value="[^"]*"', "", html)  # noqa: E731
    assert strip(wrong) == strip(unknown)


def test_five_failed_passwords_lock_the_username_with_a_clear_message(client, shop_account):
    for _ in range(4):
        assert _login(client, "liisa.l", "wrong-password").status_code == 200
    locked = _login(client, "liisa.l", "wrong-password")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "locked" in text and "60 minutes" in text
    # Even the right password is refused while the lock lasts.
    assert _login(client, "liisa.l", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()
    assert AuditEvent.objects.filter(action="auth.sign_in.failed").count() >= 5


def test_lockout_is_per_username_and_ip(client, shop_account):
    for _ in range(5):
        _login(client, "liisa.l", "wrong-password")
    other_ip = _login(client, "liisa.l", PASSWORD, REMOTE_ADDR="203.0.113.7")
    assert other_ip.status_code == 302


@pytest.fixture
def staff_user():
    user = UserFactory(username="katri@example.fi", email="katri@example.fi", is_staff=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.groups.add(Group.objects.get(name=roles.CONTACT_PERSON))
    return user


def test_staff_sign_in_asks_for_totp_before_anything_else(client, staff_user):
    secret = enrol_totp(staff_user)
    response = _login(client, "katri@example.fi", "correct-horse-battery-9")
    assert response.status_code == 302 and "/2fa/authenticate/" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert client.get("/en/staff/").status_code == 302
    response = client.post(response["Location"], {"code": totp_now(secret)})
    assert response.status_code == 302
    assert client.get("/en/staff/").status_code == 200


def test_staff_lockout_works_too(client, staff_user):
    for _ in range(5):
        last = _login(client, "katri@example.fi", "wrong-password")
    assert last.status_code == 429


def test_staff_without_mfa_is_sent_to_enrol_and_enrolment_is_audited(
    client, staff_user, django_capture_on_commit_callbacks
):
    assert _login(client, "katri@example.fi", "correct-horse-battery-9").status_code == 302
    for url in ("/en/staff/", "/en/staff/admin/", "/en/staff/admin/portal/billingcustomer/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/en/accounts/2fa/totp/activate/"
    # allauth asks for the password once more before a second factor is added.
    response = client.get("/en/accounts/2fa/totp/activate/")
    assert "/reauthenticate/" in response["Location"]
    client.post(response["Location"], {"password": "correct-horse-battery-9"})
    page = client.get("/en/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    # allauth announces the new authenticator after commit; so does our audit handler.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.mfa.enrolled", actor=staff_user).exists()
    assert client.get("/en/staff/").status_code == 200
