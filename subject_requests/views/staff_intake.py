"""Staff intake: a request that came by letter, email, phone or in person is registered
here, with the day it arrived (the deadline counts from it), the person it concerns (found
by a search, or none yet) and how their identity was checked."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import staff_role
from portal.audit.consultations import REQUEST_HANDLING, VIA_LIST, consultation_record
from portal.errors import Refusal
from portal.models import DataSubject
from subject_requests import intake_forms
from subject_requests.forms import RectificationForm
from subject_requests.intake_selectors import subject_record, subject_records, subjects_matching
from subject_requests.letters import request_address, request_letter_pdf
from subject_requests.models import DataRequest
from subject_requests.services.intake import intake_link_subject, intake_register
from subject_requests.views.staff_access import queue_staff_required
from subject_requests.views.staff_detail import data_request_or_404

get_or_post = require_http_methods(["GET", "HEAD", "POST"])


def _subject_or_404(value) -> DataSubject | None:
    """The person named by a public id in the query, None without one; a bad id is a 404."""
    if not value:
        return None
    try:
        return DataSubject.objects.get(public_id=value)
    except (DataSubject.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404 from error


@require_safe
@never_cache
@queue_staff_required
def search(request):
    """Find the person; list them (each one shown is recorded in their consultation log)."""
    form = intake_forms.SubjectSearchForm(request.GET or None)
    found = []
    link = request.GET.get("link", "")
    linking = None
    if link:
        try:
            linking = get_object_or_404(DataRequest, public_id=link, user__isnull=True)
        except (ValidationError, ValueError) as error:
            raise Http404 from error
    if form.is_valid():
        found = subjects_matching(form.cleaned_data["q"])
        if found:
            with transaction.atomic():
                consultation_record(
                    actor=request.user,
                    role=staff_role(request.user),
                    subjects=[s.pk for s in found],
                    purpose=REQUEST_HANDLING,
                    via=VIA_LIST,
                    extra={"search": "intake"},
                )
    return render(
        request,
        "subject_requests/staff/intake_search.html",
        {"form": form, "found": found, "linking": linking, "current": "intake"},
    )


def _intake_url(subject, record_key="") -> str:
    query = {}
    if subject is not None:
        query["subject"] = str(subject.public_id)
    if record_key:
        query["record"] = record_key
    url = reverse("staff_intake_new")
    return f"{url}?{urlencode(query)}" if query else url


@get_or_post
@never_cache
@queue_staff_required
def new(request):
    subject = _subject_or_404(request.GET.get("subject", ""))
    record_key = request.GET.get("record", "")
    chosen = subject_record(subject, record_key) if subject and record_key else None
    if record_key and chosen is None:
        raise Http404
    register, record = chosen or (None, None)
    data = request.POST if request.method == "POST" else None
    initial = {"received_on": timezone.localdate(), "language": "fi"}
    if register is not None:
        initial.update(type=DataRequest.Type.RECTIFICATION, register=register.key)
    form = intake_forms.IntakeForm(data, initial=initial)
    fix_form = (
        RectificationForm(data, register=register, record=record, prefix="fix")
        if register is not None
        else None
    )
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        if cleaned["type"] == DataRequest.Type.RECTIFICATION and fix_form is None:
            form.add_error("type", _("For a correction, choose the record to correct below."))
        elif cleaned["type"] == DataRequest.Type.RECTIFICATION and not fix_form.is_valid():
            pass
        else:
            correction = cleaned["type"] == DataRequest.Type.RECTIFICATION
            try:
                data_request = intake_register(
                    staff=request.user,
                    channel=cleaned["channel"],
                    received_on=cleaned["received_on"],
                    type=cleaned["type"],
                    identity_check=cleaned["identity_check"],
                    identity_note=cleaned["identity_note"],
                    subject=subject,
                    register=register.key if correction else cleaned["register"],
                    description=cleaned["description"],
                    language=cleaned["language"],
                    reply_email=cleaned["reply_email"],
                    contact_name=cleaned["contact_name"],
                    contact_address=cleaned["contact_address"],
                    record=record if correction else None,
                    changes=fix_form.changes() if correction else None,
                )
            except Refusal as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("The request is registered and in the queue."))
                return redirect("staff_request", public_id=data_request.public_id)
    return render(
        request,
        "subject_requests/staff/intake_new.html",
        {
            "form": form,
            "fix_form": fix_form,
            "subject": subject,
            "register": register,
            "records": [
                (reg, rec, _intake_url(subject, f"{reg.key}:{rec.pk}"))
                for reg, rec in (subject_records(subject) if subject else [])
            ],
            "current": "intake",
        },
        status=400 if request.method == "POST" else 200,
    )


@queue_staff_required
@require_POST
def link_subject(request, public_id):
    data_request = data_request_or_404(public_id)
    form = intake_forms.LinkSubjectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the person."))
        return redirect("staff_request", public_id=data_request.public_id)
    subject = _subject_or_404(form.cleaned_data["subject"])
    try:
        intake_link_subject(request=data_request, staff=request.user, subject=subject)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The request is linked to the person."))
    return redirect("staff_request", public_id=data_request.public_id)


@require_safe
@never_cache
@queue_staff_required
def letter(request, public_id):
    """The letter the request's state calls for, to print and post (not stored)."""
    data_request = data_request_or_404(public_id)
    address = request_address(data_request)
    if address is None:
        messages.error(request, _("There is no postal address for this request."))
        return redirect("staff_request", public_id=data_request.public_id)
    pdf = request_letter_pdf(data_request, address)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"letter-{str(data_request.public_id)[:8]}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
