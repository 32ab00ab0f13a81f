"""Sessions end after 15 minutes idle and 8 hours at most; other sessions can be ended;
downloads can demand a fresh sign-in."""

import re
import time

import pytest
from django.core import mail
from django.test import Client

from accounts.fresh import fresh_sign_in_required
from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from portal.models import AuditEvent
from tests.factories import BillingCustomerFactory, NewsletterSubscriptionFactory
from tests.signin import last_code, sign_in_by_code

pytestmark = pytest.mark.django_db

EMAIL = "maija@example.fi"


@pytest.fixture
def signed_in(client):
    BillingCustomerFactory(email=EMAIL)
    sign_in_by_code(client, EMAIL)
    return client


def _age_session(client, **seconds):
    session = client.session
    for key, ago in seconds.items():
        session[key] = time.time() - ago
    session.save()


def test_session_cookie_is_httponly_and_samesite(signed_in, settings):
    cookie = signed_in.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_idle_session_ends_after_15_minutes(signed_in):
    _age_session(signed_in, **{LAST_SEEN_AT: 15 * 60 + 5})
    response = signed_in.get("/en/my-data/")
    assert response.status_code == 302
    assert "_auth_user_id" not in signed_in.session
    page = signed_in.get(response["Location"]).content.decode()
    assert "inactive for too long" in page


def test_active_session_ends_after_8_hours_at_most(signed_in):
    _age_session(signed_in, **{SIGNED_IN_AT: 8 * 3600 + 5, LAST_SEEN_AT: 10})
    assert signed_in.get("/en/my-data/").status_code == 302
    assert "_auth_user_id" not in signed_in.session


def test_activity_keeps_the_session_alive(signed_in):
    _age_session(signed_in, **{LAST_SEEN_AT: 14 * 60})
    assert signed_in.get("/en/my-data/").status_code == 200


def test_sign_out_of_all_other_sessions(signed_in):
    other = Client()
    sign_in_by_code(other, EMAIL)
    assert other.get("/en/my-data/").status_code == 200
    page = signed_in.get("/en/accounts/sessions/")
    assert page.status_code == 200
    signed_in.post("/en/accounts/sessions/", {})
    assert signed_in.get("/en/my-data/").status_code == 200  # this one stays
    assert other.get("/en/my-data/").status_code == 302  # the other one has ended


def test_adding_and_verifying_another_address_shows_its_records(signed_in):
    NewsletterSubscriptionFactory(email="home@example.fi")
    assert signed_in.get("/en/my-data/").content.decode().count("1 record about you") == 1
    response = signed_in.post("/en/accounts/email/", {"email": "home@example.fi", "action_add": ""})
    assert response.status_code == 302
    # Not linked until verified.
    assert signed_in.get("/en/my-data/").content.decode().count("1 record about you") == 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", mail.outbox[-1].body)
    path = link.group(0).split("testserver", 1)[1]
    signed_in.post(path)
    page = signed_in.get("/en/my-data/").content.decode()
    assert page.count("1 record about you") == 2
    assert AuditEvent.objects.filter(action="auth.email.added").exists()


def test_fresh_sign_in_is_asked_when_sign_in_is_older_than_15_minutes(signed_in, rf):
    @fresh_sign_in_required
    def download(request):
        from django.http import HttpResponse

        return HttpResponse("extract")

    request = rf.get("/en/my-data/extract.pdf")
    request.session = signed_in.session
    assert download(request).content == b"extract"

    _age_session(signed_in, **{SIGNED_IN_AT: 16 * 60})
    request.session = signed_in.session
    response = download(request)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/confirm-with-code/?next=")


def test_fresh_code_renews_the_sign_in_and_returns_to_the_download(signed_in):
    _age_session(signed_in, **{SIGNED_IN_AT: 16 * 60})
    page = signed_in.get("/en/accounts/confirm-with-code/?next=/en/my-data/")
    assert page.status_code == 200 and EMAIL in page.content.decode()
    mail.outbox.clear()
    url = "/en/accounts/confirm-with-code/"
    response = signed_in.post(url, {"next": "/en/my-data/"})
    assert response["Location"].startswith(url)
    wrong = signed_in.post(url, {"code": "AAAA-AAAA", "next": "/en/my-data/"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.content.decode()
    response = signed_in.post(url, {"code": last_code(EMAIL), "next": "/en/my-data/"})
    assert response.status_code == 302 and response["Location"] == "/en/my-data/"
    assert time.time() - signed_in.session[SIGNED_IN_AT] < 60
    assert AuditEvent.objects.filter(action="auth.sign_in.renewed").exists()


def test_fresh_code_allows_three_tries(signed_in):
    _age_session(signed_in, **{SIGNED_IN_AT: 16 * 60})
    url = "/en/accounts/confirm-with-code/"
    signed_in.post(url, {"next": "/en/my-data/"})
    code = last_code(EMAIL)
    for _ in range(3):
        signed_in.post(url, {"code": "AAAA-AAAA"})
    signed_in.post(url, {"code": code})
    assert time.time() - signed_in.session[SIGNED_IN_AT] > 15 * 60


def test_fresh_sign_in_refuses_to_redirect_off_site(signed_in):
    page = signed_in.get("/en/accounts/confirm-with-code/?next=https://evil.example/")
    assert 'name="next" value="/en/my-data/"' in page.content.decode()
