"""Who has looked at my data (CJEU C-579/21): staff opening a person's record in the admin,
or seeing their row in a list or search, or opening their request, is a consultation of that
person, listed with its date, purpose and the staff member's role on the person's page and
in their copy; nobody else's log shows it."""

import time

import pytest
from allauth.account.models import EmailAddress
from django.db import transaction
from django.test import Client

from accounts import roles
from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from portal.audit import audit_record, audit_verify
from portal.audit.consultations import ADMIN_VIEWED, STAFF_VIEWED
from portal.extract.portal_data import (
    COPY_ISSUED,
    DISCLOSED,
    RECORD_LISTED,
    RECORD_OPENED,
    REQUEST_OPENED,
    consultations,
)
from portal.models import AuditEvent
from tests.factories import (
    DeliveryFactory,
    InvoiceFactory,
    OrderFactory,
    UserFactory,
    WebshopAccountFactory,
)
from tests.staff_queue_helpers import customer, make_request, signed_in_staff

pytestmark = pytest.mark.django_db

ADMIN = "/en/staff/admin/portal"
PAGE = "/en/my-data/consultations/"


@pytest.fixture
def maija():
    return customer("maija@example.fi", "Maija Meikäläinen")


@pytest.fixture
def matti():
    return customer("matti@example.com", "Matti Virtanen")


def _log(subject) -> list[tuple[str, str, str]]:
    return [(c.kind, c.purpose, c.by) for c in consultations([subject.pk])]


def _customer_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_admin_change_view_is_in_that_persons_log_and_no_one_elses(client, maija, matti):
    _, maija_subject, record = maija
    _, matti_subject, _ = matti
    staff = signed_in_staff(client, first_name="Katri", last_name="Kontakti")

    response = client.get(f"{ADMIN}/billingcustomer/{record.pk}/change/")

    assert response.status_code == 200
    assert _log(maija_subject) == [(RECORD_OPENED, "register_maintenance", roles.CONTACT_PERSON)]
    assert _log(matti_subject) == []
    event = AuditEvent.objects.get(action=ADMIN_VIEWED)
    assert event.actor_id == staff.pk and event.subject_id == maija_subject.pk
    assert event.target == f"portal.BillingCustomer:{record.pk}"
    assert audit_verify()[1] is None


def test_opening_the_data_subject_or_an_invoice_is_a_consultation_of_its_person(client, maija):
    _, subject, _ = maija
    invoice = InvoiceFactory(order=OrderFactory(account=WebshopAccountFactory(subject=subject)))
    signed_in_staff(client, role=roles.REGISTER_MAINTAINER)

    assert client.get(f"{ADMIN}/datasubject/{subject.pk}/change/").status_code == 200
    assert client.get(f"{ADMIN}/invoice/{invoice.pk}/change/").status_code == 200

    assert _log(subject) == [
        (RECORD_OPENED, "register_maintenance", roles.REGISTER_MAINTAINER),
        (RECORD_OPENED, "register_maintenance", roles.REGISTER_MAINTAINER),
    ]


def test_a_search_that_shows_a_row_records_it_and_only_the_rows_shown(client, maija, matti):
    _, maija_subject, _ = maija
    _, matti_subject, _ = matti
    signed_in_staff(client)

    response = client.get(f"{ADMIN}/billingcustomer/", {"q": "maija@example.fi"})

    assert response.status_code == 200 and "maija@example.fi" in response.content.decode()
    assert _log(maija_subject) == [(RECORD_LISTED, "register_maintenance", roles.CONTACT_PERSON)]
    assert _log(matti_subject) == []

    client.get(f"{ADMIN}/billingcustomer/")  # the whole list shows both
    assert len(_log(maija_subject)) == 2 and len(_log(matti_subject)) == 1
    assert audit_verify()[1] is None


def test_a_list_records_each_person_shown_without_a_query_per_person(
    client, django_assert_max_num_queries
):
    subjects = [WebshopAccountFactory().subject for _ in range(30)]
    for n, subject in enumerate(subjects):
        OrderFactory(account=subject.webshopaccount_records.get(), number=f"T9{n:05d}")
    signed_in_staff(client)
    with django_assert_max_num_queries(30):  # a query or more per person would be 30+
        assert client.get(f"{ADMIN}/order/").status_code == 200
    for subject in subjects:
        assert _log(subject) == [(RECORD_LISTED, "register_maintenance", roles.CONTACT_PERSON)]
    assert AuditEvent.objects.filter(action=ADMIN_VIEWED).count() == 30
    assert audit_verify()[1] is None


def test_a_post_or_a_refused_page_records_nothing(client, maija):
    _, subject, record = maija
    signed_in_staff(client, role=None)  # staff in no role: no permission to view records
    assert client.get(f"{ADMIN}/billingcustomer/{record.pk}/change/").status_code == 403
    assert client.get(f"{ADMIN}/billingcustomer/").status_code == 403
    assert _log(subject) == []


def test_staff_opening_a_request_is_in_the_log(client, maija):
    user, subject, _ = maija
    data_request = make_request(user=user, subject=subject)
    signed_in_staff(client)
    assert client.get(f"/en/staff/requests/{data_request.public_id}/").status_code == 200
    assert _log(subject) == [(REQUEST_OPENED, "request_handling", roles.CONTACT_PERSON)]
    assert AuditEvent.objects.get(action=STAFF_VIEWED).details["role"] == roles.CONTACT_PERSON


def test_the_customer_page_lists_date_purpose_and_role_never_a_name(client, maija, matti):
    maija_user, _, record = maija
    matti_user, _, _ = matti
    signed_in_staff(client, first_name="Katri", last_name="Kontakti", username="katri.k")
    client.get(f"{ADMIN}/billingcustomer/{record.pk}/change/")

    response = _customer_client(maija_user).get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Staff opened your record" in html
    assert "Maintaining the register" in html
    assert "Contact person for register matters" in html
    assert "Katri" not in html and "katri.k" not in html
    event = AuditEvent.objects.get(action=ADMIN_VIEWED)
    assert f"{event.created_at:%Y}" in html
    # Matti's page has nothing of Maija's.
    other = _customer_client(matti_user).get(PAGE).content.decode()
    assert "Staff opened your record" not in other
    assert "Nobody has looked at your data yet." in other


def test_the_page_in_finnish_and_swedish(client, maija):
    maija_user, _, record = maija
    signed_in_staff(client)
    client.get(f"{ADMIN}/billingcustomer/{record.pk}/change/")
    customer_client = _customer_client(maija_user)
    for lang in ("fi", "sv"):
        response = customer_client.get(f"/{lang}/my-data/consultations/")
        assert response.status_code == 200
        assert "Contact person for register matters" not in response.content.decode()


def test_a_customer_without_data_sees_that_nobody_looked(client):
    user = UserFactory(email="nobody@example.fi")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = _customer_client(user).get(PAGE)
    assert response.status_code == 200
    assert "We hold no data linked to your verified addresses" in response.content.decode()


def test_each_copy_issued_is_listed(maija):
    maija_user, subject, _ = maija
    customer_client = _customer_client(maija_user)
    session = customer_client.session
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = time.time()  # a fresh sign-in
    session.save()
    assert customer_client.post("/en/my-data/export.json").status_code == 200
    assert [c.kind for c in consultations([subject.pk])] == [COPY_ISSUED]
    html = customer_client.get(PAGE).content.decode()
    assert "A copy of your data was issued" in html and "RO-" in html


def test_bad_page_numbers_give_the_page_not_an_error(maija):
    maija_user, _, _ = maija
    customer_client = _customer_client(maija_user)
    for page in ("0", "-1", "x", "99999", "1\x00"):
        assert customer_client.get(PAGE, {"page": page}).status_code == 200


def test_each_disclosure_is_listed_by_its_day_and_recipient(maija):
    maija_user, subject, _ = maija
    order = OrderFactory(account=WebshopAccountFactory(subject=subject))
    DeliveryFactory(order=order, method="Posti, kotiinkuljetus")

    (entry,) = consultations([subject.pk])
    assert (entry.kind, entry.by, entry.date_only) == (DISCLOSED, "posti", True)
    html = _customer_client(maija_user).get(PAGE).content.decode()
    assert "Your data was disclosed" in html and entry.by_name in html


def test_an_event_without_a_role_names_its_staff_members_role_now(client, maija):
    """Views recorded before roles were (or whose details an erasure blanked)."""
    _, subject, _ = maija
    staff = signed_in_staff(client, role=roles.REGISTER_MAINTAINER)
    with transaction.atomic():
        audit_record(action=STAFF_VIEWED, actor=staff, subject=subject, details={"request": "x"})
    assert _log(subject) == [(REQUEST_OPENED, "request_handling", roles.REGISTER_MAINTAINER)]


def test_the_request_queue_is_a_list_that_shows_each_person_on_it(client, maija, matti):
    maija_user, maija_subject, _ = maija
    _, matti_subject, _ = matti
    make_request(user=maija_user, subject=maija_subject)
    signed_in_staff(client)
    assert client.get("/en/staff/").status_code == 200
    assert _log(maija_subject) == [(RECORD_LISTED, "request_handling", roles.CONTACT_PERSON)]
    assert _log(matti_subject) == []  # no request of his in the queue


def test_the_page_shows_alike_views_of_a_day_on_one_line_with_their_count(client, maija):
    maija_user, _, record = maija
    signed_in_staff(client)
    for _ in range(3):
        client.get(f"{ADMIN}/billingcustomer/{record.pk}/change/")
    html = _customer_client(maija_user).get(PAGE).content.decode()
    assert html.count("Staff opened your record") == 1 and "3 times" in html
