"""Finding and writing many rows at once, for files of a million rows.

On PostgreSQL a look-up sends its keys as one array parameter (`= ANY(%s)`) instead of a
parameter per key, new rows go in with COPY, and changed rows are copied to a temporary
table and updated from it in one statement. Other databases (SQLite in development) get
the ORM in batches that stay under their limit of query parameters. Either way it all
happens in the caller's transaction, so an import is still whole or nothing.
"""

import datetime
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.db.models import F, Lookup
from django.utils import timezone

BATCH = 500  # rows per query without arrays; keeps SQLite under its limit of parameters
ARRAY_BATCH = 50_000  # keys per array parameter on PostgreSQL
COPY_PIECE = 20_000  # rows of COPY text built and sent at a time

# Values of these field types go to COPY as they are (psycopg adapts them); any other field
# gets Django's conversion for the database first.
_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateField",
        "DateTimeField",
        "DecimalField",
        "EmailField",
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
        "UUIDField",
    }
)


def arrays() -> bool:
    return connection.vendor == "postgresql"


class AnyOf(Lookup):
    """`field = ANY(%s)`: every key in one array parameter (PostgreSQL).

    Text keys travel as one JSON array, unpacked by the server: psycopg quotes each element
    of a text array in Python, which for a million customer numbers took seconds, while
    json.dumps is one call in C."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        keys = list(self.rhs)
        if set(map(type, keys)) == {str}:
            return (
                f"{lhs} = ANY(ARRAY(SELECT json_array_elements_text(%s::json)))",
                (*params, json.dumps(keys)),
            )
        return f"{lhs} = ANY(%s)", (*params, keys)


def chunks(items: Sequence, size: int | None = None) -> Iterable[Sequence]:
    size = size or BATCH
    for start in range(0, len(items), size):
        yield items[start : start + size]


def where_in(queryset: models.QuerySet, field: str, keys: Iterable) -> Iterator[models.QuerySet]:
    """`queryset` narrowed to each batch of `keys` in turn (no key is looked up twice)."""
    if arrays():
        wanted = list(set(keys))
        for chunk in chunks(wanted, ARRAY_BATCH):
            yield queryset.filter(AnyOf(F(field), chunk))
    else:
        for chunk in chunks(sorted(set(keys))):
            yield queryset.filter(**{f"{field}__in": chunk})


class Stored:
    """A stored row read as attributes (`record.street_address`, `record.pk`), without the
    cost of a model instance: the import reads records it finds and never saves them."""

    def __init__(self, values: dict[str, Any]):
        self.__dict__.update(values)


def stored_rows(
    model, field: str, keys: Iterable, *, leave_out: Iterable[str] = ()
) -> Iterator[Stored]:
    """The rows of `model` whose `field` is one of `keys`, with every concrete field but
    those in `leave_out`, in primary-key order within each batch. (Time stamps the caller
    never reads are worth leaving out: each one costs a Python conversion.)"""
    left_out = set(leave_out)
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in left_out]
    pk = model._meta.pk.attname
    names_and_pk = [*names, "pk"]
    for queryset in where_in(model.objects.order_by("pk"), field, keys):
        for values in queryset.values_list(*names, pk):
            yield Stored(dict(zip(names_and_pk, values, strict=True)))


def _columns(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _fillers(model) -> list[tuple[str, bool, Any]]:
    """(attname, whether the default is made for each row, the default) of every column
    but the primary key, filled the way a save fills them (auto_now stamps, defaults, a
    unique default such as a public id made for each row)."""
    now = timezone.now()
    fillers = []
    for field in _columns(model):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fillers.append((field.attname, False, now))
        elif field.has_default() and callable(field.default) and field.unique:
            fillers.append((field.attname, True, field.default))
        elif field.has_default():
            fillers.append((field.attname, False, field.get_default()))
        else:
            fillers.append((field.attname, False, None if field.null else ""))
    return fillers


def _column(rows: list[dict[str, Any]], attname: str, per_row: bool, default) -> list[Any]:
    """One column of `rows`, its default where a row lacks it."""
    try:
        return list(map(itemgetter(attname), rows))  # every row has it: no call per row
    except KeyError:
        if per_row:
            return [row[attname] if attname in row else default() for row in rows]
        return [row.get(attname, default) for row in rows]


def _prepared(model, columns: list[models.Field], rows: list[list[Any]]) -> list[list[Any]]:
    converting = [
        (i, field) for i, field in enumerate(columns) if field.get_internal_type() not in _AS_IS
    ]
    for values in rows:
        for i, field in converting:
            values[i] = field.get_db_prep_save(values[i], connection)
    return rows


def _ids(model, n: int) -> list[int]:
    """`n` new primary keys from the table's own sequence."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        # The sequence is found first: called in the row's expression it was looked up again
        # for every row, 3.6 s of the server's time for a million ids instead of 0.4 s.
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)::regclass::oid", [table, pk])
        sequence = cursor.fetchone()[0]
        cursor.execute(
            "SELECT nextval(%s::oid::regclass) FROM generate_series(1, %s)", [sequence, n]
        )
        return [row[0] for row in cursor.fetchall()]


def _type(field: models.Field) -> str:
    """The column's type as PostgreSQL names it, without length or precision."""
    db_type = field.rel_db_type(connection) if field.is_relation else field.db_type(connection)
    return (db_type or "").split("(")[0].strip()


def _copy(
    table: str, names: list[str], rows: Iterable[Sequence[Any]], fields: list[models.Field]
) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(map(quote, names))}) FROM STDIN"
    types = [_type(field) for field in fields]
    with connection.cursor() as cursor:
        raw = cursor.connection  # psycopg's own connection: COPY
        try:
            known = all(raw.adapters.types[name] for name in types)
        except KeyError:  # a type psycopg does not know: text, each value adapted alone
            known = False
        if known:  # each column's dumper chosen once, and values sent in binary
            sql += " (FORMAT BINARY)"
        with raw.cursor() as copying, copying.copy(sql) as copy:
            if known:
                copy.set_types(types)
            for row in rows:
                copy.write_row(row)


# COPY's text format: these characters in a value are written as escapes.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text_of(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, datetime.date):  # dates and times, in ISO form
        return value.isoformat()
    return str(value)  # whole numbers, decimals and UUIDs: their str is PostgreSQL's input


def _texts(values: list[Any]) -> list[str]:
    """One column as COPY's text format writes it, with as little done for each value as
    the column allows: text without a character to escape goes as it is, and a column of
    one value (a default, a time stamp) is written once."""
    if not values:
        return []
    kinds = set(map(type, values))
    if kinds == {str}:
        joined = "".join(values)
        if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
            return [value.translate(_ESCAPES) for value in values]
        return values
    if len(kinds) == 1 and values.count(values[0]) == len(values):
        return [_text_of(values[0])] * len(values)
    if kinds == {int}:
        return list(map(str, values))
    if kinds == {bool}:
        return ["t" if value else "f" for value in values]
    return list(map(_text_of, values))


def _copy_texts(
    table: str, names: list[str], n: int, piece_of: Callable[[int, int], list[list[Any]]]
) -> None:
    """COPY of `n` rows in the text format, a piece of COPY_PIECE rows at a time, each
    piece's columns from `piece_of(start, end)`, turned into text a column at a time.

    The pieces are queued for a thread of psycopg's that sends them (QueuedLibpqWriter),
    so that PostgreSQL inserts one piece while this thread makes the next: the two run on
    two cores instead of taking turns."""
    from psycopg.copy import QueuedLibpqWriter  # PostgreSQL only; SQLite needs no psycopg

    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(map(quote, names))}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.connection  # psycopg's own connection: COPY
        with raw.cursor() as copying:
            with copying.copy(sql, writer=QueuedLibpqWriter(copying)) as copy:
                for start in range(0, n, COPY_PIECE):
                    texts = [_texts(column) for column in piece_of(start, start + COPY_PIECE)]
                    lines = map("\t".join, zip(*texts, strict=True))
                    copy.write("\n".join(lines).encode() + b"\n")


def insert(
    model,
    rows: list[dict[str, Any]],
    *,
    with_ids: bool = False,
    columns: dict[str, list[Any]] | None = None,
) -> list[int] | None:
    """Write new rows of `model` ({attname: value}, plus `columns`, {attname: a value for
    each row}); their primary keys if `with_ids`."""
    if not rows:
        return [] if with_ids else None
    columns = columns or {}
    if not arrays():
        made = []
        for start in range(0, len(rows), BATCH):
            made += model.objects.bulk_create(
                [
                    model(**values, **{name: v[start + i] for name, v in columns.items()})
                    for i, values in enumerate(rows[start : start + BATCH])
                ]
            )
        return [obj.pk for obj in made] if with_ids else None
    fields, fillers = _columns(model), _fillers(model)
    names = [f.column for f in fields]
    ids = _ids(model, len(rows)) if with_ids else None
    if ids is not None:
        pk = model._meta.pk
        fields, names = [pk, *fields], [pk.column, *names]

    def piece_of(start: int, end: int) -> list[list[Any]]:
        piece = rows[start:end]
        values = [
            columns[name][start:end] if name in columns else _column(piece, name, *filler)
            for name, *filler in fillers
        ]
        return [ids[start:end], *values] if ids is not None else values

    if all(field.get_internal_type() in _AS_IS for field in fields):
        _copy_texts(model._meta.db_table, names, len(rows), piece_of)
    else:  # a type of field this module does not write as text: each value adapted
        by_row = [list(row) for row in zip(*piece_of(0, len(rows)), strict=True)]
        _copy(model._meta.db_table, names, _prepared(model, fields, by_row), fields)
    return ids


def update(model, changes: list[tuple[int, dict[str, Any]]], **for_all) -> None:
    """Write each (pk, {attname: new value}) with `for_all` (e.g. updated_at) to every row.

    On PostgreSQL the rows that change the same fields are copied to a temporary table and
    updated from it in one statement; elsewhere one UPDATE a row (bulk_update's CASE
    expressions cost ten times more there)."""
    if not arrays():
        for pk, values in changes:
            model.objects.filter(pk=pk).update(**values, **for_all)
        return
    groups: dict[tuple[str, ...], list[tuple[int, dict]]] = {}
    for pk, values in changes:
        groups.setdefault(tuple(sorted(values)), []).append((pk, values))
    quote = connection.ops.quote_name
    table, pk_column = quote(model._meta.db_table), quote(model._meta.pk.column)
    for names, group in groups.items():
        fields = [model._meta.get_field(name) for name in names]
        columns = [quote(f.column) for f in fields]
        rows = _prepared(model, fields, [[values[n] for n in names] for _pk, values in group])
        with connection.cursor() as cursor:
            # Only quoted table and column names of the model are put into the SQL.
            cursor.execute(
                f"CREATE TEMPORARY TABLE import_changes ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {pk_column}, {', '.join(columns)} FROM {table} WITH NO DATA"
            )
            _copy(
                "import_changes",
                [model._meta.pk.column, *[f.column for f in fields]],
                ([pk, *row] for (pk, _v), row in zip(group, rows, strict=True)),
                [model._meta.pk, *fields],
            )
            stamps = [(quote(model._meta.get_field(n).column), v) for n, v in for_all.items()]
            assignments = [f"{c} = import_changes.{c}" for c in columns] + [
                f"{c} = %s" for c, _v in stamps
            ]
            cursor.execute(
                f"UPDATE {table} SET {', '.join(assignments)} FROM import_changes "  # noqa: S608
                f"WHERE {table}.{pk_column} = import_changes.{pk_column}",
                [v for _c, v in stamps],
            )
            cursor.execute("DROP TABLE import_changes")


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def uuids(n: int) -> list[str]:
    """`n` random (version 4) UUIDs, in their usual written form, from one read of the
    system's random source: the same as str(uuid.uuid4()) without an object for each."""
    pool = os.urandom(16 * n).hex()
    return [
        f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"
        for h in (pool[i : i + 32] for i in range(0, 32 * n, 32))
    ]
