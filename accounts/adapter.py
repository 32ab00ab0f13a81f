from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import roles
from accounts.client_ip import client_ip
from accounts.passwords import has_portal_password_right
from outbox.messages import at_once
from portal.audit import audit_record
from portal.controller import CONTROLLER

# Mails to an address that somebody typed: they must not tell the reader who typed it.
ANONYMOUS_TEMPLATES = {"account/email/email_confirmation", "account/email/account_already_exists"}


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # No separate sign-up: an email code or the web-shop password is all a customer needs.
        return False

    def get_login_redirect_url(self, request):
        # Staff come for the request queue; customers for their data (LOGIN_REDIRECT_URL).
        # A `next` address, e.g. the staff page that sent them to sign in, still wins.
        user = request.user
        if user.is_staff:
            held = set(user.groups.values_list("name", flat=True))
            if user.is_superuser or held & {roles.CONTACT_PERSON, roles.ADMINISTRATOR}:
                return reverse("staff_home")
            # A register maintainer's work is the registers and the disclosure ledger; the
            # queue would answer them 403.
            if roles.REGISTER_MAINTAINER in held:
                return reverse("staff_disclosures")
            return reverse("admin:index")
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request):
        # The same client as the lockout sees, behind PROXY_COUNT proxies (accounts.client_ip).
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("No client address.")
        return ip

    def set_password(self, user, password):
        # Only staff have portal passwords; the pages refuse customers first (accounts.passwords).
        if not has_portal_password_right(user):
            raise PermissionDenied("Customers have no portal password.")
        super().set_password(user, password)

    def send_mail(self, template_prefix, email, context):
        context = {
            **context,
            "controller_name": CONTROLLER.name,
            "code_minutes": settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT // 60,
        }
        if template_prefix in ANONYMOUS_TEMPLATES:
            context.pop("user", None)
        # The mail (an outbox row) and its audit event commit together.
        with transaction.atomic():
            super().send_mail(template_prefix, email, context)
            if template_prefix == "account/email/login_code":
                audit_record(
                    action="auth.code.sent",
                    actor=context.get("user") if context.get("user") else None,
                    details={"email": email},
                )

    def render_mail(self, template_prefix, email, context, headers=None):
        # Everything allauth mails (codes, confirmation and reset links) is read by someone
        # waiting on the page: tried right after commit, not left for a worker's next round.
        return at_once(super().render_mail(template_prefix, email, context, headers))

    def confirm_email(self, request, email_address):
        """Only the account that added the address can confirm it, in its own session.

        The link reaches whoever reads the mailbox; if anyone holding it could confirm, the
        owner of the address clicking "confirm" would hand her address, and so her register
        data, to whoever added it. Confirming in the adder's own signed-in session proves
        that the person who added the address reads mail sent to it.
        """
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.pk != email_address.user_id:
            messages.error(
                request,
                _(
                    "This address can be confirmed only by signing in to the account where "
                    "it was added and opening the link there. Nothing was changed."
                ),
            )
            return False
        return super().confirm_email(request, email_address)
