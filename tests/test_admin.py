"""Staff browse the registers in the Django admin; only register maintainers change them,
and every change is audited with old and new values."""

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from portal.audit import audit_verify
from portal.models import AuditEvent, BillingCustomer
from tests.factories import BillingCustomerFactory, UserFactory
from tests.signin import enrol_totp

pytestmark = pytest.mark.django_db


def _staff(role):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    enrol_totp(user)  # staff pages need MFA
    return user


def _change_url(record):
    return f"/en/staff/admin/portal/billingcustomer/{record.pk}/change/"


def _form_data(record, **changes):
    data = {
        "subject": record.subject_id,
        "customer_number": record.customer_number,
        "customer_type": record.customer_type,
        "first_name": record.first_name,
        "last_name": record.last_name,
        "street_address": record.street_address,
        "postal_code": record.postal_code,
        "post_office": record.post_office,
        "phone": record.phone,
        "email": record.email,
        "payment_terms": record.payment_terms,
        "credit_limit": record.credit_limit,
    }
    data.update(changes)
    return data


def test_maintainer_change_is_applied_and_audited_with_old_and_new_values(client):
    maintainer = _staff(roles.REGISTER_MAINTAINER)
    record = BillingCustomerFactory(street_address="Vanhatie 1")
    client.force_login(maintainer)
    response = client.post(_change_url(record), _form_data(record, street_address="Uusitie 2"))
    assert response.status_code == 302, response.content.decode()[:2000]
    record.refresh_from_db()
    assert record.street_address == "Uusitie 2"
    event = AuditEvent.objects.get(action="register.record.changed")
    assert event.actor_id == maintainer.pk and event.subject_id == record.subject_id
    assert event.details["fields"] == {"street_address": {"old": "Vanhatie 1", "new": "Uusitie 2"}}
    assert audit_verify()[1] is None


def test_invalid_admin_input_is_refused_with_a_message_and_changes_nothing(client):
    client.force_login(_staff(roles.REGISTER_MAINTAINER))
    record = BillingCustomerFactory()
    response = client.post(_change_url(record), _form_data(record, postal_code="123"))
    assert response.status_code == 200
    assert "five digits" in response.content.decode()
    assert not AuditEvent.objects.filter(action__startswith="register.record").exists()


def test_contact_person_may_view_but_not_change_register_data(client):
    client.force_login(_staff(roles.CONTACT_PERSON))
    record = BillingCustomerFactory(street_address="Vanhatie 1")
    assert client.get(_change_url(record)).status_code == 200
    response = client.post(_change_url(record), _form_data(record, street_address="Uusitie 2"))
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.street_address == "Vanhatie 1"


def test_deletion_in_the_admin_is_audited(client):
    client.force_login(_staff(roles.REGISTER_MAINTAINER))
    record = BillingCustomerFactory()
    url = f"/en/staff/admin/portal/billingcustomer/{record.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not BillingCustomer.objects.filter(pk=record.pk).exists()
    assert AuditEvent.objects.filter(
        action="register.record.deleted", subject=record.subject
    ).exists()


def test_customers_and_anonymous_visitors_do_not_reach_the_admin(client):
    response = client.get("/en/staff/admin/portal/billingcustomer/")
    assert response.status_code == 302 and "next=" in response["Location"]
    client.force_login(UserFactory())
    response = client.get("/en/staff/admin/portal/billingcustomer/", follow=True)
    assert response.status_code == 403


def test_the_audit_trail_is_read_only_in_the_admin(client):
    client.force_login(_staff(roles.CONTACT_PERSON))
    BillingCustomerFactory()
    response = client.get("/en/staff/admin/portal/auditevent/add/")
    assert response.status_code == 403


def test_webshop_password_hash_is_never_shown_in_the_admin(client):
    from tests.factories import WebshopAccountFactory

    client.force_login(_staff(roles.REGISTER_MAINTAINER))
    account = WebshopAccountFactory(password="demo-password-2026")
    html = client.get(f"/en/staff/admin/portal/webshopaccount/{account.pk}/change/").content
    assert account.password.encode() not in html
    assert b"pbkdf2" not in html and b"argon2" not in html
