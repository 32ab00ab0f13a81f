"""A fault (issue #14, item 7): WeasyPrint failing while a copy is made leaves no record of a
copy (no issued copy, no access request, no audit event) and the person gets a plain page
saying so, with the way back, not a server error. The renderer is made to fail by replacing
it, the one fault injected here; everything else is the real request path."""

import pytest

from portal.extract import services
from portal.models import AuditEvent, IssuedExtract
from subject_requests.models import DataRequest

PDF = "/en/my-data/extract.pdf"


class WeasyPrintFailed(Exception):
    pass


def _failing_render(html, *, json_bytes, title):
    raise WeasyPrintFailed("layout failed")


@pytest.mark.django_db(transaction=True)
def test_a_failed_render_leaves_no_record_and_shows_a_clear_page(client, maija, monkeypatch):
    events_before = set(AuditEvent.objects.values_list("action", flat=True))
    monkeypatch.setattr(services, "render_pdf", _failing_render)

    response = client.post(PDF)

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Your copy could not be made" in page and "No copy was recorded" in page
    assert 'href="/en/my-data/"' in page
    assert not IssuedExtract.objects.exists()
    assert not DataRequest.objects.filter(type=DataRequest.Type.ACCESS).exists()
    assert not AuditEvent.objects.filter(action="data.extract.issued").exists()
    assert set(AuditEvent.objects.values_list("action", flat=True)) == events_before


@pytest.mark.django_db(transaction=True)
def test_after_a_failed_render_the_next_click_makes_the_copy(client, maija, monkeypatch):
    monkeypatch.setattr(services, "render_pdf", _failing_render)
    assert client.post(PDF).status_code == 503
    monkeypatch.undo()

    response = client.post(PDF)  # not taken for a repeated click: nothing was issued

    issued = IssuedExtract.objects.get()
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert issued.reference in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="data.extract.issued").count() == 1
