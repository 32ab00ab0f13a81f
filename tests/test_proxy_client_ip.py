"""Behind reverse proxies (issue #9, point 4): lockout, rate limits and audit events see the
client the proxies name in X-Forwarded-For, and never an address the client wrote itself."""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client

from portal.models import AuditEvent
from tests.factories import WebshopAccountFactory
from tests.signin import PASSWORD_URL, REQUEST_URL

pytestmark = pytest.mark.django_db

PASSWORD = "demo-password-2026"
PROXY = "10.0.0.1"
ALICE = "198.51.100.10"
BOB = "198.51.100.20"


@pytest.fixture
def shop_account():
    return WebshopAccountFactory(username="liisa.l", email="liisa@example.org", password=PASSWORD)


@pytest.fixture
def one_proxy(settings):
    settings.PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def few_codes(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "request_login_code": "3/h/ip"}


def _via_proxy(client_ip, forged=None):
    """What the proxy passes on: the client's own header, with the address it saw appended."""
    header = f"{forged}, {client_ip}" if forged else client_ip
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": header}


def _login(client, password, **extra):
    return client.post(PASSWORD_URL, {"login": "liisa.l", "password": password}, **extra)


def _codes_mailed_for(addresses, **extra):
    """Each request from a browser of its own (one pending code per session)."""
    before = len(mail.outbox)
    for address in addresses:
        Client().post(REQUEST_URL, {"email": address}, **extra)
    return len(mail.outbox) - before


def test_two_clients_behind_one_proxy_do_not_lock_each_other_out(
    client, shop_account, one_proxy
):
    for _ in range(5):
        _login(client, "wrong-password", **_via_proxy(ALICE))
    assert _login(client, "wrong-password", **_via_proxy(ALICE)).status_code == 429
    assert _login(client, PASSWORD, **_via_proxy(BOB)).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ALICE}


def test_a_forged_prefix_does_not_escape_the_lock_behind_a_proxy(client, shop_account, one_proxy):
    for n in range(5):
        _login(client, "wrong-password", **_via_proxy(ALICE, forged=f"192.0.2.{n}"))
    response = _login(client, PASSWORD, **_via_proxy(ALICE, forged="192.0.2.99"))
    assert response.status_code == 429


def test_code_requests_are_limited_per_real_client_behind_a_proxy(one_proxy, few_codes):
    alice = [f"alice{n}@example.fi" for n in range(5)]
    assert _codes_mailed_for(alice, **_via_proxy(ALICE)) == 3
    assert _codes_mailed_for(["bob@example.fi"], **_via_proxy(BOB)) == 1


def test_without_proxies_a_forged_header_is_ignored(client, shop_account, few_codes):
    for n in range(5):
        _login(client, "wrong-password", REMOTE_ADDR=ALICE, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = _login(client, PASSWORD, REMOTE_ADDR=ALICE, HTTP_X_FORWARDED_FOR=BOB)
    assert response.status_code == 429
    forged = [f"code{n}@example.fi" for n in range(5)]
    mailed = sum(
        _codes_mailed_for([address], REMOTE_ADDR=ALICE, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        for n, address in enumerate(forged)
    )
    assert mailed == 3


def test_audit_events_name_the_real_client(client, shop_account, one_proxy):
    _login(client, "wrong-password", **_via_proxy(ALICE, forged="192.0.2.1"))
    event = AuditEvent.objects.filter(action="auth.sign_in.failed").latest("seq")
    assert event.details["ip"] == ALICE


def test_a_request_past_fewer_proxies_than_configured_is_no_error(client, shop_account, settings):
    settings.PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = _login(client, "wrong-password", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ALICE)
    assert response.status_code == 200
    assert _codes_mailed_for(["someone@example.fi"], **_via_proxy(ALICE)) == 1
