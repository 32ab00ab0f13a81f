"""Checking a file row by row, before anything is written.

Row numbers are counted the way a person counts them in a spreadsheet: the header is
row 1 and the first data row is row 2. Every problem is collected, not just the first,
so that one round of fixes is enough.
"""

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from portal.importing.formats import SECRET_COLUMN_RE, Column, ImportFormat

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.reason}"


@dataclass(frozen=True)
class ParsedRow:
    number: int
    # Only the columns the row sets: a column missing from the header, or an empty cell in a
    # column with a default, is absent, so that an update leaves that field as it is.
    values: dict[str, Any]


def column_name(raw: str) -> str:
    """'Customer number' and ' customer-number' both mean customer_number."""
    return re.sub(r"[\s\-]+", "_", raw.replace("\ufeff", "").strip().lower())


def header_read(
    *, fmt: ImportFormat, header: Sequence[str]
) -> tuple[dict[int, str], list[RowError]]:
    """Map cell positions to column names; each header problem is reported once, on row 1."""
    positions: dict[int, str] = {}
    errors: list[RowError] = []
    for index, raw in enumerate(header):
        name = column_name(raw)
        if not name:
            continue  # an unnamed column is fine while it stays empty (Excel adds them)
        if SECRET_COLUMN_RE.search(name):
            reason = (
                "passwords are never imported from a file; customers set their own "
                "in the web shop. Remove this column."
            )
        elif fmt.column(name) is None:
            close = difflib.get_close_matches(name, fmt.header, n=1)
            reason = (
                f"unknown column; did you mean {close[0]}?"
                if close
                else f"unknown column (docs/import.md lists the {fmt.register.key} columns)"
            )
        elif name in positions.values():
            reason = "the column appears twice in the header"
        else:
            positions[index] = name
            continue
        errors.append(RowError(1, raw.strip() or f"#{index + 1}", reason))
    errors += [
        RowError(1, name, "this required column is missing from the header")
        for name in fmt.required
        if name not in positions.values()
    ]
    return positions, errors


def _read_row(
    read: list[tuple[int, str, Column]], positions: dict[int, str], number: int, cells
) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    # With the named columns first and no gap, only a longer row can have a stray value.
    if len(cells) > len(read) or len(read) <= max(positions, default=-1):
        for index, cell in enumerate(cells):
            if index not in positions and cell.strip():
                errors.append(
                    RowError(
                        number,
                        f"#{index + 1}",
                        "a value in a column without a header "
                        "(is a value with the delimiter in it missing its quotes?)",
                    )
                )
    width = len(cells)
    for index, name, column in read:
        raw = cells[index].strip() if index < width else ""
        if not raw:
            if column.required:
                errors.append(RowError(number, name, "a value is required"))
            elif not column.keep_when_blank:
                values[name] = column.blank
            continue
        try:
            values[name] = column.parse(raw)
        except ValidationError as error:
            # Validator messages are translated text meant for people; show them as they are.
            errors.append(RowError(number, name, " ".join(str(m) for m in error.messages)))
    return values, errors


def rows_validate(
    *, fmt: ImportFormat, rows: Sequence[Sequence[str]], progress: Progress | None = None
) -> tuple[list[ParsedRow], list[RowError]]:
    """Parse every row of `rows` (header first); return the parsed rows and all problems."""
    if not rows:
        return [], [RowError(1, fmt.key, "the file is empty; its first row must be the header")]
    positions, errors = header_read(fmt=fmt, header=rows[0])
    if errors:
        return [], errors  # with the columns in doubt, the rows cannot be read reliably
    parsed: list[ParsedRow] = []
    first_row_of_key: dict[Any, int] = {}
    total = len(rows) - 1
    read = [(index, name, fmt.column(name)) for index, name in positions.items()]
    for number, cells in enumerate(rows[1:], start=2):
        if progress and (number % 1000 == 0 or number - 1 == total):
            progress("checking", number - 1, total)
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, and Excel's rows of bare delimiters
        values, row_errors = _read_row(read, positions, number, cells)
        if not row_errors:
            # Rules across columns only make sense once every cell has been read.
            row_errors = [
                RowError(number, column, reason)
                for check in fmt.row_checks
                for column, reason in check(values)
            ]
        key = values.get(fmt.key)
        if key and key in first_row_of_key:
            row_errors.append(
                RowError(
                    number,
                    fmt.key,
                    f"{key} is already on row "
                    f"{first_row_of_key[key]}; a file may hold it only once",
                )
            )
        elif key:
            first_row_of_key[key] = number
        errors += row_errors
        parsed.append(ParsedRow(number, values))
    return parsed, errors
