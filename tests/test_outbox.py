"""The mail outbox: every email is a row written with its action, delivered afterwards with
retries, and what could not be delivered is shown to staff (issue #14, item 1)."""

import datetime

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.test import Client
from django.utils import timezone

from accounts import roles
from outbox.delivery import Outcome, outbox_claim, outbox_deliver
from outbox.models import OutboxMessage
from outbox.tasks import outbox_sweep
from portal.models import AuditEvent
from subject_requests.services.base import request_extend
from tests.factories import BillingCustomerFactory
from tests.signin import last_code, request_code
from tests.smtp_server import ServerDown, smtp_server
from tests.staff_queue_helpers import make_request, signed_in_staff, staff_member
from tests.test_settings import PRODUCTION_ENV, _manage

pytestmark = pytest.mark.django_db

KNOWN = "maija.m@example.fi"
Status = OutboxMessage.Status
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def send(subject="Hei", to="a@example.fi"):
    EmailMessage(subject, "Viesti", None, [to]).send()


def due_now(row):
    """Move a row's retry to now, as if its back-off had passed."""
    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())


def test_a_sign_in_code_is_a_row_delivered_once_and_then_emptied(client):
    BillingCustomerFactory(email=KNOWN)
    request_code(client, KNOWN)
    (row,) = OutboxMessage.objects.all()
    assert row.status == Status.SENT and row.attempts == 1 and row.sent_at
    assert row.to == [KNOWN] and row.subject == mail.outbox[0].subject
    assert last_code(KNOWN)  # delivered, with the code in it ...
    assert row.body == "" and row.alternatives == []  # ... which the table no longer holds
    assert mail.outbox[0].extra_headers["Message-ID"] == row.headers["Message-ID"]
    assert AuditEvent.objects.filter(action="auth.code.sent").count() == 1


def test_an_action_that_rolls_back_leaves_no_mail_and_one_that_commits_leaves_one(
    settings,
):
    settings.TASKS = DATABASE_TASKS  # delivery waits for a worker: the rows can be seen
    with pytest.raises(RuntimeError), transaction.atomic():
        send("Rolled back")
        raise RuntimeError
    assert not OutboxMessage.objects.exists()
    with transaction.atomic():
        send("Committed")
    assert list(OutboxMessage.objects.values_list("subject", "status")) == [
        ("Committed", Status.PENDING)
    ]
    assert mail.outbox == []


def test_a_staff_decision_mail_is_written_in_the_decisions_transaction(settings):
    settings.TASKS = DATABASE_TASKS
    staff = staff_member()
    data_request = make_request()
    request_extend(request=data_request, staff=staff, months=2, reason="Many records.")
    (row,) = OutboxMessage.objects.all()
    assert row.status == Status.PENDING and row.to == [data_request.user.email]
    assert "Many records." in row.body
    assert mail.outbox == []  # a worker sends it


def test_codes_are_tried_at_once_after_commit_other_mail_waits_for_a_worker(
    client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS  # no task runs in this process
    BillingCustomerFactory(email=KNOWN)
    with django_capture_on_commit_callbacks(execute=True):
        request_code(client, KNOWN)
        send("A notification")
    assert [m.to for m in mail.outbox] == [[KNOWN]]
    assert dict(OutboxMessage.objects.values_list("subject", "status"))["A notification"] == (
        Status.PENDING
    )


def test_a_row_is_claimed_by_one_sender_only(settings):
    settings.TASKS = DATABASE_TASKS
    send()
    row = OutboxMessage.objects.get()
    now = timezone.now()
    assert outbox_claim(row.pk, now=now) is True
    assert outbox_claim(row.pk, now=now) is False
    assert outbox_deliver(row.pk).outcome == Outcome.SKIPPED
    assert mail.outbox == []


def test_failed_attempts_back_off_then_give_up(settings):
    down = ServerDown()
    down.point(settings)
    settings.TASKS = DATABASE_TASKS
    send()
    row = OutboxMessage.objects.get()
    waits = []
    for _attempt in range(len(settings.OUTBOX_RETRY_DELAYS) + 1):
        before = timezone.now()
        assert outbox_sweep().count(Outcome.SKIPPED) == 0
        row.refresh_from_db()
        if row.status == Status.PENDING:
            waits.append(round((row.next_attempt_at - before).total_seconds() / 60))
            assert outbox_sweep().outcomes == {}  # not due yet: nothing is tried
            due_now(row)
    assert waits == [1, 5, 30, 120, 720, 1440]
    assert row.status == Status.FAILED and row.attempts == 7
    assert "ConnectionRefusedError" in row.last_error and row.body


def test_the_same_message_id_on_every_attempt(settings):
    down = ServerDown()
    down.point(settings)
    send()
    row = OutboxMessage.objects.get()
    assert row.status == Status.PENDING  # the first attempt failed
    down.release()
    with smtp_server(down.port) as server:
        outbox_sweep(force=True)
    assert server.message_ids() == [row.headers["Message-ID"]]


def test_a_sender_that_died_mid_delivery_is_replaced_by_the_sweep(settings):
    settings.TASKS = DATABASE_TASKS
    send()
    row = OutboxMessage.objects.get()
    assert outbox_claim(row.pk, now=timezone.now())  # ... and the process was killed
    assert outbox_sweep().outcomes == {} and mail.outbox == []  # not yet: it may still send
    stale = timezone.now() - datetime.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT + 1)
    OutboxMessage.objects.filter(pk=row.pk).update(claimed_at=stale)
    sweep = outbox_sweep()
    assert sweep.released == 1 and sweep.count(Outcome.SENT) == 1 and len(mail.outbox) == 1


def test_delivered_and_given_up_rows_are_purged_after_the_keeping_period(settings):
    send("Old")
    send("New")
    old = timezone.now() - datetime.timedelta(days=settings.OUTBOX_KEEP_DAYS + 1)
    OutboxMessage.objects.filter(subject="Old").update(sent_at=old)
    assert outbox_sweep().purged == 1
    assert list(OutboxMessage.objects.values_list("subject", flat=True)) == ["New"]


def test_attachments_are_refused_rather_than_dropped():
    message = EmailMessage("Liite", "Viesti", None, ["a@example.fi"])
    message.attach("data.txt", "sisältö", "text/plain")
    with pytest.raises(ValueError, match="attachments"):
        message.send()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("role", [roles.CONTACT_PERSON, roles.ADMINISTRATOR])
def test_staff_see_the_undelivered_mail_but_never_its_body(settings, role):
    down = ServerDown()
    down.point(settings)
    send("Decision on your request", to="liisa@example.fi")
    failed = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=failed.pk).update(status=Status.FAILED)
    send("Your sign-in code", to="pekka@example.fi")  # failed once, tried again later
    client = Client()
    signed_in_staff(client, role)
    page = client.get("/en/staff/outbox/").content.decode()
    assert "liisa@example.fi" in page and "Decision on your request" in page
    assert "pekka@example.fi" in page and "Your sign-in code" in page
    assert "ConnectionRefusedError" in page
    assert "Viesti" not in page  # the bodies
    assert "2 messages waiting to be sent" not in page  # the failed one is not waiting
    assert "1 message waiting to be sent" in page


def test_register_maintainers_and_customers_do_not_see_the_outbox(client):
    maintainer = Client()
    signed_in_staff(maintainer, roles.REGISTER_MAINTAINER)
    assert maintainer.get("/en/staff/outbox/").status_code == 403
    BillingCustomerFactory(email=KNOWN)
    customer = Client()
    request_code(customer, KNOWN)
    customer.post("/en/accounts/login/code/confirm/", {"code": last_code(KNOWN)})
    assert customer.get("/en/staff/outbox/").status_code == 403


def test_in_production_all_mail_goes_through_the_outbox_to_the_email_url_server():
    shown = (
        "from django.conf import settings as s; print(s.EMAIL_BACKEND, "
        "s.OUTBOX_DELIVERY_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.TASKS)"
    )
    result = _manage("shell", "--no-imports", "-c", shown, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:5] == [
        "outbox.backend.OutboxEmailBackend",
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.fi",
        "587",
        "True",
    ]
    assert "django_tasks_db.DatabaseBackend" in result.stdout
