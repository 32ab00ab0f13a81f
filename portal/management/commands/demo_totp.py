"""Print the current TOTP code of a demo staff user, for trying the staff pages without a phone.

Development only, like load_demo: it reads the published demo secrets.
"""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo.personas import STAFF


class Command(BaseCommand):
    help = "Show the current TOTP code of a demo staff user (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("email", choices=[spec["email"] for spec in STAFF])

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp only runs with DEBUG on.")
        secret = next(spec["totp_secret"] for spec in STAFF if spec["email"] == email)
        counter = int(time.time()) // mfa_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(secret, counter)))
