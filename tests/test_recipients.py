"""Recipients are data in each register's declaration, and every copy of the notice names them:
the carriers of the web shop's deliveries, the principals, the partners and the processors."""

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from portal.demo.generated import DELIVERY_METHODS
from portal.registers import REGISTERS, get_register
from portal.registers.recipients import Kind, Recipient
from portal.settings import _recipient_names
from tests.extracts import customer_in_every_register, pdf_text, signed_in_customer

SCHEMA = json.loads((Path(__file__).parent.parent / "docs" / "export-schema.json").read_text())
NOBODY = "Nobody outside the company."
# Each register's recipients by kind, as the seed (sections 7.1 to 7.4) and Art. 4(9) give them.
EXPECTED = {
    "billing": {"hosting": Kind.PROCESSOR, "email_delivery": Kind.PROCESSOR},
    "postal": {"hosting": Kind.PROCESSOR, "partner": Kind.PARTNER},
    "newsletter": {"hosting": Kind.PROCESSOR, "email_delivery": Kind.PROCESSOR},
    "webshop": {
        "hosting": Kind.PROCESSOR,
        "email_delivery": Kind.PROCESSOR,
        "posti": Kind.CARRIER,
        "matkahuolto": Kind.CARRIER,
        "principal": Kind.PRINCIPAL,
    },
}


def _names():
    return [django_settings.RECIPIENTS[key] for keys in EXPECTED.values() for key in keys]


def _section(html: str, register_key: str) -> str:
    """The part of a page about one register (its id starts the section)."""
    start = html.index(f'id="register-{register_key}"')
    following = [html.find(f'id="register-{r.key}"', start + 1) for r in REGISTERS]
    ends = [i for i in following if i > start]
    return html[start : min(ends)] if ends else html[start:]


@pytest.mark.parametrize("register", REGISTERS, ids=lambda r: r.key)
def test_every_register_declares_its_recipients_as_data(register):
    recipients = register.recipient_list
    assert recipients and all(isinstance(r, Recipient) for r in recipients)
    keys = [r.key for r in recipients]
    assert len(keys) == len(set(keys))
    # Whoever hosts the portal holds every register: a processor of all its data.
    assert any(r.kind == Kind.PROCESSOR and r.all_data for r in recipients)
    receivable = {s.name for s in register.fields} | {r.key for r in register.related}
    for recipient in recipients:
        assert recipient.kind in Kind.labels
        assert str(recipient.legal_basis).strip()
        assert set(recipient.receives(register)) <= receivable, recipient.key
        assert recipient.receives(register)
        # Named by configuration, never by falling back to the key.
        assert recipient.key in django_settings.RECIPIENTS
        assert recipient.name == django_settings.RECIPIENTS[recipient.key]


def test_the_seeds_recipients_and_the_processors_are_declared():
    for key, expected in EXPECTED.items():
        declared = {r.key: r.kind for r in get_register(key).recipient_list}
        assert declared == expected, key
    webshop = {r.key: r for r in get_register("webshop").recipient_list}
    for carrier in ("posti", "matkahuolto"):
        receives = set(webshop[carrier].fields)
        assert {"first_name", "last_name", "delivery_address", "delivery_postal_code"} <= receives
        assert not receives & {"email", "credit_limit", "payment_terms", "username"}
    assert "invoices" in webshop["principal"].fields  # seed 7.4
    (partner,) = [r for r in get_register("postal").recipient_list if r.kind == Kind.PARTNER]
    assert set(partner.fields) == {  # seed 7.2: name and address only
        "company_name",
        "first_name",
        "last_name",
        "street_address",
        "postal_code",
        "post_office",
    }
    with translation.override("en"):
        assert str(partner.note) == "Only if you have not forbidden it."


def test_every_carrier_of_the_demo_deliveries_is_a_declared_recipient():
    carriers = {r.key for r in get_register("webshop").recipient_list if r.kind == Kind.CARRIER}
    used = {method.split(",")[0].strip().lower() for method, _prefix in DELIVERY_METHODS}
    assert used == {"posti", "matkahuolto"} and used <= carriers


def test_a_declaration_must_say_what_the_recipient_receives():
    with pytest.raises(ValueError):
        Recipient("nobody_knows", Kind.PARTNER, "basis")
    with pytest.raises(ValueError):
        Recipient("both", Kind.PROCESSOR, "basis", fields=("email",), all_data=True)
    with pytest.raises(ValueError):
        Recipient("stranger", "friend", "basis", fields=("email",))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_notice_names_every_recipient_and_nobody_is_said_only_where_true(client, lang):
    html = client.get(f"/{lang}/").content.decode()
    with translation.override(lang):
        nobody = escape(translation.gettext(NOBODY))
        for register in REGISTERS:
            section = _section(html, register.key)
            for recipient in register.recipient_list:
                assert escape(recipient.name) in section, (register.key, recipient.key)
                assert escape(str(recipient.kind_label)) in section
                assert escape(str(recipient.legal_basis)) in section
                for label in recipient.receives_labels(register):
                    assert escape(str(label)) in section
            assert nobody not in section, register.key
    for name in ("Posti Oy", "Oy Matkahuolto Ab"):
        assert _section(html, "webshop").count(name) == 1


def test_a_register_without_recipients_says_nobody():
    lonely = dataclasses.replace(get_register("newsletter"), recipient_list=())
    with translation.override("en"):
        html = render_to_string("portal/includes/register_facts.html", {"register": lonely})
        assert NOBODY in html
        html = render_to_string(
            "portal/includes/register_facts.html", {"register": get_register("newsletter")}
        )
        assert NOBODY not in html


@pytest.mark.django_db
def test_my_data_names_every_recipient_in_each_register_panel(client):
    customer_in_every_register()
    signed_in_customer(client)
    html = client.get("/en/my-data/").content.decode()
    with translation.override("en"):
        for register in REGISTERS:
            section = _section(html, register.key)
            for recipient in register.recipient_list:
                assert escape(recipient.name) in section, (register.key, recipient.key)
                assert escape(str(recipient.legal_basis)) in section
            assert NOBODY not in section


@pytest.mark.django_db
def test_the_json_export_lists_recipients_as_objects(client):
    customer_in_every_register()
    signed_in_customer(client)
    document = json.loads(client.post("/fi/my-data/export.json").content)
    jsonschema.validate(document, SCHEMA)
    assert document["schema_version"].startswith("2.")  # recipients as objects since 2.0
    by_register = {r["key"]: {x["key"]: x for x in r["recipients"]} for r in document["registers"]}
    assert list(by_register) == [r.key for r in REGISTERS]
    # The seed's registers (the test settings add a fifth, with recipients of its own).
    assert {key: {k: x["kind"] for k, x in by_register[key].items()} for key in EXPECTED} == (
        EXPECTED
    )
    posti = by_register["webshop"]["posti"]
    assert posti["name"] == "Posti Oy" and by_register["webshop"]["matkahuolto"]["name"] == (
        "Oy Matkahuolto Ab"
    )
    assert "delivery_address" in posti["receives"] and "toimitusosoite" in posti["receives_text"]
    assert posti["kind_text"] and posti["legal_basis"]
    # A processor of the whole register receives every field and event, by name.
    webshop = get_register("webshop")
    everything = [s.name for s in webshop.fields] + [r.key for r in webshop.related]
    assert by_register["webshop"]["hosting"]["receives"] == everything
    assert by_register["postal"]["partner"]["note"]
    assert by_register["billing"]["hosting"]["note"] is None


@pytest.mark.django_db
def test_the_pdf_extract_names_every_recipient(client):
    customer_in_every_register(orders=1)
    signed_in_customer(client)
    text = "".join(pdf_text(client.post("/en/my-data/extract.pdf").content).split())
    for name in _names():
        assert "".join(name.split()) in text, name
    assert "".join(NOBODY.split()) not in text


@pytest.mark.django_db
def test_configuration_changes_the_names(client, settings):
    settings.RECIPIENTS = {
        **settings.RECIPIENTS,
        "posti": "Posti Group Oyj",
        "principal": "Oy Pumppu Ab",
    }
    html = client.get("/en/").content.decode()
    assert "Posti Group Oyj" in html and "Oy Pumppu Ab" in html
    assert "Posti Oy" not in html and "Venttiilitehdas Esimerkki Oy" not in html
    customer_in_every_register(orders=1)
    signed_in_customer(client)
    document = json.loads(client.post("/en/my-data/export.json").content)
    (webshop,) = [r for r in document["registers"] if r["key"] == "webshop"]
    names = {r["key"]: r["name"] for r in webshop["recipients"]}
    assert names["posti"] == "Posti Group Oyj" and names["principal"] == "Oy Pumppu Ab"


def test_recipient_names_are_read_from_the_environment_in_either_format():
    assert _recipient_names("posti=Posti Oy, matkahuolto=Oy Matkahuolto Ab") == {
        "posti": "Posti Oy",
        "matkahuolto": "Oy Matkahuolto Ab",
    }
    assert _recipient_names('{"partner": "Kumppani Oy, Helsinki"}') == {
        "partner": "Kumppani Oy, Helsinki"
    }
    assert _recipient_names("{}") == {}
    with pytest.raises(ImproperlyConfigured):
        _recipient_names("Posti Oy")
