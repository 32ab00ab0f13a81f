"""The PDF register extract (rekisteriote), rendered by WeasyPrint.

A4, tagged, fonts embedded (DejaVu Sans covers Finnish and Swedish letters), page numbers,
and the JSON export attached inside the file (PDF/A-3), so one file is both a document for
people and data for machines.

The document is the person's part (their data, requests and what the portal knows of them),
then the appendix (portal/extract/appendix.py: why and how, rights, the authority), which is
the same text for everyone in the same registers. Its layout is kept per process, keyed by
its text, and its pages are drawn after the person's: WeasyPrint's layout is most of a copy's
cost, and the appendix is about half of a short extract's pages. Each part numbers its own
pages ("Page 2 / 5", then "Appendix, page 1 / 3").

Made for speed (issue #14, bench/extract_speed.py): the stylesheets are parsed once per
process, not per copy, and the document is styled with a small user-agent stylesheet that
covers the elements the extract uses (weasyprint_ua.css) instead of WeasyPrint's full HTML one,
whose hundreds of selectors are matched against every element of every copy.
"""

import hashlib
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pydyf
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, Attachment
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

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


@dataclass
class DisclosureGroup:
    """Disclosures alike but for their dates (a carrier's deliveries): one entry, every date."""

    name: str
    kind_label: str
    field_labels: tuple
    purpose_text: str
    dates: list = field(default_factory=list)


def disclosure_groups(disclosures) -> list[DisclosureGroup]:
    """The register's disclosures for the PDF, those that differ only in date as one group:
    500 deliveries by one carrier are one entry with 500 dates, not 500 entries of two lines
    (the JSON keeps every disclosure as its own entry)."""
    groups: dict[tuple, DisclosureGroup] = {}
    for d in disclosures:
        key = (d.name, str(d.kind_label), tuple(map(str, d.field_labels)), str(d.purpose_text))
        group = groups.setdefault(key, DisclosureGroup(*key))
        group.dates.append(d.disclosed_on)
    return list(groups.values())


def extract_html(context: dict) -> str:
    for data in context.get("registers", ()):
        data.disclosure_groups = disclosure_groups(data.disclosures)
        for record in data.records:
            # Fields holding a value get a row each; the empty ones are named on one line.
            record.filled_fields = [f for f in record.fields if f.text != EMPTY]
            for value in record.filled_fields:  # one line a field: a value's lines joined
                value.one_line = "; ".join(
                    part.strip() for part in str(value.text).splitlines() if part.strip()
                )
            record.empty_fields = [f for f in record.fields if f.text == EMPTY]
    return render_to_string("portal/extract/extract.html", context)


# WeasyPrint's work in this process is done one document at a time, with one font
# configuration. Without it every layout made a font configuration of its own (a Pango font
# map and its caches), which took about a quarter of a short copy's layout and was never
# freed: a process grew by about 0.2 MB a copy. A Pango font map is not safe to use from two
# threads at once, and the kept appendices are drawn with the pages of later copies, so
# laying out and drawing share this lock (reentrant: render_pdf holds it around layout()).
# Sync gunicorn workers and task workers have one thread each and never wait for it.
_weasyprint_lock = threading.RLock()


@cache
def font_config() -> FontConfiguration:
    return FontConfiguration()


def layout(html: str) -> Document:
    """WeasyPrint's layout of an extract document (its pages, not yet drawn)."""
    with _weasyprint_lock:
        document = ExtractHTML(string=html, base_url=str(settings.BASE_DIR))
        return document.render(
            stylesheets=[stylesheets()[1]], pdf_tags=True, font_config=font_config()
        )


# Laid-out appendices, by the SHA-256 of their HTML: a changed text (another language, other
# registers, a changed declaration or setting) is another key, so an entry is never stale.
# A few of them cover every combination of registers and languages that is common.
APPENDICES_KEPT = 24
_appendices: OrderedDict[bytes, Document] = OrderedDict()


def appendix_layout(html: str) -> Document:
    key = hashlib.sha256(html.encode()).digest()
    with _weasyprint_lock:  # also keeps the cache whole: one thread at a time uses it
        kept = _appendices.get(key)
        if kept is not None:
            _appendices.move_to_end(key)
            return kept
        laid_out = _appendices[key] = layout(html)
        while len(_appendices) > APPENDICES_KEPT:
            _appendices.popitem(last=False)
        return laid_out


def render_pdf(
    html: str,
    *,
    json_bytes: bytes,
    title: str,
    appendix: str | None = None,
    front: Document | None = None,
) -> bytes:
    """The extract's PDF: `front` (a letter's cover, laid out by the caller), the person's
    part from `html`, and the `appendix` HTML, with the JSON attached."""
    with _weasyprint_lock:
        person = layout(html)
        first = front or person
        pages = [*(front.pages if front else ()), *person.pages]
        if appendix is not None:
            pages.extend(appendix_layout(appendix).pages)
        return first.copy(pages).write_pdf(
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
