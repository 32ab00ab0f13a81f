"""Forms of Art. 19 follow-ups and of the disclosure ledger's staff page."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.validators import PlainTextFormMixin
from subject_requests.models import FollowUp


class FollowUpToldForm(PlainTextFormMixin, forms.Form):
    """One recipient told: when and how (one form per recipient on the request page)."""

    told_on = forms.DateField(
        label=_("Told on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    how = forms.ChoiceField(label=_("How"), choices=FollowUp.How.choices, widget=forms.RadioSelect)

    def __init__(self, *args, follow_up_id=0, **kwargs):
        kwargs.setdefault("auto_id", f"id_told{follow_up_id}_%s")
        super().__init__(*args, **kwargs)


def _recipient_choices(pairs):
    return [(f"{reg.key}:{rec.key}", f"{rec.name} – {reg.short_name}") for reg, rec in pairs]


SCREEN_MAX_BYTES = 20 * 1024 * 1024


class ListExportForm(PlainTextFormMixin, forms.Form):
    """A partner's name-and-address list (seed 7.2)."""

    recipient = forms.ChoiceField(label=_("Recipient"))
    purpose = forms.CharField(
        label=_("Purpose of the disclosure"),
        max_length=300,
        help_text=_("Shown to every person on the list when they ask who received their data."),
    )
    screen = forms.FileField(
        label=_("Addresses refusing direct mail (optional)"),
        required=False,
        help_text=_(
            "A CSV file with the columns street_address and postal_code, and optionally "
            "last_name or company_name. Matching entries are left off the list."
        ),
    )

    def __init__(self, *args, pairs=(), **kwargs):
        kwargs.setdefault("auto_id", "id_export_%s")
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = _recipient_choices(pairs)

    def clean_screen(self) -> str:
        """The screening list's text ("" without one)."""
        upload = self.cleaned_data.get("screen")
        if not upload:
            return ""
        if upload.size > SCREEN_MAX_BYTES:
            raise forms.ValidationError(_("The screening list is too large."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The screening list must be UTF-8 text.")) from None


class DisclosureRecordForm(PlainTextFormMixin, forms.Form):
    """One disclosure of one person's data, recorded by staff (a principal, seed 7.4)."""

    recipient = forms.ChoiceField(label=_("Recipient"))
    customer = forms.CharField(
        label=_("Customer number or web-shop username"),
        max_length=150,
    )
    fields = forms.MultipleChoiceField(
        label=_("Data disclosed"), widget=forms.CheckboxSelectMultiple
    )
    purpose = forms.CharField(label=_("Purpose of the disclosure"), max_length=300)
    disclosed_on = forms.DateField(
        label=_("Disclosed on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )

    def __init__(self, *args, pairs=(), **kwargs):
        kwargs.setdefault("auto_id", "id_record_%s")
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = _recipient_choices(pairs)
        labels = {}
        for register, recipient in pairs:
            for name, label in zip(
                recipient.receives(register), recipient.receives_labels(register), strict=True
            ):
                labels.setdefault(name, label)
        self.fields["fields"].choices = list(labels.items())
