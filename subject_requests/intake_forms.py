"""Forms of staff intake (a request received by letter, email, phone or in person) and of
the identity questions of Art. 12(6)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.registers import REGISTERS
from portal.validators import PlainTextFormMixin
from subject_requests.models import DataRequest
from subject_requests.staff_forms import _PageForm

# A direct-marketing objection takes effect on receipt (Art. 21(3)); staff carry one that
# came by letter out in the register itself, so it is not offered here.
INTAKE_TYPES = [
    (value, label)
    for value, label in DataRequest.Type.choices
    if value != DataRequest.Type.OBJECTION
]


class SubjectSearchForm(PlainTextFormMixin, forms.Form):
    q = forms.CharField(label=_("Customer number, name or email"), min_length=2, max_length=200)


class IntakeForm(PlainTextFormMixin, forms.Form):
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[c for c in DataRequest.Channel.choices if c[0] != DataRequest.Channel.PORTAL],
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(
        label=_("Date received"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The legal deadline counts from this day."),
    )
    type = forms.ChoiceField(label=_("Type of request"), choices=INTAKE_TYPES)
    register = forms.ChoiceField(
        label=_("Register"),
        required=False,
        choices=lambda: (
            [("", _("all registers"))] + [(register.key, register.name) for register in REGISTERS]
        ),
    )
    description = forms.CharField(
        label=_("What the person asked"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    identity_check = forms.ChoiceField(
        label=_("How identity was checked"),
        choices=[
            c
            for c in DataRequest.IdentityCheck.choices
            if c[0] != DataRequest.IdentityCheck.SIGNED_IN
        ],
    )
    identity_note = forms.CharField(
        label=_("Note on the identity check"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    language = forms.ChoiceField(label=_("Language of the answers"), choices=settings.LANGUAGES)
    reply_email = forms.EmailField(
        label=_("Email address for the answers"),
        required=False,
        max_length=254,
        help_text=_("Only if the person asked for answers by email. Otherwise they go by letter."),
    )
    contact_name = forms.CharField(label=_("Name given"), required=False, max_length=200)
    contact_address = forms.CharField(
        label=_("Postal address given"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Used for letters when the person has no address on file."),
    )


class IdentityInfoRequestForm(_PageForm):
    id_prefix = "doubt"

    message = forms.CharField(
        label=_("What do you need to know?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Art. 12(6): ask only what is needed to confirm who the person is. They are told "
            "by email or by letter; the due date does not change."
        ),
    )


class IdentityInfoAnswerForm(_PageForm):
    id_prefix = "doubt_answer"

    answer = forms.CharField(
        label=_("The answer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LinkSubjectForm(forms.Form):
    subject = forms.UUIDField(widget=forms.HiddenInput)
