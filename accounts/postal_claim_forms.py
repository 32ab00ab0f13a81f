"""Forms of the postal-address claim: the person's claim and code, staff's choice of record."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.validators import normalize_postal_code


class PostalClaimForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    street_address = forms.CharField(
        label=_("Street address"),
        max_length=200,
        help_text=_("As on letters we have sent you, e.g. Hämeenkatu 21 A 4."),
    )
    postal_code = forms.CharField(label=_("Postal code"), max_length=10)
    post_office = forms.CharField(label=_("Post office"), max_length=100)

    def clean_postal_code(self):
        try:
            return normalize_postal_code(self.cleaned_data["postal_code"])
        except ValidationError as error:
            raise ValidationError(error.messages[0], code="postal_code") from None


class LetterCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the letter"),
        max_length=20,
        help_text=_("Ten letters and digits, e.g. ABCDE-23456."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )


class LetterForm(forms.Form):
    """Staff: the data subject whose address on file the letter goes to."""

    subject = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
