"""Fill a database with fictitious data at scale, to measure the portal against it.

    python manage.py generate_scale_data --subjects 100000

makes that many invented people with records in every register, the registers' events (the
web shop's orders, deliveries, invoices and returns), and for a fifth of them a portal user,
requests and the audit events those leave: about a million rows for 100 000 people. The same
seed gives the same data. Like load_demo it refuses to run with DEBUG off (the data is
invented, and a production database must never get it) unless --force is given, e.g. for a
measurement in production mode on a throw-away database.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import connection, transaction

from portal.demo import SEED
from portal.demo.scale import ScaleData


class Command(BaseCommand):
    help = "Generate fictitious people, register records and events at scale (for measuring)."

    def add_arguments(self, parser):
        parser.add_argument("--subjects", type=int, default=100_000, help="people to invent")
        parser.add_argument("--seed", type=int, default=SEED, help="the same seed, the same data")
        parser.add_argument(
            "--force",
            action="store_true",
            help="run with DEBUG off too (a throw-away database for measuring only)",
        )

    @no_translations
    def handle(self, *args, subjects: int, seed: int, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "generate_scale_data only runs with DEBUG on: it writes invented people, which "
                "must never reach a production database. On a throw-away database for "
                "measuring, add --force."
            )
        if subjects < 1:
            raise CommandError("--subjects must be at least 1.")
        data = ScaleData(subjects=subjects, seed=seed, progress=self._progress)
        if data.exists():
            raise CommandError(
                f"This database already holds the data of seed {seed}; use another --seed "
                "or a fresh database."
            )
        start = time.perf_counter()
        with transaction.atomic():
            created = data.generate()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # plans for the new sizes, as autovacuum would
        seconds = time.perf_counter() - start
        self.stderr.write("")
        self.stdout.write(self.style.SUCCESS(f"Generated in {seconds:.1f} s:"))
        for label, count in created.items():
            self.stdout.write(f"  {label:<36} {count:>9}")
        self.stdout.write(f"  {'in all':<36} {sum(created.values()):>9}")

    def _progress(self, text: str) -> None:
        self.stderr.write(f"\r{text}", ending="")
        self.stderr.flush()
