"""record_update (portal/audit/changes.py): the one way a service changes a record's fields,
validated, saved field by field and audited with old and new values."""

import datetime
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from portal.audit import audit_verify
from portal.audit.changes import record_update
from portal.models import AuditEvent, BillingCustomer, Delivery
from tests.factories import BillingCustomerFactory, DeliveryFactory, UserFactory
from tests.signin import enrol_totp

pytestmark = pytest.mark.django_db


def _record():
    record = BillingCustomerFactory(street_address="Testikatu 1", phone="040 123 4567")
    old = timezone.now() - datetime.timedelta(days=30)
    BillingCustomer.objects.filter(pk=record.pk).update(updated_at=old)
    record.refresh_from_db()
    return record


def test_record_update_saves_what_changed_and_audits_old_and_new_values():
    record, staff = _record(), UserFactory(is_staff=True)
    before = record.updated_at
    record.first_name = "Not asked for"  # set on the instance, but not a change asked for
    with transaction.atomic():
        changed = record_update(
            record=record,
            changes={
                "street_address": "Uusikatu 5",
                "phone": "040 765 4321",
                "email": record.email,
            },
            actor=staff,
            subject=record.subject,
            details={"via": "test"},
        )
    assert changed == {
        "street_address": {"old": "Testikatu 1", "new": "Uusikatu 5"},
        "phone": {"old": "+358401234567", "new": "+358407654321"},
    }
    stored = BillingCustomer.objects.get(pk=record.pk)
    assert stored.street_address == "Uusikatu 5" and stored.phone == "+358407654321"
    assert stored.first_name == "Aino" and stored.updated_at > before
    event = AuditEvent.objects.get(action="register.record.changed")
    assert event.actor == staff and event.subject == record.subject
    assert event.target == f"portal.BillingCustomer:{record.pk}"
    assert event.details == {"via": "test", "fields": changed}
    assert audit_verify()[1] is None


def test_record_update_that_changes_nothing_saves_and_audits_nothing():
    record = _record()
    with transaction.atomic():
        changed = record_update(
            record=record, changes={"street_address": "Testikatu 1"}, actor=None
        )
    assert changed == {}
    assert BillingCustomer.objects.get(pk=record.pk).updated_at == record.updated_at
    assert not AuditEvent.objects.exists()


def test_record_update_refuses_an_invalid_value_and_saves_nothing():
    record = _record()
    email = record.email
    with pytest.raises(ValidationError), transaction.atomic():
        record_update(record=record, changes={"email": "not an address"}, actor=None)
    assert BillingCustomer.objects.get(pk=record.pk).email == email
    assert not AuditEvent.objects.exists()


class _FormValues(HTMLParser):
    """The values a browser would send back from the admin's change form, unchanged."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") != "checkbox" or "checked" in attrs:
                self.values[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def test_an_event_changed_inline_in_the_admin_goes_through_record_update(client):
    maintainer = UserFactory(is_staff=True)
    maintainer.groups.add(Group.objects.get(name=roles.REGISTER_MAINTAINER))
    enrol_totp(maintainer)
    client.force_login(maintainer)
    delivery = DeliveryFactory(method="Posti")
    url = f"/en/staff/admin/portal/order/{delivery.order_id}/change/"
    page = _FormValues()
    page.feed(client.get(url).content.decode())
    (method,) = [n for n in page.values if n.endswith("-method") and "__prefix__" not in n]
    response = client.post(url, {**page.values, method: "Matkahuolto"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Delivery.objects.get(pk=delivery.pk).method == "Matkahuolto"
    (event,) = AuditEvent.objects.filter(action="register.record.changed")
    assert event.target == f"portal.Delivery:{delivery.pk}"
    assert event.details == {
        "model": "portal.Delivery",
        "via": "admin",
        "fields": {"method": {"old": "Posti", "new": "Matkahuolto"}},
    }
    assert event.subject_id == delivery.order.account.subject_id
