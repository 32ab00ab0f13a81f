"""The newsletter in a real browser: subscribe, confirm from the emailed link, unsubscribe with
one click as a mail client does (RFC 8058) and by the page's button; axe on every page."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from portal import newsletter
from portal.models import NewsletterSubscription
from tests.browser.test_layout_browser import LONG_EMAIL, PHONE, _check
from tests.factories import NewsletterSubscriptionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "lukija@example.fi"


def _submit(page):
    page.locator("main form button[type=submit]").first.click()


def _confirmation_link() -> str:
    [message] = [m for m in mail.outbox if m.to == [EMAIL]]
    return urlsplit(re.search(r"https?://\S+/newsletter/confirm/\S+/", message.body).group(0)).path


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_subscribe_confirm_and_one_click_unsubscribe(page, axe, lang):
    page.goto(f"/{lang}/")
    page.locator(f"footer a[href='/{lang}/newsletter/']").click()
    page.wait_for_url(f"**/{lang}/newsletter/")
    axe.assert_clean(page)
    page.fill("input[name=email]", EMAIL)
    _submit(page)
    page.wait_for_url(f"**/{lang}/newsletter/sent/")
    axe.assert_clean(page)
    assert not NewsletterSubscription.objects.exists()

    page.goto(_confirmation_link())
    axe.assert_clean(page)
    assert EMAIL in page.locator("main").inner_text()
    _submit(page)
    page.wait_for_load_state()
    axe.assert_clean(page)
    subscription = NewsletterSubscription.objects.get(email=EMAIL)
    assert subscription.status == "confirmed"
    assert subscription.consents.get().language == lang

    # The mail client's one click: a POST with no cookie and no CSRF token.
    one_click = urlsplit(newsletter.one_click_url(subscription, lang)).path
    response = page.request.post(one_click, form={"List-Unsubscribe": "One-Click"})
    assert response.status == 200
    subscription.refresh_from_db()
    assert subscription.status == "unsubscribed"

    page.goto(urlsplit(newsletter.unsubscribe_url(subscription, lang)).path)
    assert page.locator("main form").count() == 0  # nothing left to press
    axe.assert_clean(page)

    page.goto(_confirmation_link())  # used already: a clear page
    assert page.locator("h1").count() == 1
    axe.assert_clean(page)


def test_unsubscribe_with_the_pages_button(page, axe):
    subscription = NewsletterSubscriptionFactory(email=EMAIL)
    page.goto(urlsplit(newsletter.unsubscribe_url(subscription, "fi")).path)
    axe.assert_clean(page)
    assert page.locator("main form button").count() == 1
    _submit(page)
    page.wait_for_load_state()
    assert page.locator("main form").count() == 0
    axe.assert_clean(page)
    subscription.refresh_from_db()
    assert subscription.status == "unsubscribed"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_newsletter_pages_fit_a_phone_with_a_long_address(browser, live_server, axe, lang):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale=lang)
    page = context.new_page()
    problems: list[str] = []
    page.goto(f"/{lang}/newsletter/")
    _check(page, axe, problems, "subscribe")
    page.fill("input[name=email]", LONG_EMAIL)
    _submit(page)
    page.wait_for_url(f"**/{lang}/newsletter/sent/")
    _check(page, axe, problems, "sent")
    [message] = mail.outbox
    confirm = urlsplit(re.search(r"https?://\S+/newsletter/confirm/\S+/", message.body).group(0))
    page.goto(confirm.path)
    _check(page, axe, problems, "confirm")
    _submit(page)
    _check(page, axe, problems, "confirmed")
    subscription = NewsletterSubscription.objects.get(email=LONG_EMAIL)
    page.goto(urlsplit(newsletter.unsubscribe_url(subscription, lang)).path)
    _check(page, axe, problems, "unsubscribe")
    _submit(page)
    _check(page, axe, problems, "unsubscribed")
    page.goto(confirm.path)
    _check(page, axe, problems, "used-link")
    context.close()
    assert not problems, "pages scroll sideways:\n" + "\n".join(problems)
