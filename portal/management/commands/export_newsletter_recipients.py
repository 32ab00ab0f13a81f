"""Write the newsletter's recipients for the mailing tool, with each one's unsubscribe links.

Only confirmed subscribers whom the register's marketing policy allows: never a restricted
record or a suppressed address (portal.newsletter.recipient_rows). Make the list right
before each mailing, so that whoever unsubscribed since is left out; every newsletter must
carry the row's List-Unsubscribe and List-Unsubscribe-Post headers and link to its page.
"""

import csv
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal import newsletter
from portal.audit import audit_record


class Command(BaseCommand):
    help = "Write the newsletter's recipients, with their List-Unsubscribe URLs, to FILE.csv."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file to write, or - for standard output")

    def handle(self, *args, file, **options):
        if not settings.PORTAL_BASE_URL:
            raise CommandError("Set PORTAL_BASE_URL: the unsubscribe links need the address.")
        with transaction.atomic():
            rows = newsletter.recipient_rows()
            audit_record(action="newsletter.recipients.exported", details={"count": len(rows)})
        out = sys.stdout if file == "-" else open(file, "w", newline="", encoding="utf-8")
        try:
            writer = csv.writer(out)
            writer.writerow(newsletter.EXPORT_HEADER)
            writer.writerows(rows)
        finally:
            if out is not sys.stdout:
                out.close()
        if file != "-":
            self.stdout.write(self.style.SUCCESS(f"{len(rows)} recipients written to {file}."))
