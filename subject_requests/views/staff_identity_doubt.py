"""Art. 12(6) on the staff request page: ask the person for more about their identity, and
record an answer that came by letter, email or phone. POSTs by queue staff."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.errors import Refusal
from subject_requests.intake_forms import IdentityInfoAnswerForm, IdentityInfoRequestForm
from subject_requests.notifications import request_recipient
from subject_requests.services.identity_doubt import (
    identity_confirm,
    identity_info_answer,
    identity_info_request,
)
from subject_requests.views.staff_access import queue_staff_required
from subject_requests.views.staff_detail import data_request_or_404, render_detail


@queue_staff_required
@require_POST
def ask(request, public_id):
    data_request = data_request_or_404(public_id)
    form = IdentityInfoRequestForm(request.POST)
    if not form.is_valid():
        return render_detail(request, data_request, status=400, doubt_form=form)
    try:
        identity_info_request(
            request=data_request, staff=request.user, message=form.cleaned_data["message"]
        )
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        if request_recipient(data_request) is None:
            messages.success(
                request, _("The question is saved. Print the letter below and post it.")
            )
        else:
            messages.success(request, _("The question is sent to the customer by email."))
    return redirect("staff_request", public_id=data_request.public_id)


@queue_staff_required
@require_POST
def answer(request, public_id):
    """The answer came by the channel the request came by; staff type it in."""
    data_request = data_request_or_404(public_id)
    form = IdentityInfoAnswerForm(request.POST)
    if not form.is_valid():
        return render_detail(request, data_request, status=400, doubt_answer_form=form)
    try:
        identity_info_answer(
            request=data_request,
            actor=request.user,
            answer=form.cleaned_data["answer"],
            by_staff=True,
        )
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The answer is recorded."))
    return redirect("staff_request", public_id=data_request.public_id)


@queue_staff_required
@require_POST
def confirm(request, public_id):
    """Staff are satisfied who the person is: the request can now be approved."""
    data_request = data_request_or_404(public_id)
    try:
        identity_confirm(request=data_request, staff=request.user)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The identity is marked verified."))
    return redirect("staff_request", public_id=data_request.public_id)
