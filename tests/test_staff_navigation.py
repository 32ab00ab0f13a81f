"""The staff navigation offers each member of staff only the pages their role may open, they
land after sign-in on a page they may use, and a page they may not open answers with the
portal's own page in their language, not a bare "403 Forbidden"."""

import pytest

from accounts import roles
from tests.staff_queue_helpers import signed_in_staff

pytestmark = pytest.mark.django_db


def _nav_links(html: str) -> str:
    return html.split('class="staff-nav"', 1)[1].split("</nav>", 1)[0]


def test_a_contact_person_is_offered_the_queue_not_the_disclosure_ledger(client):
    signed_in_staff(client)
    nav = _nav_links(client.get("/en/staff/").content.decode())
    assert "/en/staff/intake/" in nav and "/en/staff/disclosures/" not in nav


def test_a_register_maintainer_is_offered_the_ledger_not_the_queue(client):
    signed_in_staff(client, role=roles.REGISTER_MAINTAINER)
    nav = _nav_links(client.get("/en/staff/disclosures/").content.decode())
    assert "/en/staff/disclosures/" in nav
    assert "/en/staff/intake/" not in nav and 'href="/en/staff/"' not in nav


def test_a_page_the_role_may_not_open_is_the_portals_own_page(client):
    signed_in_staff(client, role=roles.REGISTER_MAINTAINER)
    for lang, words in (("en", "You may not open this page"), ("fi", "Et voi avata")):
        response = client.get(f"/{lang}/staff/")
        assert response.status_code == 403
        assert words in response.content.decode()


def test_staff_land_where_their_role_works(rf):
    from django.urls import reverse

    from accounts.adapter import PortalAccountAdapter
    from tests.staff_queue_helpers import staff_member

    def landing(role):
        request = rf.get("/")
        request.user = staff_member(role)
        return PortalAccountAdapter(request).get_login_redirect_url(request)

    assert landing(roles.CONTACT_PERSON) == reverse("staff_home")
    assert landing(roles.ADMINISTRATOR) == reverse("staff_home")
    assert landing(roles.REGISTER_MAINTAINER) == reverse("staff_disclosures")
