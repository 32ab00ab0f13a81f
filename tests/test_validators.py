import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.validators import (
    business_id_check_digit,
    normalize_business_id,
    normalize_email,
    normalize_phone,
    normalize_postal_code,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0700464-5", "0700464-5"),  # Tector's own business ID
        ("07004645", "0700464-5"),  # as the seed writes it, without the hyphen
        (" 1572860-0 ", "1572860-0"),
        ("737546-2", "0737546-2"),  # old six-digit form gets its leading zero
    ],
)
def test_valid_business_ids_are_normalised(raw, expected):
    assert normalize_business_id(raw) == expected


@pytest.mark.parametrize("raw", ["0700464-4", "1234567-8", "070046-45", "abc", "", "07004645-5"])
def test_invalid_business_ids_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_business_id(raw)


def test_business_id_remainder_one_has_no_valid_check_digit():
    # 0000010: 1*2 = 2 -> remainder 2; find a number whose weighted sum leaves remainder 1.
    digits = next(f"{n:07d}" for n in range(10_000) if business_id_check_digit(f"{n:07d}") is None)
    with pytest.raises(ValidationError):
        normalize_business_id(f"{digits}-0")


@pytest.mark.parametrize(("raw", "expected"), [("00720", "00720"), (" 33 100", "33100")])
def test_valid_postal_codes(raw, expected):
    assert normalize_postal_code(raw) == expected


@pytest.mark.parametrize("raw", ["0072", "007200", "FI-00720", "ABCDE"])
def test_invalid_postal_codes(raw):
    with pytest.raises(ValidationError):
        normalize_postal_code(raw)


def test_email_is_trimmed_and_lower_cased():
    assert normalize_email("  Maija.Meikalainen@Example.FI ") == "maija.meikalainen@example.fi"


@pytest.mark.parametrize("raw", ["maija", "maija@", "@example.fi", "maija@example", "a b@c.fi"])
def test_invalid_emails(raw):
    with pytest.raises(ValidationError):
        normalize_email(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("09-3508 170", "+35893508170"),
        ("040 123 4567", "+358401234567"),
        ("+358 (0)40 123 4567".replace("(0)", ""), "+358401234567"),
        ("00358401234567", "+358401234567"),
        ("+46 8 123 456 78", "+46812345678"),
    ],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12", "040-abc-123", "+", "+1234567890123456"])
def test_invalid_phone_numbers(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


@pytest.mark.parametrize(
    ("lang", "fragment"),
    [("fi", "postinumero"), ("sv", "postnummer"), ("en", "postal code")],
)
def test_messages_are_translated(lang, fragment):
    with translation.override(lang):
        with pytest.raises(ValidationError) as excinfo:
            normalize_postal_code("123")
        assert fragment in str(excinfo.value.messages[0]).lower()


@pytest.mark.django_db
def test_record_fields_store_normalised_values_and_match_case_insensitively():
    from tests.factories import BillingCustomerFactory

    record = BillingCustomerFactory(
        email="Liisa.L@Example.ORG", phone="040 765 4321", business_id="07004645"
    )
    record.refresh_from_db()
    assert record.email == "liisa.l@example.org"
    assert record.phone == "+358407654321"
    assert record.business_id == "0700464-5"
    assert type(record).objects.filter(email="LIISA.L@example.org").get() == record
