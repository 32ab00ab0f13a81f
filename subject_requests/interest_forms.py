"""Forms of the general objection (Art. 21(1)): the customer's and staff's decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from subject_requests.forms import SubmittedOnceForm
from subject_requests.staff_forms import _PageForm

UPHOLD, REFUSE = "uphold", "refuse"


class InterestObjectionForm(SubmittedOnceForm):
    register = forms.ChoiceField(label=_("Register"), widget=forms.RadioSelect)
    grounds = forms.CharField(
        label=_("Your grounds"),
        help_text=_(
            "Tell us what in your particular situation makes you object to this processing."
        ),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, registers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].choices = [(r.key, r.name) for r in registers]
        if len(registers) == 1:
            self.fields["register"].initial = registers[0].key


class InterestDecisionForm(_PageForm):
    """Staff: uphold, or refuse with the assessment of compelling legitimate grounds."""

    id_prefix = "interest"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (UPHOLD, _("Uphold: stop the processing")),
            (REFUSE, _("Refuse: compelling legitimate grounds override")),
        ],
        widget=forms.RadioSelect,
    )
    assessment = forms.CharField(
        label=_("Assessment of compelling legitimate grounds"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Required when you refuse: weigh our grounds against the customer's situation. "
            "Sent to the customer by email."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == REFUSE and not (data.get("assessment") or "").strip():
            self.add_error(
                "assessment",
                _(
                    "Write the assessment of the compelling legitimate grounds; it is sent to "
                    "the customer."
                ),
            )
        return data

    @property
    def uphold(self) -> bool:
        return self.cleaned_data["decision"] == UPHOLD
