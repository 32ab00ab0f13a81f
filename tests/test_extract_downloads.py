"""The PDF register extract and the JSON export: complete, in the customer's language,
one the twin of the other, never carrying a password hash, and only ever the customer's own."""

import json
import re
import time
from pathlib import Path

import jsonschema
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation
from django.utils.text import capfirst

from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from portal.controller import CONTROLLER, SUPERVISORY_AUTHORITY
from portal.models import AuditEvent, IssuedExtract
from portal.registers import REGISTERS
from subject_requests.models import DataRequest
from tests.extracts import (
    EMAIL,
    customer_in_every_register,
    pdf_attachment,
    pdf_text,
    signed_in_customer,
)
from tests.factories import UserFactory
from tests.signin import last_code

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent.parent / "docs" / "export-schema.json").read_text())
COPY_URLS = ("/en/my-data/extract.pdf", "/en/my-data/export.json")
AUTHORITY = {
    "fi": "Tietosuojavaltuutetun toimisto",
    "sv": "Dataombudsmannens byrå",
    "en": "Office of the Data Protection Ombudsman",
}


def _squash(text) -> str:
    # pypdf puts spaces where lines break and sometimes inside kerned pairs ("T ector"):
    # compare without any whitespace.
    return "".join(str(text).split())


@pytest.fixture
def maija_shop(client):
    subject, account = customer_in_every_register()
    signed_in_customer(client)
    return subject, account


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_pdf_holds_every_register_and_every_article_15_item(client, maija_shop, lang):
    response = client.post(f"/{lang}/my-data/extract.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="rekisteriote-RO-')
    text = _squash(pdf_text(response.content))
    with translation.override(lang):
        for register in REGISTERS:
            for item in (
                register.name,
                register.purpose,
                register.legal_basis,
                register.transfers,
                register.automated_decisions,
                *register.sources,
                *(recipient.name for recipient in register.recipient_list),
                *(recipient.legal_basis for recipient in register.recipient_list),
                *register.retention,
            ):
                assert _squash(item) in text, (register.key, str(item))
            for label in register.category_labels:
                assert _squash(capfirst(str(label))) in text
        assert AUTHORITY[lang] == str(SUPERVISORY_AUTHORITY.name)
        assert _squash(AUTHORITY[lang]) in text and SUPERVISORY_AUTHORITY.website in text
    for value in (
        "Koivukuja 3 B 12",
        "14 pv netto",
        "maija@example.fi",
        "T550002",
        "maija.m",
        CONTROLLER.business_id,
    ):
        assert _squash(value) in text
    issued = IssuedExtract.objects.get()
    assert issued.reference in text and issued.format == "pdf" and issued.language == lang


def test_embedded_json_equals_the_json_export(client, maija_shop):
    embedded = pdf_attachment(client.post("/en/my-data/extract.pdf").content)
    exported = json.loads(client.post("/en/my-data/export.json").content)
    # Each copy is issued separately: its own reference number and time, the same data.
    for document in (embedded, exported):
        assert document.pop("reference").startswith("RO-")
        document.pop("generated_at")
    # Each copy is also an answered access request, so the later one lists the earlier one.
    newest, *earlier = exported.pop("requests")
    assert newest["type"] == "access" and earlier == embedded.pop("requests")
    # ... and a consultation of the person's data, which the later one lists too.
    newest, *earlier = exported.pop("consultations")
    assert newest["kind"] == "copy_issued" and earlier == embedded.pop("consultations")
    assert embedded == exported


def test_json_export_validates_against_its_schema(client, maija_shop):
    response = client.post("/en/my-data/export.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(response.content.decode("utf-8"))
    jsonschema.validate(document, SCHEMA)
    # Every declared register, in declared order (the test settings add a fifth).
    assert [r["key"] for r in document["registers"]] == [r.key for r in REGISTERS]
    webshop = document["registers"][3]["records"][0]
    assert webshop["fields"]["username"]["value"] == "maija.m"
    assert len(webshop["events"]["orders"]) == 3
    assert webshop["fields"]["password"]["value"] is True


def test_password_hash_appears_nowhere(client, maija_shop):
    _, account = maija_shop
    pdf = client.post("/en/my-data/extract.pdf").content
    exported = client.post("/en/my-data/export.json").content.decode()
    for haystack in (pdf_text(pdf), json.dumps(pdf_attachment(pdf)), exported):
        assert account.password not in haystack
        assert "md5$" not in haystack
    assert account.password.encode() not in pdf


def test_downloads_are_audited_with_their_reference(client, maija_shop):
    subject, _ = maija_shop
    client.post("/en/my-data/extract.pdf")
    client.post("/en/my-data/export.json")
    pdf_event = AuditEvent.objects.get(action="data.extract.issued")
    json_event = AuditEvent.objects.get(action="data.export.issued")
    references = set(IssuedExtract.objects.values_list("reference", flat=True))
    assert {pdf_event.details["reference"], json_event.details["reference"]} == references
    assert pdf_event.subject_id == subject.pk and len(pdf_event.details["sha256"]) == 64


def test_issued_copy_is_found_only_through_its_owner(client, maija_shop):
    client.post("/en/my-data/extract.pdf")
    issued = IssuedExtract.objects.get()
    assert client.get(f"/en/my-data/extracts/{issued.reference}/").status_code == 200
    client.force_login(UserFactory())
    assert client.get(f"/en/my-data/extracts/{issued.reference}/").status_code == 404
    assert client.get("/en/my-data/extracts/RO-AAAA-AAAA-AAAA-AAAA/").status_code == 404


def test_another_customers_data_never_appears(client, maija_shop):
    from tests.factories import BillingCustomerFactory

    BillingCustomerFactory(email="someone@example.fi", street_address="Vierastie 99")
    text = pdf_text(client.post("/en/my-data/extract.pdf").content)
    assert "Vierastie 99" not in text
    assert "Vierastie 99" not in client.post("/en/my-data/export.json").content.decode()


def _nothing_issued():
    return (
        IssuedExtract.objects.count(),
        DataRequest.objects.filter(type=DataRequest.Type.ACCESS).count(),
        AuditEvent.objects.exclude(action="data.my_data.viewed").count(),
    )


@pytest.mark.parametrize("url", COPY_URLS)
def test_get_and_head_of_a_copy_issue_nothing_and_offer_a_button_that_posts(
    client, maija_shop, url
):
    before = _nothing_issued()  # the sign-in's own audit event only
    page = client.get(url)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert f'<form method="post" action="{url}"' in html and "csrfmiddlewaretoken" in html
    assert "no-cache" in page["Cache-Control"]
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert _nothing_issued() == before and before[:2] == (0, 0)
    assert client.put(url).status_code == 405
    assert _nothing_issued() == before


def test_taking_a_copy_without_the_csrf_token_is_refused(maija_shop):
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(get_user_model().objects.get(username=EMAIL))
    session = forged.session
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = time.time()
    session.save()
    before = _nothing_issued()
    for url in COPY_URLS:
        assert forged.post(url).status_code == 403
    assert _nothing_issued() == before and before[:2] == (0, 0)
    # The same client with the token from the my-data page gets its copy.
    page = forged.get("/en/my-data/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = forged.post("/en/my-data/export.json", {"csrfmiddlewaretoken": token})
    assert response.status_code == 200 and IssuedExtract.objects.count() == 1


def test_my_data_offers_the_copies_as_forms_that_post(client, maija_shop):
    html = client.get("/en/my-data/").content.decode()
    for url in COPY_URLS:
        assert f'<form method="post" action="{url}"' in html
        assert f'href="{url}"' not in html


def test_downloads_ask_for_a_fresh_code_after_15_minutes(client, maija_shop):
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 16 * 60
    session.save()
    for url in COPY_URLS:
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302
            assert response["Location"].startswith("/en/accounts/confirm-with-code/")
    assert not IssuedExtract.objects.exists()


def test_after_a_fresh_code_the_customer_still_gets_the_copy(client, maija_shop):
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 16 * 60
    session.save()
    fresh = client.post("/en/my-data/extract.pdf")["Location"]
    client.post(fresh)  # send me a code
    back = client.post(fresh, {"code": last_code(EMAIL), "next": "/en/my-data/extract.pdf"})
    assert back.status_code == 302 and back["Location"] == "/en/my-data/extract.pdf"
    confirm = client.get(back["Location"])
    assert '<form method="post" action="/en/my-data/extract.pdf"' in confirm.content.decode()
    assert not IssuedExtract.objects.exists()
    response = client.post("/en/my-data/extract.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert IssuedExtract.objects.count() == 1


def test_anonymous_visitors_get_no_extract(client):
    for response in (client.get("/en/my-data/extract.pdf"), client.post("/en/my-data/export.json")):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _nothing_issued()[:2] == (0, 0)


def test_pdf_is_tagged_pdf_a_3_with_embedded_fonts(client, maija_shop):
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(client.post("/fi/my-data/extract.pdf").content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "fi"
    assert b"pdfaid:part" in root["/Metadata"].get_object().get_data()
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()
            descendant = descriptor.get("/DescendantFonts")
            if descendant:
                descriptor = descendant[0].get_object()
            fonts.add(
                ("/FontFile2" in descriptor["/FontDescriptor"])
                or ("/FontFile3" in descriptor["/FontDescriptor"])
            )
    assert fonts == {True}
    assert len(reader.pages) >= 4
