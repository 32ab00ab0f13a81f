"""A customer corrects their street address from the my-data page, reviews the change,
sends it and follows it in My requests; then forbids direct marketing. axe-core checks
every page on the way."""

import re

import pytest

from subject_requests.models import DataRequest
from tests.browser.test_my_data_browser import _sign_in
from tests.extracts import customer_in_every_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dev_mail(settings):
    settings.EMAIL_BACKEND = "portal.mail.DevelopmentMailBackend"
    settings.DEV_MAILBOX = True


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_correct_the_street_address_and_follow_the_request(page, axe, dev_mail, lang):
    customer_in_every_register(orders=1)
    _sign_in(page, lang)

    page.locator(f"#register-billing a[href='/{lang}/requests/rectification/billing/']").click()
    page.wait_for_url(f"**/{lang}/requests/rectification/billing/")
    street = page.locator("input[name=street_address]")
    assert street.input_value() == "Koivukuja 3 B 12"
    axe.assert_clean(page)

    # A wrong postal code first: the message is shown and what was typed stays.
    street.fill("Uusi katu 1")
    page.fill("input[name=postal_code]", "123")
    page.locator("form.rectification-form button[type=submit]").click()
    assert page.locator("input[name=postal_code][aria-invalid=true]").count() == 1
    assert page.locator("input[name=street_address]").input_value() == "Uusi katu 1"
    axe.assert_clean(page)

    page.fill("input[name=postal_code]", "00100")
    page.locator("form.rectification-form button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/requests/rectification/billing/review/")
    rows = page.locator("table.changes tbody tr")
    assert rows.count() == 1
    assert "Koivukuja 3 B 12" in rows.first.inner_text()
    assert "Uusi katu 1" in rows.first.inner_text()
    axe.assert_clean(page)

    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/requests/")
    card = page.locator("article.request-card").first
    assert "Uusi katu 1" in card.inner_text()
    assert page.locator(".message-success").count() == 1
    axe.assert_clean(page)
    data_request = DataRequest.objects.get()
    assert data_request.language == lang
    assert data_request.changes.get().new_value == "Uusi katu 1"

    # The objection takes effect at once.
    page.goto(f"/{lang}/requests/objection/")
    axe.assert_clean(page)
    page.check("input[name=no_postal_marketing]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*/{lang}/requests/[0-9a-f-]{{36}}/$"))
    assert page.locator(".status-completed").count() == 1
    axe.assert_clean(page)

    # The pending correction can be cancelled from My requests.
    page.goto(f"/{lang}/requests/")
    page.locator(f"form[action$='/{data_request.public_id}/cancel/'] button").click()
    page.wait_for_url(f"**/{lang}/requests/")
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.CANCELLED
