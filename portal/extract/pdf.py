"""The PDF register extract (rekisteriote), rendered by WeasyPrint.

A4, tagged, fonts embedded (DejaVu Sans covers Finnish and Swedish letters), page numbers,
and the JSON export attached inside the file (PDF/A-3), so one file is both a document for
people and data for machines.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, Attachment

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "extract.css"
ATTACHMENT_NAME = "rekisteriote.json"


def extract_html(context: dict) -> str:
    return render_to_string("portal/extract/extract.html", context)


def render_pdf(html: str, *, json_bytes: bytes, title: str) -> bytes:
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))],
        attachments=[
            Attachment(
                string=json_bytes,
                name=ATTACHMENT_NAME,
                description=title,
                relationship="Alternative",
            )
        ],
        pdf_variant="pdf/a-3b",
        pdf_tags=True,
        custom_metadata=True,
    )
