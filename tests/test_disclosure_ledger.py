"""Who actually received my data (Art. 15(1)(c), C-154/21): the ledger and the deliveries,
per register, on my-data, in the PDF extract and in the JSON export; "nobody" only where true."""

import datetime
import json

import pytest
from django.utils import timezone

from portal.demo.loader import demo_load
from portal.demo.personas import MAIJA_EMAIL
from portal.disclosures import disclosure_record, postal_disclosure_export
from portal.errors import Refusal
from portal.extract.disclosures import received_by, register_disclosures
from portal.models import AuditEvent, Disclosure
from portal.registers import get_register
from portal.registers.recipients import carrier_key
from tests.extracts import customer_in_every_register, pdf_attachment, pdf_text, signed_in_customer
from tests.factories import (
    DeliveryFactory,
    InvoiceFactory,
    OrderFactory,
    UserFactory,
    WebshopAccountFactory,
)

pytestmark = pytest.mark.django_db
POSTAL, WEBSHOP = get_register("postal"), get_register("webshop")


@pytest.fixture
def maija_disclosed(client, settings):
    settings.RECIPIENTS = {**settings.RECIPIENTS, "partner": "Kumppani Oy", "posti": "Posti Oy"}
    subject, account = customer_in_every_register(orders=1)
    order = account.orders.get()
    shipped = timezone.make_aware(datetime.datetime(2026, 3, 4, 12))
    DeliveryFactory(order=order, method="Posti, kotiinkuljetus", shipped_at=shipped)
    DeliveryFactory(order=order, method="Matkahuolto, Lähellä-paketti", shipped_at=None)
    postal_disclosure_export(recipient_key="partner", purpose="Kevätkampanja 2026")
    return subject, signed_in_customer(client)


def test_carrier_key_is_the_first_word_of_the_method():
    assert carrier_key("Posti, kotiinkuljetus") == "posti"
    assert carrier_key("Matkahuolto, Lähellä-paketti") == "matkahuolto"
    assert carrier_key("") == ""


def test_a_person_in_a_partner_export_and_a_delivery_sees_both(maija_disclosed):
    subject, _user = maija_disclosed
    (partner,) = register_disclosures(POSTAL, [subject.pk])
    assert (partner.recipient, partner.name, partner.disclosed_on) == (
        "partner",
        "Kumppani Oy",
        timezone.localdate(),
    )
    assert partner.purpose_text == "Kevätkampanja 2026"
    # Only the shipped delivery: one not yet shipped has disclosed nothing.
    (posti,) = register_disclosures(WEBSHOP, [subject.pk])
    assert (posti.recipient, posti.disclosed_on) == ("posti", datetime.date(2026, 3, 4))
    assert "delivery_address" in posti.fields and "email" not in posti.fields
    assert register_disclosures(get_register("billing"), [subject.pk]) == []


def test_my_data_names_the_recipients_and_dates_and_nobody_only_where_true(client, maija_disclosed):
    page = client.get("/en/my-data/").content.decode()
    assert "Who has received this data" in page
    assert "Kumppani Oy" in page and "Kevätkampanja 2026" in page
    assert "Posti Oy" in page and "Delivering your order" in page
    assert timezone.localdate().strftime("%d.%m.%Y").lstrip("0") in page or "2026" in page
    # Billing and the newsletter: nobody outside the company, only the processors.
    assert page.count("Nobody outside the company has received your data") == 3


def test_json_export_and_pdf_name_the_partner_with_the_date(client, maija_disclosed):
    document = json.loads(client.post("/en/my-data/export.json").content)
    by_key = {r["key"]: r for r in document["registers"]}
    (partner,) = by_key["postal"]["disclosures"]
    assert partner["recipient"] == "partner" and partner["name"] == "Kumppani Oy"
    assert partner["date"] == timezone.localdate().isoformat()
    assert partner["purpose"] is None and partner["purpose_text"] == "Kevätkampanja 2026"
    assert set(partner["fields"]) >= {"last_name", "street_address"}
    (posti,) = by_key["webshop"]["disclosures"]
    assert (posti["recipient"], posti["date"], posti["purpose"]) == (
        "posti",
        "2026-03-04",
        "delivery",
    )
    assert by_key["billing"]["disclosures"] == []
    pdf = client.post("/en/my-data/extract.pdf").content
    text = pdf_text(pdf)
    assert "Kumppani Oy" in text and "Posti Oy" in text
    embedded = {r["key"]: r for r in pdf_attachment(pdf)["registers"]}
    assert embedded["postal"]["disclosures"] == by_key["postal"]["disclosures"]


def test_a_restricted_or_suppressed_person_is_in_no_export(maija_disclosed):
    subject, _user = maija_disclosed
    subject.postalrecipient_records.update(restricted_at=timezone.now())
    assert postal_disclosure_export(recipient_key="partner", purpose="x", dry_run=True).rows == []


def test_staff_record_a_disclosure_to_a_principal():
    account = WebshopAccountFactory()
    InvoiceFactory(order=OrderFactory(account=account))
    staff = UserFactory(is_staff=True)
    disclosure = disclosure_record(
        actor=staff,
        register_key="webshop",
        recipient_key="principal",
        record=account,
        fields=["first_name", "last_name", "invoices"],
        purpose="Takuuhuolto, lasku L1",
        disclosed_on=datetime.date(2026, 5, 6),
    )
    (entry,) = register_disclosures(WEBSHOP, [account.subject_id])
    assert (entry.recipient, entry.disclosed_on) == ("principal", datetime.date(2026, 5, 6))
    assert entry.fields == ("first_name", "last_name", "invoices")
    event = AuditEvent.objects.get(action="disclosure.recorded")
    assert event.subject_id == account.subject_id and event.actor_id == staff.pk
    assert event.target == f"portal.Disclosure:{disclosure.pk}"
    # Whom to tell of a correction of the name: the principal; of the email: nobody.
    assert [r.recipient for r in received_by(WEBSHOP, [account.subject_id], ["last_name"])] == [
        "principal"
    ]
    assert received_by(WEBSHOP, [account.subject_id], ["email"]) == []


@pytest.mark.parametrize(
    "recipient, fields, on",
    [
        ("posti", ["first_name"], datetime.date(2026, 1, 1)),  # carriers are not recorded
        ("principal", ["password"], datetime.date(2026, 1, 1)),  # not what it receives
        ("principal", ["first_name"], datetime.date(2999, 1, 1)),  # in the future
    ],
)
def test_only_declared_disclosures_can_be_recorded(recipient, fields, on):
    account = WebshopAccountFactory()
    with pytest.raises(Refusal):
        disclosure_record(
            actor=None,
            register_key="webshop",
            recipient_key=recipient,
            record=account,
            fields=fields,
            purpose="x",
            disclosed_on=on,
        )


def test_demo_maija_is_on_a_partner_list_with_its_date_and_her_carriers_appear(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_load()
    demo_load()  # idempotent: still one list
    assert Disclosure.objects.filter(recipient="partner").count() == 1
    maija = get_register("billing").model_class.objects.get(email=MAIJA_EMAIL).subject
    (partner,) = register_disclosures(POSTAL, [maija.pk])
    assert partner.disclosed_on == timezone.localdate() - datetime.timedelta(days=40)
    carriers = {e.recipient for e in register_disclosures(WEBSHOP, [maija.pk])}
    assert carriers <= {"posti", "matkahuolto"} and carriers


def test_a_delivery_by_an_undeclared_carrier_is_still_shown():
    account = WebshopAccountFactory()
    order = OrderFactory(account=account)
    DeliveryFactory(order=order, method="DHL Express", shipped_at=timezone.now())
    (entry,) = register_disclosures(WEBSHOP, [account.subject_id])
    assert (entry.recipient, entry.name, entry.declared) == ("dhl", "DHL", False)
    assert str(entry.purpose_text) == "Delivering your order"
    assert "delivery_address" in entry.fields
