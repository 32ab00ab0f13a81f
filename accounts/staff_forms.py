"""The staff form that settles an identity conflict."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import IdentityConflict
from portal.validators import PlainTextFormMixin


class IdentityConflictResolveForm(PlainTextFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Whose records are these?"),
        choices=IdentityConflict.Decision.choices,
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("What you checked and decided"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the case and in the audit trail. Seen by staff only."),
    )

    def __init__(self, *args, conflict: IdentityConflict, **kwargs):
        # One form per case on the page: the ids must not clash.
        kwargs.setdefault("auto_id", f"id_conflict{conflict.pk}_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
