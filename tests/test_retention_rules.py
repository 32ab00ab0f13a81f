"""Retention rules compute a date per record (portal/registers/retention.py)."""

import datetime
import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, timezone, translation

from portal.registers import REGISTERS, get_register
from portal.registers.erasure import ANONYMISE as POLICY_ANONYMISES
from portal.registers.retention import (
    ANONYMISE,
    DELETE,
    Reason,
    add_years,
    books_keep_until,
    current_periods,
    financial_year_end,
    parse_financial_year_end,
    record_periods,
    voucher_keep_until,
    with_retention,
)
from tests.extracts import customer_in_every_register, pdf_text, signed_in_customer
from tests.factories import (
    BillingCustomerFactory,
    InvoiceFactory,
    NewsletterSubscriptionFactory,
    OrderFactory,
    PostalRecipientFactory,
    ReturnFactory,
    WebshopAccountFactory,
)

SCHEMA = json.loads((Path(django_settings.BASE_DIR) / "docs" / "export-schema.json").read_text())


def at(day: date, hour=12):
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def periods_of(register_key, record):
    register = get_register(register_key)
    fetched = with_retention(register, register.model_class.objects.filter(pk=record.pk)).get()
    return record_periods(register, fetched)


# --- The Accounting Act, 2:10 ------------------------------------------------------------


def test_vouchers_are_kept_6_years_from_the_end_of_the_calendar_year_books_10_from_year_end():
    assert voucher_keep_until(date(2026, 2, 15), (12, 31)) == date(2032, 12, 31)
    assert books_keep_until(date(2026, 2, 15), (12, 31)) == date(2036, 12, 31)
    assert voucher_keep_until(date(2026, 12, 31), (12, 31)) == date(2032, 12, 31)


def test_a_financial_year_ending_31_march_never_gives_a_date_a_year_too_early():
    # 15.2.2026 belongs to the financial year 1.4.2025-31.3.2026, which ends in 2026.
    assert financial_year_end(date(2026, 2, 15), (3, 31)) == date(2026, 3, 31)
    assert voucher_keep_until(date(2026, 2, 15), (3, 31)) == date(2032, 12, 31)
    assert books_keep_until(date(2026, 2, 15), (3, 31)) == date(2036, 3, 31)
    # The last day of the year is still in it; the next day starts the next one.
    assert financial_year_end(date(2026, 3, 31), (3, 31)) == date(2026, 3, 31)
    assert voucher_keep_until(date(2026, 4, 1), (3, 31)) == date(2033, 12, 31)
    assert books_keep_until(date(2026, 4, 1), (3, 31)) == date(2037, 3, 31)


def test_the_financial_year_end_comes_from_the_setting(settings):
    settings.FINANCIAL_YEAR_END = "03-31"
    assert voucher_keep_until(date(2026, 4, 15)) == date(2033, 12, 31)
    assert books_keep_until(date(2026, 2, 15)) == date(2036, 3, 31)
    settings.FINANCIAL_YEAR_END = "12-31"
    assert voucher_keep_until(date(2026, 4, 15)) == date(2032, 12, 31)


@pytest.mark.parametrize("value", ["02-29", "13-01", "12-32", "31.12.", "", "1231"])
def test_a_financial_year_end_that_is_not_a_day_of_every_year_is_refused(value):
    with pytest.raises(ImproperlyConfigured, match="FINANCIAL_YEAR_END"):
        parse_financial_year_end(value)


def test_the_settings_refuse_a_bad_financial_year_end_at_start(monkeypatch):
    import importlib

    import portal.settings

    monkeypatch.setenv("FINANCIAL_YEAR_END", "02-30")
    with pytest.raises(ImproperlyConfigured, match="FINANCIAL_YEAR_END"):
        importlib.reload(portal.settings)
    monkeypatch.delenv("FINANCIAL_YEAR_END")
    importlib.reload(portal.settings)


# --- Every register ----------------------------------------------------------------------


@pytest.mark.parametrize("register", REGISTERS, ids=lambda r: r.key)
def test_every_register_declares_a_retention_rule_its_erasure_policy_can_carry_out(register):
    assert register.retention_rule is not None
    if getattr(register.retention_rule, "vouchers", ()):
        # The customer-relationship period ends by anonymising, as the erasure policy says.
        assert register.erasure is not None and register.erasure.method == POLICY_ANONYMISES


@pytest.mark.parametrize("code", list(Reason.labels))
def test_every_reason_has_a_label(code):
    assert str(Reason.labels[code])


# --- Per record ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_web_shop_account_is_kept_2_years_after_the_last_order_then_its_vouchers(settings):
    settings.FINANCIAL_YEAR_END = "12-31"
    account = WebshopAccountFactory()
    old = OrderFactory(account=account, placed_at=at(date(2025, 6, 1)))
    InvoiceFactory(order=old, issued_on=date(2025, 6, 2))
    last = OrderFactory(account=account, placed_at=at(date(2026, 3, 10)))
    InvoiceFactory(order=last, issued_on=date(2026, 3, 11))

    relationship, accounting = periods_of("webshop", account)

    assert (relationship.until, relationship.reason, relationship.then) == (
        date(2028, 3, 10),
        Reason.CUSTOMER_RELATIONSHIP,
        ANONYMISE,
    )
    assert (accounting.until, accounting.reason, accounting.then) == (
        date(2032, 12, 31),
        Reason.ACCOUNTING,
        DELETE,
    )


@pytest.mark.django_db
def test_a_refund_is_a_voucher_too(settings):
    settings.FINANCIAL_YEAR_END = "12-31"
    account = WebshopAccountFactory()
    order = OrderFactory(account=account, placed_at=at(date(2026, 12, 1)))
    InvoiceFactory(order=order, issued_on=date(2026, 12, 2))
    ReturnFactory(order=order, returned_on=date(2027, 1, 5))

    assert periods_of("webshop", account)[-1].until == date(2033, 12, 31)


@pytest.mark.django_db
def test_with_a_march_year_end_an_invoice_of_15_february_is_kept_until_the_end_of_2032(settings):
    settings.FINANCIAL_YEAR_END = "03-31"
    account = WebshopAccountFactory()
    order = OrderFactory(account=account, placed_at=at(date(2026, 2, 14)))
    InvoiceFactory(order=order, issued_on=date(2026, 2, 15))

    assert periods_of("webshop", account)[-1].until == date(2032, 12, 31)


@pytest.mark.django_db
def test_a_web_shop_account_without_orders_goes_2_years_after_it_was_opened():
    account = WebshopAccountFactory(created_at=at(date(2025, 1, 20)))

    (only,) = periods_of("webshop", account)

    assert (only.until, only.reason, only.then) == (
        date(2027, 1, 20),
        Reason.CUSTOMER_RELATIONSHIP,
        DELETE,
    )


@pytest.mark.django_db
def test_a_billing_customer_counts_from_the_last_update_of_the_record(settings):
    settings.FINANCIAL_YEAR_END = "12-31"
    customer = BillingCustomerFactory()
    type(customer).objects.filter(pk=customer.pk).update(updated_at=at(date(2026, 5, 4)))

    relationship, accounting = periods_of("billing", customer)

    assert (relationship.until, relationship.then) == (date(2028, 5, 4), ANONYMISE)
    assert (accounting.until, accounting.reason) == (date(2032, 12, 31), Reason.ACCOUNTING)


@pytest.mark.django_db
def test_an_unconfirmed_newsletter_subscription_is_kept_30_days():
    pending = NewsletterSubscriptionFactory(
        status="pending", subscribed_at=at(date(2026, 1, 10)), confirmed_at=None
    )

    (only,) = periods_of("newsletter", pending)

    assert (only.until, only.reason, only.then) == (
        date(2026, 2, 9),
        Reason.CONSENT_NOT_CONFIRMED,
        DELETE,
    )


@pytest.mark.django_db
def test_a_confirmed_subscription_has_no_end_date_and_a_withdrawn_one_ends_that_day():
    confirmed = NewsletterSubscriptionFactory()
    withdrawn = NewsletterSubscriptionFactory(
        status="unsubscribed", unsubscribed_at=at(date(2026, 4, 2), 23)
    )

    (open_ended,) = periods_of("newsletter", confirmed)
    (ended,) = periods_of("newsletter", withdrawn)

    assert (open_ended.until, open_ended.reason) == (None, Reason.CONSENT)
    assert str(open_ended.open_ended)
    assert not open_ended.expired(date(2100, 1, 1))
    # 23:00 on 2 April in Helsinki is the same day there, whatever the time in UTC.
    assert (ended.until, ended.reason) == (date(2026, 4, 2), Reason.CONSENT_WITHDRAWN)


@pytest.mark.django_db
def test_a_postal_entry_is_reviewed_every_2_years_and_goes_when_marketing_is_forbidden():
    entry = PostalRecipientFactory()
    forbidden = PostalRecipientFactory(postal_marketing_allowed=False)
    type(entry).objects.update(updated_at=at(date(2026, 2, 28)))

    (review,) = periods_of("postal", entry)
    (objection,) = periods_of("postal", forbidden)

    assert (review.until, review.reason) == (date(2028, 2, 28), Reason.CUSTOMER_RELATIONSHIP)
    assert (objection.until, objection.reason) == (date(2026, 2, 28), Reason.MARKETING_FORBIDDEN)


def test_a_period_ends_after_its_last_day_not_on_it():
    from portal.registers.retention import ALL_DATA, Period

    period = Period(date(2032, 12, 31), Reason.ACCOUNTING, ALL_DATA)

    assert not period.expired(date(2032, 12, 31))
    assert period.expired(date(2033, 1, 1))
    later = Period(date(2034, 1, 1), Reason.ACCOUNTING, ALL_DATA)
    assert current_periods([period, later], date(2033, 1, 1)) == [later]
    assert current_periods([period], date(2040, 1, 1)) == [period]


KEEPING_ERASURES = [r for r in REGISTERS if r.erasure is not None and r.erasure.keep_until]


@pytest.mark.parametrize("register", KEEPING_ERASURES, ids=lambda r: r.key)
def test_an_erasure_keeps_vouchers_as_long_as_retention_says(register, settings):
    """The answer to an erasure and my data must name the same date: with a year ending 31
    March, an invoice of 15 April 2026 is in the year ending 2027, kept until the end of 2033."""
    settings.FINANCIAL_YEAR_END = "03-31"
    policy = register.erasure
    assert policy.keep_until(date(2026, 4, 15)) == voucher_keep_until(date(2026, 4, 15))
    assert policy.keep_until(date(2026, 4, 15)) == date(2033, 12, 31)


# --- What the customer is told, record by record ------------------------------------------


def _fi_date(day: date) -> str:
    with translation.override("fi"):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def _kept_until_line(day: date, reason: str) -> str:
    with translation.override("fi"):
        return translation.gettext("kept until %(date)s, %(reason)s") % {
            "date": _fi_date(day),
            "reason": Reason.labels[reason],
        }


@pytest.mark.django_db
def test_my_data_shows_each_records_own_retention_date(client):
    customer_in_every_register()
    signed_in_customer(client)
    today = timezone.localdate()

    page = client.get("/fi/my-data/").content.decode()

    webshop = page[page.index('id="register-webshop"') :]
    assert _kept_until_line(add_years(today, 2), Reason.CUSTOMER_RELATIONSHIP) in webshop
    assert _kept_until_line(voucher_keep_until(today), Reason.ACCOUNTING) in webshop
    newsletter = page[page.index('id="register-newsletter"') : page.index('id="register-webshop"')]
    with translation.override("fi"):
        assert str(Reason.labels[Reason.CONSENT]) in newsletter


@pytest.mark.django_db
def test_the_json_export_gives_a_kept_until_date_and_reason_code_per_record(client):
    customer_in_every_register()
    signed_in_customer(client)
    today = timezone.localdate()

    document = json.loads(client.post("/fi/my-data/export.json").content)

    jsonschema.validate(document, SCHEMA)
    records = {r["key"]: r["records"] for r in document["registers"]}
    (account,) = records["webshop"]
    assert account["kept_until"]["date"] == voucher_keep_until(today).isoformat()
    assert account["kept_until"]["reason"] == "accounting"
    assert [p["then"] for p in account["retention_periods"]] == ["anonymise", "delete"]
    (subscription,) = records["newsletter"]
    assert subscription["kept_until"] == {
        "date": None,
        "reason": "consent",
        "reason_text": subscription["kept_until"]["reason_text"],
    }
    (entry,) = records["postal"]
    assert entry["kept_until"]["date"] == add_years(today, 2).isoformat()


@pytest.mark.django_db
def test_the_pdf_extract_shows_each_records_own_retention_date(client):
    customer_in_every_register(orders=1)
    signed_in_customer(client)

    text = pdf_text(client.post("/fi/my-data/extract.pdf").content)

    assert _kept_until_line(voucher_keep_until(timezone.localdate()), Reason.ACCOUNTING) in text
