"""Issuing extracts: a reference number, the file, and the audit trail, all or nothing."""

import hashlib

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from portal import controller
from portal.audit import audit_record
from portal.extract.collect import subject_data
from portal.extract.export_json import export_bytes, export_document
from portal.extract.pdf import ATTACHMENT_NAME, extract_html, render_pdf
from portal.models import IssuedExtract
from subject_requests.services.access import access_request_record


def _issue(*, user, subjects, fmt) -> IssuedExtract:
    issued = IssuedExtract.objects.create(
        user=user, format=fmt, language=translation.get_language()
    )
    issued.subjects.set(subjects)
    # Every copy handed out is an answered access request (Art. 15), listed with the rest.
    access_request_record(user=user, subjects=subjects, issued=issued, language=issued.language)
    return issued


def _audit(issued, subjects, user):
    for subject in subjects or [None]:
        audit_record(
            action=f"data.{'extract' if issued.format == 'pdf' else 'export'}.issued",
            actor=user,
            subject=subject,
            target=issued,
            details={
                "reference": issued.reference,
                "format": issued.format,
                "language": issued.language,
                "sha256": issued.sha256,
            },
        )


def json_export_issue(*, user, subjects, emails) -> tuple[IssuedExtract, bytes]:
    with transaction.atomic():
        issued = _issue(user=user, subjects=subjects, fmt=IssuedExtract.Format.JSON)
        document = export_document(
            registers=subject_data(subjects),
            emails=emails,
            reference=issued.reference,
            generated_at=issued.issued_at,
            requests=_requests(user),
        )
        content = export_bytes(document)
        issued.sha256 = hashlib.sha256(content).hexdigest()
        IssuedExtract.objects.filter(pk=issued.pk).update(sha256=issued.sha256)
        _audit(issued, subjects, user)
    return issued, content


def _requests(user) -> list:
    return list(user.data_requests.order_by("-received_at", "-pk"))


def pdf_extract_context(*, registers, emails, reference, issued_at, requests=()) -> dict:
    return {
        "requests": requests,
        "title": _("Register extract"),
        "language": translation.get_language(),
        "controller": controller.CONTROLLER,
        "contact_role": controller.CONTACT_ROLE,
        "contact_email": controller.CONTACT_EMAIL,
        "contact_phone": controller.CONTACT_PHONE,
        "authority": controller.SUPERVISORY_AUTHORITY,
        "registers": registers,
        "emails": emails,
        "reference": reference,
        "issued_at": issued_at,
        "attachment_name": ATTACHMENT_NAME,
    }


def pdf_extract_issue(*, user, subjects, emails) -> tuple[IssuedExtract, bytes]:
    with transaction.atomic():
        issued = _issue(user=user, subjects=subjects, fmt=IssuedExtract.Format.PDF)
        registers = subject_data(subjects)
        requests = _requests(user)
        document = export_document(
            registers=registers,
            emails=emails,
            reference=issued.reference,
            generated_at=issued.issued_at,
            requests=requests,
        )
        context = pdf_extract_context(
            registers=registers,
            emails=emails,
            reference=issued.reference,
            issued_at=issued.issued_at,
            requests=requests,
        )
        content = render_pdf(
            extract_html(context), json_bytes=export_bytes(document), title=str(context["title"])
        )
        issued.sha256 = hashlib.sha256(content).hexdigest()
        IssuedExtract.objects.filter(pk=issued.pk).update(sha256=issued.sha256)
        _audit(issued, subjects, user)
    return issued, content
