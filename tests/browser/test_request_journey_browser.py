"""The whole journey: the customer asks for a correction, the contact person signs in with
password and TOTP and approves it, and the customer sees the new value, the decision and the
email about it."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts import roles
from portal.models import BillingCustomer
from tests.browser.test_my_data_browser import _sign_in
from tests.extracts import customer_in_every_register
from tests.factories import UserFactory
from tests.signin import enrol_totp, totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dev_mail(settings):
    settings.EMAIL_BACKEND = "portal.mail.DevelopmentMailBackend"
    settings.DEV_MAILBOX = True


@pytest.fixture
def contact_person():
    staff = UserFactory(username="katri@example.fi", email="katri@example.fi", is_staff=True)
    staff.groups.add(Group.objects.get(name=roles.CONTACT_PERSON))
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    return staff, enrol_totp(staff)


def test_correction_approved_by_staff_with_totp_reaches_the_customer(
    browser, live_server, page, axe, dev_mail, contact_person
):
    customer_in_every_register(orders=1)
    _sign_in(page, "fi")
    page.goto("/fi/requests/rectification/billing/")
    page.fill("input[name=street_address]", "Uusikatu 7 A 3")
    page.locator("form.rectification-form button[type=submit]").click()
    page.wait_for_url("**/fi/requests/rectification/billing/review/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/fi/requests/")

    staff_context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    staff_page = staff_context.new_page()
    staff_page.goto("/fi/staff/")
    staff_page.wait_for_url("**/fi/accounts/login/**")
    staff_page.fill("input[name=login]", "katri@example.fi")
    staff_page.fill("input[name=password]", "correct-horse-battery-9")
    staff_page.locator("main form button[type=submit]").first.click()
    staff_page.wait_for_url("**/2fa/authenticate/**")
    staff_page.fill("input[name=code]", totp_now(contact_person[1]))
    staff_page.locator("main form button[type=submit]").first.click()
    staff_page.wait_for_url("**/fi/staff/")
    axe.assert_clean(staff_page)
    staff_page.locator("table a[href*='/fi/staff/requests/']").first.click()
    staff_page.wait_for_url("**/fi/staff/requests/**")
    axe.assert_clean(staff_page)
    staff_page.locator("fieldset.change-decision input[value=approve]").check()
    staff_page.locator("form[action$='/rectification/'] button[type=submit]").click()
    staff_page.wait_for_load_state()
    assert BillingCustomer.objects.get().street_address == "Uusikatu 7 A 3"
    staff_context.close()

    page.goto("/fi/my-data/")
    assert page.locator("#register-billing").get_by_text("Uusikatu 7 A 3").count() == 1
    page.goto("/fi/requests/")
    assert page.locator("article.request-card .status-completed").count() >= 1
    page.goto("/dev/mailbox/")
    newest = page.locator(".mail").first.inner_text()
    assert "Uusikatu 7 A 3" in newest
