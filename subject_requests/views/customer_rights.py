"""Direct-marketing objection, erasure, restriction and free-form requests."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.identity import linked_subjects
from portal.registers import REGISTERS, REGISTERS_BY_KEY
from subject_requests.forms import (
    ObjectionForm,
    OtherRequestForm,
    RequestNoteForm,
    SubmissionKeyField,
)
from subject_requests.models import DataRequest
from subject_requests.selectors import customer_records, subject_for_register
from subject_requests.services.base import request_submit
from subject_requests.services.erasure import erasure_terms
from subject_requests.services.objection import objection_states, objection_submit
from subject_requests.services.once import as_repeat, request_repeated

get_or_post = require_http_methods(["GET", "HEAD", "POST"])


def repeated(request, data_request) -> bool:
    """Tell the customer when a form sent again gave the request it made before."""
    if data_request.repeated:
        messages.info(request, _("You already sent this request, so it was not sent again."))
    return data_request.repeated


def _sent(request, data_request):
    if repeated(request, data_request):
        return redirect("my_requests")
    due = formats.date_format(data_request.due_on, "SHORT_DATE_FORMAT")
    messages.success(
        request,
        _(
            "Your request was sent. We will answer by %(date)s at the latest, and we have sent "
            "you a confirmation by email."
        )
        % {"date": due},
    )
    return redirect("my_requests")


@never_cache
@get_or_post
def objection(request):
    subjects = linked_subjects(request.user).subjects
    states = objection_states(user=request.user, subjects=subjects)
    if request.method == "POST":
        # A form sent again after the first took effect no longer offers the choices it
        # made (they are in force): it gets the request the first one made. Checked after
        # the states, so a submission not found here met choices that were still open.
        key = SubmissionKeyField().clean(request.POST.get("submission"))
        earlier = request_repeated(user=request.user, submission_key=key)
        if earlier is not None and earlier.type == DataRequest.Type.OBJECTION:
            repeated(request, as_repeat(earlier))
            return redirect("request_detail", earlier.public_id)
    form = ObjectionForm(request.POST if request.method == "POST" else None, states=states)
    if request.method == "POST" and form.is_valid():
        # Art. 21(3): the objection is absolute, so it takes effect now, with no review step.
        data_request = objection_submit(
            user=request.user,
            subjects=subjects,
            choices=form.choices(),
            language=translation.get_language(),
            submission_key=form.submission_key,
        )
        if repeated(request, data_request):
            return redirect("request_detail", data_request.public_id)
        messages.success(
            request,
            _("Your objection has already taken effect. We have sent you a confirmation by email."),
        )
        return redirect("request_detail", data_request.public_id)
    return render(
        request, "subject_requests/customer/objection.html", {"form": form, "states": states}
    )


def _register_request(request, key, *, type, template):
    register = REGISTERS_BY_KEY.get(key)
    if register is None:
        raise Http404
    subjects = linked_subjects(request.user).subjects
    # Without any linked data there is nothing to erase or restrict: a free-form request
    # lets the customer tell us who they are instead.
    form = RequestNoteForm(request.POST if request.method == "POST" else None) if subjects else None
    if request.method == "POST" and form is not None and form.is_valid():
        data_request = request_submit(
            user=request.user,
            type=type,
            subject=subject_for_register(subjects, register),
            register=register.key,
            description=form.cleaned_data["description"],
            language=translation.get_language(),
            submission_key=form.submission_key,
        )
        return _sent(request, data_request)
    return render(
        request,
        template,
        {
            "register": register,
            "form": form,
            "records": customer_records(request.user, register, subjects).count(),
            "marketing": register.marketing is not None,
            "erasure_terms": erasure_terms(register),
        },
    )


@never_cache
@get_or_post
def erasure(request, register):
    return _register_request(
        request,
        register,
        type=DataRequest.Type.ERASURE,
        template="subject_requests/customer/erasure.html",
    )


@never_cache
@get_or_post
def restriction(request, register):
    return _register_request(
        request,
        register,
        type=DataRequest.Type.RESTRICTION,
        template="subject_requests/customer/restriction.html",
    )


def _all_registers_request(request, *, type, template):
    """Erasure or restriction of everything held about the person, in every register: one
    request, decided per register by staff (services/erasure.py)."""
    subjects = linked_subjects(request.user).subjects
    holding = [
        (register, customer_records(request.user, register, subjects).count())
        for register in REGISTERS
    ]
    held = [(register, count) for register, count in holding if count]
    form = RequestNoteForm(request.POST if request.method == "POST" else None) if held else None
    if request.method == "POST" and form is not None and form.is_valid():
        data_request = request_submit(
            user=request.user,
            type=type,
            subject=subject_for_register(subjects, held[0][0]),
            register="",
            description=form.cleaned_data["description"],
            language=translation.get_language(),
            submission_key=form.submission_key,
        )
        return _sent(request, data_request)
    return render(
        request,
        template,
        {
            "form": form,
            "held": [
                {"register": register, "records": count, "terms": erasure_terms(register)}
                for register, count in held
            ],
            "empty": [register for register, count in holding if not count],
            "marketing": any(register.marketing for register, _count in held),
        },
    )


@never_cache
@get_or_post
def erasure_all(request):
    return _all_registers_request(
        request,
        type=DataRequest.Type.ERASURE,
        template="subject_requests/customer/erasure_all.html",
    )


@never_cache
@get_or_post
def restriction_all(request):
    return _all_registers_request(
        request,
        type=DataRequest.Type.RESTRICTION,
        template="subject_requests/customer/restriction_all.html",
    )


# A start for the description when the customer came from the front door's actions.
TOPICS = {
    # Art. 21(1): the general right to object to processing based on legitimate interest.
    "objection": lambda: _(
        "I object to the processing of my data based on your legitimate interest "
        "(GDPR Art. 21(1)), because "
    ),
}


def _dispute_text(register_key, field_name) -> str:
    """A start for the description when the customer came to dispute a business field."""
    register = REGISTERS_BY_KEY.get(register_key or "")
    spec = next((f for f in register.fields if f.name == field_name), None) if register else None
    if spec is None or not spec.not_correctable_reason:
        return ""
    text = _("I dispute the %(field)s in the %(register)s, because") % {
        "field": register.field_label(spec.name),
        "register": register.name,
    }
    return text + " "


@never_cache
@get_or_post
def other(request):
    register_key = request.GET.get("register", "")
    register = REGISTERS_BY_KEY.get(register_key)
    initial = {
        "description": _dispute_text(register_key, request.GET.get("field"))
        or TOPICS.get(request.GET.get("topic", ""), lambda: "")()
    }
    form = OtherRequestForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        subjects = linked_subjects(request.user).subjects
        subject = (
            subject_for_register(subjects, register)
            if register
            else (subjects[0] if subjects else None)
        )
        data_request = request_submit(
            user=request.user,
            type=DataRequest.Type.OTHER,
            subject=subject,
            register=register.key if register else "",
            description=form.cleaned_data["description"],
            language=translation.get_language(),
            submission_key=form.submission_key,
        )
        return _sent(request, data_request)
    return render(
        request, "subject_requests/customer/other.html", {"form": form, "register": register}
    )
