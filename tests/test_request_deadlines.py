"""Art. 12(3): one month, the same date next month or that month's last day; an extension
adds at most two further months."""

import datetime

import pytest

from subject_requests.deadlines import add_months, due_date, extended_due_date

D = datetime.date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 1, 15), D(2026, 2, 15)),
        (D(2026, 1, 31), D(2026, 2, 28)),  # no 31 February: the month's last day
        (D(2028, 1, 31), D(2028, 2, 29)),  # leap year
        (D(2028, 1, 29), D(2028, 2, 29)),
        (D(2027, 1, 29), D(2027, 2, 28)),
        (D(2028, 2, 29), D(2028, 3, 29)),  # received on a leap day
        (D(2026, 3, 31), D(2026, 4, 30)),
        (D(2026, 12, 31), D(2027, 1, 31)),  # over the year end
        (D(2026, 12, 15), D(2027, 1, 15)),
    ],
)
def test_due_date_is_one_month_after_receipt(received, due):
    assert due_date(received) == due


def test_extension_by_one_or_two_further_months():
    assert extended_due_date(D(2026, 1, 31), 1) == D(2026, 3, 31)
    assert extended_due_date(D(2026, 1, 31), 2) == D(2026, 4, 30)
    assert extended_due_date(D(2026, 11, 30), 2) == D(2027, 2, 28)


@pytest.mark.parametrize("months", [0, 3, -1])
def test_extension_is_limited_to_two_months(months):
    with pytest.raises(ValueError):
        extended_due_date(D(2026, 1, 31), months)


def test_add_months_keeps_the_day_where_it_exists():
    assert add_months(D(2026, 5, 17), 12) == D(2027, 5, 17)
