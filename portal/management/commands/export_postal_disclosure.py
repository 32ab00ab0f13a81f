"""Write the name-and-address list for a partner's direct marketing (seed 7.2) and record the
disclosure in the ledger, naming everyone on it.

Only postal entries that allow disclosure, are not restricted, have not objected and are not
suppressed are on the list (portal/disclosures.py). --screen leaves out the addresses of a
list of people who refuse direct mail (a CSV with street_address, postal_code and optionally
company_name and last_name). Try it with --dry-run: the list is counted, nothing is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.disclosures import list_csv, list_recipients, postal_disclosure_export, screen_rows
from portal.errors import Refusal


class Command(BaseCommand):
    help = "Export the postal name-and-address list for a partner and record the disclosure."

    def add_arguments(self, parser):
        keys = sorted({recipient.key for _register, recipient in list_recipients()})
        parser.add_argument("file", type=Path, help="Where to write the CSV list.")
        parser.add_argument("--recipient", required=True, help=f"One of: {', '.join(keys)}.")
        parser.add_argument("--purpose", required=True, help="Why the list is disclosed.")
        parser.add_argument("--screen", type=Path, help="CSV of addresses refusing direct mail.")
        parser.add_argument("--dry-run", action="store_true", help="Count only; write nothing.")

    def handle(self, *args, **options):
        screen = []
        target = Path(options["file"])
        if options["screen"]:
            try:
                text = Path(options["screen"]).read_text(encoding="utf-8-sig")
            except (FileNotFoundError, UnicodeDecodeError) as error:
                raise CommandError(f"{options['screen']}: {error}") from None
            try:
                screen = screen_rows(text)
            except Refusal as refusal:
                raise CommandError(str(refusal)) from None
        # One transaction: a list that could not be written is not recorded as disclosed.
        with transaction.atomic():
            try:
                export = postal_disclosure_export(
                    recipient_key=options["recipient"],
                    purpose=options["purpose"],
                    screen=screen,
                    dry_run=options["dry_run"],
                )
            except Refusal as refusal:
                raise CommandError(str(refusal)) from None
            summary = f"{len(export.rows)} on the list, {export.screened_out} left out by screening"
            if options["dry_run"]:
                self.stdout.write(f"Dry run: {summary}; nothing written.")
                return
            try:
                target.write_text(list_csv(export), encoding="utf-8-sig")
            except OSError as error:
                raise CommandError(f"{target}: {error}; nothing recorded.") from None
        ledger = ", ".join(str(d.pk) for d in export.disclosures) or "none (nobody on the list)"
        self.stdout.write(f"Wrote {target}: {summary}. Ledger entry: {ledger}.")
