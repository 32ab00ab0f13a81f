"""The record of processing activities (Art. 30(1)), generated from the register declarations,
the portal's own processing (portal/processing.py) and the controller (portal/controller.py):
a staff page, and the same record as CSV and as PDF, in the language of the page.

Nothing here names a register: a register added to PORTAL_REGISTERS appears by itself.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal import controller, processing
from portal.registers import REGISTERS
from subject_requests.views.staff_access import queue_staff_required

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "extract.css"


@dataclass
class Row:
    """One processing activity as Art. 30(1)(b)-(f) asks for it, in the active language."""

    key: str
    name: str
    purpose: str
    legal_basis: str
    data_subjects: list[str]
    data: list[str]
    recipients: list[str]
    transfers: str
    retention: list[str]


def _recipients(recipient_list) -> list[str]:
    return [f"{r.name} ({r.kind_label})" for r in recipient_list]


def rows() -> list[Row]:
    """Every register, then the portal's own processing."""
    result = [
        Row(
            key=f"register-{register.key}",
            name=str(register.name),
            purpose=str(register.purpose),
            legal_basis=str(register.legal_basis),
            data_subjects=[str(s) for s in register.data_subjects],
            data=[str(label) for label in register.category_labels],
            recipients=_recipients(register.recipient_list),
            transfers=str(register.transfers),
            retention=[str(p) for p in register.retention],
        )
        for register in REGISTERS
    ]
    result += [
        Row(
            key=f"portal-{activity.key}",
            name=str(activity.name),
            purpose=str(activity.purpose),
            legal_basis=str(activity.legal_basis),
            data_subjects=[str(s) for s in activity.data_subjects],
            data=[str(activity.data)],
            recipients=_recipients(activity.recipient_list),
            transfers=str(activity.transfers),
            retention=activity.retention,
        )
        for activity in processing.ACTIVITIES
    ]
    return result


def _context() -> dict:
    return {
        "controller": controller.CONTROLLER,
        "contact_role": controller.CONTACT_ROLE,
        "contact_email": controller.CONTACT_EMAIL,
        "contact_phone": controller.CONTACT_PHONE,
        "rows": rows(),
        "measures": processing.security_measures(),
        "today": timezone.localdate(),
        "language": translation.get_language(),
    }


def _filename(extension: str) -> str:
    # Translators: the file name of the record of processing activities; no spaces.
    name = _("record-of-processing")
    return f"{name}-{timezone.localdate().isoformat()}.{extension}"


@require_safe
@never_cache
@queue_staff_required
def record_of_processing(request):
    return render(request, "portal/ropa/page.html", _context())


@require_safe
@never_cache
@queue_staff_required
def record_of_processing_csv(request):
    context = _context()
    org = context["controller"]
    contact = f"{context['contact_role']}, {context['contact_email']}, {context['contact_phone']}"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Processing activity"),
            _("Purpose of processing"),
            _("Legal basis"),
            _("Categories of data subjects"),
            _("Categories of personal data"),
            _("Recipients"),
            _("Transfers outside the EU/EEA"),
            _("How long the data is kept"),
            _("Controller"),
            _("Contact person for register matters"),
            _("Security measures"),
        ]
    )
    controller_text = f"{org.name}, {org.business_id}, {', '.join(org.address_lines)}"
    measures = " | ".join(context["measures"])
    for row in context["rows"]:
        writer.writerow(
            [
                row.name,
                row.purpose,
                row.legal_basis,
                "; ".join(row.data_subjects),
                "; ".join(row.data),
                "; ".join(row.recipients),
                row.transfers,
                " ".join(row.retention),
                controller_text,
                contact,
                measures,
            ]
        )
    # With a byte-order mark, so that a spreadsheet reads ä and å right.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@require_safe
@never_cache
@queue_staff_required
def record_of_processing_pdf(request):
    from weasyprint import CSS, HTML  # only here: the page and the CSV need no WeasyPrint

    html = render_to_string("portal/ropa/pdf.html", _context())
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))], pdf_tags=True
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename("pdf")}"'
    return response
