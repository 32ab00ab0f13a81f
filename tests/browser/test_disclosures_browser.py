"""The disclosure pages in a browser: who received my data on a phone, the staff ledger page
and a request's Art. 19 follow-ups on a laptop; nothing scrolls sideways and axe finds
nothing."""

import datetime
import time

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts import roles
from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from portal.disclosures import postal_disclosure_export
from portal.registers.marketing import NO_DISCLOSURE
from subject_requests.services.objection import objection_submit
from tests.extracts import EMAIL, customer_in_every_register
from tests.factories import DeliveryFactory, UserFactory
from tests.signin import totp_now
from tests.staff_queue_helpers import staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
PASSWORD = "correct-horse-battery-9"  # tests.factories.UserFactory


def _fits(page, axe):
    page.wait_for_load_state()
    page.evaluate("document.querySelectorAll('details.events').forEach(d => { d.open = true; })")
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"{page.url}: {scroll}px wide in {client}px"
    axe.assert_clean(page)


def _maija_disclosed():
    subject, account = customer_in_every_register(orders=12)
    for order in account.orders.all():
        DeliveryFactory(order=order, method="Matkahuolto, Lähellä-paketti",
                        shipped_at=timezone.now() - datetime.timedelta(days=3))  # fmt: skip
    postal_disclosure_export(recipient_key="partner", purpose="Kevään asiakaskirje")
    user = UserFactory(username=EMAIL, email=EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return subject, user


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_who_received_my_data_fits_a_phone(browser, live_server, axe, lang):
    _subject, user = _maija_disclosed()
    client = Client()
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = time.time()
    session.save()
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale=lang)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key,
          "url": live_server.url}]
    )  # fmt: skip
    page = context.new_page()
    page.goto(f"/{lang}/my-data/")
    assert page.locator("details.disclosures").count() == 2  # postal and the web shop
    assert page.get_by_text(settings.RECIPIENTS["partner"]).first.is_visible()
    _fits(page, axe)
    context.close()


def test_staff_ledger_and_follow_ups_fit_a_laptop(browser, live_server, axe):
    cache.clear()
    subject, user = _maija_disclosed()
    request = objection_submit(user=user, subjects=[subject], choices={NO_DISCLOSURE})
    staff = staff_member(roles.ADMINISTRATOR, username="admin@example.fi", email="admin@example.fi")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    context = browser.new_context(base_url=live_server.url, viewport=LAPTOP, locale="en")
    page = context.new_page()
    page.goto("/en/accounts/login/")
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/2fa/authenticate/**")
    page.fill("input[name=code]", totp_now("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/en/staff/")
    page.goto("/en/staff/disclosures/")
    assert page.get_by_text("Kevään asiakaskirje").is_visible()
    _fits(page, axe)
    page.goto(f"/en/staff/requests/{request.public_id}/")
    assert page.get_by_text("Tell the recipients (Art. 19)").is_visible()
    _fits(page, axe)
    page.locator("form.inline-form input[value=email]").check()
    page.get_by_role("button", name="Mark told").click()
    page.wait_for_load_state()
    assert page.get_by_text("The recipient is marked told.").is_visible()
    _fits(page, axe)
    context.close()
