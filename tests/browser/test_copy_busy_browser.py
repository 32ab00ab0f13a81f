"""Taking a copy shows that it is being made: the button is disabled and says so."""

import pytest

from tests.browser.test_my_data_browser import _sign_in, dev_mail  # noqa: F401
from tests.extracts import customer_in_every_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_take_a_copy_button_shows_its_busy_label(page, dev_mail):  # noqa: F811
    customer_in_every_register(orders=40)
    _sign_in(page, "en")
    button = page.locator("form[action$='/my-data/extract.pdf'] button")

    with page.expect_download() as download_info:
        button.click()
        assert button.inner_text() == "Making your copy…"
        assert button.is_disabled()
    assert download_info.value.suggested_filename.endswith(".pdf")
