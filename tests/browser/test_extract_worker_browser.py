"""A long history's copy is made by a task worker: the page says so and asks again by itself until
the download is offered (issue #14, item 3); axe clean while being made and when ready."""

import pytest

from portal.extract.jobs import job_run
from portal.models import ExtractJob
from tests.browser.test_my_data_browser import _sign_in, dev_mail  # noqa: F401
from tests.extracts import customer_in_every_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_being_made_page_turns_into_the_download(page, axe, dev_mail, settings, lang):  # noqa: F811
    settings.PORTAL_EXTRACT_WORKER_ORDERS = 3
    # No worker runs here: the job waits until the test runs it, as db_worker would.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    customer_in_every_register(orders=5)
    _sign_in(page, lang)

    page.locator("form[action$='/my-data/extract.pdf'] button").click()
    page.wait_for_url("**/my-data/extract/*/")
    assert page.locator("main [data-job-state=pending][aria-live=polite]").count() == 1
    assert page.locator("main progress[value='0']").count() == 1  # step 1: waiting for a worker
    axe.assert_clean(page)

    job = ExtractJob.objects.get()
    job.attempts = 1  # a worker has claimed it (jobs.job_run does this first)
    job.save(update_fields=["attempts"])
    page.locator("main [data-job-stage=making] progress[value='1']").wait_for(timeout=5000)
    assert page.locator("main [data-job-state=pending]").count() == 1  # still being made
    axe.assert_clean(page)

    job_run(job.pk)
    link = page.locator("main a[href$='/file']")
    link.wait_for(timeout=5000)  # the page asks again twice a second (static/js)
    axe.assert_clean(page)
    with page.expect_download() as download_info:
        link.click()
    assert download_info.value.suggested_filename.startswith("rekisteriote-RO-")
