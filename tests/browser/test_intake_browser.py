"""Staff intake in the browser (issue #12, items 1, 2 and 7): the contact person registers a
request that came by letter, for the postal-only Toivo Mäkinen, received ten days ago; asks
for more about his identity and records the answer that came by post; answers the request
and prints the letter; and prints his register extract as a letter. axe finds nothing."""

import datetime

import pytest
from django.utils import timezone

from portal.models import IssuedExtract
from subject_requests import deadlines
from subject_requests.models import DataRequest
from tests.browser.test_staff_queue_browser import _sign_in_staff
from tests.factories import DataSubjectFactory, PostalRecipientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _toivo():
    record = PostalRecipientFactory(
        first_name="Toivo",
        last_name="Mäkinen",
        customer_number="100103",
        street_address="Hämeenkatu 21 A 4",
        postal_code="33200",
        post_office="Tampere",
        subject=DataSubjectFactory(display_name="Toivo Mäkinen"),
    )
    return record.subject


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_contact_person_registers_a_letter_and_works_it_to_a_decision(page, axe, lang):
    toivo = _toivo()
    _sign_in_staff(page, lang)
    page.locator(f"nav.staff-nav a[href='/{lang}/staff/intake/']").click()
    page.wait_for_url(f"**/{lang}/staff/intake/")
    axe.assert_clean(page)
    page.fill("input[name=q]", "100103")
    page.locator("main form.staff-filters button[type=submit]").click()
    page.wait_for_url("**/intake/?q=100103")
    axe.assert_clean(page)
    page.locator(f"a[href$='?subject={toivo.public_id}']").click()
    page.wait_for_url("**/intake/new/**")
    axe.assert_clean(page)

    received = timezone.localdate() - datetime.timedelta(days=10)
    page.check("input[name=channel][value=letter]")
    page.fill("input[name=received_on]", received.isoformat())
    page.select_option("select[name=type]", "other")
    page.fill("textarea[name=description]", "Mihin käytätte osoitettani?")
    page.select_option("select[name=identity_check]", "address_on_file")
    page.locator("main form.staff-decision button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/staff/requests/**")
    data_request = DataRequest.objects.get()
    assert data_request.due_on == deadlines.due_date(received)
    assert data_request.channel == "letter" and data_request.subject == toivo
    axe.assert_clean(page)
    assert page.locator("address", has_text="Hämeenkatu 21 A 4").count() == 1

    # Art. 12(6): a question by letter, and the answer that came by post.
    doubt = page.locator("details.staff-decision", has=page.locator("textarea[name=message]"))
    doubt.locator("summary").click()
    doubt.locator("textarea[name=message]").fill("Lähettäkää allekirjoituksenne.")
    doubt.locator("button[type=submit]").click()
    page.wait_for_url(f"**/staff/requests/{data_request.public_id}/")
    with page.expect_download() as letter:
        page.locator(f"a[href$='/requests/{data_request.public_id}/letter.pdf']").click()
    assert letter.value.suggested_filename.endswith(".pdf")
    page.fill("textarea[name=answer]", "Allekirjoitettu kirje saapui.")
    page.locator(
        f"form[action$='/requests/{data_request.public_id}/identity/answer/'] button"
    ).click()
    page.wait_for_url(f"**/staff/requests/{data_request.public_id}/")
    data_request.refresh_from_db()
    assert data_request.identity_state == DataRequest.INFO_RECEIVED
    assert data_request.due_on == deadlines.due_date(received)
    axe.assert_clean(page)

    page.locator(f"form[action$='/requests/{data_request.public_id}/answer/'] textarea").fill(
        "Osoitettanne käytetään vain postimainontaan."
    )
    page.locator(f"form[action$='/requests/{data_request.public_id}/answer/'] button").click()
    page.wait_for_url(f"**/staff/requests/{data_request.public_id}/")
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    axe.assert_clean(page)
    with page.expect_download() as decision_letter:
        page.locator(f"a[href$='/requests/{data_request.public_id}/letter.pdf']").click()
    assert decision_letter.value.suggested_filename.endswith(".pdf")


def test_contact_person_prints_toivos_extract(page, axe):
    _toivo()
    _sign_in_staff(page, "fi")
    page.goto("/fi/staff/intake/?q=Mäkinen")
    axe.assert_clean(page)
    with page.expect_download() as download:
        page.locator("form[action*='/extract-letter/'] button[type=submit]").click()
    issued = IssuedExtract.objects.get()
    assert download.value.suggested_filename == f"letter-{issued.reference}.pdf"
