"""Staff pages are for MFA-enrolled staff only; customers and visitors never reach them."""

import pytest

from tests.factories import UserFactory
from tests.signin import enrol_totp

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/en/staff/", "/fi/staff/", "/en/staff/admin/", "/en/staff/admin/portal/auditevent/"]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url, follow=True)
    assert response.redirect_chain, "expected a redirect"
    assert response.request["PATH_INFO"].endswith("/accounts/login/")


@pytest.mark.parametrize("url", ["/en/staff/", "/fi/staff/"])
def test_customers_get_403_on_staff_pages(client, url):
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_customers_do_not_reach_the_admin(client):
    client.force_login(UserFactory())
    response = client.get("/en/staff/admin/", follow=True)
    assert response.status_code == 403


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_without_mfa_are_sent_to_enrolment(client, url):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/{url.split('/')[1]}/accounts/2fa/totp/activate/"


def test_staff_with_mfa_reach_staff_pages(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    enrol_totp(staff)
    client.force_login(staff)
    assert client.get("/en/staff/").status_code == 200
    assert client.get("/en/staff/admin/").status_code == 200


def test_the_admin_sign_in_page_is_replaced_by_the_portal_sign_in(client):
    response = client.get("/en/staff/admin/login/?next=/en/staff/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
