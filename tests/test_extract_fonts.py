"""WeasyPrint in the portal's processes: one font configuration for every extract, and one
document at a time (portal/extract/pdf.py). A font configuration of its own for every copy
made WeasyPrint build a Pango font map each time, about a quarter of a short copy's layout,
and its memory was never given back (bench/extract_speed.py, BENCHMARKS.md)."""

from concurrent.futures import ThreadPoolExecutor

from portal.extract.pdf import font_config, layout, render_pdf
from tests.extracts import pdf_attachment, pdf_text

APPENDIX = "<!DOCTYPE html><html lang='en'><body><p>The same for everyone.</p></body></html>"


def _person(n: int) -> str:
    body = f"<h1>Copy {n}</h1><p>Order W{n:06d}</p>"
    return f"<!DOCTYPE html><html lang='en'><body>{body}</body></html>"


def test_every_extract_is_laid_out_with_the_one_font_configuration():
    first, second = layout(_person(1)), layout(_person(2))
    assert first.font_config is second.font_config is font_config()


def test_copies_made_in_threads_at_once_each_hold_their_own_text():
    # A threaded server (the development server, gthread workers) may make several at once:
    # they take turns, and each file is whole and holds its own person's data.
    def make(n):
        return n, render_pdf(
            _person(n), json_bytes=b'{"n": %d}' % n, title="Register extract", appendix=APPENDIX
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(make, range(8)))
    for n, content in made:
        text = pdf_text(content)
        assert f"Copy {n}" in text and f"W{n:06d}" in text and "The same for everyone" in text
        assert pdf_attachment(content) == {"n": n}
