"""Dates per language: 30.11.2026 in Finnish and Swedish, 30 Nov 2026 in English."""

import datetime

import pytest
from django.utils import formats, translation

DAY = datetime.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("language", "expected"), [("fi", "30.11.2026"), ("sv", "30.11.2026"), ("en", "30 Nov 2026")]
)
def test_short_dates_follow_the_readers_language(language, expected):
    with translation.override(language):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == expected


def test_english_never_puts_the_month_first():
    with translation.override("en"):
        assert formats.date_format(DAY, "DATE_FORMAT") == "30 Nov 2026"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "30.11.2026 klo 16.47"),
        ("sv", "30.11.2026 kl. 16.47"),
        ("en", "30 Nov 2026, 16:47"),
    ],
)
def test_times_follow_the_readers_language(language, expected):
    moment = datetime.datetime(2026, 11, 30, 16, 47)
    with translation.override(language):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "foreign"),
    [
        ("en", "30 Nov 2026, 16:47", "30.11.2026"),
        ("fi", "30.11.2026 klo 16.47", "30 Nov 2026"),
        ("sv", "30.11.2026 kl. 16.47", "30 Nov 2026"),
    ],
)
def test_my_requests_dates_a_copy_in_the_readers_way(client, language, expected, foreign):
    from django.utils import timezone

    from portal.models import IssuedExtract
    from tests.factories import UserFactory

    user = UserFactory()
    moment = timezone.make_aware(datetime.datetime(2026, 11, 30, 16, 47))
    copy = IssuedExtract.objects.create(user=user, format="pdf", language=language)
    IssuedExtract.objects.filter(pk=copy.pk).update(issued_at=moment)
    client.force_login(user)
    page = client.get(f"/{language}/requests/").content.decode()
    assert expected in page
    assert foreign not in page
