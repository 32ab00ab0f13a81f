"""Create a member of staff: the first one on a new installation, or any later one.

    python manage.py create_staff_user katri@tector.fi --role contact_person
    python manage.py create_staff_user it@tector.fi --role administrator --password-stdin < pw
    python manage.py create_staff_user it@tector.fi --role administrator --totp

The password is asked for twice (or read from standard input, for scripts) and must pass the
portal's password rules. The user has a verified address, so a password reset reaches them.
Their second factor is enrolled on their first sign-in: every staff page sends a member of
staff without TOTP to the enrolment page (a QR code for their authenticator app). With --totp
the command enrols it instead and prints the secret and its otpauth:// address once, for an
authenticator app set up by key; recovery codes are then made too, and shown in the portal
under two-factor authentication. Works with DEBUG off; every creation is an audit event.
"""

import getpass
import sys

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from accounts import roles
from accounts.models import User
from portal.audit import audit_record


class Command(BaseCommand):
    help = "Create a member of staff with a role (and optionally their TOTP)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="their sign-in address (also the username)")
        parser.add_argument("--role", required=True, choices=sorted(roles.ROLE_PERMISSIONS))
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )
        parser.add_argument(
            "--totp",
            action="store_true",
            help="enrol TOTP now and print its secret (else they enrol at first sign-in)",
        )

    def handle(self, *args, email, role, first_name, last_name, password_stdin, totp, **options):
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"Not an email address: {email!r}") from None
        if (
            User.objects.filter(username__iexact=email).exists()
            or EmailAddress.objects.filter(email__iexact=email).exists()
        ):
            raise CommandError(f"{email} already has an account; nothing was changed.")
        user = User(
            username=email, email=email, first_name=first_name, last_name=last_name, is_staff=True
        )
        password = self._password(password_stdin)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)

        roles.ensure_role_groups()
        secret = generate_totp_secret() if totp else None
        with transaction.atomic():
            user.save()
            user.groups.add(Group.objects.get(name=role))
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            audit_record(action="staff.user.created", target=user, details={"role": role})
            if secret:
                TOTP.activate(user, secret)
                RecoveryCodes.activate(user)
                audit_record(
                    action="auth.mfa.enrolled",
                    actor=user,
                    details={"type": Authenticator.Type.TOTP},
                )

        self.stdout.write(f"Created {email} ({role}).")
        if secret:
            self.stdout.write(f"TOTP secret: {secret}")
            self.stdout.write(f"TOTP address: {get_mfa_adapter().build_totp_url(user, secret)}")
            self.stdout.write("Add it to their authenticator app now; it is not shown again.")
        else:
            self.stdout.write("They set up TOTP (two-factor authentication) at first sign-in.")

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ; nothing was changed.")
        if not password:
            raise CommandError("No password given; nothing was changed.")
        return password
