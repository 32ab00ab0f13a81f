"""How a register's records are loaded from a file, declared with the register.

The columns themselves follow from the register's FieldSpecs and the model fields behind
them (portal/importing/formats.py reads them); the declaration says only what the fields
cannot: which column identifies a record, which columns a file must have, the rules that
span columns, and the opt-outs an import must never undo.

Row checks see one row's parsed values ({column: value}, only the columns the file sets)
and return (column, reason) for each problem; the reasons are English, as the rest of the
import's own messages are (see docs/import.md).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

RowCheck = Callable[[Mapping[str, Any]], list[tuple[str, str]]]


@dataclass(frozen=True)
class OptOut:
    """Art. 21(3): a field whose `value` means the person opted out, and the fields that go
    with it (e.g. when they unsubscribed). Once a record holds the opt-out, an import never
    moves it back, whatever older data the file carries."""

    field: str
    value: Any
    companions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportSpec:
    # The natural key: a row whose key matches an existing record updates that record.
    natural_key: str
    # Columns the header must name and every row must fill (the key among them).
    required: tuple[str, ...]
    row_checks: tuple[RowCheck, ...] = ()
    opt_outs: tuple[OptOut, ...] = ()

    def __post_init__(self):
        if self.natural_key not in self.required:
            raise ValueError(f"The natural key {self.natural_key!r} must be a required column.")


def name_of_person_or_company(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A company has its official name; a private person a first and a last name."""
    if values.get("customer_type", "person") == "company":
        if not values.get("company_name"):
            return [("company_name", "a company needs its official name")]
        return []
    return [
        (name, "a private person needs a first and a last name")
        for name in ("first_name", "last_name")
        if not values.get(name)
    ]


def some_name(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Post needs someone to be addressed to: a last name or a company name."""
    if values.get("last_name") or values.get("company_name"):
        return []
    return [("last_name", "give a last name or a company name")]


def consent_is_dated(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Art. 7(1): we must be able to show when the subscriber confirmed (double opt-in)."""
    if values.get("status") == "confirmed" and not values.get("confirmed_at"):
        return [("confirmed_at", "a confirmed subscription needs the date it was confirmed")]
    return []
