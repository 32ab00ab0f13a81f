"""Correct my details, across registers: each distinct detail once, one request covering
every record that holds it (subject_requests/across_registers.py). The same steps as the
correction of one register: the form, a review of before → after, and a code for a new
email address. The per-register forms (customer_rectification.py) stay."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts.identity import linked_subjects
from subject_requests import across_registers as across
from subject_requests import pending_correction
from subject_requests.forms import AcrossRegistersForm
from subject_requests.services.rectification import rectification_submit_across
from subject_requests.views.customer_email_code import code_step
from subject_requests.views.customer_rectification import get_or_post
from subject_requests.views.customer_rights import repeated

EMAIL_CODE = pending_correction.EMAIL_CODE


def _submit(request, changes):
    waiting = across.pending_get(request) or {}
    data_request = rectification_submit_across(
        user=request.user,
        targets=across.targets(changes),
        language=translation.get_language(),
        submission_key=waiting.get("key", ""),
    )
    across.pending_clear(request)
    EMAIL_CODE.clear(request)
    if repeated(request, data_request):
        return redirect("my_requests")
    due = formats.date_format(data_request.due_on, "SHORT_DATE_FORMAT")
    messages.success(
        request,
        _(
            "Your correction request was sent. We will answer by %(date)s at the latest, "
            "and we have sent you a confirmation by email."
        )
        % {"date": due},
    )
    return redirect("request_detail", data_request.public_id)


def _new_email(request, changes) -> str | None:
    return pending_correction.unverified_email(request, across.new_values_by_field(changes))


@never_cache
@get_or_post
def correct_edit(request):
    subjects = linked_subjects(request.user).subjects
    details = across.person_details(request.user, subjects)
    if not details:
        return render(request, "subject_requests/customer/correct_nothing.html", {})
    pending = across.pending_get(request)
    initial = {key: new for key, (_old, new) in pending["changes"].items()} if pending else None
    form = AcrossRegistersForm(
        request.POST if request.method == "POST" else None, details=details, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        across.pending_set(request, form.changes())
        EMAIL_CODE.clear(request)  # a code is for the changes it was sent for
        return redirect("request_rectification_all_review")
    return render(request, "subject_requests/customer/correct_form.html", {"form": form})


def _rows(changes):
    return [
        {
            "label": c.detail.label,
            "before": c.detail.value,
            "after": c.new,
            "registers": c.detail.registers,
        }
        for c in changes
    ]


@never_cache
@get_or_post
def correct_review(request):
    changes = across.pending_changes(request)
    if changes is None:
        return redirect("request_rectification_all")
    if not changes:
        across.pending_clear(request)
        messages.info(
            request, _("There is nothing to change: the record already has these values.")
        )
        return redirect("request_rectification_all")
    new_email = _new_email(request, changes)
    if request.method == "POST":
        if new_email is None:
            return _submit(request, changes)
        if not EMAIL_CODE.send(request, new_email):
            messages.error(request, _("Too many codes were sent. Please try again later."))
            return redirect("request_rectification_all_review")
        return redirect("request_rectification_all_verify")
    return render(
        request,
        "subject_requests/customer/correct_review.html",
        {"rows": _rows(changes), "new_email": new_email},
    )


@sensitive_post_parameters("code")
@never_cache
@get_or_post
def correct_verify(request):
    changes = across.pending_changes(request)
    new_email = _new_email(request, changes) if changes else None
    if new_email is None:
        return redirect(
            "request_rectification_all_review" if changes else "request_rectification_all"
        )
    return code_step(
        request,
        new_email=new_email,
        here=reverse("request_rectification_all_verify"),
        review_url=reverse("request_rectification_all_review"),
        send=lambda: _submit(request, changes),
    )
