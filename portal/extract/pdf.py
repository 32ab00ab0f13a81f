"""The PDF register extract (rekisteriote), rendered by WeasyPrint.

A4, tagged, fonts embedded (DejaVu Sans covers Finnish and Swedish letters), page numbers,
and the JSON export attached inside the file (PDF/A-3), so one file is both a document for
people and data for machines.

Made for speed (issue #14, bench/extract_speed.py): the stylesheets are parsed once per
process, not per copy, and the document is styled with a small user-agent stylesheet that
covers the elements the extract uses (weasyprint_ua.css) instead of WeasyPrint's full HTML one,
whose hundreds of selectors are matched against every element of every copy.
"""

import zlib
from functools import cache
from pathlib import Path

import pydyf
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, Attachment

from portal.extract.values import EMPTY

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "extract.css"
USER_AGENT_STYLESHEET = Path(__file__).with_name("weasyprint_ua.css")
ATTACHMENT_NAME = "rekisteriote.json"


class _Zlib:
    """zlib at its default level (6) for pydyf, which writes WeasyPrint's PDF streams at level 9.

    Level 9 took a quarter of drawing and writing a 7-page extract (0.16 s against 0.11 s at
    level 6, for a file 4 % larger: 66 KB against 69 KB; bench/extract_speed.py). pydyf has no
    option for it, so its module's reference to zlib is replaced by this one, which passes
    everything else through. Decompression is never asked of it.
    """

    LEVEL = 6

    def __getattr__(self, name):
        return getattr(zlib, name)

    def compressobj(self, level=-1, *args, **kwargs):
        return zlib.compressobj(self.LEVEL, *args, **kwargs)

    def compress(self, data, level=-1, **kwargs):
        return zlib.compress(data, self.LEVEL, **kwargs)


if getattr(pydyf, "zlib", None) is zlib:  # only where pydyf is as expected
    pydyf.zlib = _Zlib()


@cache
def stylesheets() -> tuple[CSS, CSS]:
    """(user agent, extract) stylesheets, parsed once: the files do not change while running."""
    return CSS(filename=str(USER_AGENT_STYLESHEET)), CSS(filename=str(STYLESHEET))


class ExtractHTML(HTML):
    """An HTML document styled with the extract's small user-agent stylesheet.

    `_ua_stylesheets` is WeasyPrint's own hook (HTML subclasses such as this one are how it
    selects the form stylesheet); should a later version drop it, the full stylesheet is used
    and the extract is only slower.
    """

    def _ua_stylesheets(self, forms=False):
        return [stylesheets()[0]]


def extract_html(context: dict) -> str:
    for data in context.get("registers", ()):
        for record in data.records:
            # Fields holding a value get a row each; the empty ones are named on one line.
            record.filled_fields = [f for f in record.fields if f.text != EMPTY]
            record.empty_fields = [f for f in record.fields if f.text == EMPTY]
    return render_to_string("portal/extract/extract.html", context)


def render_pdf(html: str, *, json_bytes: bytes, title: str) -> bytes:
    document = ExtractHTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(
        stylesheets=[stylesheets()[1]],
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
