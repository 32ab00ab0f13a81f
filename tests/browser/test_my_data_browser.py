"""A customer signs in, reads their data and downloads the register extract."""

import re

import pytest

from portal.registers import REGISTERS
from tests.extracts import EMAIL, customer_in_every_register, pdf_attachment, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dev_mail(settings):
    settings.EMAIL_BACKEND = "portal.mail.DevelopmentMailBackend"
    settings.DEV_MAILBOX = True


def _sign_in(page, lang):
    page.goto(f"/{lang}/accounts/login/code/")
    page.fill("input[name=email]", EMAIL)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/confirm/")
    confirm = page.url
    page.goto("/dev/mailbox/")
    code = re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", page.locator(".mail pre").first.inner_text())
    page.goto(confirm)
    page.fill("input[name=code]", code.group(0))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/{lang}/home/")  # the front door after signing in
    page.goto(f"/{lang}/my-data/")


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_sign_in_view_my_data_and_download_the_extract(page, axe, dev_mail, lang):
    customer_in_every_register(orders=40)
    _sign_in(page, lang)
    assert page.locator("section.register").count() == len(REGISTERS)
    assert page.locator("text=Koivukuja 3 B 12").count() >= 1
    axe.assert_clean(page)
    page.locator("details.events summary").first.click()  # 40 orders: folded at first
    axe.assert_clean(page)

    with page.expect_download() as download_info:
        page.locator("form[action$='/my-data/extract.pdf'] button").click()
    download = download_info.value
    assert re.fullmatch(r"rekisteriote-RO-[A-Z0-9-]+\.pdf", download.suggested_filename)
    content = open(download.path(), "rb").read()
    assert content.startswith(b"%PDF")
    assert "Koivukuja" in pdf_text(content)
    assert pdf_attachment(content)["language"] == lang


def _age_sign_in(page, seconds):
    """Move the browser session's sign-in time back, as if it were `seconds` old."""
    from importlib import import_module

    from django.conf import settings

    from accounts.middleware import SIGNED_IN_AT

    (cookie,) = [c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME]
    session = import_module(settings.SESSION_ENGINE).SessionStore(cookie["value"])
    session[SIGNED_IN_AT] = session[SIGNED_IN_AT] - seconds
    session.save()


def _mailed_code(page):
    page.goto("/dev/mailbox/")
    text = page.locator(".mail pre").first.inner_text()
    return re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", text).group(0)


def test_after_a_fresh_code_the_json_copy_is_one_button_away(page, axe, dev_mail):
    customer_in_every_register(orders=2)
    _sign_in(page, "en")
    _age_sign_in(page, 16 * 60)
    page.locator("form[action$='/my-data/export.json'] button").click()
    page.wait_for_url("**/accounts/confirm-with-code/**")
    page.locator("main form button[type=submit]").click()  # send me a code
    page.wait_for_selector("input[name=code]")
    fresh = page.url
    code = _mailed_code(page)
    page.goto(fresh)
    page.fill("input[name=code]", code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/my-data/export.json")
    axe.assert_clean(page)
    with page.expect_download() as download_info:
        page.locator("main form button[type=submit]").click()
    download = download_info.value
    assert re.fullmatch(r"tector-data-RO-[A-Z0-9-]+\.json", download.suggested_filename)
    assert b"Koivukuja" in open(download.path(), "rb").read()
