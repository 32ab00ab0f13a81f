"""Write the demo plan into the registers.

Every row is keyed on a natural key (customer number, newsletter address, username, order and
invoice number), and only missing rows are written, in bulk; so a rerun adds nothing and a
partly deleted demo is filled in again. Existing rows are never changed.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts.models import User
from portal.audit import audit_record
from portal.demo import SEED, DemoPerson
from portal.demo.generated import generated_people
from portal.demo.personas import STAFF, named_people
from portal.demo.requests import demo_requests
from portal.disclosures import list_audience, list_recipients
from portal.models import (
    BillingCustomer,
    DataSubject,
    Delivery,
    DisclosedPerson,
    Disclosure,
    Invoice,
    NewsletterSubscription,
    Order,
    PostalRecipient,
    Return,
    WebshopAccount,
)
from subject_requests.models import DataRequest

# (DemoPerson attribute, model, natural key within that register)
REGISTERS = (
    ("billing", BillingCustomer, "customer_number"),
    ("postal", PostalRecipient, "customer_number"),
    ("newsletter", NewsletterSubscription, "email"),
    ("webshop", WebshopAccount, "username"),
)


def demo_plan(today) -> list[DemoPerson]:
    named = named_people(today)
    # Generated customers must not take the personas' addresses or usernames.
    taken = {
        rec[k]
        for p in named
        for rec, k in (
            (p.billing, "email"),
            (p.newsletter, "email"),
            (p.webshop, "email"),
            (p.webshop, "username"),
        )
        if rec and rec.get(k)
    }
    return named + generated_people(today, taken=taken)


def demo_load(*, stdout=None) -> dict[str, int]:
    """Load the demo data; returns the number of rows created per model label."""
    people = demo_plan(timezone.localdate())
    if stdout is not None:
        stdout.write(f"Loading {len(people)} demo people (seed {SEED}) ...")
    created: dict[str, int] = {}
    with transaction.atomic():
        subjects, created[DataSubject._meta.label] = _subjects(people)
        for attr, model, key in REGISTERS:
            created[model._meta.label] = _records(people, attr, model, key, subjects)
        created.update(_webshop_events(people))
        created[User._meta.label] = _staff()
        created[DataRequest._meta.label] = demo_requests()
        created[Disclosure._meta.label] = _partner_list(timezone.localdate())
        if any(created.values()):
            audit_record(action="demo.loaded", details={"seed": SEED, "created": created})
    return created


def _existing(model, field: str, values) -> set:
    return set(model.objects.filter(**{f"{field}__in": list(values)}).values_list(field, flat=True))


def _subjects(people: list[DemoPerson]) -> tuple[dict[str, int], int]:
    """Subject id per person key. A subject has no key of its own; its records lead back to it."""
    numbers = [p.customer_number for p in people if p.customer_number]
    found: dict[str, int] = {}
    for _attr, model, _key in REGISTERS:
        found.update(
            model.objects.filter(customer_number__in=numbers).values_list(
                "customer_number", "subject_id"
            )
        )
    emails = [p.newsletter["email"] for p in people if not p.customer_number and p.newsletter]
    found.update(
        (f"newsletter:{email}", subject_id)
        for email, subject_id in NewsletterSubscription.objects.filter(
            email__in=emails, customer_number=""
        ).values_list("email", "subject_id")
    )
    missing = [p for p in people if p.key not in found]
    new = DataSubject.objects.bulk_create(DataSubject(display_name=p.display_name) for p in missing)
    found.update((p.key, subject.pk) for p, subject in zip(missing, new, strict=True))
    return found, len(new)


def _records(people, attr, model, key, subjects) -> int:
    wanted = [
        (p, {**getattr(p, attr), "customer_number": p.customer_number})
        for p in people
        if getattr(p, attr)
    ]
    existing = _existing(model, key, (fields[key] for _p, fields in wanted))
    new = []
    for person, fields in wanted:
        if fields[key] in existing:
            continue
        record = model(subject_id=subjects[person.key], **fields)
        if attr == "webshop" and person.password:
            record.set_password(person.password)
        new.append(record)
    model.objects.bulk_create(new)
    return len(new)


def _webshop_events(people) -> dict[str, int]:
    planned = [(p.webshop["username"], o) for p in people if p.webshop for o in p.orders]
    accounts = dict(
        WebshopAccount.objects.filter(username__in={u for u, _o in planned}).values_list(
            "username", "id"
        )
    )
    numbers = [o.order["number"] for _u, o in planned]
    have = _existing(Order, "number", numbers)
    orders = Order.objects.bulk_create(
        Order(account_id=accounts[u], **o.order)
        for u, o in planned
        if o.order["number"] not in have
    )
    ids = dict(Order.objects.filter(number__in=numbers).values_list("number", "id"))
    # Deliveries and returns have no number of their own: an order that has some is complete.
    delivered = _existing(Delivery, "order_id", ids.values())
    returned = _existing(Return, "order_id", ids.values())
    invoiced = _existing(Invoice, "number", (o.invoice["number"] for _u, o in planned))
    deliveries, invoices, returns = [], [], []
    for _u, o in planned:
        order_id = ids[o.order["number"]]
        if order_id not in delivered:
            deliveries.append(Delivery(order_id=order_id, **o.delivery))
        if o.invoice["number"] not in invoiced:
            invoices.append(Invoice(order_id=order_id, **o.invoice))
        if order_id not in returned:
            returns.extend(Return(order_id=order_id, **r) for r in o.returns)
    return {
        Order._meta.label: len(orders),
        Delivery._meta.label: len(Delivery.objects.bulk_create(deliveries)),
        Invoice._meta.label: len(Invoice.objects.bulk_create(invoices)),
        Return._meta.label: len(Return.objects.bulk_create(returns)),
    }


# A partner list sent some weeks ago (seed 7.2): Maija's postal entry is on it, so her
# extract names the partner and the date. Keyed on its purpose: a rerun adds no second one.
DEMO_LIST_PURPOSE = "Kevään asiakaskirje, LVI-kumppanit"


def _partner_list(today) -> int:
    if Disclosure.objects.filter(purpose=DEMO_LIST_PURPOSE).exists():
        return 0
    written = 0
    for register, recipient in list_recipients():
        people = list_audience(register, recipient)
        if not people:
            continue
        disclosure = Disclosure.objects.create(
            recipient=recipient.key,
            register=register.key,
            purpose=DEMO_LIST_PURPOSE,
            disclosed_on=today - timedelta(days=40),
            fields=list(recipient.fields),
        )
        DisclosedPerson.objects.bulk_create(
            DisclosedPerson(disclosure=disclosure, subject_id=r.subject_id, record_id=r.pk)
            for r in people
        )
        written += 1
    return written


def _staff() -> int:
    """The demo staff users. A password is set only when the user is created, never reset."""
    roles.ensure_role_groups()
    created = 0
    for spec in STAFF:
        user, is_new = User.objects.get_or_create(
            username=spec["email"],
            defaults={
                "email": spec["email"],
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "is_staff": True,
            },
        )
        if is_new:
            user.set_password(spec["password"])
            user.save(update_fields=["password"])
            created += 1
        user.groups.add(Group.objects.get(name=spec["role"]))
        EmailAddress.objects.get_or_create(
            user=user, email=spec["email"], defaults={"verified": True, "primary": True}
        )
        _enrol_totp(user, spec["totp_secret"])
    return created


def _enrol_totp(user, secret: str) -> None:
    """Staff must pass TOTP before any staff page; the demo staff come enrolled."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)
