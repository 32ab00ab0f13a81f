"""Staff second factor (TOTP or a recovery code): limited, locked and audited like passwords.

Every wrong code is an audit event and counts against the account in django-axes; after
AXES_FAILURE_LIMIT of them the account's second factor is locked for the cool-off time,
whatever address the codes come from, and no code is checked until it ends. allauth's
`login_failed` rate limit throttles on top (per client and per account).
"""

from allauth.core import context
from allauth.mfa.base import forms as mfa_forms
from axes.handlers.proxy import AxesProxyHandler
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.client_ip import client_ip
from accounts.lockout import axes_username, second_factor_credentials
from portal.audit import audit_record


def second_factor_failure_record(request, user, *, reason: str, **details) -> None:
    """Audit a refused code; a wrong one also counts towards the lock (axes marks the request
    locked when this one reaches the limit, and its middleware shows the lockout page)."""
    with transaction.atomic():
        audit_record(
            action="auth.mfa.failed",
            actor=None,
            details={
                "ip": client_ip(request) if request is not None else "",
                "user_id": user.pk,
                "reason": reason,
                **details,
            },
        )
    if reason == "wrong_code" and request is not None:
        AxesProxyHandler.user_login_failed(
            sender=__name__, credentials=second_factor_credentials(user), request=request
        )


def second_factor_reset(user) -> None:
    """A right code: earlier wrong ones no longer count (as AXES_RESET_ON_SUCCESS for passwords)."""
    AxesProxyHandler.reset_attempts(username=axes_username(None, second_factor_credentials(user)))


class _Lockout:
    def clean_code(self):
        request = context.request
        credentials = second_factor_credentials(self.user)
        if AxesProxyHandler.is_locked(request, credentials):
            # No code is checked while locked; axes' middleware shows the lockout page.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            raise ValidationError(_("Two-factor sign-in is locked."), code="locked")
        try:
            return super().clean_code()
        except ValidationError as error:
            if error.code == "too_many_login_attempts":  # allauth's throttle: nothing checked
                second_factor_failure_record(request, self.user, reason="rate_limited")
            raise


class AuthenticateForm(_Lockout, mfa_forms.AuthenticateForm):
    pass


class ReauthenticateForm(_Lockout, mfa_forms.ReauthenticateForm):
    pass
