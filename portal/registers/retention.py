"""Retention as rules that compute, for each record, until when it is kept and why.

A register declares its rule in `retention_rule`. A rule gives every record a sequence of
periods: each says what is kept (`scope`), until which day (`until`, inclusive: the data
may go on the day after), why (`reason`, a code) and what happens when it ends (`then`:
delete, or anonymise as the register's erasure policy says, keeping what a later period
needs). My data, the extract and the
JSON export show the periods; `apply_retention` carries them out.

The Accounting Act (kirjanpitolaki 1336/1997, 2:10) counts from the end of the financial
year, whose last day is the setting FINANCIAL_YEAR_END ("MM-DD", default "12-31").
Declarations must stay importable before Django's apps are loaded, so settings are read only
when a date is computed and the rules are plain frozen dataclasses.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

VOUCHER_YEARS = 6  # from the end of the calendar year in which the financial year ended
BOOKS_YEARS = 10  # from the end of the financial year

DELETE = "delete"
ANONYMISE = "anonymise"


class Reason:
    """Why a record is kept: stored and exported as the code, shown as the label."""

    CUSTOMER_RELATIONSHIP = "customer_relationship"
    ACCOUNTING = "accounting"
    CONSENT = "consent"
    CONSENT_NOT_CONFIRMED = "consent_not_confirmed"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    MARKETING_FORBIDDEN = "marketing_forbidden"

    labels = {
        CUSTOMER_RELATIONSHIP: _("customer relationship"),
        ACCOUNTING: _("Accounting Act"),
        CONSENT: _("your consent"),
        CONSENT_NOT_CONFIRMED: _("subscription not confirmed"),
        CONSENT_WITHDRAWN: _("consent withdrawn"),
        MARKETING_FORBIDDEN: _("direct marketing forbidden"),
    }


# --- The Accounting Act -----------------------------------------------------------------


def parse_financial_year_end(value: str) -> tuple[int, int]:
    """The setting "MM-DD" as (month, day); 29 February is refused, as not every year has it."""
    try:
        day = datetime.date.fromisoformat(f"2001-{value.strip()}")  # 2001 has no 29 February
    except ValueError:
        raise ImproperlyConfigured(
            f"FINANCIAL_YEAR_END must be the last day of the financial year as MM-DD "
            f"(such as 12-31 or 03-31), not {value!r}."
        ) from None
    return day.month, day.day


def _configured_year_end() -> tuple[int, int]:
    return parse_financial_year_end(getattr(settings, "FINANCIAL_YEAR_END", "12-31"))


def financial_year_end(day: datetime.date, year_end: tuple[int, int] | None = None):
    """The last day of the financial year that `day` belongs to."""
    month, last = year_end or _configured_year_end()
    end = datetime.date(day.year, month, last)
    return end if end >= day else datetime.date(day.year + 1, month, last)


def voucher_keep_until(day: datetime.date, year_end: tuple[int, int] | None = None):
    """The last day a voucher dated `day` (an invoice, a refund) must be kept: 6 years from
    the end of the calendar year in which its financial year ended (2:10, subsection 2)."""
    return datetime.date(financial_year_end(day, year_end).year + VOUCHER_YEARS, 12, 31)


def books_keep_until(day: datetime.date, year_end: tuple[int, int] | None = None):
    """The last day the books of the financial year of `day` must be kept: 10 years from
    the end of that financial year (2:10, subsection 1)."""
    return add_years(financial_year_end(day, year_end), BOOKS_YEARS)


# What the Accounting Act keeps of a customer is what the vouchers name (the erasure policy).
accounting_keep_until = voucher_keep_until


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _local_date(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


# --- What a record is told ----------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """One stretch of a record's retention."""

    until: datetime.date | None  # None: no end date (it ends with a choice of yours)
    reason: str
    scope: Promise  # what is kept
    then: str = DELETE
    open_ended: Promise | None = None  # instead of a date, when `until` is None

    @property
    def reason_label(self):
        return Reason.labels[self.reason]

    def expired(self, today: datetime.date) -> bool:
        return self.until is not None and today > self.until


def current_periods(periods, today: datetime.date) -> list[Period]:
    """The periods still to come, for people: the last one if all have ended but the data
    is still there (apply_retention runs daily)."""
    periods = list(periods)
    return [p for p in periods if not p.expired(today)] or periods[-1:]


# --- The rules ----------------------------------------------------------------------------

ALL_DATA = _("All the data in this register")


@dataclass(frozen=True)
class CustomerRelationship:
    """Kept while the customer relationship lasts: `years` after the last activity (the
    latest date of `activity`, fields or ORM paths to related dates; the record's creation
    when there is none). Then, if `vouchers` names the dates of the record's vouchers, the
    record is anonymised as the register's erasure policy says, and what it keeps stays
    until voucher_keep_until of the latest of them."""

    years: int
    activity: tuple[str, ...]
    vouchers: tuple[str, ...] = ()
    kept_scope: Promise | None = None  # what stays for the Accounting Act

    def annotations(self) -> dict:
        paths = {p for p in (*self.activity, *self.vouchers) if "__" in p}
        return {_alias(p): Max(p) for p in sorted(paths)}

    def periods(self, record) -> tuple[Period, ...]:
        last = _latest(record, self.activity) or _local_date(record.created_at)
        relationship_until = add_years(last, self.years)
        voucher_day = _latest(record, self.vouchers)
        accounting_until = voucher_keep_until(voucher_day) if voucher_day else None
        if accounting_until is None or accounting_until <= relationship_until:
            return (Period(relationship_until, Reason.CUSTOMER_RELATIONSHIP, ALL_DATA),)
        return (
            Period(relationship_until, Reason.CUSTOMER_RELATIONSHIP, ALL_DATA, ANONYMISE),
            Period(accounting_until, Reason.ACCOUNTING, self.kept_scope),
        )


@dataclass(frozen=True)
class Consent:
    """Kept while a confirmed consent lasts; an unconfirmed one for `unconfirmed_days` after
    it was asked; a withdrawn one until the day it was withdrawn."""

    unconfirmed_days: int
    status: str
    pending: str
    withdrawn: str
    asked_at: str
    withdrawn_at: str
    open_ended: Promise

    def annotations(self) -> dict:
        return {}

    def periods(self, record) -> tuple[Period, ...]:
        status = getattr(record, self.status)
        if status == self.pending:
            asked = _local_date(getattr(record, self.asked_at) or record.created_at)
            until = asked + datetime.timedelta(days=self.unconfirmed_days)
            return (Period(until, Reason.CONSENT_NOT_CONFIRMED, ALL_DATA),)
        if status == self.withdrawn:
            until = _local_date(getattr(record, self.withdrawn_at) or record.updated_at)
            return (Period(until, Reason.CONSENT_WITHDRAWN, ALL_DATA),)
        return (Period(None, Reason.CONSENT, ALL_DATA, open_ended=self.open_ended),)


@dataclass(frozen=True)
class MarketingEntry:
    """A direct-marketing entry: kept `review_years` from its last update (entries still
    current are renewed at each review), and only until the day direct marketing is
    forbidden (`allowed` false); the suppression list keeps the person out from then on."""

    review_years: int
    allowed: str

    def annotations(self) -> dict:
        return {}

    def periods(self, record) -> tuple[Period, ...]:
        updated = _local_date(record.updated_at)
        if not getattr(record, self.allowed):
            return (Period(updated, Reason.MARKETING_FORBIDDEN, ALL_DATA),)
        until = add_years(updated, self.review_years)
        return (Period(until, Reason.CUSTOMER_RELATIONSHIP, ALL_DATA),)


def _alias(path: str) -> str:
    return "retention_" + path.replace("__", "_")


def _latest(record, paths) -> datetime.date | None:
    """The latest of the record's fields and of the aggregates `annotations` added."""
    days = [_local_date(getattr(record, _alias(p) if "__" in p else p)) for p in paths]
    days = [d for d in days if d is not None]
    return max(days) if days else None


def record_periods(register, record) -> tuple[Period, ...]:
    """The periods of one record, fetched with `with_retention` (or a record without
    aggregates when its rule needs none)."""
    rule = register.retention_rule
    return rule.periods(record) if rule is not None else ()


def with_retention(register, queryset):
    """`queryset` with what the register's rule needs, in the same query."""
    rule = register.retention_rule
    if rule is None:
        return queryset
    annotations = rule.annotations()
    return queryset.annotate(**annotations) if annotations else queryset
