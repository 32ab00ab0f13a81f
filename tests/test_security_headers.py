"""Security headers on every kind of response, kept as they are (issue #15, item 4).

Every page type: the notice, sign-in, my-data, the staff queue, the admin, a 404, the two
downloads (PDF, JSON), the health check and a static file. Each must carry a Content Security
Policy with no 'unsafe-inline' and no origin but our own, forbid framing, and send
Referrer-Policy, Permissions-Policy, Cross-Origin-Opener-Policy and X-Content-Type-Options.
HSTS is checked in a process with the production settings (the tests run development's).
"""

import re

import pytest

from accounts import roles
from tests.extracts import customer_in_every_register, signed_in_customer
from tests.production import run_in_production
from tests.staff_queue_helpers import signed_in_staff

pytestmark = pytest.mark.django_db

# Anything that names a place other than our own origin: a scheme, a host, a wildcard.
FOREIGN_SOURCE = re.compile(r"(https?:|wss?:|//|\*|blob:|filesystem:)")


def _directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_strict_headers(response, what):
    csp = response.get("Content-Security-Policy")
    assert csp, f"{what}: no Content-Security-Policy"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, f"{what}: {csp}"
    directives = _directives(csp)
    for name, sources in directives.items():
        foreign = [s for s in sources if FOREIGN_SOURCE.search(s)]
        assert not foreign, f"{what}: {name} allows {foreign}"
    assert directives["default-src"] == ["'self'"], f"{what}: {csp}"
    assert directives["script-src"] == ["'self'"], f"{what}: {csp}"
    assert directives["style-src"] == ["'self'"], f"{what}: {csp}"
    assert directives["frame-ancestors"] == ["'none'"], f"{what}: {csp}"
    assert response.get("X-Frame-Options") == "DENY", what
    assert response.get("Referrer-Policy") == "same-origin", what
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", what
    assert response.get("X-Content-Type-Options") == "nosniff", what
    permissions = response.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions, f"{what}: Permissions-Policy {permissions!r}"


def test_public_pages(client):
    for path, status in [
        ("/fi/", 200),
        ("/sv/", 200),
        ("/en/accounts/login/code/", 200),
        ("/en/accounts/login/", 200),
        ("/en/no-such-page/", 404),
        ("/healthz", 200),
    ]:
        response = client.get(path)
        assert response.status_code == status, path
        assert_strict_headers(response, path)


def test_customer_pages_and_downloads(client):
    customer_in_every_register(orders=1)
    signed_in_customer(client)
    for path in ("/en/my-data/", "/en/requests/", "/en/my-data/extract.pdf"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict_headers(response, path)
    for path, content_type in [
        ("/en/my-data/extract.pdf", "application/pdf"),
        ("/en/my-data/export.json", "application/json"),
    ]:
        response = client.post(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith(content_type), path
        assert_strict_headers(response, f"POST {path}")


def test_staff_pages_and_the_admin(client):
    signed_in_staff(client, role=roles.ADMINISTRATOR)
    for path in ("/en/staff/", "/en/staff/admin/", "/en/staff/admin/portal/auditevent/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict_headers(response, path)


def test_a_static_file(client):
    # Served by whitenoise before the CSP middleware (a stylesheet runs nothing), but inside
    # Django's SecurityMiddleware: never sniffed as something else.
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert response.get("X-Content-Type-Options") == "nosniff"
    assert response.get("Referrer-Policy") == "same-origin"
    assert "Set-Cookie" not in response


PRODUCTION_PROBE = """
import json
from django.conf import settings
from django.test import Client
response = Client().get("/healthz", secure=True, headers={"host": "tietosuoja.tector.fi"})
plain = Client().get("/fi/", headers={"host": "tietosuoja.tector.fi"})
print(json.dumps({
    "status": response.status_code,
    "headers": dict(response.headers),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
}))
"""


def test_production_sends_hsts_and_redirects_plain_http():
    seen, _ = run_in_production(PRODUCTION_PROBE)
    headers = seen["headers"]
    assert seen["status"] == 200
    hsts = headers["Strict-Transport-Security"]
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= 365 * 24 * 3600 and "includeSubDomains" in hsts and "preload" in hsts
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://tietosuoja.tector.fi/fi/"
    assert seen["session_cookie_secure"] and seen["csrf_cookie_secure"]
