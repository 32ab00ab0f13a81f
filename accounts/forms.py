from allauth.account.forms import LoginForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.services import customer_user_ensure


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """Email-code sign-in for every address, known to the registers or not.

    Before allauth looks the address up, a portal user is ensured for it, so that allauth
    takes exactly the same path (and sends the same email) for everyone. Staff do not sign
    in by code: they use their password and TOTP.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Your email address")
        self.fields["email"].help_text = _(
            "We send a one-time sign-in code to this address. Use the address you have given "
            "to Tector."
        )
        self.fields["email"].widget.attrs.pop("placeholder", None)

    def clean_email(self):
        email = self.cleaned_data.get("email")
        if email:
            customer_user_ensure(email=email)
        email = super().clean_email()
        user = getattr(self, "_user", None)
        if user is not None and (user.is_staff or user.is_superuser or not user.is_active):
            # Looks the same from outside; no code is generated for a staff account.
            self._user = None
        return email


class PasswordLoginForm(LoginForm):
    """Web-shop customers (username or email and web-shop password) and staff."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or email")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields.pop("remember", None)
        self.fields["password"].help_text = ""


class EmptyForm(forms.Form):
    """A form with nothing but the CSRF token (for confirm-only POSTs)."""
