"""Large PDF extracts are made by a task worker, not in the web request (issue #14).

A person with a long web-shop history (hundreds of orders) would otherwise hold a web worker
for seconds. Above PORTAL_EXTRACT_WORKER_ORDERS orders, the click writes an ExtractJob and
enqueues `make_pdf_extract`; the person gets a page that says the copy is being made and
asks again by itself (static/js/extract_job.js) until it is ready. The worker issues the
copy exactly as the web request would (pdf_extract_issue: made first, then recorded in one
short transaction), so a failed render records nothing.

A worker killed mid-attempt (kill -9, the machine lost) leaves its task "running" for ever:
django-tasks' database backend never runs a claimed task again. So each attempt claims the
job (one conditional UPDATE: one attempt more, and when it began), and the job is marked
done in the very transaction that records the copy, only if that attempt still holds it.
When the person's page asks after a job whose attempt began longer ago than
PORTAL_EXTRACT_JOB_STALE_SECONDS, the job is enqueued again (job_recover); after
PORTAL_EXTRACT_JOB_ATTEMPTS attempts it fails and the page asks the person to try again.
Two attempts of one job (the first only slow, not dead) record one copy: the second to
finish finds the job no longer its own and records nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from accounts.identity import linked_subjects, verified_emails
from portal.extract.services import pdf_extract_issue
from portal.models import ExtractJob, Order

PENDING = ExtractJob.State.PENDING


class _TakenOver(Exception):
    """The job is no longer this attempt's (a later one holds it, or it was given up)."""


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
        user.extract_jobs.filter(state=PENDING, created_at__gte=recent).order_by("-pk").first()
    )
    if pending is not None:
        return pending
    job = ExtractJob.objects.create(user=user, language=language)
    transaction.on_commit(lambda: make_pdf_extract.enqueue(job.pk))
    return job


def _claim(job: ExtractJob) -> int | None:
    """Begin an attempt; its number, or None if another run began one at the same moment."""
    attempt = job.attempts + 1
    won = ExtractJob.objects.filter(pk=job.pk, state=PENDING, attempts=job.attempts).update(
        attempts=attempt, started_at=timezone.now()
    )
    return attempt if won else None


def _state(job_id: int) -> str:
    return ExtractJob.objects.filter(pk=job_id).values_list("state", flat=True).first() or "gone"


def job_run(job_id: int) -> str:
    """Make the job's copy. Returns the job's state; a job already finished is left as it is."""
    job = ExtractJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.state != PENDING:
        return job.state if job else "gone"
    attempt = _claim(job)
    if attempt is None:
        return _state(job.pk)
    mine = ExtractJob.objects.filter(pk=job.pk, state=PENDING, attempts=attempt)

    def done(issued, content):
        # In the transaction that records the copy: if this attempt lost the job, raising
        # here records nothing. content is None when a copy was taken moments ago (a
        # repeated click): that one is offered instead, as the web request does.
        updated = mine.update(
            state=ExtractJob.State.DONE, finished_at=timezone.now(), issued=issued, content=content
        )
        if not updated:
            raise _TakenOver

    user = job.user
    try:
        with translation.override(job.language):
            pdf_extract_issue(
                user=user,
                subjects=linked_subjects(user).subjects,
                emails=verified_emails(user),
                then=done,
            )
    except _TakenOver:
        return _state(job.pk)
    except Exception:
        # Nothing was recorded (pdf_extract_issue writes only after the file is made).
        mine.update(state=ExtractJob.State.FAILED, finished_at=timezone.now())
        raise
    return ExtractJob.State.DONE


def job_recover(job: ExtractJob) -> ExtractJob:
    """The job as it stands, after running it again if its worker died mid-attempt.

    An attempt begun longer ago than PORTAL_EXTRACT_JOB_STALE_SECONDS (longer than the
    slowest copy takes) is taken for dead. The job is enqueued again, unless it has had
    PORTAL_EXTRACT_JOB_ATTEMPTS attempts, or the person has since clicked again (a newer
    job makes that copy): then it fails, recording nothing. The conditional UPDATE lets one
    of any number of pages asking at once do it.
    """
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.PORTAL_EXTRACT_JOB_STALE_SECONDS)
    if job.state != PENDING or job.started_at is None or job.started_at >= cutoff:
        return job
    stale = ExtractJob.objects.filter(
        pk=job.pk, state=PENDING, attempts=job.attempts, started_at__lt=cutoff
    )
    superseded = ExtractJob.objects.filter(user_id=job.user_id, pk__gt=job.pk).exists()
    if job.attempts >= settings.PORTAL_EXTRACT_JOB_ATTEMPTS or superseded:
        stale.update(state=ExtractJob.State.FAILED, finished_at=now)
    elif stale.update(started_at=now):
        # Counted from now again: should this task be lost too (its worker killed before it
        # claimed the job), the job is enqueued once more after the same wait.
        transaction.on_commit(lambda: make_pdf_extract.enqueue(job.pk))
    job.refresh_from_db()
    return job


@task()
def make_pdf_extract(job_id: int) -> str:
    return job_run(job_id)
