"""Staff in the browser (issue #12, items 6 and 9): the contact person lifts a restriction
from the request page, the customer told first; the record of processing activities opens
from the staff navigation and offers its downloads; axe finds nothing on either page."""

import pytest
from django.core import mail
from django.utils import timezone

from subject_requests.models import DataRequest
from tests.browser.test_staff_queue_browser import _sign_in_staff
from tests.staff_queue_helpers import customer, make_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_contact_person_lifts_a_restriction_after_telling_the_customer(page, axe, lang):
    user, subject, record = customer(email="saga@example.fi", name="Saga Svensson")
    record.restricted_at = timezone.now()
    record.save()
    data_request = make_request(
        type=DataRequest.Type.RESTRICTION,
        status=DataRequest.Status.COMPLETED,
        user=user,
        subject=subject,
        language="sv",
    )
    _sign_in_staff(page, lang)
    page.goto(f"/{lang}/staff/requests/{data_request.public_id}/")
    lift = page.locator("details.action", has=page.locator("textarea[name=reason]"))
    lift.locator("summary").click()
    axe.assert_clean(page)
    lift.locator("textarea[name=reason]").fill("The credit limit was checked with you.")
    lift.locator("button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/staff/requests/{data_request.public_id}/")
    record.refresh_from_db()
    assert record.restricted_at is None
    assert any(m.to == ["saga@example.fi"] and "PB 800" in m.body for m in mail.outbox)
    assert page.locator("details.action textarea[name=reason]").count() == 0


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_record_of_processing_opens_from_the_staff_navigation(page, axe, lang):
    _sign_in_staff(page, lang)
    page.locator(f"nav.staff-nav a[href='/{lang}/staff/record-of-processing/']").click()
    page.wait_for_url(f"**/{lang}/staff/record-of-processing/")
    assert page.locator("#ropa-security li").count() >= 5
    axe.assert_clean(page)
    with page.expect_download() as download:
        page.locator(f"a[href='/{lang}/staff/record-of-processing.pdf']").click()
    assert download.value.suggested_filename.endswith(".pdf")
