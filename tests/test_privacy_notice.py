import re

import pytest
from django.utils import translation
from django.utils.html import escape

from portal.controller import CONTROLLER, NOTICE_DATE, SUPERVISORY_AUTHORITY
from portal.registers import REGISTERS


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_notice_is_public_and_names_every_register(client, lang):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override(lang):
        for register in REGISTERS:
            assert escape(str(register.name)) in html
            assert escape(str(register.purpose)) in html
            for source in register.sources:
                assert escape(str(source)) in html
        assert escape(str(SUPERVISORY_AUTHORITY.name)) in html
    assert CONTROLLER.business_id in html
    assert CONTROLLER.street_address in html
    assert NOTICE_DATE.strftime("%Y-%m-%d") in html
    assert "Suomen Asiakastieto Oy" in html


def test_notice_loads_no_third_party_resources(client):
    html = client.get("/en/").content.decode()
    resources = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', html)
    assert resources, "expected at least the stylesheet"
    assert all(url.startswith("/") for url in resources), resources
    assert "<script" not in html


def test_strict_content_security_policy(client):
    response = client.get("/en/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("accept", "target"), [("sv-FI,sv;q=0.9", "/sv/"), ("en-GB,en;q=0.8", "/en/"), ("de", "/fi/")]
)
def test_root_redirects_to_the_preferred_language(client, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302 and response["Location"] == target


def test_language_switcher_links_to_the_same_page(client):
    html = client.get("/sv/").content.decode()
    for lang in ("fi", "sv", "en"):
        assert f'href="/{lang}/" lang="{lang}"' in html
    assert 'aria-current="true">Svenska' in html
