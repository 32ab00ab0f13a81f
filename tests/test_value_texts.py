"""Values as people read them: the fast date formats write exactly what Django would."""

import datetime
from decimal import Decimal

import pytest
from django.db import models
from django.utils import dateformat, formats, timezone, translation

from portal.extract.values import EMPTY, Texts, compile_date_format
from portal.models import Order

UTC = datetime.UTC
MOMENTS = [
    datetime.datetime(2026, 1, 1, 0, 0, 5, tzinfo=UTC),
    datetime.datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # 02:59 in Helsinki, before summer time
    datetime.datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 04:00, summer time
    datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # the hour that happens twice
    datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    datetime.datetime(2026, 12, 31, 21, 59, 59, tzinfo=UTC),  # 23:59 on New Year's Eve
    datetime.datetime(2026, 12, 31, 22, 0, tzinfo=UTC),  # midnight: already 2027
    datetime.datetime(999, 7, 9, 12, 7, tzinfo=UTC),
]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_times_and_dates_read_as_django_writes_them(lang):
    placed_at = Order._meta.get_field("placed_at")
    with translation.override(lang):
        texts = Texts()
        for moment in MOMENTS:
            local = timezone.localtime(moment)
            assert texts(placed_at, moment) == formats.date_format(local, "SHORT_DATETIME_FORMAT")
            day = local.date()
            expected = formats.date_format(day, "SHORT_DATE_FORMAT")
            assert texts(models.DateField(), day) == expected


def test_a_format_with_words_or_escapes_goes_to_django():
    moment = datetime.datetime(2026, 5, 4, 15, 7, tzinfo=UTC)
    for format_string in ("j.n.Y \\k\\l\\o G.i", "N j, Y, P", "D d.m.y H:i:s"):
        expected = dateformat.format(moment, format_string)
        assert compile_date_format(format_string)(moment) == expected


def test_choices_booleans_decimals_and_empty_values():
    status = Order._meta.get_field("status")
    with translation.override("en"):
        texts = Texts()
        assert texts(status, "delivered") == str(Order(status="delivered").get_status_display())
        assert texts(status, "no-such-status") == "no-such-status"
        assert texts(models.BooleanField(), True) == "yes"
        assert texts(models.DecimalField(), Decimal("1234.5")) == "1,234.50"
        assert texts(models.CharField(), "") == EMPTY and texts(models.CharField(), None) == EMPTY
    with translation.override("fi"):
        assert Texts()(models.DecimalField(), Decimal("1234.5")) == "1\xa0234,50"
