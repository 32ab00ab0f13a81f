from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import LoginForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.services import customer_user_ensure


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """Email-code sign-in for every address, known to the registers or not.

    Once allauth has accepted the address, a portal user is ensured for it, so that allauth
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
        # The address becomes the username (150 characters at most): longer ones are refused
        # here, before any lookup, instead of failing in the database.
        self.fields["email"].validators.append(MaxLengthValidator(150))

    def clean_email(self):
        # allauth first: an address refused there (rate limit) creates no user.
        email = super().clean_email()
        # The account is chosen here, not by allauth's lookup, which would also pick an
        # account that merely *added* this address without verifying it.
        self._user = customer_user_ensure(email=email) if email else None
        return email


class PasswordLoginForm(LoginForm):
    """Web-shop customers (username or email and web-shop password) and staff."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or email")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        # No username or address is longer; axes stores the login in 255 characters.
        self.fields["login"].validators.append(MaxLengthValidator(254))
        self.fields["password"].widget.attrs.pop("placeholder", None)
        # Customers have no portal password: theirs is the web shop's (accounts.passwords).
        self.fields["password"].label = _("Web-shop password or staff password")
        self.fields.pop("remember", None)
        self.fields["password"].help_text = ""


class EmptyForm(forms.Form):
    """A form with nothing but the CSRF token (for confirm-only POSTs)."""


class AddEmailForm(AllauthAddEmailForm):
    """Another address of the customer's; it counts only once confirmed from this session."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _(
            "We send a confirmation link to this address. Open it in this browser while you "
            "are signed in here: only then is the address added, and data held under it shown "
            "to you."
        )
