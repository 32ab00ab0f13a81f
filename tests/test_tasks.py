"""Background work on Django's task framework (django-tasks, its database backend): the web
process writes tasks, a worker (`manage.py db_worker`) runs them (issue #14, item 2)."""

import datetime
import signal
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts import roles
from outbox.models import OutboxMessage
from outbox.tasks import outbox_deliver_and_retry
from portal.models import NewsletterSubscription
from subject_requests.services.base import request_extend
from tests.factories import NewsletterSubscriptionFactory, UserFactory
from tests.smtp_server import ServerDown
from tests.staff_queue_helpers import make_request, staff_member

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


def run_worker() -> None:
    """`manage.py db_worker --batch`: run every task that is due, then stop."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, stdout=StringIO())
    finally:  # the worker takes over Ctrl-C; pytest wants it back
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def tasks(path_end: str):
    return DBTaskResult.objects.filter(task_path__endswith=path_end)


@pytest.mark.django_db
def test_a_mail_and_its_delivery_task_commit_together_or_not_at_all(database_tasks):
    staff = staff_member()
    data_request = make_request()
    with pytest.raises(RuntimeError), transaction.atomic():
        request_extend(request=data_request, staff=staff, months=2, reason="Many records.")
        raise RuntimeError
    assert not OutboxMessage.objects.exists() and not DBTaskResult.objects.exists()

    request_extend(request=data_request, staff=staff, months=2, reason="Many records.")
    (row,) = OutboxMessage.objects.all()
    (task,) = DBTaskResult.objects.all()
    assert task.task_path == "outbox.tasks.deliver_message"
    assert task.args_kwargs == {"args": [row.pk], "kwargs": {}}
    assert task.status == TaskResultStatus.READY


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_what_the_web_process_wrote_once(database_tasks):
    request_extend(request=make_request(), staff=staff_member(), months=2, reason="Many records.")
    assert mail.outbox == []
    run_worker()
    (message,) = mail.outbox
    assert "Many records." in message.body
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    assert tasks("deliver_message").get().status == TaskResultStatus.SUCCESSFUL
    run_worker()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failed_delivery_enqueues_its_retry_for_when_it_falls_due(settings, database_tasks):
    ServerDown().point(settings)
    request_extend(request=make_request(), staff=staff_member(), months=2, reason="Many records.")
    row = OutboxMessage.objects.get()
    assert outbox_deliver_and_retry(row.pk) == "retry"
    row.refresh_from_db()
    retry = tasks("deliver_message").order_by("enqueued_at").last()
    assert retry.run_after == row.next_attempt_at
    assert row.next_attempt_at - timezone.now() > datetime.timedelta(seconds=50)


@pytest.mark.django_db(transaction=True)
def test_reminders_run_as_a_task_and_their_mail_goes_through_the_outbox(database_tasks):
    contact = UserFactory(is_staff=True, email="katri@example.fi")
    contact.groups.add(Group.objects.get(name=roles.CONTACT_PERSON))
    make_request(due_in=2)
    out = StringIO()
    call_command("remind_due_requests", "--enqueue", stdout=out)
    assert "Enqueued" in out.getvalue() and mail.outbox == []
    run_worker()  # the reminder task writes the mail; its delivery task sends it
    (message,) = mail.outbox
    assert message.to == ["katri@example.fi"]
    assert tasks("remind_due_requests").get().return_value == {"requests": 1, "recipients": 1}


@pytest.mark.django_db(transaction=True)
def test_retention_runs_as_a_task(database_tasks):
    expired = NewsletterSubscriptionFactory(
        status=NewsletterSubscription.Status.PENDING,
        subscribed_at=timezone.now() - datetime.timedelta(days=60),
        confirmed_at=None,
    )
    call_command("apply_retention", "--enqueue", stdout=StringIO())
    assert NewsletterSubscription.objects.filter(pk=expired.pk).exists()
    run_worker()
    assert not NewsletterSubscription.objects.filter(pk=expired.pk).exists()
    result = tasks("apply_retention").get()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["registers"]["newsletter"]["delete"] == 1


def test_the_portal_uses_the_database_task_backend_by_default():
    from portal import settings as portal_settings

    assert portal_settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert {"django_tasks", "django_tasks_db"} <= set(portal_settings.INSTALLED_APPS)
