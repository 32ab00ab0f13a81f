"""What the faster import (issue #14, item 6) must keep: a file checked a column at a time
still reports every problem by row and then column; suppression digests stay those already
stored; text written with COPY's text format arrives as it was; the suppression list gives
the same answer whether it is read whole or asked digest by digest. Both databases."""

import hashlib
import hmac
import os
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from portal import suppression
from portal.importing import bulk, register_import
from portal.importing.formats import get_format
from portal.importing.rows import rows_validate
from portal.models import BillingCustomer, DataSubject, PostalRecipient, Suppression

POSTAL = ["customer_number", "first_name", "last_name", "street_address", "postal_code"]
POSTAL += ["post_office", "disclosure_allowed", "postal_marketing_allowed"]


def _problems(rows, register="postal"):
    _parsed, errors = rows_validate(fmt=get_format(register), rows=[POSTAL, *rows])
    return [(e.row, e.column, e.reason) for e in errors]


def _reason(column: str, value: str) -> str:
    """The column's own (translated) message for `value`, as the import shows it."""
    with pytest.raises(ValidationError) as raised:
        get_format("postal").column(column).parse(value)
    return " ".join(str(m) for m in raised.value.messages)


def test_problems_come_by_row_then_column_with_the_same_reason_for_the_same_value():
    problems = _problems(
        [
            ["P1", "Aino", "Virta", "Katu 1", "123", "Oulu", "ehkä", "kyllä"],
            ["", "", "", "", "", "", "", ""],  # a blank line: skipped, its number kept
            ["P2", "Eino", "Ek", "Katu 2", "00100", "", "kyllä", "ehkä", "stray"],
            ["P3", "Aku", "Ahl", "Katu 3", "123", "Oulu", "", ""],
            ["P1", "", "", "Katu 4", "00100", "Oulu", "", ""],
        ]
    )
    code, yes_no = _reason("postal_code", "123"), _reason("disclosure_allowed", "ehkä")
    assert problems == [
        (2, "postal_code", code),
        (2, "disclosure_allowed", yes_no),
        (4, "#9", re.sub(r"\s+", " ", problems[2][2])),
        (4, "post_office", "a value is required"),
        (4, "postal_marketing_allowed", yes_no),
        (5, "postal_code", code),
        # the row rule (a last name or a company), then the key already on row 2
        (6, "last_name", "give a last name or a company name"),
        (6, "customer_number", "P1 is already on row 2; a file may hold it only once"),
    ]
    assert "column without a header" in problems[2][2]


def test_a_row_rule_is_not_checked_on_a_row_with_a_bad_cell():
    problems = _problems([["P1", "", "", "Katu 1", "1", "Oulu", "", ""]])
    assert [(row, column) for row, column, _reason in problems] == [(2, "postal_code")]


def test_blank_cells_with_a_default_leave_the_field_out_and_too_long_text_is_named():
    fmt = get_format("postal")
    parsed, errors = rows_validate(
        fmt=fmt,
        rows=[POSTAL, ["P1", " Aino ", "Virta", "Katu 1", " 00100 ", "Oulu", "", "ei"]],
    )
    assert not errors
    assert parsed[0].number == 2
    assert parsed[0].values == {
        "customer_number": "P1",
        "first_name": "Aino",
        "last_name": "Virta",
        "street_address": "Katu 1",
        "postal_code": "00100",
        "post_office": "Oulu",
        "postal_marketing_allowed": False,
    }
    _parsed, errors = rows_validate(
        fmt=fmt, rows=[POSTAL, ["P2", "", "Virta", "K" * 201, "00100", "Oulu", "", ""]]
    )
    assert [(e.row, e.column, e.reason) for e in errors] == [
        (2, "street_address", "Too long: at most 200 characters, not 201.")
    ]


@pytest.mark.parametrize("length", [0, 1, 32, 64, 65, 200])
def test_the_suppression_hmac_is_hmac_sha256(length):
    key = os.urandom(length)
    for text in (b"", b"postal:virta|katu 1|00100", os.urandom(300)):
        expected = hmac.new(key, text, hashlib.sha256).hexdigest()
        assert suppression._Hmac(key)(text) == expected
        as_text = text.decode("latin-1")
        if as_text:  # "" stands for nothing to hash
            assert suppression._Hmac(key).of_texts([as_text]) == [
                hmac.new(key, as_text.encode(), hashlib.sha256).hexdigest()
            ]
    assert suppression._Hmac(key).of_texts(["", "x"])[0] == ""


def test_suppression_digests_are_those_of_the_first_version():
    """The text hashed and the HMAC are unchanged, so stored suppressions still match."""
    values = {"last_name": " Mäki ", "street_address": "Katu  1 A", "postal_code": "00100"}
    text = "postal:mäki|katu 1 a|00100"
    expected = [
        hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()
        for key in settings.SUPPRESSION_KEYS
    ]
    assert suppression.digests("postal", values) == expected
    assert suppression.digests("postal", values, hashers=suppression._hashers()) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("listed", [2, 40])
def test_the_list_gives_one_answer_read_whole_or_asked_by_digest(listed):
    """With 2 people on the list it is read whole; with 40 (more than the 10 rows asked
    about) the rows' digests are looked up."""
    people = [
        {"last_name": f"Nimi{n}", "street_address": f"Katu {n}", "postal_code": "00100"}
        for n in range(listed)
    ]
    for person in people:
        suppression.values_suppress("postal", person)
    asked = [people[0], people[1], *[{**people[0], "postal_code": "00200"}] * 8]
    assert Suppression.objects.count() == listed
    assert suppression.values_unsuppressed("postal", asked) == [False, False] + [True] * 8


@pytest.mark.django_db
def test_text_with_tabs_newlines_and_backslashes_is_written_as_it_was():
    awkward = ["Tab\there", "Line\nbreak", "Back\\slash \\N", "Carriage\rreturn", "Åke"]
    rows = [
        [f"B{n}", "person", "Aino", name, "", "", f"b{n}@example.fi", "", "12,5"]
        for n, name in enumerate(awkward)
    ]
    header = [
        "customer_number",
        "customer_type",
        "first_name",
        "last_name",
        "company_name",
        "business_id",
        "email",
        "phone",
        "credit_limit",
    ]
    result = register_import(register="billing", rows=[header, *rows], dry_run=False)
    assert result.records_created == 5
    stored = dict(BillingCustomer.objects.values_list("customer_number", "last_name"))
    assert stored == {f"B{n}": name for n, name in enumerate(awkward)}
    assert set(BillingCustomer.objects.values_list("credit_limit", flat=True)) == {Decimal("12.50")}
    subjects = DataSubject.objects.filter(billingcustomer_records__isnull=False)
    assert {s.display_name for s in subjects} == {f"Aino {name}" for name in awkward}


@pytest.mark.django_db
def test_new_rows_keep_defaults_and_blank_values():
    rows = [["P1", "", "Virta", "Katu 1", "00100", "Oulu", "", ""]]
    register_import(register="postal", rows=[POSTAL, *rows], dry_run=False)
    record = PostalRecipient.objects.get()
    assert record.first_name == "" and record.restricted_at is None
    assert record.disclosure_allowed is True and record.postal_marketing_allowed is True


def test_public_ids_are_random_version_4_uuids():
    ids = bulk.uuids(1000)
    assert len(set(ids)) == 1000
    pattern = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
    assert all(pattern.match(public_id) for public_id in ids)


@pytest.mark.django_db
def test_rows_sent_in_several_pieces_arrive_whole_and_in_order(monkeypatch):
    monkeypatch.setattr(bulk, "COPY_PIECE", 2)
    rows = [[f"P{n}", "Aino", f"Virta{n}", f"Katu {n}", "00100", "Oulu", "", ""] for n in range(7)]
    result = register_import(register="postal", rows=[POSTAL, *rows], dry_run=False)
    assert result.records_created == result.subjects_created == 7
    records = PostalRecipient.objects.select_related("subject").order_by("customer_number")
    assert [(r.customer_number, r.subject.display_name) for r in records] == [
        (f"P{n}", f"Aino Virta{n}") for n in range(7)
    ]
