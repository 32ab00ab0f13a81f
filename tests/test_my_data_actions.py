"""What my-data offers to do with each register follows its declaration, not its key:
correction where fields are correctable, the marketing objection where the register's
marketing policy has objections, erasure and restriction everywhere."""

import pytest

from portal.registers import REGISTERS
from tests.extracts import customer_in_every_register, signed_in_customer

pytestmark = pytest.mark.django_db


def _section(html: str, key: str) -> str:
    start = html.index(f'<section id="register-{key}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def page(client):
    customer_in_every_register()
    signed_in_customer(client)
    return client.get("/en/my-data/").content.decode()


@pytest.mark.parametrize("register", REGISTERS, ids=lambda r: r.key)
def test_each_register_offers_the_actions_its_declaration_allows(page, register):
    section = _section(page, register.key)
    objections = register.marketing.objections if register.marketing else ()
    assert ('href="/en/requests/objection/"' in section) == bool(objections)
    correction = f'href="/en/requests/rectification/{register.key}/"'
    assert (correction in section) == bool(register.correctable_fields)
    assert f'href="/en/requests/erasure/{register.key}/"' in section
    assert f'href="/en/requests/restriction/{register.key}/"' in section


def test_the_marketing_registers_offer_the_objection(page):
    """Today postal marketing and the newsletter have objections; billing and the shop none."""
    link = 'href="/en/requests/objection/"'
    offering = [r.key for r in REGISTERS if link in _section(page, r.key)]
    assert offering == ["postal", "newsletter"]
