"""Roles and the admin take their models from the register declarations.

Parametrised over every model a declaration names (each register's records and the events
under them), so that a register declared later is covered, or the test says which is not.
"""

import dataclasses

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory

from accounts import roles
from portal.admin.audited import AuditedModelAdmin, subject_of
from portal.admin.registers import declared_admin
from portal.models import AuditEvent, Delivery
from portal.registers import REGISTERS, RelatedSpec, get_register
from portal.registers.catalogue import DECLARED_MODELS, declared_models
from tests.factories import (
    BillingCustomerFactory,
    DeliveryFactory,
    InvoiceFactory,
    LoyaltyMemberFactory,
    NewsletterSubscriptionFactory,
    PostalRecipientFactory,
    ReturnFactory,
    UserFactory,
)
from tests.signin import enrol_totp

pytestmark = pytest.mark.django_db

DECLARED = [pytest.param(declared, id=declared.label) for declared in DECLARED_MODELS]
ALL_ACTIONS = {"view", "add", "change", "delete"}
GRANTED = {
    roles.REGISTER_MAINTAINER: ALL_ACTIONS,
    roles.CONTACT_PERSON: {"view"},
    roles.ADMINISTRATOR: {"view"},
}


@pytest.fixture
def one_of_each():
    """A row in every declared model, so that lists and change forms have something to show."""
    BillingCustomerFactory()
    PostalRecipientFactory()
    NewsletterSubscriptionFactory()
    invoice = InvoiceFactory()
    DeliveryFactory(order=invoice.order)
    ReturnFactory(order=invoice.order)
    LoyaltyMemberFactory()  # the test-only fifth register (tests/fifth_register/)


def test_every_register_model_and_its_events_are_declared():
    labels = {declared.label for declared in DECLARED_MODELS}
    for register in REGISTERS:
        assert register.model in labels
        assert {related.model for related in register.related} <= labels


@pytest.mark.parametrize("declared", DECLARED)
def test_every_declared_model_is_in_the_admin_with_audited_changes(declared):
    model = apps.get_model(declared.label)
    assert admin.site.is_registered(model), f"{declared.label} is missing from the admin"
    assert isinstance(admin.site.get_model_admin(model), AuditedModelAdmin)


@pytest.mark.parametrize("declared", DECLARED)
@pytest.mark.parametrize("role", GRANTED, ids=str)
def test_every_declared_model_is_covered_by_the_roles(declared, role):
    model = apps.get_model(declared.label)
    codenames = set(
        Group.objects.get(name=role)
        .permissions.filter(content_type__app_label=model._meta.app_label)
        .values_list("codename", flat=True)
    )
    held = {action for action in ALL_ACTIONS if f"{action}_{model._meta.model_name}" in codenames}
    assert held == GRANTED[role]


@pytest.mark.parametrize("declared", DECLARED)
def test_an_admin_built_from_the_declaration_lists_and_opens_records(declared, one_of_each):
    """The admin a register without one of its own gets: its list (searched and filtered on
    what the declaration names) and a record's change form open for a superuser."""
    model = apps.get_model(declared.label)
    site = AdminSite(name="admin")  # reverses to the real admin's addresses
    model_admin = declared_admin(declared, model)(model, site)
    assert isinstance(model_admin, AuditedModelAdmin)
    request = RequestFactory().get("/", {"q": "a"} if model_admin.search_fields else {})
    request.user = UserFactory(is_staff=True, is_superuser=True)
    listing = model_admin.changelist_view(request)
    assert listing.status_code == 200
    listing.render()
    record = model.objects.order_by("pk").first()
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    form = model_admin.change_view(request, str(record.pk))
    assert form.status_code == 200
    html = form.render().content.decode()
    secret = [s.name for s in declared.register.fields if s.secret and declared.related is None]
    assert not any(f'name="{name}"' in html for name in secret)


def test_a_delivery_changed_in_the_admin_is_audited_against_its_customer(client):
    """An event held under a web-shop order has its own admin page, and the change is
    audited against the customer the declaration's lookup leads to."""
    maintainer = UserFactory(is_staff=True)
    maintainer.groups.add(Group.objects.get(name=roles.REGISTER_MAINTAINER))
    enrol_totp(maintainer)
    client.force_login(maintainer)
    delivery = DeliveryFactory(method="Posti", shipped_at=None)
    url = f"/en/staff/admin/portal/delivery/{delivery.pk}/change/"
    data = {
        "order": delivery.order_id,
        "method": "Matkahuolto",
        "address": delivery.address,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="register.record.changed")
    assert event.subject_id == delivery.order.account.subject_id
    assert event.details["fields"] == {"method": {"old": "Posti", "new": "Matkahuolto"}}
    assert Delivery.objects.get(pk=delivery.pk).method == "Matkahuolto"


def test_the_subject_of_a_declared_record_is_found_along_its_declared_lookup():
    delivery = DeliveryFactory()
    assert subject_of(delivery) == delivery.order.account.subject
    assert subject_of(delivery.order.account) == delivery.order.account.subject
    assert subject_of(UserFactory()) is None


def test_models_are_read_from_any_register_declared_not_from_a_list():
    """A register in another app, with events of its own, brings its models, their app and
    the lookups to its subjects with it."""
    leaflets = dataclasses.replace(
        get_register("billing"),
        key="leaflets",
        model="leaflets.Recipient",
        related=(RelatedSpec("drops", "leaflets.Drop", "recipient", ("dropped_on",)),),
    )
    found = declared_models((leaflets,))
    assert [(d.app_label, d.model_name, d.subject_path) for d in found] == [
        ("leaflets", "recipient", "subject"),
        ("leaflets", "drop", "recipient__subject"),
    ]


def test_roles_grant_nothing_outside_the_declared_apps():
    apps_named = set(
        Permission.objects.filter(group__name__in=list(GRANTED)).values_list(
            "content_type__app_label", flat=True
        )
    )
    assert apps_named <= set(roles.PERMISSION_APPS)
