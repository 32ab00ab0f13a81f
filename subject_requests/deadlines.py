"""Legal deadlines for answering requests (GDPR Art. 12(3))."""

import calendar
import datetime

MAX_EXTENSION_MONTHS = 2


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same date `months` later, or that month's last day when the date does not exist
    (31 January + 1 month = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def due_date(received: datetime.date) -> datetime.date:
    """One month after receipt."""
    return add_months(received, 1)


def extended_due_date(received: datetime.date, months: int) -> datetime.date:
    """Extended by `months` (1 or 2) further months, counted from receipt."""
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise ValueError(f"An extension is 1 to {MAX_EXTENSION_MONTHS} months, not {months}.")
    return add_months(received, 1 + months)
