"""Who has looked at my data, in a real browser: a member of staff opens Maija's record and
searches for her in the admin; Maija, on her phone, follows the link from my data to the
consultations page and sees both, by role, with axe finding nothing."""

import time

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client

from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from tests.extracts import EMAIL, customer_in_every_register
from tests.factories import UserFactory
from tests.staff_queue_helpers import staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def _context(browser, live_server, user, viewport, lang):
    """A browser context with `user`'s session, signed in a moment ago."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = time.time()
    session.save()
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale=lang)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_staff_look_at_maijas_record_and_she_sees_it(browser, live_server, axe, lang):
    subject, _ = customer_in_every_register(orders=2)
    record = subject.billingcustomer_records.get()
    maija = UserFactory(username=EMAIL, email=EMAIL)
    EmailAddress.objects.create(user=maija, email=EMAIL, verified=True, primary=True)
    staff = staff_member(first_name="Katri", last_name="Kontakti", username="katri.k")

    context, page = _context(browser, live_server, staff, LAPTOP, lang)
    page.goto(f"/{lang}/staff/admin/portal/billingcustomer/{record.pk}/change/")
    assert page.locator("#content").count() == 1  # the record's page itself
    page.goto(f"/{lang}/staff/admin/portal/postalrecipient/?q=Koivukuja")
    assert page.locator("#result_list tbody tr").count() == 1
    context.close()

    context, page = _context(browser, live_server, maija, PHONE, lang)
    page.goto(f"/{lang}/my-data/")
    page.locator("a[href$='/my-data/consultations/']").click()
    page.wait_for_url(f"**/{lang}/my-data/consultations/")
    rows = page.locator("table.consultations tbody tr")
    assert rows.count() == 2
    text = page.locator("table.consultations").inner_text()
    assert "Katri" not in text and "katri.k" not in text
    if lang == "en":
        assert "Your record was shown to staff in a list or search" in rows.nth(0).inner_text()
        assert "Staff opened your record" in rows.nth(1).inner_text()
        assert "Contact person for register matters" in text
    scroll, width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= width, f"the page scrolls sideways: {scroll}px in {width}px"
    axe.assert_clean(page)
    context.close()
