"""The mail server down and back (issue #14, items 1 and 7), against a real SMTP server on
loopback: no request fails, no message is lost, and each is delivered exactly once."""

import socket
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from outbox.models import OutboxMessage
from tests.factories import BillingCustomerFactory
from tests.signin import CODE_RE, request_code
from tests.smtp_server import Recorder, ServerDown, smtp_server
from tests.staff_queue_helpers import make_request, messages_of, signed_in_staff, url

pytestmark = pytest.mark.django_db

KNOWN = "maija.m@example.fi"
Status = OutboxMessage.Status


def deliver(*args) -> str:
    out = StringIO()
    call_command("deliver_outbox", *args, stdout=out)
    return out.getvalue()


def test_with_the_mail_server_down_nothing_fails_nothing_is_lost_and_all_arrives_once(
    client, settings, django_capture_on_commit_callbacks
):
    down = ServerDown()
    down.point(settings)
    BillingCustomerFactory(email=KNOWN)
    staff_client = Client()
    signed_in_staff(staff_client)
    data_request = make_request()

    started = time.monotonic()
    # A sign-in code (tried at once, after commit) and a staff decision (for the worker).
    with django_capture_on_commit_callbacks(execute=True):
        code_response = request_code(client, KNOWN)
    decision = staff_client.post(
        url(data_request, "reject"), {"reason": "We need the change in writing."}, follow=True
    )
    took = time.monotonic() - started

    assert code_response.status_code == 302 and code_response["Location"].endswith("/confirm/")
    assert decision.status_code == 200
    assert messages_of(decision) == ["Decision saved. The customer is told by email."]
    assert took < 5  # a refused connection is not waited for
    rows = list(OutboxMessage.objects.order_by("pk"))
    assert [row.to for row in rows] == [[KNOWN], [data_request.user.email]]
    for row in rows:
        assert row.status == Status.PENDING and row.attempts == 1
        assert "ConnectionRefusedError" in row.last_error and row.body  # kept, to try again

    down.release()
    with smtp_server(down.port) as server:
        deliver("--now")
        assert sorted(server.message_ids()) == sorted(row.headers["Message-ID"] for row in rows)
        code_mail, decision_mail = server.messages
        assert code_mail["To"] == KNOWN and CODE_RE.search(code_mail.get_content())
        assert "We need the change in writing." in decision_mail.get_content()

        # A second run, forced or not, sends nothing again.
        deliver("--now")
        deliver()
        assert len(server.messages) == 2
    for row in OutboxMessage.objects.all():
        assert row.status == Status.SENT and row.attempts == 2 and row.body == ""


def test_a_message_the_server_refuses_outright_is_given_up_at_once_and_shown_to_staff(
    client, settings
):
    down = ServerDown()
    down.point(settings)
    down.release()
    with smtp_server(down.port, Recorder(refuse="550 5.1.1 No such mailbox")) as server:
        BillingCustomerFactory(email=KNOWN)
        assert request_code(client, KNOWN).status_code == 302
    (row,) = OutboxMessage.objects.all()
    assert row.status == Status.FAILED and row.attempts == 1 and server.messages == []
    assert "550" in row.last_error

    staff_client = Client()
    signed_in_staff(staff_client)
    page = staff_client.get("/en/staff/outbox/").content.decode()
    assert KNOWN in page and row.subject in page and "550" in page


def test_with_the_mail_server_hanging_only_the_first_code_request_waits_for_it(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.OUTBOX_AT_ONCE_TIMEOUT = 1
    down = ServerDown()
    down.point(settings)
    # Accepts connections and never says a word, as a hung mail server does.
    hanging = socket.create_server(("127.0.0.1", 0))
    settings.EMAIL_PORT = hanging.getsockname()[1]
    took = []
    for address in ("first@example.fi", "second@example.fi", "third@example.fi"):
        BillingCustomerFactory(email=address)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            assert request_code(Client(), address).status_code == 302
        took.append(time.monotonic() - started)
    hanging.close()
    assert took[0] >= 1 and took[1] < 0.5 and took[2] < 0.5
    attempts = list(OutboxMessage.objects.order_by("pk").values_list("attempts", flat=True))
    assert attempts == [1, 0, 0]  # the others are the workers' to send
    assert OutboxMessage.objects.filter(status=Status.PENDING).count() == 3
