"""How one stored value is shown to a person and written for a machine."""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.utils import dateformat, formats, timezone
from django.utils.translation import gettext as _

EMPTY = "—"

# Django's date format characters, and the ones written here directly: those that are only
# digits. Any other character in a format, or an escape, sends it to Django's formatter.
FORMAT_CHARACTERS = "aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ"
DIGIT_FORMATS = {
    "d": lambda v: f"{v.day:02d}",
    "j": lambda v: str(v.day),
    "m": lambda v: f"{v.month:02d}",
    "n": lambda v: str(v.month),
    "Y": lambda v: f"{v.year:04d}",
    "y": lambda v: f"{v.year % 100:02d}",
    "H": lambda v: f"{v.hour:02d}",
    "G": lambda v: str(v.hour),
    "i": lambda v: f"{v.minute:02d}",
    "s": lambda v: f"{v.second:02d}",
}


def machine_value(value):
    """JSON-safe and lossless: decimals as strings, times as ISO 8601 in UTC."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def compile_date_format(format_string: str) -> Callable[[datetime.date], str]:
    """A function that writes a date as Django's `dateformat.format` would.

    An extract formats thousands of dates in one language; Django's general formatter parses
    the format and sets up time zone data for every value. The short formats of Finnish and
    Swedish hold only digits and separators, so they are put together here once.
    """
    if "\\" in format_string or any(
        c in FORMAT_CHARACTERS and c not in DIGIT_FORMATS for c in format_string
    ):
        return lambda value: dateformat.format(value, format_string)
    parts = [DIGIT_FORMATS.get(c, c) for c in format_string]
    return lambda value: "".join(p if isinstance(p, str) else p(value) for p in parts)


class Texts:
    """Values as people read them, in the active language and time zone.

    Make one for a batch of values (one extract): the formats, the time zone and the labels of
    choices are looked up once, not for every value.
    """

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.datetime_text = compile_date_format(formats.get_format("SHORT_DATETIME_FORMAT"))
        self.date_text = compile_date_format(formats.get_format("SHORT_DATE_FORMAT"))
        self.yes, self.no = _("yes"), _("no")
        self.choice_labels = {}

    def __call__(self, field, value) -> str:
        if value is None or value == "":
            return EMPTY
        if field.choices:
            labels = self.choice_labels.get(field)
            if labels is None:
                labels = self.choice_labels[field] = {k: str(v) for k, v in field.flatchoices}
            return labels.get(value, str(value))
        if isinstance(value, bool):
            return self.yes if value else self.no
        if isinstance(value, datetime.datetime):
            return self.datetime_text(value.astimezone(self.zone))
        if isinstance(value, datetime.date):
            return self.date_text(value)
        if isinstance(value, Decimal):
            return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
        return str(value)


def human_value(field, value) -> str:
    """One value as people read it (for many values, make one `Texts` and call it)."""
    return Texts()(field, value)
