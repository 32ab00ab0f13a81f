"""The customer's own pages: what each register holds about them, and copies to take home."""

import logging

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.fresh import fresh_sign_in_required
from accounts.identity import linked_subjects, verified_emails
from accounts.services import identity_conflicts_record
from portal import controller
from portal.audit import audit_record
from portal.extract.collect import subject_data
from portal.extract.jobs import job_recover, job_start, needs_worker
from portal.extract.services import CopyNotMade, json_export_issue, pdf_extract_issue

logger = logging.getLogger(__name__)


@require_safe
@never_cache
def my_data(request):
    linking = linked_subjects(request.user)
    if linking.ambiguous:
        identity_conflicts_record(user=request.user, ambiguous=linking.ambiguous)
    registers = subject_data(linking.subjects)
    with transaction.atomic():
        for subject in linking.subjects or [None]:
            audit_record(action="data.my_data.viewed", actor=request.user, subject=subject)
    return render(
        request,
        "portal/my_data.html",
        {
            "linking": linking,
            "registers": registers,
            # Registers holding nothing about the person: one line each, no actions.
            "empty_registers": [
                data
                for data in registers
                if not data.records and not getattr(data, "disclosures", None)
            ],
            "emails": verified_emails(request.user),
            "contact_email": controller.CONTACT_EMAIL,
            "issued": request.user.issued_extracts.all()[:10],
        },
    )


def _download(request, issue, *, content_type: str, filename: str) -> HttpResponse:
    """Issue a copy of the signed-in customer's data and hand it over as a file."""
    try:
        issued, content = issue(
            user=request.user,
            subjects=linked_subjects(request.user).subjects,
            emails=verified_emails(request.user),
        )
    except CopyNotMade:  # nothing recorded: say so plainly, with the way to try again
        logger.exception("Making a copy failed; nothing was recorded.")
        return render(request, "portal/copy_failed.html", status=503)
    if content is None:  # a repeated click: the copy taken moments ago, not a new one
        return redirect("issued_extract", issued.reference)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{filename.format(reference=issued.reference)}"'
    )
    return response


# Taking a copy writes an issued copy, an access request and audit events, so it is a POST
# (with the CSRF token): a link or an image on another site cannot make one. A GET of the
# same address, e.g. where the fresh sign-in returns to, shows a button that posts.
take_copy = require_http_methods(["GET", "HEAD", "POST"])


def _confirm(request, fmt: str) -> HttpResponse:
    return render(request, "portal/take_copy.html", {"format": fmt})


@take_copy
@never_cache
@fresh_sign_in_required
def extract_pdf(request):
    if request.method != "POST":
        return _confirm(request, "pdf")
    if needs_worker(linked_subjects(request.user).subjects):
        # A long history: a task worker makes the copy; the person waits on a page that
        # asks again by itself, and no web worker is held for seconds (portal/extract/jobs.py).
        job = job_start(user=request.user, language=translation.get_language())
        return redirect("extract_job", job.token)
    return _download(
        request,
        pdf_extract_issue,
        content_type="application/pdf",
        filename="rekisteriote-{reference}.pdf",
    )


@take_copy
@never_cache
@fresh_sign_in_required
def export_json(request):
    if request.method != "POST":
        return _confirm(request, "json")
    return _download(
        request,
        json_export_issue,
        content_type="application/json; charset=utf-8",
        filename="tector-data-{reference}.json",
    )


@require_safe
def issued_extract(request, reference):
    """One issued copy, looked up through its owner: anyone else's reference is a 404."""
    if "\x00" in reference:  # PostgreSQL refuses NUL in a query; no reference has one
        raise Http404
    issued = get_object_or_404(request.user.issued_extracts, reference=reference)
    return render(request, "portal/issued_extract.html", {"issued": issued})


@require_safe
@never_cache
def extract_job(request, job):
    """The page of a copy a task worker is making: it asks again until the copy is ready."""
    made = get_object_or_404(request.user.extract_jobs.select_related("issued"), token=job)
    made = job_recover(made)  # a worker killed while making it: it is made again
    return render(request, "portal/extract_job.html", {"job": made})


@require_safe
@never_cache
def extract_job_file(request, job):
    """The file a task worker made, for its owner only; the copy was recorded when made."""
    made = get_object_or_404(
        request.user.extract_jobs.select_related("issued"),
        token=job,
        state="done",
        content__isnull=False,
        issued__isnull=False,
    )
    response = HttpResponse(bytes(made.content), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="rekisteriote-{made.issued.reference}.pdf"'
    )
    return response
