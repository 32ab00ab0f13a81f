"""apply_retention: exactly what the declarations say has expired goes, audited; nothing early."""

import datetime
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from portal import models
from portal.audit import audit_record, audit_verify
from portal.demo.loader import demo_load
from portal.registers import REGISTERS
from portal.registers.retention import record_periods, with_retention
from portal.retention_service import retention_apply, retention_due
from tests.factories import (
    BillingCustomerFactory,
    DeliveryFactory,
    InvoiceFactory,
    NewsletterSubscriptionFactory,
    OrderFactory,
    ReturnFactory,
    WebshopAccountFactory,
)

pytestmark = pytest.mark.django_db


def at(day: date, hour=12):
    zone = timezone.get_current_timezone()
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


def run(*args) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def expired_by_declaration(day: date) -> set[str]:
    """Every record whose declared periods have all ended by `day`, read straight from the
    declarations (what must be deleted), as "register label" lines."""
    found = set()
    for register in REGISTERS:
        for record in with_retention(register, register.model_class.objects.all()):
            periods = record_periods(register, record)
            if periods and periods[-1].expired(day):
                found.add(f"{register.key} {register.model_class._meta.label}:{record.pk}")
    return found


def listed(output: str, action: str) -> set[str]:
    """The records a run lists with `action`, as "register label" lines."""
    return {
        ":".join(line.split(":")[:2]) for line in output.splitlines() if f": {action} (" in line
    }


def web_shop_customer(*, last_order: date, invoiced=True):
    account = WebshopAccountFactory(password="demo-password-2026", phone="040 123 4567")
    kept = OrderFactory(account=account, placed_at=at(last_order))
    DeliveryFactory(order=kept)
    if invoiced:
        InvoiceFactory(order=kept, issued_on=last_order + timedelta(days=1))
        ReturnFactory(order=kept, returned_on=last_order + timedelta(days=9))
    uninvoiced = OrderFactory(account=account, placed_at=at(last_order - timedelta(days=30)))
    return account, kept, uninvoiced


# --- The demo data, ten years on ---------------------------------------------------------------


def test_ten_years_on_the_dry_run_lists_exactly_what_the_declarations_say_and_writes_nothing():
    demo_load()
    later = timezone.localdate() + timedelta(days=3652)
    events = models.AuditEvent.objects.count()
    counts = [register.model_class.objects.count() for register in REGISTERS]

    output = run("--dry-run", "--today", later.isoformat())

    assert listed(output, "delete") == expired_by_declaration(later)
    assert listed(output, "anonymise") == set()  # ten years on, the vouchers have gone too
    assert "Dry run: nothing was changed." in output
    assert models.AuditEvent.objects.count() == events
    assert [register.model_class.objects.count() for register in REGISTERS] == counts
    # A confirmed newsletter subscription has no end date: consent lasts until withdrawn.
    confirmed = models.NewsletterSubscription.objects.filter(status="confirmed")
    assert confirmed.exists()
    assert not any(
        f"NewsletterSubscription:{pk}:" in output for pk in confirmed.values_list("pk", flat=True)
    )


def test_ten_years_on_running_it_deletes_what_was_listed_and_the_audit_trail_verifies(settings):
    settings.DEBUG = True  # development: a later day may be run, not only listed
    demo_load()
    later = timezone.localdate() + timedelta(days=3652)
    expected = expired_by_declaration(later)

    run("--today", later.isoformat())

    assert expired_by_declaration(later) == set()
    deleted = models.AuditEvent.objects.filter(action="retention.record.deleted")
    assert {f"{e.details['register']} {e.target}" for e in deleted} == expected
    assert audit_verify()[1] is None
    assert listed(run("--dry-run", "--today", later.isoformat()), "delete") == set()
    assert not models.Invoice.objects.exists()  # the vouchers' date had passed too


def test_on_the_demo_data_today_nothing_is_listed_before_its_date():
    demo_load()
    today = timezone.localdate()

    summary = retention_due(today=today)

    assert summary.due
    for item in summary.due:
        assert item.until < today, item


# --- One record through its periods ---------------------------------------------------------


def test_a_web_shop_account_is_anonymised_the_day_after_its_relationship_ends_not_before(settings):
    settings.FINANCIAL_YEAR_END = "12-31"
    account, kept, uninvoiced = web_shop_customer(last_order=date(2026, 3, 10))
    updated = type(account).objects.get(pk=account.pk).updated_at

    assert retention_apply(today=date(2028, 3, 10)).due == []
    account.refresh_from_db()
    assert account.email and account.username.startswith("shopper")

    (done,) = retention_apply(today=date(2028, 3, 11)).due

    account.refresh_from_db()
    assert (done.action, done.reason, done.until) == (
        "anonymise",
        "customer_relationship",
        date(2028, 3, 10),
    )
    assert account.email == "" and account.phone == "" and account.password == ""
    assert account.username == f"erased-{account.pk}"
    assert (account.first_name, account.street_address) != ("", "")  # whom the invoice was for
    assert account.updated_at == updated  # the periods still count from the last order
    assert list(account.orders.all()) == [kept]
    assert not models.Delivery.objects.filter(order=kept).exists()
    assert kept.invoices.exists() and kept.returns.exists()
    event = models.AuditEvent.objects.get(action="retention.record.anonymised")
    assert event.target == f"portal.WebshopAccount:{account.pk}"
    assert event.details["reason"] == "customer_relationship"
    assert "email" in event.details["erased"]
    # Done once: the next days find nothing more to do until the vouchers' date.
    assert retention_apply(today=date(2028, 3, 12)).due == []
    assert retention_apply(today=date(2032, 12, 31)).due == []
    assert models.AuditEvent.objects.filter(action="retention.record.anonymised").count() == 1


def test_accounting_retained_data_goes_when_its_date_passes(settings):
    settings.FINANCIAL_YEAR_END = "03-31"
    # 15 February 2026 belongs to the financial year ending 31 March 2026.
    account, kept, _ = web_shop_customer(last_order=date(2026, 2, 6))
    assert kept.invoices.get().issued_on == date(2026, 2, 7)
    kept.returns.update(returned_on=date(2026, 2, 15))
    retention_apply(today=date(2029, 1, 1))

    assert retention_apply(today=date(2032, 12, 31)).due == []
    (done,) = retention_apply(today=date(2033, 1, 1)).due

    assert (done.action, done.reason) == ("delete", "accounting")
    assert not models.WebshopAccount.objects.filter(pk=account.pk).exists()
    assert not models.Order.objects.filter(pk=kept.pk).exists()
    assert not models.Invoice.objects.exists() and not models.Return.objects.exists()
    event = models.AuditEvent.objects.get(action="retention.record.deleted")
    assert event.details["kept_until"] == "2032-12-31"
    assert audit_verify()[1] is None


def test_a_billing_customer_is_anonymised_then_deleted(settings):
    settings.FINANCIAL_YEAR_END = "12-31"
    customer = BillingCustomerFactory()
    type(customer).objects.filter(pk=customer.pk).update(updated_at=at(date(2026, 5, 4)))

    retention_apply(today=date(2028, 5, 5))
    customer.refresh_from_db()
    assert customer.email == "" and customer.credit_limit is None and customer.last_name

    retention_apply(today=date(2032, 12, 31))
    assert type(customer).objects.filter(pk=customer.pk).exists()
    retention_apply(today=date(2033, 1, 1))
    assert not type(customer).objects.filter(pk=customer.pk).exists()


def test_a_restricted_record_is_held_not_deleted():
    pending = NewsletterSubscriptionFactory(
        status="pending",
        subscribed_at=at(date(2026, 1, 1)),
        confirmed_at=None,
        restricted_at=timezone.now(),
    )

    output = run("--today", "2026-06-01")

    assert type(pending).objects.filter(pk=pending.pk).exists()
    assert "newsletter: 0 deleted, 0 anonymised, 1 held" in output


def test_a_withdrawn_consent_is_deleted_the_next_day_keeping_the_proof_of_it():
    withdrawn = NewsletterSubscriptionFactory(
        status="unsubscribed",
        subscribed_at=at(date(2025, 1, 1)),
        unsubscribed_at=at(date(2026, 4, 2)),
    )

    assert retention_apply(today=date(2026, 4, 2)).due == []
    retention_apply(today=date(2026, 4, 3))

    assert not type(withdrawn).objects.filter(pk=withdrawn.pk).exists()
    event = models.AuditEvent.objects.get(action="retention.record.deleted")
    assert event.details["reason"] == "consent_withdrawn"
    assert event.details["evidence"]["unsubscribed_at"].startswith("2026-04-02")
    assert "email" not in event.details["evidence"]


def test_earlier_events_about_a_deleted_record_lose_their_personal_details():
    pending = NewsletterSubscriptionFactory(
        status="pending",
        subscribed_at=at(date(2026, 1, 1)),
        confirmed_at=None,
        email="old@example.fi",
    )
    with transaction.atomic():
        change = audit_record(
            action="register.record.changed",
            subject=pending.subject,
            target=pending,
            details={"fields": {"email": {"old": "older@example.fi", "new": "old@example.fi"}}},
        )

    retention_apply(today=date(2026, 6, 1))

    change.refresh_from_db()
    assert change.shredded_at is not None and "example.fi" not in str(change.details)
    deletion = models.AuditEvent.objects.get(action="retention.record.deleted")
    assert "example.fi" not in str(deletion.details)
    assert audit_verify()[1] is None


# --- The portal's own sign-in events -------------------------------------------------------


def test_sign_in_events_lose_their_address_and_ip_after_the_declared_period(settings):
    settings.DEBUG = True
    settings.AUTH_EVENT_RETENTION_DAYS = 365
    with transaction.atomic():
        code = audit_record(action="auth.code.sent", details={"email": "maija@example.fi"})
        failed = audit_record(
            action="auth.sign_in.failed", details={"ip": "192.0.2.7", "login": "maija.m"}
        )
        renewed = audit_record(action="auth.sign_in.renewed")  # nothing personal to shred
        other = audit_record(action="data.export.issued", details={"reference": "RO-1"})
    written = timezone.localdate()

    assert retention_apply(today=written + timedelta(days=365)).auth_events == 0
    code.refresh_from_db()
    assert code.shredded_at is None

    output = run("--today", (written + timedelta(days=366)).isoformat())

    for event in (code, failed, renewed, other):
        event.refresh_from_db()
    assert code.shredded_at and failed.shredded_at
    assert "maija" not in str(code.details) + str(failed.details)
    assert renewed.shredded_at is None and other.details == {"reference": "RO-1"}
    assert "auth events: the details of 2 were shredded" in output
    assert audit_verify()[1] is None
    assert retention_apply(today=written + timedelta(days=367)).auth_events == 0


# --- The command ----------------------------------------------------------------------------


def test_the_dry_run_lists_and_writes_nothing_and_the_summary_names_every_register():
    NewsletterSubscriptionFactory(
        status="pending", subscribed_at=at(date(2026, 1, 1)), confirmed_at=None
    )
    events = models.AuditEvent.objects.count()

    output = run("--dry-run", "--today", "2026-03-01")

    assert "newsletter portal.NewsletterSubscription:" in output
    assert ": delete (consent_not_confirmed, kept until 2026-01-31)" in output
    for register in REGISTERS:
        assert f"  {register.key}: " in output
    assert models.NewsletterSubscription.objects.count() == 1
    assert models.AuditEvent.objects.count() == events


def test_a_bad_day_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--today", "1.3.2026")


def test_outside_development_a_later_day_only_lists(settings):
    settings.DEBUG = False
    pending = NewsletterSubscriptionFactory(
        status="pending", subscribed_at=at(date(2026, 1, 1)), confirmed_at=None
    )
    later = (timezone.localdate() + timedelta(days=1)).isoformat()

    with pytest.raises(CommandError, match="--dry-run"):
        run("--today", later)

    assert "newsletter portal.NewsletterSubscription:" in run("--dry-run", "--today", later)
    assert type(pending).objects.filter(pk=pending.pk).exists()
