"""The extract's appendix (why and how, rights, the authority): the same text for everyone in
the same registers, laid out once per process and text, each shared fact said once."""

import io

import pytest
from django.test import Client, override_settings
from pypdf import PdfReader

from portal.extract import pdf
from portal.registers import get_register
from tests.extracts import (
    customer_in_every_register,
    pdf_attachment,
    pdf_text,
    signed_in_customer,
)
from tests.factories import BillingCustomerFactory, DataSubjectFactory

pytestmark = pytest.mark.django_db


def _squash(text) -> str:
    return "".join(str(text).split())


@pytest.fixture(autouse=True)
def no_kept_layouts():
    pdf._appendices.clear()
    yield
    pdf._appendices.clear()


def _client_of(email):
    client = Client()
    signed_in_customer(client, email)
    return client


def _billing_customer(email, first_name):
    subject = DataSubjectFactory(display_name=f"{first_name} Asiakas")
    BillingCustomerFactory(subject=subject, first_name=first_name, email=email)
    return _client_of(email)


def test_two_people_in_the_same_registers_share_one_laid_out_appendix():
    first = _billing_customer("aino@example.fi", "Aino")
    second = _billing_customer("eino@example.fi", "Eino")
    one = first.post("/fi/my-data/extract.pdf")
    assert len(pdf._appendices) == 1
    (kept,) = pdf._appendices.values()
    two = second.post("/fi/my-data/extract.pdf")
    assert list(pdf._appendices.values()) == [kept]  # the same layout, not made again

    appendix = PdfReader(io.BytesIO(two.content)).pages[-len(kept.pages) :]
    text_two = _squash(" ".join(page.extract_text() for page in appendix))
    assert _squash(get_register("billing").purpose) in text_two
    # Each copy is its own person's: the pages before the appendix, and the JSON inside.
    assert "Aino" in pdf_text(one.content) and "Aino" not in pdf_text(two.content)
    assert pdf_attachment(two.content)["registers"]


@override_settings(PORTAL_COPY_REPEAT_SECONDS=0)  # each click a new copy
def test_another_language_or_another_text_is_laid_out_anew():
    client = _billing_customer("aino@example.fi", "Aino")
    client.post("/fi/my-data/extract.pdf")
    client.post("/sv/my-data/extract.pdf")
    assert len(pdf._appendices) == 2
    with override_settings(RECIPIENTS={"hosting": "Toinen Pilvi Oy", "partner": "Kumppani Oy"}):
        response = client.post("/fi/my-data/extract.pdf")
    assert len(pdf._appendices) == 3  # a setting changed the text: never a stale layout
    assert "ToinenPilviOy" in _squash(pdf_text(response.content))


def test_what_the_registers_share_is_said_once_naming_the_registers():
    customer_in_every_register()
    client = _client_of("maija@example.fi")
    text = _squash(pdf_text(client.post("/en/my-data/extract.pdf").content))
    # The hosting processor holds every register: one entry, not one per register.
    hosting = _squash("Pilvipalvelu Esimerkki Oy, processor")
    assert text.count(hosting) == 1
    for key in ("billing", "postal", "newsletter", "webshop"):
        assert _squash(get_register(key).purpose) in text
    assert text.count(_squash("Automated decision-making and profiling")) == 1
    # The person's part and the appendix number their pages apart.
    assert "Appendix,page1/" in text and "Page1/" in text
