"""Erasure keeps the audit trail verifiable: each erasure blanks only the events about what it
erases, never a record of an earlier shredding, so two, three or four erasures of one person
leave a chain that verifies, and tampering after them is still found."""

import pytest
from django.core.management import call_command
from django.db import connection, models, transaction

from portal.audit import audit_record, audit_verify
from portal.audit.chain import SHREDDED_DETAILS
from portal.models import AuditEvent, BillingCustomer, NewsletterSubscription, PostalRecipient
from subject_requests.models import DataRequest
from subject_requests.services.base import request_note, request_submit
from subject_requests.services.erasure import erasure_decide
from tests.extracts import EMAIL, customer_in_every_register
from tests.factories import UserFactory
from tests.staff_queue_helpers import staff_member

pytestmark = pytest.mark.django_db

OLD_ADDRESS = "Vanhatie 1 A 2"


@pytest.fixture
def maija():
    subject, account = customer_in_every_register(orders=2)
    return UserFactory(username=EMAIL, email=EMAIL), subject, account, staff_member()


def _changed(record, **fields) -> AuditEvent:
    """An event about a register record that holds personal details, as staff edits write."""
    with transaction.atomic():
        return audit_record(
            action="register.record.changed",
            subject=record.subject if hasattr(record, "subject") else record.account.subject,
            target=record,
            details={"fields": fields},
        )


def _erase(maija, register) -> DataRequest:
    user, subject, _, staff = maija
    request = request_submit(
        user=user, type=DataRequest.Type.ERASURE, subject=subject, register=register
    )
    erasure_decide(request=request, staff=staff, approve=True)
    return request


def _shreddings(subject):
    return list(AuditEvent.objects.filter(subject=subject, action="audit.details_shredded"))


def _blank(event) -> bool:
    event.refresh_from_db()
    return event.shredded_at is not None and event.details == SHREDDED_DETAILS


def _assert_shreddings_intact(subject):
    """Every shredding keeps its list; no event is listed twice; no shredding is listed."""
    listed = []
    for shredding in _shreddings(subject):
        assert shredding.shredded_at is None and shredding.details["events"]
        listed += shredding.details["events"]
    assert len(listed) == len(set(listed))
    assert not AuditEvent.objects.filter(seq__in=listed, action="audit.details_shredded").exists()


def test_two_erasures_of_one_person_keep_the_audit_trail_verifiable(maija):
    _, subject, _, _ = maija
    _changed(PostalRecipient.objects.get(subject=subject), street_address=OLD_ADDRESS)
    _changed(NewsletterSubscription.objects.get(subject=subject), email="old@example.fi")
    _erase(maija, "postal")
    assert audit_verify()[1] is None
    _erase(maija, "newsletter")
    assert audit_verify()[1] is None
    assert len(_shreddings(subject)) == 2
    _assert_shreddings_intact(subject)


def test_three_erasures_and_then_one_of_everything_keep_the_trail_verifiable(maija, capsys):
    _, subject, account, _ = maija
    _changed(PostalRecipient.objects.get(subject=subject), street_address=OLD_ADDRESS)
    _changed(account, phone={"old": "040 123", "new": ""})
    for register in ("postal", "newsletter", "webshop", ""):
        _erase(maija, register)
        checked, chain_break = audit_verify()
        assert chain_break is None, (register, str(chain_break))
        _assert_shreddings_intact(subject)
    call_command("verify_audit")
    assert "OK:" in capsys.readouterr().out
    # Nothing about her keeps a detail that is not the record of an erasure or a shredding.
    for event in AuditEvent.objects.filter(subject=subject, shredded_at__isnull=True):
        assert event.action in ("register.record.erased", "audit.details_shredded") or (
            event.action == "request.erasure.completed" and event.seq > _shreddings(subject)[-1].seq
        ), event.action


def test_a_postal_erasure_blanks_only_the_events_about_her_postal_data(maija):
    user, subject, account, staff = maija
    postal = _changed(PostalRecipient.objects.get(subject=subject), street_address=OLD_ADDRESS)
    newsletter = _changed(NewsletterSubscription.objects.get(subject=subject), email="x@y.fi")
    billing = _changed(BillingCustomer.objects.get(subject=subject), phone="040 123")
    order = _changed(account.orders.first(), status="delivered")
    notes = {}
    for register in ("postal", "billing"):
        request = request_submit(
            user=user, type=DataRequest.Type.OTHER, subject=subject, register=register
        )
        request_note(request=request, staff=staff, note=f"Moved from {OLD_ADDRESS}")
        notes[register] = AuditEvent.objects.get(
            action="request.other.note_added", target__endswith=f":{request.pk}"
        )
    with transaction.atomic():
        viewed = audit_record(action="data.staff.viewed", subject=subject, details={"x": 1})

    _erase(maija, "postal")

    assert _blank(postal) and _blank(notes["postal"])
    for kept in (newsletter, billing, order, notes["billing"], viewed):
        assert not _blank(kept), kept.action
    erased = AuditEvent.objects.get(action="register.record.erased", subject=subject)
    assert erased.details == {"register": "postal"} and erased.shredded_at is None

    _erase(maija, "webshop")  # the web shop's orders go with its account
    assert _blank(order) and not _blank(billing) and not _blank(newsletter)
    assert audit_verify()[1] is None


def test_an_erasure_of_everything_blanks_what_earlier_erasures_left(maija):
    _, subject, _, _ = maija
    billing = _changed(BillingCustomer.objects.get(subject=subject), phone="040 123")
    _erase(maija, "postal")
    first = _shreddings(subject)[0]
    _erase(maija, "")
    assert _blank(billing)
    first.refresh_from_db()
    assert first.shredded_at is None and first.details["reason"].startswith("erasure request")
    assert audit_verify()[1] is None


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


TABLE = AuditEvent._meta.db_table


def _tamper_action_of_a_shredded_event(subject):
    seq = AuditEvent.objects.filter(subject=subject, shredded_at__isnull=False).first().seq
    _raw(f"UPDATE {TABLE} SET action = %s WHERE seq = %s", ["test.forged", seq])
    return seq, "changed"


def _tamper_list_of_a_shredding(subject):
    shredding = _shreddings(subject)[0]
    shortened = {**shredding.details, "events": shredding.details["events"][1:]}
    models.QuerySet.update(AuditEvent.objects.filter(pk=shredding.pk), details=shortened)
    return shredding.seq, "details were changed"


def _tamper_shred_without_record(subject):
    event = AuditEvent.objects.filter(
        subject=subject, shredded_at__isnull=True, action="register.record.changed"
    ).first()
    AuditEvent.objects.filter(pk=event.pk)._shred_update(
        details=SHREDDED_DETAILS, details_salt="", shredded_at="2026-01-01T00:00:00Z"
    )
    return event.seq, "without"


def _tamper_blank_a_shredding(subject):
    shredding = _shreddings(subject)[0]
    AuditEvent.objects.filter(pk=shredding.pk)._shred_update(
        details=SHREDDED_DETAILS, details_salt="", shredded_at="2026-01-01T00:00:00Z"
    )
    return shredding.seq, "itself shredded"


def _tamper_delete_an_erasure_record(subject):
    seq = AuditEvent.objects.filter(subject=subject, action="register.record.erased").first().seq
    _raw(f"DELETE FROM {TABLE} WHERE seq = %s", [seq])
    return seq, "missing"


@pytest.mark.parametrize(
    "tamper",
    [
        _tamper_action_of_a_shredded_event,
        _tamper_list_of_a_shredding,
        _tamper_shred_without_record,
        _tamper_blank_a_shredding,
        _tamper_delete_an_erasure_record,
    ],
)
def test_tampering_after_shreds_is_still_detected(maija, tamper):
    _, subject, account, _ = maija
    _changed(PostalRecipient.objects.get(subject=subject), street_address=OLD_ADDRESS)
    _changed(NewsletterSubscription.objects.get(subject=subject), email="old@example.fi")
    _changed(account, phone={"old": "040 123", "new": ""})
    _erase(maija, "postal")
    _erase(maija, "newsletter")
    assert audit_verify()[1] is None
    seq, reason = tamper(subject)
    _, chain_break = audit_verify()
    assert chain_break is not None and chain_break.seq == seq and reason in chain_break.reason
