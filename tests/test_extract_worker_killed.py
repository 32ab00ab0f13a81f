"""A task worker killed (SIGKILL) while it makes a large PDF extract (issue #14, item 7): the
job is run again by another worker, and one copy is recorded. django-tasks never runs a
claimed task again (it stays "running"), so the portal's job does it: the person's page,
asking after a job whose attempt began too long ago, enqueues it again (portal/extract/jobs.py).

The worker is a real `manage.py run_worker` process on the test database; the extract is slow
for the real reason (a history of 600 orders), and the kill lands once the attempt has begun."""

import datetime

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal.extract import services
from portal.extract.jobs import job_recover, job_run
from portal.models import AuditEvent, ExtractJob, IssuedExtract
from subject_requests.models import DataRequest
from tests.extracts import customer_in_every_register, order_history, signed_in_customer
from tests.workers import DATABASE_TASKS, Worker, wait_for

PDF = "/en/my-data/extract.pdf"


def _copies():
    return (
        IssuedExtract.objects.count(),
        DataRequest.objects.filter(type=DataRequest.Type.ACCESS).count(),
        AuditEvent.objects.filter(action="data.extract.issued").count(),
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_extract_is_replaced_and_one_copy_is_issued(client, settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    _, account = customer_in_every_register(orders=0)
    order_history(account, 600)
    signed_in_customer(client)
    page = client.post(PDF)["Location"]
    job = ExtractJob.objects.get()
    (first_task,) = DBTaskResult.objects.filter(task_path__endswith="make_pdf_extract")

    with Worker(tmp_path, "first") as first:

        def begun():
            job.refresh_from_db()
            return job.started_at is not None

        wait_for(begun, "for the first worker to begin the copy", worker=first)
        first.kill()

    job.refresh_from_db()
    assert job.state == ExtractJob.State.PENDING and job.attempts == 1
    assert _copies() == (0, 0, 0)  # killed before recording: nothing half-written
    first_task.refresh_from_db()
    assert first_task.status == TaskResultStatus.RUNNING  # django-tasks leaves it so for ever

    # Within PORTAL_EXTRACT_JOB_STALE_SECONDS the attempt may just be slow: it is waited for.
    assert 'data-job-state="pending"' in client.get(page).content.decode()
    assert DBTaskResult.objects.count() == 1

    with Worker(tmp_path, "second") as second:
        # Past the threshold (as the minutes pass in production), the page enqueues it again.
        settings.PORTAL_EXTRACT_JOB_STALE_SECONDS = 0
        client.get(page)
        settings.PORTAL_EXTRACT_JOB_STALE_SECONDS = 300

        def finished():
            return 'data-job-state="pending"' not in client.get(page).content.decode()

        wait_for(finished, "for the second worker to make the copy", worker=second)

    job.refresh_from_db()
    assert job.state == ExtractJob.State.DONE and job.attempts == 2
    assert _copies() == (1, 1, 1)
    assert job.issued == IssuedExtract.objects.get()
    download = client.get(f"/en/my-data/extract/{job.token}/file")
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
    assert job.issued.reference in download["Content-Disposition"]
    assert DBTaskResult.objects.get(pk=first_task.pk).status == TaskResultStatus.RUNNING
    second_task = DBTaskResult.objects.exclude(pk=first_task.pk).get()
    assert second_task.status == TaskResultStatus.SUCCESSFUL


@pytest.fixture
def job(client, settings):
    settings.PORTAL_EXTRACT_WORKER_ORDERS = 1
    customer_in_every_register()
    signed_in_customer(client)
    client.post(PDF)
    return ExtractJob.objects.get()


@pytest.mark.django_db
def test_an_attempt_overtaken_by_a_later_one_records_nothing(job, settings, monkeypatch):
    # The first attempt is slow, not dead: while it renders, the job is taken for dead and a
    # second attempt makes and records the copy. The first, finishing, must not record one.
    settings.PORTAL_COPY_REPEAT_SECONDS = 0  # no help from the repeated-click check
    real_render = services.render_pdf
    overtaken = []

    def slow_render(*args, **kwargs):
        if not overtaken:
            overtaken.append("running")
            overtaken[0] = job_run(job.pk)  # the second attempt, from start to end
        return real_render(*args, **kwargs)

    monkeypatch.setattr(services, "render_pdf", slow_render)
    assert job_run(job.pk) == ExtractJob.State.DONE  # the state the second left
    assert overtaken == [ExtractJob.State.DONE]
    job.refresh_from_db()
    assert job.attempts == 2
    assert _copies() == (1, 1, 1)
    assert job.issued == IssuedExtract.objects.get()


@pytest.mark.django_db
def test_a_job_whose_attempts_all_died_fails_and_the_page_says_try_again(job, client, settings):
    settings.PORTAL_EXTRACT_JOB_STALE_SECONDS = 60
    long_ago = timezone.now() - datetime.timedelta(minutes=2)
    ExtractJob.objects.filter(pk=job.pk).update(
        attempts=settings.PORTAL_EXTRACT_JOB_ATTEMPTS, started_at=long_ago
    )
    page = client.get(f"/en/my-data/extract/{job.token}/").content.decode()
    assert "could not be made" in page and "Try again" in page
    job.refresh_from_db()
    assert job.state == ExtractJob.State.FAILED and _copies() == (0, 0, 0)
    assert job_run(job.pk) == ExtractJob.State.FAILED  # a late task leaves it so


@pytest.mark.django_db
def test_a_stale_job_is_not_run_again_once_the_person_has_clicked_again(job, settings):
    settings.PORTAL_EXTRACT_JOB_STALE_SECONDS = 60
    long_ago = timezone.now() - datetime.timedelta(minutes=2)
    ExtractJob.objects.filter(pk=job.pk).update(attempts=1, started_at=long_ago)
    newer = ExtractJob.objects.create(user=job.user, language="en")
    job.refresh_from_db()
    assert job_recover(job).state == ExtractJob.State.FAILED  # the newer job makes the copy
    assert ExtractJob.objects.get(pk=newer.pk).state == ExtractJob.State.PENDING


@pytest.mark.django_db
def test_a_stale_attempt_is_enqueued_again_once_however_many_pages_ask(
    job, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_EXTRACT_JOB_STALE_SECONDS = 60
    long_ago = timezone.now() - datetime.timedelta(minutes=2)
    ExtractJob.objects.filter(pk=job.pk).update(attempts=1, started_at=long_ago)
    job.refresh_from_db()
    seen_twice = ExtractJob.objects.get(pk=job.pk)  # a second page that read it at once
    with django_capture_on_commit_callbacks() as enqueued:
        assert job_recover(job).state == ExtractJob.State.PENDING
        job_recover(seen_twice)
    assert len(enqueued) == 1
    job.refresh_from_db()
    assert job.attempts == 1 and job.started_at > long_ago  # counted from now again
