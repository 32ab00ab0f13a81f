"""Validators and normalisers for the identifiers the registers hold.

Each normaliser returns the canonical form or raises ValidationError with a message a
customer understands; the same functions serve forms, the CSV import and the model fields.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, ProhibitNullCharactersValidator
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


# Characters nobody types into a name or a message, which change how text is shown or
# stored: C0 and C1 controls (tab and line breaks are text), DEL, and the bidirectional
# embeddings, overrides and isolates that make text read differently from how it is stored
# ("Trojan Source"). NUL is among them: PostgreSQL cannot store it at all.
_CONTROL_CHARACTERS_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def validate_plain_text(value) -> None:
    if isinstance(value, str) and _CONTROL_CHARACTERS_RE.search(value):
        raise ValidationError(
            _(
                "This text contains invisible control characters (such as escape codes or "
                "text-direction overrides). Remove them and try again."
            ),
            code="control_characters",
        )


class PlainTextFormMixin:
    """Every text field the person can type in refuses control characters, including fields a
    subclass adds in its __init__. Hidden fields are left alone: they carry back values the
    page was given, e.g. a register value shown to staff as it is stored."""

    def full_clean(self):
        for field in self.fields.values():
            if not isinstance(field, forms.CharField) or field.widget.is_hidden:
                continue
            if validate_plain_text not in field.validators:
                # Ours covers NUL too, with a message that says what to do.
                field.validators = [
                    v
                    for v in field.validators
                    if not isinstance(v, ProhibitNullCharactersValidator)
                ] + [validate_plain_text]
        super().full_clean()
