"""Toivo Mäkinen, known only by his postal address, on his phone (390 px): he claims his data
with his name and address, the contact person prints the letter with the code from the staff
pages, and Toivo enters the code and sees his postal-register entry; axe finds nothing."""

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress

from accounts.models import PostalClaim
from portal.models import DataSubject
from tests.browser.test_consultations_browser import LAPTOP, PHONE, _context
from tests.extracts import pdf_text
from tests.factories import PostalRecipientFactory, UserFactory
from tests.staff_queue_helpers import staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = {"street_address": "Hämeenkatu 21 A 4", "postal_code": "33200", "post_office": "Tampere"}


def _no_sideways_scroll(page):
    scroll, width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= width, f"{page.url} scrolls sideways: {scroll}px in {width}px"


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_toivo_claims_his_postal_data_with_the_letter_code(browser, live_server, axe, lang):
    subject = DataSubject.objects.create(display_name="Toivo Mäkinen")
    PostalRecipientFactory(subject=subject, first_name="Toivo", last_name="Mäkinen", **ADDRESS)
    toivo = UserFactory(username="toivo@example.fi", email="toivo@example.fi")
    EmailAddress.objects.create(user=toivo, email=toivo.email, verified=True, primary=True)

    context, page = _context(browser, live_server, toivo, PHONE, lang)
    page.goto(f"/{lang}/my-data/")
    assert "Hämeenkatu" not in page.content()
    page.locator(f"a[href='/{lang}/my-data/postal-address/']").first.click()
    page.wait_for_url(f"**/{lang}/my-data/postal-address/")
    _no_sideways_scroll(page)
    axe.assert_clean(page)
    page.fill("input[name=first_name]", "Toivo")
    page.fill("input[name=last_name]", "Mäkinen")
    page.fill("input[name=street_address]", "Hämeenkatu 21 A 4")
    page.fill("input[name=postal_code]", "33200")
    page.fill("input[name=post_office]", "Tampere")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/my-data/postal-address/code/")
    assert "Hämeenkatu" not in page.content()  # nothing from the record before the code
    _no_sideways_scroll(page)
    axe.assert_clean(page)
    claim = PostalClaim.objects.get(user=toivo)

    staff = staff_member(first_name="Katri", last_name="Kontakti", username="katri.k")
    staff_context, staff_page = _context(browser, live_server, staff, LAPTOP, lang)
    staff_page.goto(f"/{lang}/staff/")
    staff_page.locator(f"nav.staff-nav a[href='/{lang}/staff/postal-claims/']").click()
    staff_page.wait_for_url(f"**/{lang}/staff/postal-claims/")
    axe.assert_clean(staff_page)
    staff_page.locator(f"a[href='/{lang}/staff/postal-claims/{claim.public_id}/']").click()
    staff_page.wait_for_url(f"**/{lang}/staff/postal-claims/{claim.public_id}/")
    axe.assert_clean(staff_page)
    with staff_page.expect_download() as download:
        staff_page.locator("form[action$='/letter/'] button").click()
    text = pdf_text(Path(download.value.path()).read_bytes()).replace(" ", "")
    assert "Hämeenkatu21A4" in text and "33200Tampere" in text
    code = re.search(r"[A-Z2-9]{5}-[A-Z2-9]{5}", text).group(0)
    staff_context.close()

    page.fill("input[name=code]", code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/my-data/")
    assert "Hämeenkatu 21 A 4" in page.content()
    _no_sideways_scroll(page)
    axe.assert_clean(page)
    context.close()


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_general_objection_from_my_data_on_a_phone(browser, live_server, axe, lang):
    """Art. 21(1): the objection under the billing register on my-data opens its own form;
    sent, the billing record is restricted at once."""
    from tests.staff_queue_helpers import customer

    user, _subject, record = customer(email="ilona@example.fi", name="Ilona Isokoski")
    context, page = _context(browser, live_server, user, PHONE, lang)
    page.goto(f"/{lang}/my-data/")
    page.locator(f"a[href='/{lang}/requests/interest-objection/?register=billing']").click()
    page.wait_for_url(f"**/{lang}/requests/interest-objection/?register=billing")
    assert page.locator("input[name=register][value=billing]").is_checked()
    _no_sideways_scroll(page)
    axe.assert_clean(page)
    page.fill("textarea[name=grounds]", "My credit limit is used against me.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/requests/")
    record.refresh_from_db()
    assert record.restricted_at is not None
    _no_sideways_scroll(page)
    axe.assert_clean(page)
    context.close()
