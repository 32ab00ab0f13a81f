"""What each register's CSV file looks like: its columns, which are required, how each is read.

Columns come from the register declaration's FieldSpecs and the model fields behind them,
so a field added to a register is importable without being declared here a second time.
The rest (the natural key, required columns, rules that span columns, and which opt-outs an
import must never undo) is the register's own import_format (portal/registers/importing.py).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from portal.registers import Register, get_register
from portal.registers.importing import ImportSpec, OptOut, RowCheck

# Bookkeeping the portal keeps itself; a file cannot set when a record was added or changed.
NOT_IMPORTED = frozenset({"created_at", "updated_at", "password_changed_at"})
# Passwords never travel in CSV: customers set their own in the web shop.
SECRET_COLUMN_RE = re.compile(r"password|passwd|salasana|hash|^pwd$|^pass$", re.IGNORECASE)

_FI_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = frozenset({"1", "x", "true", "yes", "y", "kyllä", "k", "ja"})
_FALSE = frozenset({"0", "false", "no", "n", "ei", "e", "nej"})

Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = False  # the header must have it and every row a value in it
    blank: Any = ""  # what an empty cell stores
    keep_when_blank: bool = False  # an empty cell leaves the default / the existing value
    # Text stored as it is, with only its length to check (`parse` does just that): a
    # whole column of it is checked at once, without a call for each cell.
    plain_text: bool = False
    max_length: int | None = None


@dataclass(frozen=True)
class ImportFormat:
    register: Register
    key: str  # the natural key: a row with an existing key updates that record
    columns: tuple[Column, ...]
    row_checks: tuple[RowCheck, ...] = ()
    # Art. 21(3): an import never moves an existing record away from these opt-outs.
    opt_outs: tuple[OptOut, ...] = ()

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def parse_date(value: str) -> date:
    try:
        if match := _FI_DATE_RE.match(value):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if _ISO_DATE_RE.match(value):
            return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{value} is not a date in the calendar.") from None
    raise ValidationError("Enter a date as YYYY-MM-DD or D.M.YYYY, e.g. 2024-03-31 or 31.3.2024.")


def parse_datetime(value: str) -> datetime:
    """A date means midnight in Finland; an ISO time stamp is read as written."""
    if "T" in value or ":" in value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                "Enter a time as YYYY-MM-DD HH:MM, e.g. 2024-03-31 14:05."
            ) from None
    else:
        moment = datetime.combine(parse_date(value), time())
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def parse_bool(value: str) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ValidationError("Enter yes or no (kyllä/ei, true/false and 1/0 also work).")


def _choice_parser(choices) -> Parser:
    allowed = [str(key) for key, _label in choices]

    def parse(value: str) -> str:
        if value.lower() not in allowed:
            raise ValidationError(f"{value!r} is not one of: {', '.join(allowed)}.")
        return value.lower()

    return parse


def _decimal_parser(max_digits: int, places: int) -> Parser:
    def parse(value: str) -> Decimal:
        # Finnish Excel writes "1 500,00 €" (no-break space, decimal comma).
        raw = value.removesuffix("€").replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            raise ValidationError("Enter an amount in euros, e.g. 1500 or 1500,00.")
        # "1,000" is refused rather than read as one euro: three decimals betray a thousands mark.
        if -amount.as_tuple().exponent > places:
            raise ValidationError(f"Use at most {places} decimals and no thousands separator.")
        if amount < 0:
            raise ValidationError("The amount cannot be negative.")
        if amount.adjusted() >= max_digits - places:
            raise ValidationError(
                f"Too large: at most {max_digits - places} digits before the decimal comma."
            )
        return amount.quantize(Decimal(1).scaleb(-places))

    return parse


def _integer_parser(model_field: models.IntegerField) -> Parser:
    """A whole number within what the field (and its database column) can hold: "-5" for a
    positive field is a row error, not a database error half-way through the import."""

    def parse(value: str) -> int:
        raw = value.replace("\u00a0", "").replace(" ", "")
        if not re.fullmatch(r"[+-]?[0-9]+", raw):
            raise ValidationError("Enter a whole number, e.g. 120.")
        number = int(raw)
        model_field.run_validators(number)
        return number

    return parse


def _text_parser(max_length: int | None, normalizer=None) -> Parser:
    def parse(value: str) -> str:
        value = normalizer(value) if normalizer else value
        if max_length and len(value) > max_length:
            raise ValidationError(f"Too long: at most {max_length} characters, not {len(value)}.")
        return value

    return parse


def column_for(model_field: models.Field, *, required: bool) -> Column:
    """A column read the way the model field stores its value."""
    name = model_field.name
    has_default = model_field.has_default() and model_field.get_default() not in ("", None)
    plain = False
    if getattr(model_field, "normalizer", None):  # email, phone, postal code, business ID
        parse = _text_parser(model_field.max_length, model_field.normalizer)
    elif model_field.choices:
        parse = _choice_parser(model_field.choices)
    elif isinstance(model_field, models.DecimalField):
        parse = _decimal_parser(model_field.max_digits, model_field.decimal_places)
    elif isinstance(model_field, models.BooleanField):
        parse = parse_bool
    elif isinstance(model_field, models.IntegerField):
        parse = _integer_parser(model_field)
    elif isinstance(model_field, models.DateTimeField):
        parse = parse_datetime
    elif isinstance(model_field, models.DateField):
        parse = parse_date
    else:
        parse = _text_parser(model_field.max_length)
        plain = True
    return Column(
        name,
        parse,
        required=required,
        blank=None if model_field.null else "",
        keep_when_blank=has_default,
        plain_text=plain,
        max_length=model_field.max_length,
    )


def columns_from(register: Register, *, required: tuple[str, ...]) -> tuple[Column, ...]:
    model = register.model_class
    return tuple(
        column_for(model._meta.get_field(spec.name), required=spec.name in required)
        for spec in register.fields
        if not spec.secret and spec.name not in NOT_IMPORTED
    )


def format_of(register: Register) -> ImportFormat:
    """The CSV format `register` declares (KeyError if it declares none)."""
    spec: ImportSpec | None = register.import_format
    if spec is None:
        raise KeyError(f"The register {register.key!r} declares no import format.")
    return ImportFormat(
        register,
        spec.natural_key,
        columns_from(register, required=spec.required),
        row_checks=spec.row_checks,
        opt_outs=spec.opt_outs,
    )


def get_format(key: str) -> ImportFormat:
    """The CSV format of the register `key` (KeyError naming the registers if unknown)."""
    return format_of(get_register(key))
