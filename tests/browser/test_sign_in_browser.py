"""The whole email-code sign-in in a real browser, reading the code from the development
mailbox as a person trying the demo would, ending on the customer's own page."""

import re

import pytest

from tests.factories import BillingCustomerFactory, WebshopAccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "maija.meikalainen@example.fi"


@pytest.fixture
def dev_mail(settings):
    settings.EMAIL_BACKEND = "portal.mail.DevelopmentMailBackend"
    settings.DEV_MAILBOX = True


def _submit(page):
    page.locator("main form button[type=submit]").first.click()


def test_email_code_sign_in_through_the_development_mailbox(page, axe, dev_mail):
    BillingCustomerFactory(email=EMAIL, first_name="Maija", last_name="Meikäläinen")
    page.goto("/fi/")
    page.get_by_role("link", name="Kirjaudu sisään").first.click()
    axe.assert_clean(page)
    page.fill("input[name=email]", EMAIL)
    _submit(page)
    page.wait_for_url("**/accounts/login/code/confirm/")
    axe.assert_clean(page)
    confirm_url = page.url

    page.goto("/dev/mailbox/")
    axe.assert_clean(page)
    body = page.locator(".mail pre").first.inner_text()
    code = re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", body).group(0)

    page.goto(confirm_url)
    page.fill("input[name=code]", code)
    _submit(page)
    page.wait_for_url("**/fi/home/")  # the front door: the tasks, then the open requests
    axe.assert_clean(page)
    page.locator("a.task[href='/fi/my-data/']").click()
    page.wait_for_url("**/fi/my-data/")
    assert "Omat tiedot" in page.locator("h1").inner_text()
    assert page.locator(".found").count() == 1
    axe.assert_clean(page)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_sign_in_pages_pass_axe_in_every_language(page, axe, lang):
    for path in ("accounts/login/code/", "accounts/login/"):
        page.goto(f"/{lang}/{path}")
        assert page.locator("html").get_attribute("lang") == lang
        axe.assert_clean(page)


def test_webshop_password_sign_in(page):
    WebshopAccountFactory(username="liisa.lahtinen", password="demo-password-2026")
    page.goto("/en/accounts/login/")
    page.fill("input[name=login]", "liisa.lahtinen")
    page.fill("input[name=password]", "demo-password-2026")
    _submit(page)
    page.wait_for_url("**/en/home/")
    page.goto("/en/my-data/")
    assert page.locator(".found").count() == 1
