"""Large PDF extracts are made by a task worker, not in the web request (issue #14).

A person with a long web-shop history (hundreds of orders) would otherwise hold a web worker
for seconds. Above PORTAL_EXTRACT_WORKER_ORDERS orders, the click writes an ExtractJob and
enqueues `make_pdf_extract`; the person gets a page that says the copy is being made and
asks again by itself (static/js/extract_job.js) until it is ready. The worker issues the
copy exactly as the web request would (pdf_extract_issue: made first, then recorded in one
short transaction), so a failed
render records nothing, and a job run twice (a worker killed and the task run again) records
one copy.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from accounts.identity import linked_subjects, verified_emails
from portal.extract.services import pdf_extract_issue
from portal.models import ExtractJob, Order


def needs_worker(subjects) -> bool:
    """Whether the person's extract is too large to make within a web request."""
    limit = settings.PORTAL_EXTRACT_WORKER_ORDERS
    ids = [s.pk for s in subjects]
    return bool(ids) and Order.objects.filter(account__subject__in=ids)[limit : limit + 1].exists()


def job_start(*, user, language: str) -> ExtractJob:
    """The person's job for this click: a job still being made is reused (one copy per click
    however often it is pressed), otherwise a new one is written and enqueued."""
    keep = timezone.now() - timedelta(seconds=settings.PORTAL_EXTRACT_JOB_KEEP_SECONDS)
    user.extract_jobs.filter(created_at__lt=keep).delete()  # old files are not kept
    recent = timezone.now() - timedelta(minutes=5)  # a job older than that is not waited for
    pending = (
        user.extract_jobs.filter(state=ExtractJob.State.PENDING, created_at__gte=recent)
        .order_by("-pk")
        .first()
    )
    if pending is not None:
        return pending
    job = ExtractJob.objects.create(user=user, language=language)
    transaction.on_commit(lambda: make_pdf_extract.enqueue(job.pk))
    return job


def job_run(job_id: int) -> str:
    """Make the job's copy. Returns the job's state; a job already finished is left as it is."""
    job = ExtractJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.state != ExtractJob.State.PENDING:
        return job.state if job else "gone"
    user = job.user
    try:
        with translation.override(job.language):
            issued, content = pdf_extract_issue(
                user=user,
                subjects=linked_subjects(user).subjects,
                emails=verified_emails(user),
            )
    except Exception:
        # Nothing was recorded (pdf_extract_issue writes only after the file is made).
        ExtractJob.objects.filter(pk=job.pk).update(
            state=ExtractJob.State.FAILED, finished_at=timezone.now()
        )
        raise
    # content is None when a copy was taken moments ago (a repeated click): that one is
    # offered instead, as the web request does.
    ExtractJob.objects.filter(pk=job.pk).update(
        state=ExtractJob.State.DONE, finished_at=timezone.now(), issued=issued, content=content
    )
    return ExtractJob.State.DONE


@task()
def make_pdf_extract(job_id: int) -> str:
    return job_run(job_id)
