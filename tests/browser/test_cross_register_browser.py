"""Maija on her phone (390 px): she moves house with one correction covering billing, postal
and the web shop, and asks to be forgotten with one erasure request; the contact person
signs in with password and TOTP and decides; every register shows the outcome. No page
scrolls sideways and axe finds nothing (issue #13, items 1 and 10)."""

import os
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts import roles
from portal.models import BillingCustomer, PostalRecipient, WebshopAccount
from subject_requests.models import DataRequest
from tests.extracts import EMAIL
from tests.factories import UserFactory
from tests.signin import enrol_totp, totp_now
from tests.test_cross_register_requests import maija_in_three_registers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
NEW_STREET = "Rantatie 7 A 3"


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


def _fits(page, axe):
    page.wait_for_load_state()
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"{page.url} is {scroll}px wide in {client}px"
    axe.assert_clean(page)
    if folder := os.environ.get("LAYOUT_SCREENSHOTS"):  # for looking, not testing
        Path(folder).mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^a-z0-9]+", "-", page.url.split("/", 3)[-1]).strip("-")
        page.screenshot(path=f"{folder}/journey-{client}-{name}.png", full_page=True)


def _phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _sign_in_by_code(page, axe):
    page.goto("/fi/accounts/login/code/")
    page.fill("input[name=email]", EMAIL)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/confirm/")
    confirm = page.url
    page.goto("/dev/mailbox/")
    code = re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", page.locator(".mail pre").first.inner_text())
    page.goto(confirm)
    page.fill("input[name=code]", code.group(0))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/fi/home/")
    _fits(page, axe)


def _staff_page(browser, live_server, secret):
    context = browser.new_context(base_url=live_server.url, viewport=LAPTOP, locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/fi/staff/")
    page.wait_for_url("**/fi/accounts/login/**")
    page.fill("input[name=login]", "katri@example.fi")
    page.fill("input[name=password]", "correct-horse-battery-9")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/2fa/authenticate/**")
    page.fill("input[name=code]", totp_now(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/fi/staff/")
    return context, page


def test_one_correction_moves_maija_in_every_register(
    browser, live_server, axe, dev_mail, contact_person
):
    maija_in_three_registers()
    context, page = _phone(browser, live_server)
    _sign_in_by_code(page, axe)
    page.locator("a.task[href='/fi/requests/rectification/']").click()
    page.wait_for_url("**/fi/requests/rectification/")
    _fits(page, axe)
    # The address is one field, whichever registers hold it.
    assert page.locator("input[name=street_address]").count() == 1
    assert page.locator("input[name=company_name]").count() == 0  # a private person
    page.fill("input[name=street_address]", NEW_STREET)
    page.fill("input[name=postal_code]", "33100")
    page.fill("input[name=post_office]", "Tampere")
    page.locator("form.rectification-form button[type=submit]").click()
    page.wait_for_url("**/fi/requests/rectification/review/")
    _fits(page, axe)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/fi/requests/*/")
    _fits(page, axe)
    assert DataRequest.objects.count() == 1
    data_request = DataRequest.objects.get()
    assert data_request.changes.count() == 9  # three fields in three registers

    staff_context, staff_page = _staff_page(browser, live_server, contact_person[1])
    staff_page.goto(f"/fi/staff/requests/{data_request.public_id}/")
    _fits(staff_page, axe)
    staff_page.locator("fieldset.change-decision input[value=approve]").first.wait_for()
    for radio in staff_page.locator("fieldset.change-decision input[value=approve]").all():
        radio.check()
    staff_page.locator("form[action$='/rectification/'] button[type=submit]").click()
    staff_page.wait_for_load_state()
    staff_context.close()

    for model in (BillingCustomer, PostalRecipient, WebshopAccount):
        assert model.objects.get().street_address == NEW_STREET
    page.goto("/fi/my-data/")
    _fits(page, axe)
    for key in ("billing", "postal", "webshop"):
        assert page.locator(f"#register-{key}").get_by_text(NEW_STREET).count() == 1
    page.goto(f"/fi/requests/{data_request.public_id}/")
    assert page.locator(".status-completed").count() == 1
    _fits(page, axe)
    context.close()


def test_one_erasure_request_gives_an_outcome_per_register(
    browser, live_server, axe, dev_mail, contact_person
):
    maija_in_three_registers()
    context, page = _phone(browser, live_server)
    _sign_in_by_code(page, axe)
    page.locator("a.task[href='/fi/requests/erasure/']").click()
    page.wait_for_url("**/fi/requests/erasure/")
    _fits(page, axe)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/fi/requests/")
    data_request = DataRequest.objects.get()
    assert data_request.register == ""

    staff_context, staff_page = _staff_page(browser, live_server, contact_person[1])
    staff_page.goto(f"/fi/staff/requests/{data_request.public_id}/")
    _fits(staff_page, axe)
    staff_page.locator("#id_registers_decision_billing_1").check()  # refuse
    staff_page.fill("#id_registers_reason_billing", "Perinnässä oleva lasku.")
    for key in ("postal", "webshop"):
        staff_page.locator(f"#id_registers_decision_{key}_0").check()  # approve
    staff_page.locator("form[action$='/decide-registers/'] button[type=submit]").click()
    staff_page.wait_for_load_state()
    assert staff_page.locator(".outcome-list li").count() == 3
    _fits(staff_page, axe)
    staff_context.close()

    assert not PostalRecipient.objects.exists()
    assert BillingCustomer.objects.get().street_address == "Koivukuja 3 B 12"
    page.goto(f"/fi/requests/{data_request.public_id}/")
    _fits(page, axe)
    outcomes = page.locator(".outcome-list").inner_text()
    assert "Perinnässä oleva lasku." in outcomes
    assert page.locator(".outcome-anonymised").count() == 1  # the web shop keeps vouchers
    assert page.locator(".outcome-erased").count() == 1
    context.close()
