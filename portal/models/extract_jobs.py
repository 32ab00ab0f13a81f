import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models.extracts import IssuedExtract


class ExtractJob(models.Model):
    """A PDF register extract too large to make within a web request, made by a task worker.

    The person's click writes this row and enqueues the task; the page that says the copy is
    being made asks again by itself until the worker has made it. The copy is recorded (an
    IssuedExtract, its access request and audit events) only when the file has been made: a
    failed render leaves a failed job and no copy. The file is kept here so that the person
    can download it, for PORTAL_EXTRACT_JOB_KEEP_SECONDS, and then deleted with the row.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("being made")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    # The address of the job's page: not guessable, and looked up through its owner anyway.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="extract_jobs"
    )
    language = models.CharField(max_length=5)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    # The attempt in hand: a worker claims the job by counting one more and writing when it
    # began (also written when the job is enqueued again). A worker killed mid-attempt leaves
    # started_at behind; the job is then run again (portal/extract/jobs.py, job_recover), a
    # limited number of times.
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    issued = models.ForeignKey(
        IssuedExtract, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="extractjob_user_created")]

    def __str__(self) -> str:
        return f"{self.token} ({self.state})"
