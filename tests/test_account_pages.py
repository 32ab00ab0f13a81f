"""The account pages speak in the portal's own voice in fi, sv and en: no stock "special
code", no sign-up link while sign-up is closed, no internal `webshop:` usernames; the code
page offers a new code; the password page says whose password it is; staff land on the
queue after their second factor; removing an address asks first (issue #13, item 7)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail

from accounts import roles
from accounts.display import user_display
from tests.factories import UserFactory, WebshopAccountFactory
from tests.signin import CONFIRM_URL, PASSWORD_URL, enrol_totp, last_code, request_code, totp_now

pytestmark = pytest.mark.django_db

LANGS = ["fi", "sv", "en"]
STAFF_PASSWORD = "correct-horse-battery-9"  # tests.factories.UserFactory
SHOP_PASSWORD = "demo-password-2026"
# allauth's own sentences, in each language, that the portal replaces.
STOCK = [
    "special code",
    "erikoiskoodi",
    "speciell kod",
    "sign up",
    "Rekisteröidy",
    "Skapa konto",
    "/accounts/signup/",
    "associated with your account",
    "liitetty tiliisi",
    "knutna till ditt konto",
    "Successfully signed in",
    "Kirjauduttiin sisään käyttäjänä",
]


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _stock_in(page: str) -> list[str]:
    return [phrase for phrase in STOCK if phrase.lower() in page.lower()]


@pytest.fixture
def customer(client):
    user = UserFactory(username="maija@example.fi", email="maija@example.fi")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    EmailAddress.objects.create(user=user, email="koti@example.fi", verified=True)
    EmailAddress.objects.create(user=user, email="uusi@example.fi", verified=False)
    client.force_login(user)
    return user


@pytest.fixture
def katri():
    user = UserFactory(username="katri@example.fi", email="katri@example.fi", is_staff=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.groups.add(Group.objects.get(name=roles.CONTACT_PERSON))
    return user, enrol_totp(user)


@pytest.mark.parametrize("lang", LANGS)
def test_sign_in_pages_have_no_stock_wording_and_no_sign_up_link(client, lang):
    for path in ("accounts/login/code/", "accounts/login/"):
        page = _text(client.get(f"/{lang}/{path}"))
        assert _stock_in(page) == [], path


def test_the_password_page_says_it_is_the_web_shop_or_the_staff_password(client):
    page = _text(client.get(PASSWORD_URL))
    assert "kauppa.tector.fi" in page
    assert "Web-shop password or staff password" in page
    assert "staff password" in page


@pytest.mark.parametrize("lang", LANGS)
def test_account_pages_have_no_stock_wording(client, customer, lang):
    for path in ("accounts/email/", "accounts/sessions/"):
        page = _text(client.get(f"/{lang}/{path}"))
        assert _stock_in(page) == [], path


def test_the_code_page_sends_a_new_code_and_the_old_one_stops_working(client):
    request_code(client, "maija@example.fi")
    first = last_code("maija@example.fi")
    page = _text(client.get(CONFIRM_URL))
    new_code_form = re.search(
        r'<form method="post" action="/en/accounts/logout/">(.*?)</form>', page, re.S
    )
    assert 'name="next" value="/en/accounts/login/code/"' in new_code_form.group(1)
    assert "Send a new code" in new_code_form.group(1)

    back = client.post("/en/accounts/logout/", {"next": "/en/accounts/login/code/"}, follow=True)
    assert back.redirect_chain[-1][0] == "/en/accounts/login/code/"
    assert 'name="email"' in _text(back)
    request_code(client, "maija@example.fi")
    second = last_code("maija@example.fi")
    assert len(mail.outbox) == 2
    client.post(CONFIRM_URL, {"code": first})
    assert "_auth_user_id" not in client.session
    client.post(CONFIRM_URL, {"code": second})
    assert "_auth_user_id" in client.session


def test_a_web_shop_customer_never_sees_the_internal_username(client):
    WebshopAccountFactory(username="liisa.lahtinen", email="", password=SHOP_PASSWORD)
    response = client.post(
        PASSWORD_URL, {"login": "liisa.lahtinen", "password": SHOP_PASSWORD}, follow=True
    )
    page = _text(response)
    assert "You are signed in as liisa.lahtinen." in page
    assert client.session["_auth_user_id"]
    for path in ("/en/my-data/", "/en/accounts/email/", "/en/accounts/sessions/"):
        assert "webshop:" not in _text(client.get(path)), path


def test_a_person_is_named_by_a_confirmed_address_first():
    user = UserFactory(username="webshop:maija.m", email="")
    assert user_display(user) == "maija.m"
    EmailAddress.objects.create(user=user, email="lisatty@example.fi", verified=False)
    assert user_display(user) == "maija.m"
    EmailAddress.objects.create(user=user, email="maija@example.fi", verified=True)
    assert user_display(user) == "maija@example.fi"


def _staff_sign_in(client, katri, url=PASSWORD_URL):
    user, secret = katri
    first = client.post(url, {"login": user.email, "password": STAFF_PASSWORD})
    assert "/2fa/authenticate/" in first["Location"]
    second_step = _text(client.get(first["Location"]))
    assert "Second step of the staff sign-in" in second_step
    assert "authenticator app" in second_step
    return client.post(first["Location"], {"code": totp_now(secret)})


def test_staff_land_on_the_queue_after_their_second_factor(client, katri):
    response = _staff_sign_in(client, katri)
    assert response.status_code == 302 and response["Location"] == "/en/staff/"


def test_staff_sent_to_sign_in_from_a_page_go_back_to_it(client, katri):
    response = _staff_sign_in(client, katri, url=f"{PASSWORD_URL}?next=/en/staff/identity/")
    assert response["Location"] == "/en/staff/identity/"


def test_customers_land_on_the_front_door(client):
    WebshopAccountFactory(username="liisa.lahtinen", password=SHOP_PASSWORD)
    response = client.post(PASSWORD_URL, {"login": "liisa.lahtinen", "password": SHOP_PASSWORD})
    assert response["Location"] == "/en/home/"


def test_the_staff_password_page_says_it_is_the_staff_password(client, katri):
    client.force_login(katri[0])
    page = _text(client.get("/en/accounts/password/change/"))
    assert "Change your staff password" in page


def test_removing_an_address_asks_for_confirmation_first(client, customer):
    page = _text(client.get("/en/accounts/email/"))
    # Every remove button is the second step inside its own disclosure, naming the address.
    remove_buttons = re.findall(r'<button[^>]*name="action_remove"[^>]*>(.*?)</button>', page, re.S)
    disclosures = re.findall(r'<details class="confirm-remove">(.*?)</details>', page, re.S)
    assert len(remove_buttons) == len(disclosures) == 2  # not the main address
    for disclosure in disclosures:
        assert disclosure.count('name="action_remove"') == 1
    outside = re.sub(r'<details class="confirm-remove">.*?</details>', "", page, flags=re.S)
    assert 'name="action_remove"' not in outside
    assert any("Yes, remove koti@example.fi" in d for d in disclosures)

    response = client.post(
        "/en/accounts/email/", {"email": "koti@example.fi", "action_remove": ""}, follow=True
    )
    assert "koti@example.fi is no longer one of your addresses here" in _text(response)
    assert not EmailAddress.objects.filter(email="koti@example.fi").exists()


def test_the_main_address_is_removed_only_after_another_is_made_main(client, customer):
    page = _text(client.get("/en/accounts/email/"))
    assert "maija@example.fi" in page and "first make another confirmed address" in page
    assert "Yes, remove maija@example.fi" not in page
    client.post("/en/accounts/email/", {"email": "koti@example.fi", "action_primary": ""})
    assert EmailAddress.objects.get(email="koti@example.fi").primary
    assert "Yes, remove maija@example.fi" in _text(client.get("/en/accounts/email/"))


def test_the_password_reset_page_is_for_staff_passwords(client):
    page = _text(client.get("/en/accounts/password/reset/"))
    assert "Forgot your staff password?" in page
    assert "Customers have no portal password" in page


def test_staff_set_up_their_authenticator_app_on_a_portal_page(client):
    user = UserFactory(username="uusi@example.fi", email="uusi@example.fi", is_staff=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(PASSWORD_URL, {"login": user.email, "password": STAFF_PASSWORD})
    asked = _text(client.get("/en/accounts/2fa/totp/activate/", follow=True))
    assert "Confirm your staff password" in asked  # allauth asks again before set-up
    response = client.post(
        "/en/accounts/reauthenticate/?next=/en/accounts/2fa/totp/activate/",
        {"password": STAFF_PASSWORD},
        follow=True,
    )
    page = _text(response)
    assert "Set up your authenticator app" in page
    assert re.search(r'<img class="qr" src="data:image/svg\+xml', page)
