"""Validators and normalisers for the identifiers the registers hold.

Each normaliser returns the canonical form or raises ValidationError with a message a
customer understands; the same functions serve forms, the CSV import and the model fields.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
_BUSINESS_ID_RE = re.compile(r"^(\d{6,7})-?(\d)$")
_POSTAL_CODE_RE = re.compile(r"^\d{5}$")
_PHONE_CHARS_RE = re.compile(r"[\s\-().]")


def business_id_check_digit(first_seven: str) -> int | None:
    """The Y-tunnus check digit for seven digits, or None when no digit can be valid."""
    total = sum(int(d) * w for d, w in zip(first_seven, BUSINESS_ID_WEIGHTS, strict=True))
    remainder = total % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None  # the tax administration never issues these numbers
    return 11 - remainder


def normalize_business_id(value: str) -> str:
    """'07004645' or '0700464-5' -> '0700464-5'; a wrong check digit is refused."""
    raw = (value or "").strip().replace(" ", "")
    match = _BUSINESS_ID_RE.match(raw)
    if not match:
        raise ValidationError(
            _("Enter the business ID as seven digits, a hyphen and a check digit, e.g. 0700464-5."),
            code="business_id_format",
        )
    digits = match.group(1).zfill(7)
    expected = business_id_check_digit(digits)
    if expected is None or expected != int(match.group(2)):
        raise ValidationError(
            _("The business ID %(value)s is not valid: its check digit does not match."),
            code="business_id_check_digit",
            params={"value": f"{digits}-{match.group(2)}"},
        )
    return f"{digits}-{match.group(2)}"


def normalize_postal_code(value: str) -> str:
    raw = (value or "").strip().replace(" ", "")
    if not _POSTAL_CODE_RE.match(raw):
        raise ValidationError(
            _("A Finnish postal code has exactly five digits, e.g. 00720."),
            code="postal_code",
        )
    return raw


_email_validator = EmailValidator(message=_("Enter an email address such as name@example.fi."))


def normalize_email(value: str) -> str:
    """Trimmed and lower-cased, so that addresses match case-insensitively everywhere."""
    email = (value or "").strip().lower()
    _email_validator(email)
    return email


def normalize_phone(value: str) -> str:
    """Phone numbers in international form: '09-3508 170' -> '+35893508170'."""
    raw = _PHONE_CHARS_RE.sub("", (value or "").strip())
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    elif raw.startswith("0"):
        raw = "+358" + raw[1:]
    elif raw and not raw.startswith("+"):
        raw = "+358" + raw
    digits = raw[1:]
    if not raw.startswith("+") or not digits.isdigit() or not 7 <= len(digits) <= 15:
        raise ValidationError(
            _("Enter a phone number such as 040 123 4567 or +358 40 123 4567."),
            code="phone",
        )
    return raw


def _validator(normalizer):
    def validate(value):
        if value:
            normalizer(value)

    validate.__name__ = validate.__qualname__ = (
        f"validate_{normalizer.__name__.removeprefix('normalize_')}"
    )
    return validate


validate_business_id = _validator(normalize_business_id)
validate_postal_code = _validator(normalize_postal_code)
validate_email = _validator(normalize_email)
validate_phone = _validator(normalize_phone)
