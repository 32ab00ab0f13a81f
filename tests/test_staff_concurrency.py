"""Two staff deciding the same request at the same moment: exactly one decision applies and
the other gets RequestClosed. PostgreSQL locks the row (SELECT ... FOR UPDATE); SQLite's
IMMEDIATE transactions make the second writer wait for the first to commit."""

import threading

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

HOLD_SECONDS = 0.3


def _race(monkeypatch, decisions):
    """Run each decision in its own thread (its own connection), all released together.
    The winner keeps its transaction open a moment, so the others try while it holds it."""
    real_close = base.request_close

    def slow_close(**kwargs):
        threading.Event().wait(HOLD_SECONDS)
        return real_close(**kwargs)

    monkeypatch.setattr(base, "request_close", slow_close)
    monkeypatch.setattr(erasure, "request_close", slow_close)
    start = threading.Barrier(len(decisions))
    outcomes = []

    def run(decide):
        try:
            start.wait()
            decide()
            outcomes.append("decided")
        except RequestClosed:
            outcomes.append("closed")
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(d,)) for d in decisions]
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
    assert data_request.decided_by in (first, second)
    decided = data_request.decided_by
    closing = AuditEvent.objects.filter(action="request.restriction.completed")
    assert list(closing.values_list("actor_id", flat=True)) == [decided.pk]


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
    if data_request.decided_by == approver:
        assert data_request.status == DataRequest.Status.COMPLETED
    else:
        assert data_request.status == DataRequest.Status.REJECTED
        assert data_request.decision == "Duplicate."
