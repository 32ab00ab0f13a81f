"""Large PDF extracts are made by a task worker (issue #14, item 3): the click returns at once
with a page that says the copy is being made (and reloads itself); the worker records one
copy when the file is made; the page then offers it; a failed render records nothing."""

import pytest
from django.test import Client
from django.utils import timezone

from portal.extract import services
from portal.extract.jobs import job_run
from portal.models import AuditEvent, ExtractJob, IssuedExtract
from subject_requests.models import DataRequest
from tests.extracts import (
    customer_in_every_register,
    order_history,
    pdf_attachment,
    pdf_text,
    signed_in_customer,
)

pytestmark = pytest.mark.django_db
PDF = "/en/my-data/extract.pdf"


@pytest.fixture
def long_history(client):
    subject, account = customer_in_every_register(orders=0)
    order_history(account, 500)
    return subject, signed_in_customer(client)


def test_a_500_order_extract_is_made_by_the_worker_and_then_offered(client, long_history):
    response = client.post(PDF)  # its time: bench/extract_speed.py (no timing in tests)
    assert response.status_code == 302
    job = ExtractJob.objects.get()
    assert response["Location"] == f"/en/my-data/extract/{job.token}/"
    assert not IssuedExtract.objects.exists()  # recorded only when made
    assert not DataRequest.objects.filter(type=DataRequest.Type.ACCESS).exists()

    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Your copy is being made" in text and 'data-job-state="pending"' in text
    assert 'src="/static/js/extract_job.js"' in text  # it asks again by itself; no inline script
    assert 'data-job-stage="queued"' in text and "Step 1 of 2: waiting for a worker" in text
    assert '<progress id="job-progress" max="2" value="0">' in text

    assert client.post(PDF)["Location"] == response["Location"]  # one job per click
    assert ExtractJob.objects.count() == 1

    assert job_run(job.pk) == ExtractJob.State.DONE
    issued = IssuedExtract.objects.get()
    assert issued.format == "pdf" and issued.language == "en"
    assert AuditEvent.objects.filter(action="data.extract.issued").count() == 1

    page = client.get(response["Location"]).content.decode()
    assert "Your copy is ready" in page and "extract_job.js" not in page
    download = client.get(f"/en/my-data/extract/{job.token}/file")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert issued.reference in download["Content-Disposition"]
    assert "W000499" in pdf_text(download.content)  # every order, the oldest too
    assert len(pdf_attachment(download.content)["registers"]) >= 4

    assert job_run(job.pk) == ExtractJob.State.DONE  # run again: still one copy
    assert IssuedExtract.objects.count() == 1


def test_the_immediate_backend_runs_the_job_after_the_click_commits(
    client, long_history, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_EXTRACT_WORKER_ORDERS = 3
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PDF)
    assert ExtractJob.objects.get().state == ExtractJob.State.DONE
    assert IssuedExtract.objects.count() == 1
    assert "Your copy is ready" in client.get(response["Location"]).content.decode()


def test_a_failed_render_records_nothing_and_says_so(client, maija, settings, monkeypatch):
    settings.PORTAL_EXTRACT_WORKER_ORDERS = 1
    response = client.post(PDF)
    job = ExtractJob.objects.get()

    def failing(html, *, json_bytes, title):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(services, "render_pdf", failing)
    with pytest.raises(services.CopyNotMade):
        job_run(job.pk)
    job.refresh_from_db()
    assert job.state == ExtractJob.State.FAILED and job.content is None
    assert not IssuedExtract.objects.exists()
    assert not AuditEvent.objects.filter(action="data.extract.issued").exists()
    page = client.get(response["Location"]).content.decode()
    assert "could not be made" in page and "No copy was recorded" in page
    assert client.get(f"/en/my-data/extract/{job.token}/file").status_code == 404


def test_a_small_extract_is_still_made_in_the_request(client, maija):
    response = client.post(PDF)
    assert response["Content-Type"] == "application/pdf"
    assert not ExtractJob.objects.exists()


def test_another_persons_job_is_a_404(client, long_history, settings):
    client.post(PDF)
    job = ExtractJob.objects.get()
    other = Client()
    from tests.factories import UserFactory

    other.force_login(UserFactory(username="other@example.fi", email="other@example.fi"))
    assert other.get(f"/en/my-data/extract/{job.token}/").status_code == 404
    assert other.get(f"/en/my-data/extract/{job.token}/file").status_code == 404


def test_the_page_shows_when_a_worker_has_started_on_the_copy(client, long_history):
    response = client.post(PDF)
    job = ExtractJob.objects.get()
    job.attempts, job.started_at = 1, timezone.now()  # as a worker claims it (jobs.job_run)
    job.save()
    text = client.get(response["Location"]).content.decode()
    assert 'data-job-stage="making"' in text and "Step 2 of 2: a worker is making" in text
    assert '<progress id="job-progress" max="2" value="1">' in text
