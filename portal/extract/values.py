"""How one stored value is shown to a person and written for a machine."""

import datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

EMPTY = "—"


def machine_value(value):
    """JSON-safe and lossless: decimals as strings, times as ISO 8601 in UTC."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def human_value(field, value, instance) -> str:
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return str(getattr(instance, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    if field.is_relation:
        return str(value)
    return str(value)
