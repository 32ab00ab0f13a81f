"""The general objection (Art. 21(1)) to processing based on legitimate interest: the
customer's form, and staff's decision on the request page."""

from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.identity import linked_subjects
from subject_requests.interest_forms import InterestDecisionForm, InterestObjectionForm
from subject_requests.selectors import subject_for_register
from subject_requests.services.interest_objection import (
    interest_objection_decide,
    interest_objection_submit,
    interest_registers,
)
from subject_requests.views.customer_rights import _sent, get_or_post
from subject_requests.views.staff_access import queue_staff_required
from subject_requests.views.staff_actions import DECIDED, _run
from subject_requests.views.staff_detail import data_request_or_404, render_detail


@never_cache
@get_or_post
def interest_objection(request):
    subjects = linked_subjects(request.user).subjects
    registers = interest_registers(subjects)
    form = None
    if registers:
        initial = {}
        if request.GET.get("register") in {r.key for r in registers}:
            initial["register"] = request.GET["register"]
        form = InterestObjectionForm(
            request.POST if request.method == "POST" else None,
            registers=registers,
            initial=initial,
        )
    if request.method == "POST" and form is not None and form.is_valid():
        chosen = next(r for r in registers if r.key == form.cleaned_data["register"])
        data_request = interest_objection_submit(
            user=request.user,
            subject=subject_for_register(subjects, chosen),
            register_key=chosen.key,
            grounds=form.cleaned_data["grounds"],
            language=translation.get_language(),
            submission_key=form.submission_key,
        )
        return _sent(request, data_request)
    return render(
        request,
        "subject_requests/customer/interest_objection.html",
        {"form": form, "registers": registers},
    )


@queue_staff_required
@require_POST
def interest_decide(request, public_id):
    data_request = data_request_or_404(public_id)
    form = InterestDecisionForm(request.POST)
    if not form.is_valid():
        return render_detail(request, data_request, status=400, interest_form=form)
    return _run(
        request,
        data_request,
        lambda: interest_objection_decide(
            request=data_request,
            staff=request.user,
            uphold=form.uphold,
            assessment=form.cleaned_data["assessment"],
        ),
        DECIDED,
    )
