import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, models, transaction

from portal.audit import audit_record, audit_shred_subject, audit_verify
from portal.audit.record import AuditOutsideTransaction
from portal.models import AuditEvent
from portal.models.audit import AppendOnlyError
from tests.factories import DataSubjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def _record(n, subject=None, **details):
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(
                audit_record(action="test.event", subject=subject, details={"i": i, **details})
            )
    return events


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


TABLE = AuditEvent._meta.db_table


def test_events_chain_and_verify():
    _record(5)
    assert audit_verify() == (5, None)
    events = list(AuditEvent.objects.all())
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))


def test_event_keeps_actor_and_subject_apart_and_masks_secrets():
    staff, subject = UserFactory(), DataSubjectFactory()
    with transaction.atomic():
        event = audit_record(
            action="account.password.changed",
            actor=staff,
            subject=subject,
            details={"password": "hunter2", "nested": {"otp_code": "123456"}, "field": "email"},
        )
    event.refresh_from_db()
    assert (event.actor_id, event.subject_id) == (staff.pk, subject.pk)
    assert event.details == {
        "password": "********",
        "nested": {"otp_code": "********"},
        "field": "email",
    }


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(AuditOutsideTransaction):
        audit_record(action="test.event")
    assert not AuditEvent.objects.exists()


def test_events_cannot_be_changed_or_deleted_through_the_orm():
    (event,) = _record(1)
    event.action = "test.forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_verify_detects_a_changed_event():
    _record(4)
    _raw(f"UPDATE {TABLE} SET action = %s WHERE seq = 3", ["test.forged"])
    checked, problem = audit_verify()
    assert problem.seq == 3 and checked == 2


def test_verify_detects_changed_details():
    _record(4)
    event = AuditEvent.objects.get(seq=2)
    models.QuerySet.update(AuditEvent.objects.filter(pk=event.pk), details={"i": 99})
    assert audit_verify()[1].seq == 2


def test_verify_detects_a_deleted_event():
    _record(4)
    _raw(f"DELETE FROM {TABLE} WHERE seq = 2")
    _, problem = audit_verify()
    assert problem.seq == 2 and "missing" in problem.reason


def test_verify_detects_a_deleted_last_event():
    _record(3)
    _raw(f"DELETE FROM {TABLE} WHERE seq = 3")
    assert audit_verify()[1].seq == 3


def test_verify_detects_reordered_events():
    _record(4)
    _raw(f"UPDATE {TABLE} SET seq = 1000 WHERE seq = 2")
    _raw(f"UPDATE {TABLE} SET seq = 2 WHERE seq = 3")
    _raw(f"UPDATE {TABLE} SET seq = 3 WHERE seq = 1000")
    assert audit_verify()[1].seq == 2


def test_shredding_blanks_details_and_the_chain_still_verifies():
    maija, other = DataSubjectFactory(), DataSubjectFactory()
    _record(3, subject=maija, email="maija@example.fi")
    _record(2, subject=other, email="other@example.fi")
    with transaction.atomic():
        assert audit_shred_subject(subject=maija, reason="erasure request") == 3
    assert audit_verify()[1] is None
    for event in AuditEvent.objects.filter(subject=maija, action="test.event"):
        assert event.details == {"shredded": True} and event.shredded_at
        assert "maija@example.fi" not in str(event.details)
    assert all(
        e.details.get("email") == "other@example.fi"
        for e in AuditEvent.objects.filter(subject=other)
    )


def test_shredding_that_was_not_recorded_is_detected():
    subject = DataSubjectFactory()
    _record(2, subject=subject)
    models.QuerySet.update(
        AuditEvent.objects.filter(seq=1),
        details={"shredded": True},
        details_salt="",
        shredded_at="2026-01-01T00:00:00Z",
    )
    assert "without" in audit_verify()[1].reason


def test_verify_audit_command_reports_ok_and_the_first_break(capsys):
    _record(3)
    call_command("verify_audit")
    assert "OK: 3 events" in capsys.readouterr().out
    _raw(f"UPDATE {TABLE} SET target = %s WHERE seq = 2", ["portal.DataSubject:999"])
    with pytest.raises(CommandError, match="event #2"):
        call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    """4 threads x 250 events, each in its own transaction (PostgreSQL row lock, SQLite
    IMMEDIATE transactions): no fork, no gap, and the chain verifies."""
    threads_n, per_thread = 4, 250
    errors = []

    def writer(n):
        try:
            for i in range(per_thread):
                with transaction.atomic():
                    audit_record(action="test.concurrent", details={"thread": n, "i": i})
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert AuditEvent.objects.count() == threads_n * per_thread
    assert audit_verify() == (threads_n * per_thread, None)


def test_shredding_refuses_a_missing_subject():
    _record(2)
    with pytest.raises(ValueError), transaction.atomic():
        audit_shred_subject(subject=None, reason="bug")
    assert all(e.shredded_at is None for e in AuditEvent.objects.all())
