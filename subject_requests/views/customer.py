"""My requests: the customer follows their requests and may cancel a pending one."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from portal.errors import Refusal
from portal.registers import REGISTERS_BY_KEY
from subject_requests.follow_up_rows import follow_up_rows
from subject_requests.forms import OBJECTION_LABELS
from subject_requests.intake_forms import IdentityInfoAnswerForm
from subject_requests.models import DataRequest
from subject_requests.selectors import customer_requests
from subject_requests.services.base import request_cancel


def _for_display(data_request):
    """What the page shows besides the model: the register's name and, for an objection,
    the options chosen (stored as their keys)."""
    register = REGISTERS_BY_KEY.get(data_request.register)
    data_request.register_name = (
        register.name
        if register
        else _("every register")
        if data_request.type in data_request.EVERY_REGISTER
        else ""
    )
    data_request.objection_choices = (
        [OBJECTION_LABELS[c] for c in data_request.description.split(", ") if c in OBJECTION_LABELS]
        if data_request.type == data_request.Type.OBJECTION
        else []
    )
    # Art. 19: the recipients told of the decision.
    data_request.follow_up_rows = follow_up_rows(data_request)
    return data_request


@require_safe
@never_cache
def my_requests(request):
    # Access requests are only ever recorded with a copy taken on my-data: they are listed
    # as "Copies you have taken", not among the requests the person made.
    own = customer_requests(request.user).exclude(type=DataRequest.Type.ACCESS)
    return render(
        request,
        "subject_requests/customer/my_requests.html",
        {
            "requests": [_for_display(r) for r in own],
            "copies": request.user.issued_extracts.all(),
        },
    )


@require_safe
@never_cache
def request_detail(request, public_id):
    # Through the owner: another customer's request id is a 404, not a 403.
    data_request = get_object_or_404(customer_requests(request.user), public_id=public_id)
    return render(
        request,
        "subject_requests/customer/request_detail.html",
        {"item": _for_display(data_request), "identity_form": IdentityInfoAnswerForm()},
    )


@require_POST
def request_cancel_view(request, public_id):
    data_request = get_object_or_404(request.user.data_requests, public_id=public_id)
    try:
        request_cancel(request=data_request, user=request.user)
    except Refusal as refusal:  # e.g. decided by staff meanwhile
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Your request was cancelled."))
    return redirect("my_requests")
