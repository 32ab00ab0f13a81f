"""Letters for people without an email address: the answer to a request, and the cover page
of an extract sent by post. A4, the address block where a windowed envelope (C5/E5, window
at 20 mm from the left and 45 mm from the top) shows it. Nothing of a letter is stored: it is
rendered when staff print it, from the request's state, in the person's language."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal import controller
from portal.models import DataSubject
from portal.registers import REGISTERS
from subject_requests.models import DataRequest
from subject_requests.notifications import notification_render, reference

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "letter.css"


@dataclass(frozen=True)
class PostalAddress:
    name: str
    lines: tuple[str, ...]


def postal_address(subject: DataSubject | None) -> PostalAddress | None:
    """The postal address on file: the first register record (in declaration order) that
    holds a street address, postal code and post office."""
    if subject is None:
        return None
    for register in REGISTERS:
        for record in register.records_for(subject):
            street = getattr(record, "street_address", "")
            code = getattr(record, "postal_code", "")
            office = getattr(record, "post_office", "")
            if street and code and office:
                person = " ".join(
                    p
                    for p in (getattr(record, "first_name", ""), getattr(record, "last_name", ""))
                    if p
                )
                name = getattr(record, "company_name", "") or person or subject.display_name
                return PostalAddress(name=name, lines=(street, f"{code} {office}"))
    return None


def request_address(request: DataRequest) -> PostalAddress | None:
    """The address a letter about `request` goes to: the one on file, else the one given."""
    on_file = postal_address(request.subject)
    if on_file is not None:
        return on_file
    lines = tuple(line.strip() for line in request.contact_address.splitlines() if line.strip())
    if not lines:
        return None
    name = request.contact_name or (request.subject.display_name if request.subject else "")
    return PostalAddress(name=name, lines=lines)


def letter_kind(request: DataRequest) -> str:
    """Which message the request's state calls for (the email templates of that kind)."""
    if not request.is_open:
        return "decided"
    if request.awaiting_identity:
        return "info_requested"
    if request.extended_at is not None:
        return "extended"
    return "received"


def _render(pages: str) -> bytes:
    from weasyprint import CSS, HTML  # only here: the request pages need no WeasyPrint

    document = HTML(string=pages, base_url=str(settings.BASE_DIR))
    return document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))], pdf_tags=True)


def cover_html(
    *, address: PostalAddress, language: str, subject_line: str, body: str, ref: str
) -> str:
    with translation.override(language):
        return render_to_string(
            "subject_requests/letter/letter.html",
            {
                "address": address,
                "language": language,
                "controller": controller.CONTROLLER,
                "contact_email": controller.CONTACT_EMAIL,
                "contact_phone": controller.CONTACT_PHONE,
                "today": timezone.localdate(),
                "subject_line": subject_line,
                "body": body,
                "reference": ref,
            },
        )


def cover_pdf(**kwargs) -> bytes:
    return _render(cover_html(**kwargs))


def request_letter_pdf(request: DataRequest, address: PostalAddress) -> bytes:
    """The letter answering `request` as its state stands."""
    subject_line, body = notification_render(request, letter_kind(request))
    return cover_pdf(
        address=address,
        language=request.language,
        subject_line=subject_line,
        body=body,
        ref=reference(request),
    )
