"""Checking a file row by row, before anything is written.

Row numbers are counted the way a person counts them in a spreadsheet: the header is
row 1 and the first data row is row 2. Every problem is collected, not just the first,
so that one round of fixes is enough.
"""

import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, NamedTuple

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


class ParsedRow(NamedTuple):  # a tuple: a million of them cost far less than dataclasses
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


_ABSENT = object()  # a cell that sets nothing: blank where the field keeps its value, or invalid


def _message(error: ValidationError) -> str:
    # Validator messages are translated text meant for people; show them as they are.
    return " ".join(str(m) for m in error.messages)


def _column_parsed(column: Column, cells: list[str]) -> tuple[list[Any], dict[int, str]]:
    """A whole column at once: each cell's value (_ABSENT for an empty or invalid one) and
    the reason for each invalid cell by its position.

    Plain text is checked only for its length, over the column; any other cell is parsed
    once for each distinct value (parsers depend on nothing else), which for yes/no,
    postal codes and dates is a few calls for a million rows."""
    reasons: dict[int, str] = {}
    if column.plain_text:
        values: list[Any] = cells
        limit = column.max_length
        if limit and cells and max(map(len, cells)) > limit:
            for position, cell in enumerate(cells):
                if len(cell) > limit:
                    try:
                        column.parse(cell)
                    except ValidationError as error:
                        reasons[position] = _message(error)
    else:
        results: dict[str, Any] = {"": _ABSENT}
        refused: dict[str, str] = {}
        for cell in set(cells):
            if cell:
                try:
                    results[cell] = column.parse(cell)
                except ValidationError as error:
                    results[cell], refused[cell] = _ABSENT, _message(error)
        values = list(map(results.__getitem__, cells))
        if refused:
            for position, cell in enumerate(cells):
                if cell in refused:
                    reasons[position] = refused[cell]
    if "" in cells:  # empty cells: required, or the column's blank, or nothing at all
        if values is cells:
            values = list(cells)
        blank = _ABSENT if column.keep_when_blank or column.required else column.blank
        for position, cell in enumerate(cells):
            if not cell:
                values[position] = blank
                if column.required:
                    reasons[position] = "a value is required"
    return values, reasons


def _stray_cells(number: int, cells, positions: dict[int, str]) -> list[RowError]:
    return [
        RowError(
            number,
            f"#{index + 1}",
            "a value in a column without a header "
            "(is a value with the delimiter in it missing its quotes?)",
        )
        for index, cell in enumerate(cells)
        if index not in positions and cell.strip()
    ]


def rows_validate(
    *, fmt: ImportFormat, rows: Sequence[Sequence[str]], progress: Progress | None = None
) -> tuple[list[ParsedRow], list[RowError]]:
    """Parse every row of `rows` (header first); return the parsed rows and all problems.

    The cells are read a column at a time (a million rows of nine columns made nine
    million function calls when read cell by cell); the problems still come in the order
    of a person reading the file: by row, and within a row by column."""
    if not rows:
        return [], [RowError(1, fmt.key, "the file is empty; its first row must be the header")]
    positions, errors = header_read(fmt=fmt, header=rows[0])
    if errors:
        return [], errors  # with the columns in doubt, the rows cannot be read reliably
    total = len(rows) - 1
    # Blank lines, and Excel's rows of bare delimiters, are skipped; rows keep their numbers.
    numbered = [(n, cells) for n, cells in enumerate(rows[1:], start=2) if "".join(cells).strip()]
    numbers = [n for n, _cells in numbered]
    lines = [cells for _n, cells in numbered]
    read = [(index, name, fmt.column(name)) for index, name in positions.items()]
    problems: dict[int, list[RowError]] = defaultdict(list)  # by position in `lines`
    # With the named columns first and no gap, only a longer row can have a stray value.
    width = len(read)
    gaps = width <= max(positions, default=-1)
    for position, cells in enumerate(lines):
        if gaps or len(cells) > width:
            if stray := _stray_cells(numbers[position], cells, positions):
                problems[position] += stray
    shortest = min(map(len, lines), default=0)
    columns: list[tuple[str, list[Any]]] = []
    for done, (index, name, column) in enumerate(read, start=1):
        if index < shortest:
            cells = list(map(str.strip, map(itemgetter(index), lines)))
        else:
            cells = [row[index].strip() if index < len(row) else "" for row in lines]
        values, reasons = _column_parsed(column, cells)
        for position, reason in sorted(reasons.items()):
            problems[position].append(RowError(numbers[position], name, reason))
        columns.append((name, values))
        if progress:
            progress("checking", total * done // len(read), total)
    names = [name for name, _values in columns]
    cells_by_row = zip(*(values for _name, values in columns), strict=True)
    by_row = [dict(zip(names, cells, strict=True)) for cells in cells_by_row]
    for name, values in columns:
        if _ABSENT in values:
            for position, value in enumerate(values):
                if value is _ABSENT:
                    del by_row[position][name]
    # Rules across columns only make sense once every cell has been read.
    for position, values in enumerate(by_row):
        if position not in problems:
            for check in fmt.row_checks:
                for column_name_, reason in check(values):
                    problems[position].append(RowError(numbers[position], column_name_, reason))
    _keys_once(fmt.key, by_row, numbers, problems)
    errors = [error for position in sorted(problems) for error in problems[position]]
    if not lines and progress:
        progress("checking", total, total)
    return list(map(ParsedRow, numbers, by_row)), errors


def _keys_once(key: str, by_row: list[dict], numbers: list[int], problems) -> None:
    """A key may appear only once in a file: each later row holding it is a problem."""
    keys = [values.get(key) for values in by_row]
    present = [k for k in keys if k]
    if len(set(present)) == len(present):
        return
    first_row_of_key: dict[Any, int] = {}
    for position, found in enumerate(keys):
        if not found:
            continue
        if found in first_row_of_key:
            problems[position].append(
                RowError(
                    numbers[position],
                    key,
                    f"{found} is already on row {first_row_of_key[found]}; "
                    "a file may hold it only once",
                )
            )
        else:
            first_row_of_key[found] = numbers[position]
