"""Lifting a restriction of processing from the staff request page (Art. 18(3)): the person
is told first, then the restriction ends; a POST by queue staff (with their second factor)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.errors import Refusal
from portal.registers import REGISTERS
from subject_requests.services.restriction import restriction_lift
from subject_requests.views.staff_access import queue_staff_required
from subject_requests.views.staff_detail import data_request_or_404


class LiftRestrictionForm(forms.Form):
    register = forms.ChoiceField(
        label=gettext_lazy("Register"),
        choices=lambda: [(register.key, register.short_name) for register in REGISTERS],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=gettext_lazy("Why the restriction ends"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Sent to the customer before the restriction is lifted."),
    )


@queue_staff_required
@require_POST
def lift_restriction(request, public_id):
    data_request = data_request_or_404(public_id)
    form = LiftRestrictionForm(request.POST)
    if not form.is_valid():
        if "reason" in form.errors:
            messages.error(request, _("Give the reason; it is sent to the customer."))
        else:
            messages.error(request, _("Choose a register."))
    else:
        try:
            restriction_lift(
                request=data_request,
                register_key=form.cleaned_data["register"],
                staff=request.user,
                reason=form.cleaned_data["reason"],
            )
        except Refusal as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, _("The customer was told by email, and the restriction is lifted.")
            )
    return redirect("staff_request", public_id=data_request.public_id)
