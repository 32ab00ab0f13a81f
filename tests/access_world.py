"""The people and records the access walk visits with: two customers with requests, copies
and records of their own, staff in every role (and one without a second factor), and at
least one row of every model the admin shows, so every change page has a real object."""

import time
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test import Client
from django_tasks_db import DatabaseBackend

from accounts import roles
from accounts.identity import linked_subjects, verified_emails
from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from accounts.models import IdentityConflict, PostalClaim
from outbox.tasks import deliver_due
from portal.audit import audit_record
from portal.extract.services import json_export_issue
from portal.models import ExtractJob
from tests.factories import (
    DataSubjectFactory,
    DeliveryFactory,
    InvoiceFactory,
    LoyaltyMemberFactory,
    NewsletterSubscriptionFactory,
    PostalRecipientFactory,
    ReturnFactory,
    UserFactory,
)
from tests.staff_queue_helpers import customer, make_request, staff_member

OWNER, OTHER = "owner", "other"
STAFF_ROLES = (roles.CONTACT_PERSON, roles.REGISTER_MAINTAINER, roles.ADMINISTRATOR)
# Rows that every request may write: sessions, sign-in logs and the audit trail of reads.
BOOKKEEPING = {
    "sessions.session",
    "usersessions.usersession",
    "axes.accesslog",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "portal.auditevent",
}
SESSIONS = {"sessions.session", "usersessions.usersession"}
WATCHED = {
    "subject_requests.datarequest": ("status", "assignee", "due_on", "decided_at"),
    "account.emailaddress": ("user", "email", "verified", "primary"),
    "accounts.user": ("password", "is_active", "is_staff", "is_superuser"),
    "portal.billingcustomer": ("updated_at", "restricted_at"),
    "portal.postalrecipient": ("updated_at", "restricted_at"),
    "portal.newslettersubscription": ("updated_at", "restricted_at", "status"),
    "portal.webshopaccount": ("updated_at", "restricted_at", "password"),
}


@dataclass
class Customer:
    user: object
    subject: object
    record: object  # a billing record
    request: object  # an open request
    extract: object  # an issued copy
    job: object = None  # a PDF copy a task worker made (portal/extract/jobs.py)


@dataclass
class World:
    customers: dict[str, Customer]
    staff: dict[str | None, object]  # by role; None is staff with no role
    superuser: object
    without_mfa: object  # a superuser who has not enrolled TOTP
    conflict: object = None  # an open identity conflict, of people unrelated to the rest
    unverified: object = None  # an address someone added and nobody confirmed
    admin_objects: dict[type, object] = field(default_factory=dict)


def _customer(email, name) -> Customer:
    user, subject, record = customer(email=email, name=name)
    extract, _content = json_export_issue(
        user=user, subjects=linked_subjects(user).subjects, emails=verified_emails(user)
    )
    job = ExtractJob.objects.create(
        user=user, language="fi", state="done", issued=extract, content=b"%PDF-1.7"
    )
    return Customer(user, subject, record, make_request(user=user, subject=subject), extract, job)


def _one_of_every_admin_model(world: World) -> None:
    """Register rows beyond billing, and the sign-in logs the admin lists."""
    subject = world.customers[OTHER].subject
    PostalRecipientFactory(subject=subject)
    NewsletterSubscriptionFactory(subject=subject)
    invoice = InvoiceFactory(order__account__subject=subject)
    DeliveryFactory(order=invoice.order)
    ReturnFactory(order=invoice.order)
    LoyaltyMemberFactory(subject=subject)  # the test-only fifth register
    world.unverified = EmailAddress.objects.create(
        user=UserFactory(), email="unverified@example.fi"
    )
    UserSession.objects.create(
        user=world.customers[OTHER].user, ip="127.0.0.1", session_key="walk", user_agent="walk"
    )
    log = {"user_agent": "walk", "ip_address": "127.0.0.1", "http_accept": "*/*"}
    AccessAttempt.objects.create(
        **log, username="x", path_info="/", get_data="", post_data="", failures_since_start=1
    )
    AccessLog.objects.create(**log, username="x", path_info="/")
    AccessFailureLog.objects.create(**log, username="x", path_info="/")
    audit_record(action="walk.started", actor=world.superuser)
    # A task as the database task backend keeps it (the tests run tasks at once, keeping none).
    DatabaseBackend("default", {}).enqueue(deliver_due, (), {})
    for model in admin.site._registry:
        instance = model.objects.order_by("pk").first()
        assert instance is not None, f"the walk needs a {model.__name__} row to open its pages"
        world.admin_objects[model] = instance


def build_world() -> World:
    world = World(
        customers={
            OWNER: _customer("maija@example.fi", "Maija Meikäläinen"),
            OTHER: _customer("pekka@example.fi", "Pekka Toinen"),
        },
        staff={role: staff_member(role) for role in (*STAFF_ROLES, None)},
        superuser=staff_member(None, is_superuser=True),
        without_mfa=UserFactory(is_staff=True, is_superuser=True),
    )
    _one_of_every_admin_model(world)
    world.conflict = IdentityConflict.objects.create(
        email="shared@example.fi", user=UserFactory(email="shared@example.fi")
    )
    world.conflict.subjects.set([DataSubjectFactory(), DataSubjectFactory()])
    # A postal-address claim for the staff claim pages: it shares the id the walk gives
    # every <public_id> (the other customer's request), so those pages find it.
    PostalClaim.objects.create(
        public_id=world.customers[OTHER].request.public_id,
        user=world.customers[OTHER].user,
        first_name="Pekka",
        last_name="Toinen",
        street_address="Kotikatu 1",
        postal_code="00100",
        post_office="Helsinki",
    )
    return world


def client_for(user=None) -> Client:
    """A client signed in as `user` (anonymous for None) a moment ago, so pages that want a
    fresh sign-in open; server errors come back as 500 for the walk to report."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
        session = client.session
        session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = time.time()
        session.save()
    return client


def db_state(ignore=frozenset()) -> dict[str, int]:
    """Row counts of every table (many-to-many tables too) in one query, since the walk asks
    a few hundred times, and the watched fields below: to tell whether a request wrote."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in ignore
    ]
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT {n}, COUNT(*) FROM {quote(model._meta.db_table)}" for n, model in enumerate(models)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        state = {models[n]._meta.label_lower: count for n, count in cursor.fetchall()}
    # A GET could also change a row in place: watch the fields that decide what someone may
    # see or do (a request's state, who an address belongs to, a password, a record's data).
    for label, fields in WATCHED.items():
        if label not in ignore:
            rows = apps.get_model(label).objects.order_by("pk").values_list("pk", *fields)
            state[f"{label} ({', '.join(fields)})"] = hash(tuple(rows))
    return state


def what_changed(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return [label for label, count in after.items() if before.get(label) != count]
