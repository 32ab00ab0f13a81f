"""Portal passwords are for staff only.

Customers sign in with an emailed code or their web-shop password; a portal password would
be a third way in that skips the code. So a password reset mails a link only to a member of
staff, a reset link of anyone else is invalid, and the set and change password pages do not
exist for customers (accounts.middleware). The reset mail is sent after the answer has gone
out, so the answer takes the same time for a staff address, a customer's and an unknown one.
"""

import logging

from allauth.account.adapter import get_adapter
from allauth.account.forms import ResetPasswordForm, UserTokenForm
from allauth.account.internal.flows.password_reset import request_password_reset
from allauth.core import context
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Q

from accounts.models import User

logger = logging.getLogger(__name__)
_AFTER_RESPONSE = "_portal_after_response"


def has_portal_password_right(user) -> bool:
    return bool(user.is_staff or user.is_superuser)


def after_response(request, task) -> None:
    """Run `task` once the response has been sent (accounts.middleware.AfterResponseMiddleware)."""
    tasks = getattr(request, _AFTER_RESPONSE, None)
    if tasks is None:
        tasks = []
        setattr(request, _AFTER_RESPONSE, tasks)
    tasks.append(task)


def after_response_tasks(request) -> list:
    return getattr(request, _AFTER_RESPONSE, [])


def run_safely(task) -> None:
    try:
        task()
    except Exception:  # the answer is already sent: log, never break the server's close()
        logger.exception("A task after the response failed.")


def _reset_mail_send(request, email, users) -> None:
    # allauth finds the request through its context, which ends with the request's handling.
    with context.request_context(request):
        request_password_reset(request, email, users, default_token_generator)


class StaffResetPasswordForm(ResetPasswordForm):
    def clean_email(self):
        # One query, the same for every address (allauth's lookup asks more for some).
        email = get_adapter().clean_email(self.cleaned_data["email"].lower())
        addresses = Q(email__iexact=email) | Q(
            emailaddress__email__iexact=email, emailaddress__verified=True
        )
        staff = User.objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True)
        self.users = [u for u in staff.filter(addresses).distinct() if u.has_usable_password()]
        return self.cleaned_data["email"]

    def save(self, request, **kwargs) -> str:
        email = self.cleaned_data["email"]
        users = list(self.users)
        if users:
            after_response(request, lambda: _reset_mail_send(request, email, users))
        return email


class StaffUserTokenForm(UserTokenForm):
    """A reset link names a user; only a member of staff's is valid."""

    def clean(self):
        cleaned_data = super().clean()
        if self.reset_user is not None and not has_portal_password_right(self.reset_user):
            raise get_adapter().validation_error("invalid_password_reset")
        return cleaned_data
