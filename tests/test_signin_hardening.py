"""Sign-in hardening (issue #9, points 5 and 11): one lockout counter per account whatever
spelling of its login is typed; the same work (one password hash) for a known and an unknown
login; portal passwords for staff only; the session cookie ends with the browser."""

import pytest
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test.client import ClientHandler, RequestFactory

from tests.extracts import signed_in_customer
from tests.factories import UserFactory, WebshopAccountFactory
from tests.signin import PASSWORD_URL, sign_in_by_code

pytestmark = pytest.mark.django_db

PASSWORD = "demo-password-2026"
STAFF_PASSWORD = "correct-horse-battery-9"  # tests.factories.UserFactory
RESET_URL = "/en/accounts/password/reset/"


@pytest.fixture
def shop_account():
    return WebshopAccountFactory(username="maija.m", email="maija@example.fi", password=PASSWORD)


@pytest.fixture
def staff_user():
    user = UserFactory(username="katri", email="katri@example.fi", is_staff=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _login(client, login, password):
    return client.post(PASSWORD_URL, {"login": login, "password": password})


def _signed_in(client):
    return "_auth_user_id" in client.session


# --- One counter per account ----------------------------------------------------------------


def test_failures_split_across_username_and_email_lock_the_account(client, shop_account):
    for login in ("maija.m", "maija@example.fi", "MAIJA.M", "maija.m", "Maija@Example.fi"):
        last = _login(client, login, "wrong-password")
    assert last.status_code == 429
    for login in ("maija.m", "maija@example.fi"):
        assert _login(client, login, PASSWORD).status_code == 429
    assert not _signed_in(client)


def test_staff_failures_split_across_username_and_email_lock_the_account(client, staff_user):
    for login in ("katri", "katri@example.fi", "KATRI", "katri@example.fi", "Katri"):
        last = _login(client, login, "wrong-password")
    assert last.status_code == 429
    assert _login(client, "katri@example.fi", STAFF_PASSWORD).status_code == 429


def test_a_unicode_spelling_that_normalises_to_the_username_counts_on_the_same_counter(
    client, shop_account
):
    for _ in range(4):
        _login(client, "maija.m", "wrong-password")
    # Fullwidth letters are the same name after NFKC normalisation: the same counter.
    assert _login(client, "ＭＡＩＪＡ.ｍ", "wrong-password").status_code == 429


def test_a_dotless_i_spelling_does_not_sign_in(client, shop_account):
    # PostgreSQL's case-insensitive match folds ı to I, Python's case folding does not.
    response = _login(client, "maıja.m", PASSWORD)
    assert response.status_code == 200 and not _signed_in(client)


def test_a_normalised_spelling_signs_in_to_the_same_account(client, shop_account):
    assert _login(client, " ｍａｉｊａ.ｍ ", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_signing_in_clears_the_counter_of_every_spelling(client, shop_account):
    for _ in range(4):
        _login(client, "maija@example.fi", "wrong-password")
    assert _login(client, "maija.m", PASSWORD).status_code == 302
    client.post("/en/accounts/logout/")
    for _ in range(4):
        assert _login(client, "maija@example.fi", "wrong-password").status_code == 200


def test_an_address_on_two_web_shop_accounts_signs_in_to_neither(client, shop_account):
    WebshopAccountFactory(username="maija.business", email="maija@example.fi", password=PASSWORD)
    assert _login(client, "maija@example.fi", PASSWORD).status_code == 200
    assert _login(client, "maija.m", PASSWORD).status_code == 302


# --- The same work for every login ---------------------------------------------------------


class CountingHasher(MD5PasswordHasher):
    """The configured (test) hasher, counting every hash it computes."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counted(settings):
    settings.PASSWORD_HASHERS = ["tests.test_signin_hardening.CountingHasher"]
    shop = WebshopAccountFactory(username="liisa.l", email="liisa@example.org", password=PASSWORD)
    staff = UserFactory(username="katri@example.fi", email="katri@example.fi", is_staff=True)
    code_user = UserFactory(username="matti@example.com", email="matti@example.com")
    code_user.set_unusable_password()
    code_user.save()
    EmailAddress.objects.create(user=code_user, email=code_user.email, verified=True)
    # A customer who once set a portal password (no longer possible): it is never checked.
    UserFactory(username="aino@example.fi", email="aino@example.fi")
    return shop, staff


@pytest.mark.parametrize(
    "login,password",
    [
        ("nobody.here", "wrong-password"),
        ("nobody@example.fi", "wrong-password"),
        ("katri@example.fi", "wrong-password"),
        ("katri@example.fi", STAFF_PASSWORD),
        ("liisa.l", "wrong-password"),
        ("liisa@example.org", "wrong-password"),
        ("liisa.l", PASSWORD),
        ("matti@example.com", "wrong-password"),
        ("aino@example.fi", STAFF_PASSWORD),
    ],
)
def test_every_password_attempt_costs_exactly_one_hash(client, counted, login, password):
    CountingHasher.calls = 0
    _login(client, login, password)
    assert CountingHasher.calls == 1


# --- Portal passwords are for staff only ----------------------------------------------------


def test_a_customers_portal_password_never_signs_in(client):
    UserFactory(username="aino@example.fi", email="aino@example.fi")  # has a usable password
    response = _login(client, "aino@example.fi", STAFF_PASSWORD)
    assert response.status_code == 200 and not _signed_in(client)


def _answer_before_close(path, data):
    """The response as the server has it before close(), when its body has gone out."""
    handler = ClientHandler()
    handler.load_middleware()
    request = RequestFactory().post(path, data)
    request._dont_enforce_csrf_checks = True
    return handler.get_response(request)


def _close(response):
    """What the server does once the body is out (keeping the test's database connection)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_password_reset_mails_staff_only_and_after_the_answer(client, staff_user):
    customer = UserFactory(username="aino@example.fi", email="aino@example.fi")
    EmailAddress.objects.create(user=customer, email=customer.email, verified=True)
    answers = {}
    for address in ("aino@example.fi", "nobody@example.fi", "katri@example.fi"):
        response = _answer_before_close(RESET_URL, {"email": address})
        answers[address] = (response.status_code, response["Location"])
        assert mail.outbox == []  # nothing is sent before the answer is
        _close(response)
    assert len(set(answers.values())) == 1
    assert [m.to for m in mail.outbox] == [["katri@example.fi"]]


def test_a_customers_reset_link_is_refused(client):
    customer = UserFactory(username="aino@example.fi", email="aino@example.fi")
    key = f"{user_pk_to_url_str(customer)}-{default_token_generator.make_token(customer)}"
    page = client.get(f"/en/accounts/password/reset/key/{key}/", follow=True)
    assert page.context["token_fail"]
    customer.refresh_from_db()
    assert customer.check_password(STAFF_PASSWORD)


@pytest.mark.parametrize("path", ["/en/accounts/password/set/", "/en/accounts/password/change/"])
def test_customers_have_no_set_or_change_password_page(client, path):
    signed_in_customer(client)
    assert client.get(path).status_code == 404
    assert client.post(path, {"password1": "x" * 20, "password2": "x" * 20}).status_code == 404


def test_staff_keep_their_change_password_page(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/en/accounts/password/change/").status_code != 404


# --- The session cookie ends with the browser session --------------------------------------


def test_the_session_cookie_ends_with_the_browser(client, settings):
    sign_in_by_code(client, "maija@example.fi")
    assert _signed_in(client)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
