"""A complete copy (Art. 15(3), C-487/21): beside the registers, the PDF extract and the JSON
export hold the portal's own data about the person: the account, its addresses, sign-ins and
sessions, every request in full, the emails sent, the consent evidence and who looked at the
data. The JSON inside the PDF is still the JSON export."""

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
from django.test import Client
from django.utils import translation

from accounts import roles
from portal.extract.export_json import SCHEMA_VERSION
from portal.models import NewsletterConsent
from subject_requests.decisions import decision_text
from subject_requests.models import DataRequest, FieldChange
from subject_requests.services.base import request_extend
from tests.extracts import (
    EMAIL,
    customer_in_every_register,
    pdf_attachment,
    pdf_text,
    signed_in_customer,
)
from tests.factories import DeliveryFactory
from tests.staff_queue_helpers import make_request, staff_member

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent.parent / "docs" / "export-schema.json").read_text())
ADMIN = "/en/staff/admin/portal"


def _squash(text) -> str:
    return "".join(str(text).split())


@pytest.fixture
def maija(client):
    """Maija with data in every register, a correction with a decided field and an extended
    deadline (so an email), and a member of staff who opened her record in the admin."""
    subject, account = customer_in_every_register(orders=2)
    user = signed_in_customer(client)
    correction = make_request(
        user=user,
        subject=subject,
        type=DataRequest.Type.RECTIFICATION,
        register="billing",
        description="Sukunimeni on muuttunut.",
    )
    record = subject.billingcustomer_records.get()
    FieldChange.objects.create(
        request=correction,
        register="billing",
        record_id=record.pk,
        field="last_name",
        old_value="Meikäläinen",
        new_value="Virtanen",
        decision=FieldChange.Decision.REJECTED,
        reason="Nimen muutos puuttuu väestötiedoista.",
    )
    NewsletterConsent.objects.create(
        subscription=subject.newslettersubscription_records.get(),
        given_at=datetime.datetime(2026, 11, 2, 8, 30, tzinfo=datetime.UTC),
        language="fi",
        text_version="2026-11",
        confirmation_id="a" * 32,
    )
    staff = staff_member(first_name="Katri", last_name="Kontakti")
    request_extend(request=correction, staff=staff, months=1, reason="Odotamme väestötietoja.")
    staff_client = Client()
    staff_client.force_login(staff)
    assert staff_client.get(f"{ADMIN}/billingcustomer/{record.pk}/change/").status_code == 200
    return subject, user


def test_the_json_export_holds_the_portals_own_data(client, maija):
    document = json.loads(client.post("/en/my-data/export.json").content)
    jsonschema.validate(document, SCHEMA)
    assert document["schema_version"] == SCHEMA_VERSION == "2.2"

    account = document["portal_account"]
    assert account["created_at"] and account["last_sign_in_at"]
    assert account["addresses"] == [{"email": EMAIL, "verified": True, "primary": True}]
    assert len(account["sign_ins"]) == 1 and account["sessions"]

    correction = next(r for r in document["requests"] if r["type"] == "rectification")
    assert correction["description"] == "Sukunimeni on muuttunut."
    assert correction["extension_reason"] == "Odotamme väestötietoja."
    assert correction["extended_at"]
    assert correction["changes"] == [
        {
            "register": "billing",
            "field": "last_name",
            "field_text": "last name",
            "old_value": "Meikäläinen",
            "new_value": "Virtanen",
            "decision": "rejected",
            "decision_text": "rejected",
            "reason": "Nimen muutos puuttuu väestötiedoista.",
        }
    ]

    # The extension was mailed to her: the date and the subject, never the body.
    (email,) = document["emails_sent"]
    assert email["subject"] and email["status"] == "sent" and "body" not in email

    (consent,) = document["consent"]
    assert consent["email"] == EMAIL and consent["status"] == "confirmed"
    assert consent["consents"] == [
        {"given_at": "2026-11-02T08:30:00+00:00", "language": "fi", "text_version": "2026-11",
         "withdrawn_at": None}
    ]  # fmt: skip

    kinds = [(c["kind"], c["purpose"], c["by"]) for c in document["consultations"]]
    assert kinds == [
        ("copy_issued", "access_request", "data_subject"),  # this copy
        ("record_opened", "register_maintenance", roles.CONTACT_PERSON),
    ]
    text = json.dumps(document, ensure_ascii=False)
    assert "Katri" not in text and "Kontakti" not in text  # staff by role, never by name


def test_the_pdf_shows_the_same_and_carries_the_same_json(client, maija):
    pdf = client.post("/en/my-data/extract.pdf").content
    exported = json.loads(client.post("/en/my-data/export.json").content)
    text = _squash(pdf_text(pdf))
    for item in (
        "Your portal account",
        "Emails we sent you",
        "Who has looked at your data",
        "Staff opened your record",
        "Contact person for register matters",
        "Sukunimeni on muuttunut.",
        "Nimen muutos puuttuu väestötiedoista.",
        "Odotamme väestötietoja.",
        "consent text version 2026-11 (language fi)",
        EMAIL,
    ):
        assert _squash(item) in text, item
    assert "Katri" not in text

    embedded = pdf_attachment(pdf)
    for document in (embedded, exported):
        document.pop("reference")
        document.pop("generated_at")
    newest, *earlier = exported.pop("requests")
    assert newest["type"] == "access" and earlier == embedded.pop("requests")
    newest, *earlier = exported.pop("consultations")
    assert newest["kind"] == "copy_issued" and earlier == embedded.pop("consultations")
    assert embedded == exported


def test_the_english_copy_is_english_and_codes_are_the_same_in_every_language(
    client, maija, settings
):
    settings.PORTAL_COPY_REPEAT_SECONDS = 0  # two copies of one kind, one after the other
    english = json.loads(client.post("/en/my-data/export.json").content)
    finnish = json.loads(client.post("/fi/my-data/export.json").content)
    assert english["consultations"][1]["purpose_text"] == "Maintaining the register"
    assert english["consultations"][1]["by_text"] == "Contact person for register matters"
    # The codes do not depend on the language; the texts are rendered for the reader.
    codes = [(c["kind"], c["purpose"], c["by"]) for c in english["consultations"]]
    assert [(c["kind"], c["purpose"], c["by"]) for c in finnish["consultations"][1:]] == codes
    assert finnish["consultations"][2]["by_text"] != "Contact person for register matters"


def test_another_persons_portal_data_never_appears(client, maija):
    from tests.staff_queue_helpers import customer

    other_user, other_subject, other_record = customer("matti@example.com", "Matti Virtanen")
    make_request(user=other_user, subject=other_subject, description="Matin pyyntö.")
    staff_client = Client()
    staff_client.force_login(staff_member(role=roles.REGISTER_MAINTAINER))
    staff_client.get(f"{ADMIN}/billingcustomer/{other_record.pk}/change/")

    document = json.loads(client.post("/en/my-data/export.json").content)
    text = json.dumps(document, ensure_ascii=False)
    assert "matti@example.com" not in text and "Matin pyyntö." not in text
    assert roles.REGISTER_MAINTAINER not in [c["by"] for c in document["consultations"]]


def test_the_portals_own_decisions_are_in_the_copys_language(client, maija, settings):
    """What the portal said to a Finnish request is stored as a code: an English copy
    writes it in English; staff's own words stay as written."""
    settings.PORTAL_COPY_REPEAT_SECONDS = 0
    subject, user = maija
    correction = DataRequest.objects.get(type=DataRequest.Type.RECTIFICATION)
    DataRequest.objects.filter(pk=correction.pk).update(decision="", decision_code="by_field")
    staff_words = make_request(user=user, subject=subject, decision="Tietonne on poistettu.")

    client.post("/fi/my-data/export.json")
    access = DataRequest.objects.get(type=DataRequest.Type.ACCESS)
    assert access.decision == "" and access.decision_code == "access_answered"
    with translation.override("fi"):
        finnish_answer = decision_text(access)
    assert finnish_answer and not finnish_answer.startswith("Answered")
    document = json.loads(client.post("/en/my-data/export.json").content)

    decisions = {r["type"]: r["decision"] for r in document["requests"][1:]}
    assert finnish_answer not in decisions.values()
    assert decisions["access"].startswith("Answered at once with copy RO-")
    assert decisions["access"].endswith("(JSON export).")
    assert decisions["rectification"] == "Decided field by field; see each change."
    assert staff_words.decision in decisions.values()


def test_the_pdf_counts_alike_consultations_of_a_day_on_one_line(client, maija):
    subject, _ = maija
    record = subject.billingcustomer_records.get()
    staff_client = Client()
    staff_client.force_login(staff_member(username="another.contact"))
    for _ in range(2):
        staff_client.get(f"{ADMIN}/billingcustomer/{record.pk}/change/")

    pdf = client.post("/en/my-data/extract.pdf").content
    text = _squash(pdf_text(pdf))
    assert text.count(_squash("Staff opened your record")) == 1
    assert _squash("3 times") in text
    consultations = pdf_attachment(pdf)["consultations"]
    assert [c["kind"] for c in consultations].count("record_opened") == 3  # the JSON: each


def test_disclosures_are_in_the_json_log_and_in_the_pdf_once_with_their_register(client, maija):
    subject, _ = maija
    order = subject.webshopaccount_records.get().orders.first()
    DeliveryFactory(order=order, method="Posti, kotiinkuljetus")

    pdf = client.post("/en/my-data/extract.pdf").content
    consultations = pdf_attachment(pdf)["consultations"]
    (disclosed,) = [c for c in consultations if c["kind"] == "disclosed"]
    assert disclosed["by"] == "posti" and len(disclosed["at"]) == len("2026-11-30")
    text = _squash(pdf_text(pdf))
    assert _squash("Your data was disclosed") not in text  # listed with the register instead
    assert _squash("Each disclosure of your data is listed with its register above.") in text
