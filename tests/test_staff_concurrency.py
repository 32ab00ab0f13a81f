"""Two staff deciding the same request at the same moment: exactly one decision applies and
the other gets RequestClosed. PostgreSQL locks the row (SELECT ... FOR UPDATE); SQLite's
IMMEDIATE transactions make the second writer wait for the first to commit."""

import threading
import time

import pytest
from django.db import connection

from portal.models import AuditEvent
from subject_requests.models import DataRequest
from subject_requests.services import base, erasure
from subject_requests.services.base import RequestClosed, request_reject
from subject_requests.services.erasure import restriction_decide
from tests.factories import PostalRecipientFactory, UserFactory
from tests.staff_queue_helpers import customer, make_request

pytestmark = pytest.mark.django_db(transaction=True)

def _wait_until_another_waits_for_a_lock(timeout=10.0):
    """PostgreSQL: until another connection to this database is blocked on a lock (the second
    decision on the request's row lock). SQLite takes the write lock when a transaction
    begins, so the second decision waits before it can read anything either way."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # a fresh look each time
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the second decision never waited for the request's lock")


def _race(monkeypatch, decisions):
    """The first decision takes the request's lock and, about to record itself, holds it
    until the second has started and (PostgreSQL) is waiting for that lock; no fixed wait."""
    real_close = base.request_close
    first_holds, second_started = threading.Event(), threading.Event()

    def holding_close(**kwargs):
        if not first_holds.is_set():
            first_holds.set()
            assert second_started.wait(10), "the second decision never started"
            _wait_until_another_waits_for_a_lock()
        return real_close(**kwargs)

    monkeypatch.setattr(base, "request_close", holding_close)
    monkeypatch.setattr(erasure, "request_close", holding_close)
    outcomes = []

    def run(decide, first):
        try:
            if not first:
                assert first_holds.wait(10), "the first decision never took the lock"
                second_started.set()
            decide()
            outcomes.append("decided")
        except RequestClosed:
            outcomes.append("closed")
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(decide, n == 0)) for n, decide in enumerate(decisions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_two_staff_approving_at_once_exactly_one_applies(monkeypatch):
    user, subject, _ = customer()
    PostalRecipientFactory(subject=subject)
    data_request = make_request(type=DataRequest.Type.RESTRICTION, user=user, subject=subject)
    first, second = UserFactory(is_staff=True), UserFactory(is_staff=True)

    outcomes = _race(
        monkeypatch,
        [
            lambda: restriction_decide(request=data_request, staff=first, approve=True),
            lambda: restriction_decide(request=data_request, staff=second, approve=True),
        ],
    )

    assert outcomes == ["closed", "decided"]
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    assert data_request.decided_by == first  # the one that took the lock first
    closing = AuditEvent.objects.filter(action="request.restriction.completed")
    assert list(closing.values_list("actor_id", flat=True)) == [first.pk]


def test_approve_and_reject_at_once_exactly_one_applies(monkeypatch):
    user, subject, _ = customer()
    data_request = make_request(type=DataRequest.Type.RESTRICTION, user=user, subject=subject)
    approver, rejecter = UserFactory(is_staff=True), UserFactory(is_staff=True)

    outcomes = _race(
        monkeypatch,
        [
            lambda: restriction_decide(request=data_request, staff=approver, approve=True),
            lambda: request_reject(request=data_request, staff=rejecter, reason="Duplicate."),
        ],
    )

    assert outcomes == ["closed", "decided"]
    data_request.refresh_from_db()
    assert data_request.decided_by == approver
    assert data_request.status == DataRequest.Status.COMPLETED
