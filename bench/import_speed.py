"""How many rows a second does `import_register` take from a large postal-register CSV?

Writes a file of invented postal-register entries to /tmp (the same for the same size), puts
1 % of its people on the suppression list (an objection that an old list must not undo,
Art. 21(3)), and then, inside one transaction that is rolled back at the end so the
database is left as it was:

  1. imports the file into the register (every row new: a data subject and an entry each);
  2. imports it again with every tenth row changed (an update each) and the rest unchanged.

Each import is the management command's own work (reading the CSV, checking every row,
linking, the suppression list, writing, the audit event), timed without Django's start-up.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a migrated throw-away database> \\
        .venv/bin/python bench/import_speed.py [rows] [--profile] [--commit]
--profile runs the imports under cProfile and prints the 25 most costly functions and
the share of each stage; without it, the wall time of each stage is printed after each import.
--commit lets each import commit (see main); run it on a fresh database and drop that after.
"""

import cProfile
import csv
import importlib
import io
import os
import pstats
import random
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from portal import suppression  # noqa: E402
from portal.demo.generated import FEMALE, MALE, POST_OFFICES, STREETS, SURNAMES  # noqa: E402
from portal.models import PostalRecipient, Suppression  # noqa: E402

HEADER = [
    "customer_number",
    "first_name",
    "last_name",
    "company_name",
    "street_address",
    "postal_code",
    "post_office",
    "disclosure_allowed",
    "postal_marketing_allowed",
]
SUPPRESSED_SHARE = 0.01


def _row(rng: random.Random, n: int, changed: bool = False) -> list[str]:
    first = rng.choice(FEMALE if n % 2 else MALE)
    last = rng.choice(SURNAMES)
    company = f"Rakennus {last} Oy" if n % 10 == 0 else ""
    street = f"{rng.choice(STREETS)} {rng.randint(1, 80)}"
    if rng.random() < 0.4:
        street += f" {rng.choice('ABC')} {rng.randint(1, 30)}"
    postal_code, office = rng.choice(POST_OFFICES)
    if changed:
        street = f"Muuttokatu {n % 97 + 1}"
    return [
        f"P{n:07d}",
        first if not company else "",
        last if not company else "",
        company,
        street,
        postal_code,
        office,
        "kyllä" if rng.random() < 0.85 else "ei",
        "kyllä" if rng.random() < 0.9 else "ei",
    ]


def write_files(rows: int) -> tuple[Path, Path, list[dict]]:
    """The file, the same file with every tenth row moved, and the people to suppress."""
    tmp = Path(tempfile.gettempdir())
    first, second = tmp / f"import_speed_{rows}.csv", tmp / f"import_speed_{rows}_b.csv"
    rng = random.Random(2026)
    suppressed = []
    with (
        first.open("w", newline="", encoding="utf-8") as a,
        second.open("w", newline="", encoding="utf-8") as b,
    ):
        out_a, out_b = csv.writer(a), csv.writer(b)
        out_a.writerow(HEADER)
        out_b.writerow(HEADER)
        for n in range(1, rows + 1):
            state = rng.getstate()
            row = _row(rng, n)
            out_a.writerow(row)
            if n % 10 == 0:
                after = rng.getstate()
                rng.setstate(state)
                row = _row(rng, n, changed=True)
                rng.setstate(after)
            out_b.writerow(row)
            if rng.random() < SUPPRESSED_SHARE:
                suppressed.append(dict(zip(HEADER, row, strict=True)))
    return first, second, suppressed


def _import(path: Path, profile: bool) -> float:
    out = io.StringIO()
    profiler = cProfile.Profile() if profile else None
    start, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    call_command("import_register", "postal", str(path), stdout=out, stderr=io.StringIO())
    if profiler:
        profiler.disable()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print("   ", " ".join(out.getvalue().split("\n")[1:3]).strip(), f"(CPU here {cpu:.1f} s)")
    if profiler:
        stats = pstats.Stats(profiler, stream=io.StringIO())
        stats.sort_stats("tottime").print_stats(25)
        print(stats.stream.getvalue())
        _stages(stats, seconds)
    return seconds


# (what, function) of the stages of an import, as the profile names them
STAGES = [
    ("read the CSV file", "read_csv"),
    ("check every row (parse, row rules, keys)", "rows_validate"),
    ("find the records the rows update", "_existing_records"),
    ("find who holds the rows' customer numbers", "__init__ (linking)"),
    ("link each row to a data subject", "link"),
    ("match the suppression list (HMAC + query)", "suppression_apply"),
    ("  of which the keyed hashes", "of_texts"),
    ("write subjects and records (COPY)", "insert"),
    ("write changed records (temporary table)", "update"),
    ("  of which waiting for PostgreSQL (all stages)", "wait"),
    ("audit event", "audit_record"),
]


def _stages(stats: pstats.Stats, seconds: float) -> None:
    """Cumulative time of each stage in the profiled import (the profiler adds its own)."""
    by_name: dict[str, float] = {}
    for (path, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():
        key = f"{name} (linking)" if name == "__init__" and path.endswith("linking.py") else name
        if "portal" in path or name in ("wait", "read_csv"):
            by_name[key] = max(by_name.get(key, 0.0), cumulative)
    print(f"  stage (profiled: {seconds:.1f} s in all)")
    for label, name in STAGES:
        spent = by_name.get(name, 0.0)
        print(f"    {label:<48} {spent:6.2f} s  {100 * spent / seconds:4.0f} %")


class _StageClock:
    """Wall time of each stage of the imports, from wrappers around the stages' functions
    (without the profiler's own cost, unlike --profile); printed after each import."""

    WRAPPED = [
        ("read the CSV file", "portal.management.commands.import_register", "read_csv"),
        ("check every row", "portal.importing.service", "rows_validate"),
        ("find the records the rows update", "portal.importing.service", "_existing_records"),
        ("find who holds the customer numbers", "portal.importing.linking", "_holders_by_number"),
        ("plan: look-ups, linking, suppression", "portal.importing.service", "_plan"),
        ("match the suppression list", "portal.importing.service", "suppression_apply"),
        ("write subjects and records", "portal.importing.service", "_write"),
    ]

    def __init__(self):
        self.spent: dict[str, float] = {}
        for label, module_name, name in self.WRAPPED:
            module = importlib.import_module(module_name)
            setattr(module, name, self._timed(label, getattr(module, name)))

    def _timed(self, label, function):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[label] = self.spent.get(label, 0.0) + time.perf_counter() - start

        return timed

    def report(self) -> None:
        for label, _module, _name in self.WRAPPED:
            print(f"      {label:<40} {self.spent.get(label, 0.0):6.2f} s")
        self.spent = {}


def main(rows: int, profile: bool, commit: bool = False) -> None:
    started = time.perf_counter()
    first, second, suppressed = write_files(rows)
    print(f"{rows} rows written to {first} and {second} in {time.perf_counter() - started:.1f} s")
    before = (PostalRecipient.objects.count(), Suppression.objects.count())
    if commit and before[0]:
        sys.exit("--commit needs a database without postal register entries (a fresh one).")
    clock = None if profile else _StageClock()
    # Without --commit both imports happen in one transaction that is rolled back, which
    # leaves the database as it was but never runs what a commit does: the foreign-key
    # checks Django defers to the commit (one for each new record) and the flush of the
    # write-ahead log. With --commit each import commits, as a real one does, and the
    # database keeps the rows.
    with transaction.atomic() if not commit else nullcontext():
        Suppression.objects.bulk_create(
            [
                Suppression(kind="postal", digest=suppression.digests("postal", v)[0])
                for v in suppressed
            ],
            ignore_conflicts=True,
        )
        print(f"{len(suppressed)} people of the file on the suppression list")
        for label, path in (
            ("first import, every row new", first),
            ("same file, every tenth row changed", second),
        ):
            seconds = _import(path, profile)
            print(f"  {label:<38} {seconds:7.1f} s  {rows / seconds:9,.0f} rows/s")
            if clock:
                clock.report()
        if not commit:
            transaction.set_rollback(True)
    after = (PostalRecipient.objects.count(), Suppression.objects.count())
    kept = "kept the rows (--commit)" if commit else "left as it was: "
    if not commit:
        kept += "yes" if before == after else "NO"
    print(f"database: {connection.vendor}; {kept}")


if __name__ == "__main__":
    numbers = [int(a) for a in sys.argv[1:] if a.isdigit()]
    main(numbers[0] if numbers else 1_000_000, "--profile" in sys.argv, "--commit" in sys.argv)
