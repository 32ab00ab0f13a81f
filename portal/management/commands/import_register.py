"""Load a register's data from a CSV file, such as an export of the old customer system.

Administrators load register data with it (DESIGN.md: "load and maintain register data").
Every row is checked before anything is written; one bad row means nothing is imported,
and every problem is listed with its row and column so the file can be fixed in one go.
Try a file with --dry-run first. The column formats are in docs/import.md.
"""

import csv
import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.importing import ImportInvalid, ImportResult, register_import
from portal.importing.service import collector_paused
from portal.registers import REGISTERS

PROGRESS_FROM_ROWS = 500  # below this an import is over before a bar would help


def read_csv(path: Path) -> list[list[str]]:
    """The file's rows; UTF-8 with or without BOM, ',' or ';' (Finnish Excel) as delimiter."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except UnicodeDecodeError:
        raise CommandError(
            f'{path} is not UTF-8 text. In Excel, save it as "CSV UTF-8 (comma delimited)".'
        ) from None
    # Column names contain neither character, so the header line tells them apart.
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise CommandError(f"{path} is not a readable CSV file: {error}") from None


class ProgressBar:
    """A plain text bar on stderr, redrawn only when the whole percentage changes."""

    def __init__(self, stream, width: int = 40):
        self.stream, self.width, self.last = stream, width, None

    def __call__(self, stage: str, done: int, total: int) -> None:
        percent = done * 100 // total if total else 100
        if (stage, percent) == self.last:
            return
        self.last = (stage, percent)
        filled = self.width * percent // 100
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(
            f"\r{stage:<9}[{bar}] {percent:3d}% ({done}/{total})", style_func=str, ending=""
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.last is not None:
            self.stream.write("", style_func=str)


class Command(BaseCommand):
    help = (
        "Import a register's data from a CSV file: all rows or none. "
        "See docs/import.md for the columns of each register."
    )

    def add_arguments(self, parser):
        parser.add_argument("register", choices=[register.key for register in REGISTERS])
        parser.add_argument("file", type=Path, help="a CSV file, UTF-8, ',' or ';' delimited")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would happen; save nothing",
        )

    def handle(self, *args, register: str, file: Path, dry_run: bool, **options):
        with collector_paused():  # a million rows read into lists: see the service
            rows = read_csv(file)
        progress = ProgressBar(self.stderr) if len(rows) > PROGRESS_FROM_ROWS else None
        try:
            result = register_import(
                register=register, rows=rows, dry_run=dry_run, source=file.name, progress=progress
            )
        except ImportInvalid as invalid:
            listing = "\n".join(f"  {error}" for error in invalid.errors)
            raise CommandError(
                f"{file.name} was not imported; nothing was saved. "
                f"{len(invalid.errors)} problem(s):\n{listing}"
            ) from None
        finally:
            if progress:
                progress.finish()
        self.summarise(result)

    def summarise(self, result: ImportResult) -> None:
        write = self.stdout.write
        verb = "would be" if result.dry_run else "were"
        write(f"{result.source}: {result.rows_read} rows read for the {result.register} register.")
        write(
            f"  records created: {result.records_created}, updated: {result.records_updated}, "
            f"unchanged: {result.records_unchanged}"
        )
        write(
            f"  data subjects created: {result.subjects_created}, "
            f"existing subjects matched: {result.subjects_matched}"
        )
        if result.objections_kept:
            write(
                f"  opt-outs kept: {result.objections_kept} existing record(s) had objected "
                "to marketing; the file's older values for that were not applied"
            )
        if result.ambiguous:
            write(
                self.style.WARNING(
                    f"  ambiguous, needs staff review: {len(result.ambiguous)} row(s) match "
                    f"records of more than one data subject, so each {verb} given a new subject:"
                )
            )
            for number, subject in result.ambiguous:
                write(f"    row {number}" + (f" -> subject {subject}" if subject else ""))
        if result.conflicts:
            write(
                self.style.WARNING(
                    f"  identity conflicts, need staff review: {len(result.conflicts)} row(s) "
                    "carry the customer number of another person's records, so each "
                    f"{verb} kept apart from them (see the staff page Identity conflicts):"
                )
            )
            for number, subject in result.conflicts:
                write(f"    row {number}" + (f" -> subject {subject}" if subject else ""))
        if result.dry_run:
            write(self.style.WARNING("Dry run: nothing was saved."))
        else:
            write(self.style.SUCCESS("Imported in one transaction; recorded in the audit trail."))
