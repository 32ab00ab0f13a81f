"""The register extract for a person who cannot sign in (Art. 15; EDPB Guidelines 01/2022:
the portal cannot be the only way): staff issue it, addressed to the postal address on file,
as a letter ready to print: a cover page whose address shows through a windowed envelope,
then the same extract (with its JSON inside) a signed-in customer takes from my-data.

It is recorded like every other copy: a reference, the audit trail, and an answered access
request (the request staff registered, or one made for it here)."""

import hashlib

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML

from portal.audit import audit_record
from portal.errors import Refusal
from portal.extract.appendix import extract_appendix
from portal.extract.collect import subject_data
from portal.extract.export_json import export_bytes, export_document
from portal.extract.pdf import extract_html, render_pdf
from portal.extract.services import pdf_extract_context
from portal.models import DataSubject, IssuedExtract
from subject_requests.decisions import Code, decision_text
from subject_requests.letters import STYLESHEET as LETTER_CSS
from subject_requests.letters import PostalAddress, cover_html, postal_address
from subject_requests.models import DataRequest
from subject_requests.services.base import audit, locked


def _access_request(*, subject, staff, issued, language, channel, request) -> DataRequest:
    """The open access request being answered, or a new answered one (not saved yet)."""
    now = timezone.now()
    # The portal's answer as a code, rendered in each reader's language.
    code, params = Code.ACCESS_LETTER, {"reference": issued.reference, "format": issued.format}
    if request is not None:
        request.status = DataRequest.Status.COMPLETED
        request.decided_at = now
        request.decided_by = staff
        request.decision_code, request.decision_params = code, params
        return request
    return DataRequest(
        user=None,
        channel=channel,
        registered_by=staff,
        type=DataRequest.Type.ACCESS,
        status=DataRequest.Status.COMPLETED,
        subject=subject,
        language=language,
        identity_verified=True,
        identity_check=DataRequest.IdentityCheck.ADDRESS_ON_FILE,
        received_at=now,
        due_on=timezone.localdate(now),
        decided_at=now,
        decided_by=staff,
        decision_code=code,
        decision_params=params,
    )


def _cover(address: PostalAddress, issued: IssuedExtract, language: str) -> str:
    with translation.override(language):
        body = render_to_string("portal/extract/letter_cover.txt", {"reference": issued.reference})
        return cover_html(
            address=address,
            language=language,
            subject_line=_("Your register extract"),
            body=body,
            ref=issued.reference,
        )


def _pdf(*, cover: str, context: dict, json_bytes: bytes) -> bytes:
    front = HTML(string=cover).render(stylesheets=[CSS(filename=str(LETTER_CSS))], pdf_tags=True)
    return render_pdf(
        extract_html(context),
        json_bytes=json_bytes,
        title=str(context["title"]),
        appendix=extract_appendix(context),
        front=front,
    )


def letter_extract_issue(
    *,
    staff,
    subject: DataSubject,
    language: str,
    channel: str = DataRequest.Channel.LETTER,
    request: DataRequest | None = None,
) -> tuple[IssuedExtract, bytes]:
    """Issue the extract of `subject` as a letter. `request` is an open access request about
    them that staff registered; it is answered by this copy."""
    address = postal_address(subject)
    if address is None:
        raise Refusal(_("There is no postal address on file for this person."), code="address")
    if request is not None and (
        request.subject_id != subject.pk
        or request.type != DataRequest.Type.ACCESS
        or not request.is_open
    ):
        raise Refusal(_("This request cannot be answered with this copy."), code="request")
    issued = IssuedExtract(
        user=None, issued_by=staff, format=IssuedExtract.Format.PDF, language=language
    )
    access = _access_request(
        subject=subject,
        staff=staff,
        issued=issued,
        language=language,
        channel=channel,
        request=request,
    )
    with translation.override(language):
        with transaction.atomic():  # one read of everything
            registers = subject_data([subject])
            others = DataRequest.objects.filter(subject=subject).exclude(pk=access.pk)
            requests = [access, *others.prefetch_related("changes").order_by("-received_at")]
            for data_request in requests:
                data_request.decision_text = decision_text(data_request)
        json_bytes = export_bytes(
            export_document(
                registers=registers,
                emails=[],
                reference=issued.reference,
                generated_at=issued.issued_at,
                requests=requests,
                portal=None,
            )
        )
        context = pdf_extract_context(
            registers=registers,
            emails=[],
            reference=issued.reference,
            issued_at=issued.issued_at,
            requests=requests,
            portal=None,
        )
        content = _pdf(
            cover=_cover(address, issued, language),
            context=context,
            json_bytes=json_bytes,
        )
    issued.sha256 = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        if request is not None:
            locked(request)  # raises if someone closed it meanwhile
        issued.save()
        issued.subjects.set([subject])
        access.save()
        audit(access, "completed", staff, reference=issued.reference, by_letter=True)
        audit_record(
            action="data.extract.issued",
            actor=staff,
            subject=subject,
            target=issued,
            details={
                "reference": issued.reference,
                "format": issued.format,
                "language": issued.language,
                "sha256": issued.sha256,
                "by_letter": True,
            },
        )
    return issued, content
