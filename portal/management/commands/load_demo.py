"""Fill a development database with fictitious customers and demo staff users.

It exists so that every page of the portal can be tried at once after `migrate`: a customer in
all four registers, one on the newsletter only, a company contact, a postal-only person with
no email, a couple of hundred generated customers, and staff who can work the queue. Safe to
run again: it only adds what is missing. It refuses to run with DEBUG off, because it writes
published passwords.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import transaction

from portal.demo.loader import demo_load
from portal.demo.personas import NO_EMAIL_NOTE, SIGN_INS, STAFF

MAILBOX_URL = "http://127.0.0.1:8000/dev/mailbox/"


class Command(BaseCommand):
    help = "Load fictitious demo customers and staff users (development only; DEBUG must be on)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be created, then roll everything back.",
        )

    @no_translations  # developer output in English, whatever LANGUAGE_CODE says
    def handle(self, *args, dry_run=False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo only runs with DEBUG on: it writes fictitious people and published "
                "passwords, which must never reach a production database."
            )
        with transaction.atomic():
            created = demo_load(stdout=self.stdout)
            rows = [(apps.get_model(label), n) for label, n in created.items()]
            totals = [
                (model._meta.verbose_name_plural, n, model.objects.count()) for model, n in rows
            ]
            if dry_run:
                transaction.set_rollback(True)
        self._summary(totals, dry_run)

    def _summary(self, totals, dry_run):
        out = self.stdout
        out.write(self.style.SUCCESS("Dry run, nothing saved:" if dry_run else "Demo data loaded:"))
        for name, new, total in totals:
            out.write(f"  {str(name):<28} {new:>5} new, {total:>5} in all")
        out.write("\nCustomers sign in with a code sent to their email (or a web-shop password):")
        for email, note in SIGN_INS:
            out.write(f"  {email:<32} {note}")
        out.write(f"  {NO_EMAIL_NOTE}")
        out.write("\nStaff (passwords are set when the user is first created):")
        for spec in STAFF:
            out.write(f"  {spec['email']:<32} password {spec['password']:<22} role {spec['role']}")
            out.write(
                f"  {'':<32} TOTP secret {spec['totp_secret']} (add it to an authenticator app, "
                f"or: python manage.py demo_totp {spec['email']})"
            )
        out.write(
            f"\nDevelopment emails are written to {self._mail_dir()}/ "
            f"and can be read at {MAILBOX_URL}"
        )

    @staticmethod
    def _mail_dir() -> str:
        mail_dir = Path(getattr(settings, "MAIL_DIR", "var/mail"))
        try:
            return str(mail_dir.relative_to(settings.BASE_DIR))
        except ValueError:
            return str(mail_dir)
