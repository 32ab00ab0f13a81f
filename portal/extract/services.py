"""Issuing extracts: a reference number, the file, and the audit trail, all or nothing."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import controller
from portal.audit import audit_record
from portal.extract.appendix import extract_appendix
from portal.extract.collect import subject_data
from portal.extract.export_json import export_bytes, export_document
from portal.extract.pdf import ATTACHMENT_NAME, extract_html, render_pdf
from portal.extract.portal_data import portal_data
from portal.models import IssuedExtract
from subject_requests.decisions import decision_text
from subject_requests.services.access import access_request_new, access_request_save


class CopyNotMade(Exception):
    """Making the file failed (e.g. the PDF renderer): nothing was recorded; try again."""


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


def _requests(user) -> list:
    return list(user.data_requests.prefetch_related("changes").order_by("-received_at", "-pk"))


def pdf_extract_context(
    *, registers, emails, reference, issued_at, requests=(), portal=None
) -> dict:
    return {
        "requests": requests,
        "portal": portal,
        "title": _("Register extract"),
        "language": translation.get_language(),
        "controller": controller.CONTROLLER,
        "contact_role": controller.CONTACT_ROLE,
        "contact_email": controller.CONTACT_EMAIL,
        "contact_phone": controller.CONTACT_PHONE,
        "authority": controller.SUPERVISORY_AUTHORITY,
        "judicial_remedy": controller.JUDICIAL_REMEDY,
        "registers": registers,
        "emails": emails,
        "reference": reference,
        "issued_at": issued_at,
        "attachment_name": ATTACHMENT_NAME,
    }


def _recent_copy(user, fmt) -> IssuedExtract | None:
    """The copy of this kind the person took moments ago, if any: a repeated click gets it."""
    since = timezone.now() - timedelta(seconds=settings.PORTAL_COPY_REPEAT_SECONDS)
    return user.issued_extracts.filter(format=fmt, issued_at__gte=since).order_by("-pk").first()


def _read(user, subjects, fmt) -> tuple[IssuedExtract, object, dict]:
    """The copy about to be issued, its access request, and what the copy holds (registers,
    requests, portal data), read in one transaction; nothing is written."""
    language = translation.get_language()
    issued = IssuedExtract(user=user, format=fmt, language=language)
    access = access_request_new(user=user, subjects=subjects, issued=issued, language=language)
    with transaction.atomic():  # one read of everything, not a register at a time
        registers = subject_data(subjects)
        requests = [access, *_requests(user)]
        for data_request in requests:  # for the PDF: the portal's own words in its language
            data_request.decision_text = decision_text(data_request)
        portal = portal_data(user=user, subjects=subjects, issuing=issued)
    return issued, access, {"registers": registers, "requests": requests, "portal": portal}


def _issue(
    *, user, subjects, emails, fmt, produce, then=None
) -> tuple[IssuedExtract, bytes | None]:
    """Issue one copy: read the data, make the file, then record it, all or nothing.

    The file is made before anything is written. A long web-shop history takes WeasyPrint
    seconds, and a write transaction held that long would make every other writer wait (on
    SQLite the whole database). If making the file fails, nothing has been recorded; the
    records (the copy, its access request, the audit events) are written in one short
    transaction after it.

    A repeated click within PORTAL_COPY_REPEAT_SECONDS gives the copy already taken and no
    content (None). The check is made again under a lock on the person's row, so posts sent
    at the same moment record one copy.

    `then(issued, content)`, if given, runs in the transaction that records the copy (or
    with the copy taken moments ago); if it raises, nothing is recorded. A task worker's job
    marks itself done there, so a copy is never recorded without its job knowing.
    """
    then = then or (lambda issued, content: None)
    recent = _recent_copy(user, fmt)
    if recent is not None:
        then(recent, None)
        return recent, None
    issued, access, read = _read(user, subjects, fmt)
    try:
        content = produce(issued=issued, emails=emails, **read)
    except Exception as error:  # the renderer's failures are many kinds; none is recorded
        raise CopyNotMade from error
    issued.sha256 = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        recent = _recent_copy(user, fmt)
        if recent is not None:
            then(recent, None)
            return recent, None
        issued.save()
        issued.subjects.set(subjects)
        access_request_save(access, user=user, reference=issued.reference)
        _audit(issued, subjects, user)
        then(issued, content)
    return issued, content


def _json_file(*, issued, registers, requests, emails, portal=None) -> bytes:
    document = export_document(
        registers=registers,
        emails=emails,
        reference=issued.reference,
        generated_at=issued.issued_at,
        requests=requests,
        portal=portal,
    )
    return export_bytes(document)


def _pdf_documents(*, issued, registers, requests, emails, portal=None) -> dict:
    """What the PDF is drawn from: the person's part and the appendix (HTML), the JSON."""
    context = pdf_extract_context(
        registers=registers,
        emails=emails,
        reference=issued.reference,
        issued_at=issued.issued_at,
        requests=requests,
        portal=portal,
    )
    return {
        "html": extract_html(context),
        "appendix": extract_appendix(context),
        "json_bytes": _json_file(
            issued=issued, registers=registers, requests=requests, emails=emails, portal=portal
        ),
        "title": str(context["title"]),
    }


def _pdf_file(**read) -> bytes:
    return render_pdf(**_pdf_documents(**read))


def pdf_extract_documents(*, user, subjects, emails) -> dict:
    """The documents a PDF copy made now would be drawn from (html, appendix, json_bytes,
    title), recording nothing. bench/extract_speed.py gives them to WeasyPrint alone, to set
    it beside the portal's whole copy on the same HTML."""
    issued, _access, read = _read(user, subjects, IssuedExtract.Format.PDF)
    return _pdf_documents(issued=issued, emails=emails, **read)


def json_export_issue(*, user, subjects, emails) -> tuple[IssuedExtract, bytes]:
    return _issue(
        user=user,
        subjects=subjects,
        emails=emails,
        fmt=IssuedExtract.Format.JSON,
        produce=_json_file,
    )


def pdf_extract_issue(*, user, subjects, emails, then=None) -> tuple[IssuedExtract, bytes]:
    return _issue(
        user=user,
        subjects=subjects,
        emails=emails,
        fmt=IssuedExtract.Format.PDF,
        produce=_pdf_file,
        then=then,
    )
