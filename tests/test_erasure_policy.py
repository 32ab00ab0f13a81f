"""Every register's erasure does what its declared policy says, and the answer says so: no
personal data stays except the declared kept fields, each with its until-date and reason;
a register without a policy is never erased; the evidence of an objection or a consent, and
the suppression, outlive the erasure (Art. 5(2), 7(1), 17(3)(b)/(e), 21(3))."""

import dataclasses
import datetime
import decimal
import html

import pytest
from django.db import models, transaction
from django.utils import timezone, translation

from portal import suppression
from portal.audit import audit_record, audit_verify
from portal.errors import Refusal
from portal.models import AuditEvent
from portal.registers import REGISTERS, REGISTERS_BY_KEY, get_register
from portal.registers.erasure import BASES, DELETE, RECORD_DATES
from portal.registers.marketing import NO_POSTAL_MARKETING, UNSUBSCRIBE
from subject_requests.decisions import decision_text
from subject_requests.models import DataRequest
from subject_requests.services import erasure as erasure_service
from subject_requests.services.base import request_submit
from subject_requests.services.erasure import erasure_decide
from subject_requests.services.objection import objection_submit
from tests.extracts import EMAIL, customer_in_every_register, signed_in_customer
from tests.factories import DeliveryFactory, OrderFactory, ReturnFactory, UserFactory
from tests.staff_queue_helpers import staff_member

pytestmark = pytest.mark.django_db
MILLISECOND = datetime.timedelta(milliseconds=1)  # the audit trail's JSON keeps milliseconds


def _fill(record) -> None:
    """Give every empty field of the record a value, so that erasing it shows."""
    for field in record._meta.concrete_fields:
        if getattr(record, field.attname) not in ("", None) or field.primary_key:
            continue
        if isinstance(field, models.DecimalField):
            value = decimal.Decimal("500.00")
        elif isinstance(field, models.DateTimeField):
            value = timezone.now()
        elif isinstance(field, models.DateField):
            value = timezone.localdate()
        elif isinstance(field, models.CharField | models.TextField) and not field.choices:
            value = f"{field.name[:8]}-{record.pk}"[: field.max_length]
        else:
            continue
        setattr(record, field.attname, value)
    record.save()


def _person():
    """Maija in every register, every field filled; the web shop with an order that was never
    invoiced, deliveries and a return."""
    subject, account = customer_in_every_register(orders=2)
    invoiced = account.orders.first()
    DeliveryFactory(order=invoiced)
    ReturnFactory(order=invoiced)
    DeliveryFactory(order=OrderFactory(account=account, number="T-NOINVOICE"))
    for register in REGISTERS:
        for record in register.records_for(subject):
            _fill(record)
    return UserFactory(username=EMAIL, email=EMAIL), subject


def _erase(user, subject, register_key="", language="en") -> DataRequest:
    request = request_submit(
        user=user,
        type=DataRequest.Type.ERASURE,
        subject=subject,
        register=register_key,
        language=language,
    )
    erasure_decide(request=request, staff=staff_member(), approve=True)
    request.refresh_from_db()
    return request


def _texts(value) -> set[str]:
    """The identifying text values of a record (short codes and choices say nothing)."""
    return {v for v in value.values() if isinstance(v, str) and len(v) >= 5}


@pytest.mark.parametrize("register", REGISTERS, ids=lambda r: r.key)
def test_every_register_declares_a_sound_erasure_policy(register):
    assert register.erasure is not None, "a register without an erasure policy cannot be erased"
    assert register.erasure.problems(register) == []


@pytest.mark.parametrize("register", REGISTERS, ids=lambda r: r.key)
def test_erasure_leaves_no_personal_data_except_the_declared_kept_fields_with_their_dates(
    register,
):
    user, subject = _person()
    policy = register.erasure
    (record,) = register.records_for(subject)
    before = {spec.name: getattr(record, spec.name) for spec in register.fields}
    keep_from = record.updated_at.date()
    if policy.dated_by:
        key, name = policy.dated_by
        spec = next(r for r in register.related if r.key == key)
        dated = spec.model_class.objects.filter(**{spec.path: record})
        keep_from = dated.aggregate(m=models.Max(name))["m"]
    events_before = {
        spec.key: set(
            spec.model_class.objects.filter(**{spec.path: record}).values_list("pk", flat=True)
        )
        for spec in register.related
    }
    kept = set(policy.kept) | set(RECORD_DATES) | set(policy.evidence)
    erased_values = _texts({k: v for k, v in before.items() if k not in kept})
    with transaction.atomic():
        about = audit_record(
            action="register.record.changed",
            subject=subject,
            target=record,
            details={"fields": {k: str(v) for k, v in before.items()}},
        )

    request = _erase(user, subject, register.key)

    remaining = register.model_class.objects.filter(pk=record.pk).first()
    if policy.method == DELETE:
        assert remaining is None
    else:
        for name in policy.erased:
            value = getattr(remaining, name)
            assert value in ("", None) or value == f"erased-{record.pk}", name
        for name in policy.kept:
            assert getattr(remaining, name) == before[name], name
        for rule in policy.related:
            spec = next(r for r in register.related if r.key == rule.key)
            left = spec.model_class.objects.filter(pk__in=events_before[rule.key])
            if rule.kept:
                assert left.count() == len(events_before[rule.key]), rule.key
            elif rule.kept_if:
                assert left.exists() and not left.filter(**{f"{rule.kept_if}__isnull": True})
            else:
                assert not left.exists(), rule.key
    for kind in policy.suppress:
        assert suppression.values_suppressed(kind, before), kind

    # The record of the erasure says what was kept, why and until when; nothing else of hers.
    erased = AuditEvent.objects.get(action="register.record.erased", subject=subject)
    if policy.kept:
        assert erased.details["kept"] == list(policy.kept)
        assert erased.details["basis"] == policy.basis.code
        assert erased.details["kept_until"] == policy.keep_until(keep_from).isoformat()
    if policy.evidence:
        assert set(erased.details["evidence"]) == set(policy.evidence)
        assert erased.details["evidence_until"]
    assert not erased_values & _texts(erased.details)
    about.refresh_from_db()
    assert about.shredded_at is not None
    for event in AuditEvent.objects.filter(subject=subject, shredded_at__isnull=True):
        assert not any(value in str(event.details) for value in erased_values), event.action

    # The answer names every kept field, its date and its reason, and nothing erased.
    translation.activate("en")  # the reader's language; pytest-django resets it after
    answer = decision_text(request)
    assert answer.startswith("Your data was erased.")
    if policy.kept:
        for name in policy.kept:
            assert str(register.field_label(name)) in answer
        assert policy.keep_until(keep_from).strftime("%-d %b %Y") in answer
        assert str(policy.basis.text) in answer
    if policy.evidence:
        assert str(policy.evidence_basis.text) in answer
    if policy.suppress:
        assert "keyed one-way hash" in answer
    assert not any(value in answer for value in erased_values)


def test_a_register_without_an_erasure_policy_is_never_erased(monkeypatch):
    """A register with an email and none of the customer details, and no policy: refused
    whole, so the customer is never told of an erasure that did not happen."""
    user, subject = _person()
    bare = dataclasses.replace(get_register("newsletter"), erasure=None)
    monkeypatch.setitem(REGISTERS_BY_KEY, "newsletter", bare)
    monkeypatch.setattr(
        erasure_service, "REGISTERS", tuple(bare if r.key == "newsletter" else r for r in REGISTERS)
    )
    for register_key in ("newsletter", ""):
        request = request_submit(
            user=user, type=DataRequest.Type.ERASURE, subject=subject, register=register_key
        )
        with pytest.raises(Refusal, match="declares no erasure policy"):
            erasure_decide(request=request, staff=staff_member(), approve=True)
        request.refresh_from_db()
        assert request.is_open and not request.decision
    for register in REGISTERS:
        record = register.records_for(subject).get()
        assert record.customer_number and (not hasattr(record, "email") or record.email)
    assert not AuditEvent.objects.filter(action="register.record.erased").exists()
    assert not suppression.values_suppressed("email", {"email": EMAIL})


def test_the_answer_is_stored_as_codes_and_read_in_the_readers_language():
    """Decided by English-speaking staff on a Finnish request: nothing is stored in either
    language; the Finnish reader reads it in Finnish, an English one in English."""
    user, subject = _person()
    account = get_register("webshop").records_for(subject).get()
    latest = account.orders.filter(invoices__isnull=False).latest("invoices__issued_on")
    issued = latest.invoices.get().issued_on
    with translation.override("en"):
        request = _erase(user, subject, "webshop", language="fi")
    assert request.decision == "" and request.decision_code == "erased"
    until = get_register("webshop").erasure.keep_until(issued)
    with translation.override("fi"):
        finnish = decision_text(request)
        assert str(get_register("webshop").name) in finnish
    assert finnish.startswith("Tietosi on poistettu.")
    assert f"{until.day}.{until.month}.{until.year}" in finnish
    with translation.override("en"):
        assert decision_text(request).startswith("Your data was erased.")


def test_erasure_keeps_the_evidence_of_an_objection_and_of_a_consent_and_the_suppression():
    user, subject = _person()
    newsletter = get_register("newsletter").records_for(subject).get()
    confirmed_at = newsletter.confirmed_at
    objection_submit(user=user, subjects=[subject], choices={NO_POSTAL_MARKETING, UNSUBSCRIBE})
    proof = list(
        AuditEvent.objects.filter(subject=subject, action__startswith="request.objection.")
    ) + list(AuditEvent.objects.filter(subject=subject, details__via="objection"))
    assert len(proof) >= 3  # received, the postal entry and the subscription changed
    with transaction.atomic():
        viewed = audit_record(action="data.my_data.viewed", subject=subject, details={"x": EMAIL})

    _erase(user, subject)  # everything

    for event in proof:
        event.refresh_from_db()
        assert event.shredded_at is None and event.details, event.action
    viewed.refresh_from_db()
    assert viewed.shredded_at is not None
    consent = AuditEvent.objects.get(
        action="register.record.erased", subject=subject, details__register="newsletter"
    )
    kept_confirmation = consent.details["evidence"]["confirmed_at"]
    assert abs(datetime.datetime.fromisoformat(kept_confirmation) - confirmed_at) < MILLISECOND
    assert consent.details["evidence"]["status"] == "unsubscribed"
    assert consent.details["evidence_basis"] in BASES
    assert EMAIL not in str(consent.details)
    assert suppression.values_suppressed("email", {"email": EMAIL})
    assert audit_verify()[1] is None


def test_erasing_one_register_shreds_only_the_events_about_its_data():
    user, subject = _person()
    events = {}
    with transaction.atomic():
        for register in REGISTERS:
            record = register.records_for(subject).get()
            events[register.key] = audit_record(
                action="register.record.changed",
                subject=subject,
                target=record,
                details={"fields": {"customer_number": record.customer_number}},
            )
    for erased in ("newsletter", "webshop"):
        _erase(user, subject, erased)
        for register in REGISTERS:
            events[register.key].refresh_from_db()
    assert events["newsletter"].shredded_at and events["webshop"].shredded_at
    assert events["billing"].shredded_at is None and events["postal"].shredded_at is None
    assert audit_verify()[1] is None


@pytest.mark.parametrize("register", REGISTERS, ids=lambda r: r.key)
def test_the_erasure_form_says_what_the_policy_deletes_and_keeps(client, register):
    customer_in_every_register(orders=1)
    signed_in_customer(client)
    page = html.unescape(client.get(f"/en/requests/erasure/{register.key}/").content.decode())
    policy = register.erasure
    translation.activate("en")
    if policy.method == DELETE:
        assert "Everything this register holds about you is deleted." in page
    for name in policy.kept + policy.evidence:
        assert str(register.field_label(name)) in page, name
    for basis in (policy.basis, policy.evidence_basis):
        assert basis is None or str(basis.text) in page
    assert ("keyed one-way hash" in page) == bool(policy.suppress)
