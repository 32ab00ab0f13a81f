"""The contact person signs in with password and TOTP, finds the request in the queue,
approves a correction field by field and rejects another; axe-core checks every page."""

import pytest
from allauth.account.models import EmailAddress

from portal.models import BillingCustomer
from subject_requests.models import DataRequest
from subject_requests.services.rectification import rectification_submit
from tests.signin import totp_now
from tests.staff_queue_helpers import customer, make_request, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-9"  # tests.factories.UserFactory


def _sign_in_staff(page, lang):
    staff = staff_member(username="katri@example.fi", email="katri@example.fi")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    page.goto(f"/{lang}/staff/")
    page.wait_for_url(f"**/{lang}/accounts/login/**")
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/2fa/authenticate/**")
    page.fill("input[name=code]", totp_now("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/{lang}/staff/")
    return staff


def _drawn(locator) -> dict:
    return locator.evaluate(
        "e => { const s = getComputedStyle(e);"
        " return {color: s.color, background: s.backgroundColor}; }"
    )


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_contact_person_approves_a_correction_from_the_queue(page, axe, lang):
    user, subject, record = customer(email="aino@example.fi", name="Aino Asiakas")
    data_request = rectification_submit(
        user=user, record=record, changes={"street_address": "Uusikatu 5"}, language=lang
    )
    make_request(type=DataRequest.Type.OTHER, due_in=-2)  # an overdue one, listed first
    _sign_in_staff(page, lang)

    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator(".due-overdue").count() == 1
    assert rows.nth(1).locator(".due-ok").count() == 1
    # The days left are coloured as the browser draws them: red for overdue, green on track.
    overdue, on_track = (_drawn(rows.nth(n).locator(".due")) for n in (0, 1))
    assert overdue["color"] == "rgb(164, 22, 26)" and on_track["color"] == "rgb(29, 107, 53)"
    assert overdue["background"] != on_track["background"]
    assert "rgba(0, 0, 0, 0)" not in (overdue["background"], on_track["background"])
    axe.assert_clean(page)

    page.locator(f"a[href='/{lang}/staff/requests/{data_request.public_id}/']").click()
    page.wait_for_url(f"**/staff/requests/{data_request.public_id}/")
    assert "Testikatu 1" in page.locator("table.changes").inner_text()
    axe.assert_clean(page)

    page.locator("fieldset.change-decision input[value=approve]").check()
    page.locator("form.staff-decision button[type=submit]").first.click()
    page.wait_for_url(f"**/staff/requests/{data_request.public_id}/")
    assert page.locator(".message-success").count() == 1
    axe.assert_clean(page)
    assert BillingCustomer.objects.get(pk=record.pk).street_address == "Uusikatu 5"
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED


def test_a_rejection_without_a_reason_is_shown_as_an_error(page, axe):
    data_request = make_request(type=DataRequest.Type.OTHER)
    _sign_in_staff(page, "en")
    page.goto(f"/en/staff/requests/{data_request.public_id}/")
    page.get_by_text("Reject the request").click()
    page.get_by_role("button", name="Reject", exact=True).click()
    assert page.locator("textarea[aria-invalid=true]").count() == 1
    axe.assert_clean(page)
    data_request.refresh_from_db()
    assert data_request.is_open
