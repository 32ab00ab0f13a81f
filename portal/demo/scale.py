"""Fictitious data at scale, for measuring the portal (`manage.py generate_scale_data`).

People are invented from the demo's names and places, the same on every run with the same
seed. Every register declared in PORTAL_REGISTERS gets records and its related events, filled
from the model fields themselves (see `FieldFiller`): how many comes from the register's
`scale` declaration (portal/registers/scale.py), and so does anything that spans fields.
Nothing here names a register. Some people also have a portal user and requests, with the
audit events a request leaves, so the staff queue and the request history have a history to
search through.

Rows are written with bulk_create, a chunk of people at a time.
"""

import datetime
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import models
from django.utils import timezone

from accounts.models import User
from portal.audit.chain import GENESIS_HASH, details_digest, event_hash
from portal.demo import DEMO_DOMAINS, SEED
from portal.demo.generated import (
    COMPANY_FORMS,
    DELIVERY_METHODS,
    FEMALE,
    MALE,
    PRODUCTS,
    RETURN_REASONS,
    SURNAMES,
    address,
    ascii_name,
    business_id,
    phone,
)
from portal.models import AuditChainHead, AuditEvent, DataSubject
from portal.registers import REGISTERS, Register
from portal.registers.scale import ScaleSpec
from subject_requests import deadlines
from subject_requests.models import DataRequest

CHUNK = 2_000  # people generated and written at a time
BATCH = 1_000  # rows per INSERT (SQLite's limit of parameters allows this for every model)
REQUEST_SHARE = 0.2  # people who have a portal user and one or more requests
VIEWS_PER_USER = 3  # mean number of "my data viewed" events per portal user
CLOSED = (
    DataRequest.Status.COMPLETED,
    DataRequest.Status.REJECTED,
    DataRequest.Status.PARTLY_APPROVED,
    DataRequest.Status.CANCELLED,
)
# Fields of every register record (portal.models.RegisterRecord) that the generator leaves
# as a new record has them: nobody's processing is restricted in generated data.
LEFT_AS_NEW = frozenset({"id", "updated_at", "restricted_at"})
PAYMENT_TERMS = ("7 pv netto", "14 pv netto", "30 pv netto")


@dataclass
class Person:
    """One invented person; `values` are named like the model fields they fill."""

    number: int
    display_name: str
    since: datetime.datetime
    values: dict


def invent_person(rng: random.Random, number: int, seed: int, today: datetime.date) -> Person:
    first = rng.choice(FEMALE if rng.random() < 0.5 else MALE)
    last = rng.choice(SURNAMES)
    addr = address(rng)
    since = datetime.datetime.combine(
        today - datetime.timedelta(days=rng.randint(30, 3000)),
        datetime.time(rng.randint(7, 21), rng.randint(0, 59)),
        tzinfo=datetime.UTC,
    )
    email = f"{ascii_name(first)}.{ascii_name(last)}.{number}@{rng.choice(DEMO_DOMAINS)}"
    values = {
        "customer_type": "person",
        "first_name": first,
        "last_name": last,
        "name": f"{first} {last}",
        "company_name": "",
        "business_id": "",
        "contact_person": "",
        **addr,
        "address": f"{addr['street_address']}, {addr['postal_code']} {addr['post_office']}",
        "phone": phone(rng),
        "email": email,
        "customer_number": f"S{seed}-{number:07d}",
        "created_at": since,
        "payment_terms": rng.choice(PAYMENT_TERMS),
    }
    if rng.random() < 0.1:
        values.update(
            customer_type="company",
            company_name=rng.choice(COMPANY_FORMS).format(last),
            business_id=business_id(rng),
            contact_person=f"{first} {last}",
        )
    display = values["company_name"] or values["name"]
    return Person(number, display, since, values)


def _lines(rng: random.Random) -> str:
    return "\n".join(
        f"{rng.randint(1, 3)} × {name}" for name, _price in rng.sample(PRODUCTS, rng.randint(1, 3))
    )


# Values for text fields that a person does not give, by field name: what such a field holds.
VOCABULARY: dict[str, Callable[[random.Random], str]] = {
    "items": _lines,
    "method": lambda rng: rng.choice(DELIVERY_METHODS)[0],
    "tracking_code": lambda rng: f"JJFI{rng.randrange(10**12):012d}",
    "reason": lambda rng: rng.choice(RETURN_REASONS),
}


@dataclass
class FieldFiller:
    """Fills a model's fields for one row, from the field's type and name."""

    rng: random.Random
    seed: int
    now: datetime.datetime
    serial: Counter = field(default_factory=Counter)

    def row(self, model, person: Person, *, parent=None, skip=frozenset()) -> dict:
        """Field values for a new `model` row about `person`; a child event gets its parent
        under the foreign key to it, and dates that follow the parent's."""
        values: dict = {}
        floor = person.since if parent is None else self._first_date(parent[1])
        for model_field in model._meta.concrete_fields:
            name = model_field.name
            if name in LEFT_AS_NEW or name in skip:
                continue
            if parent is not None and name == parent[0]:
                values[name] = parent[1]
                continue
            if name == "subject":
                continue  # set by the caller
            value, floor = self._value(model, model_field, person, floor)
            values[name] = value
        return values

    def _value(self, model, model_field, person: Person, floor):
        rng, name = self.rng, model_field.name
        if model_field.unique and isinstance(model_field, models.CharField):
            self.serial[model._meta.label, name] += 1
            number = self.serial[model._meta.label, name]
            return f"{name[0].upper()}{self.seed}-{number:08d}"[: model_field.max_length], floor
        if name in person.values and not isinstance(
            model_field, models.DateTimeField | models.DateField
        ):
            return person.values[name], floor
        if isinstance(model_field, models.DateTimeField | models.DateField):
            if name in person.values and floor is person.since:
                moment = person.values[name]
            elif model_field.null and rng.random() < 0.25:
                return None, floor
            else:
                moment = self._after(floor)
            if isinstance(model_field, models.DateTimeField):
                return moment, moment
            return moment.date(), moment
        if model_field.choices:
            return rng.choice([key for key, _label in model_field.choices]), floor
        if isinstance(model_field, models.BooleanField):
            return rng.random() < 0.9, floor
        if isinstance(model_field, models.DecimalField):
            if model_field.null and rng.random() < 0.3:
                return None, floor
            places = model_field.decimal_places
            amount = Decimal(rng.randint(500, 200_000)) / 100
            return amount.quantize(Decimal(1).scaleb(-places)), floor
        if isinstance(model_field, models.IntegerField):
            return rng.randint(0, 5_000), floor
        if isinstance(model_field, models.ForeignKey):
            return None, floor
        if name in VOCABULARY:
            return VOCABULARY[name](rng), floor
        if model_field.blank:
            return "", floor
        self.serial[model._meta.label, name] += 1
        text = f"{model_field.verbose_name} {self.serial[model._meta.label, name]}"
        return text[: model_field.max_length or None], floor

    def _after(self, floor: datetime.datetime) -> datetime.datetime:
        """A moment after `floor`: within a few weeks of it, and never in the future."""
        moment = floor + datetime.timedelta(minutes=self.rng.randint(5, 30 * 24 * 60))
        return min(moment, self.now)

    @staticmethod
    def _first_date(parent) -> datetime.datetime:
        for model_field in parent._meta.concrete_fields:
            value = getattr(parent, model_field.attname)
            if isinstance(value, datetime.datetime):
                return value
        return getattr(parent, "created_at", timezone.now())


def _count(rng: random.Random, mean: float) -> int:
    """A number of events around `mean`: 0..2×mean, or 0/1 with probability `mean` below 1."""
    if mean < 1:
        return int(rng.random() < mean)
    return rng.randint(0, round(2 * mean))


@dataclass
class ScaleData:
    subjects: int
    seed: int = SEED
    registers: tuple[Register, ...] = REGISTERS
    request_share: float = REQUEST_SHARE
    progress: Callable[[str], None] = lambda text: None
    created: Counter = field(default_factory=Counter)
    _audit: list = field(default_factory=list)

    def exists(self) -> bool:
        """Whether this seed's people are already in the database (a rerun would repeat
        their unique numbers)."""
        number = f"S{self.seed}-{1:07d}"
        return any(
            register.model_class.objects.filter(customer_number=number).exists()
            for register in self.registers
        )

    def generate(self) -> Counter:
        rng = random.Random(self.seed)
        now = timezone.now()
        filler = FieldFiller(rng, self.seed, now)
        for start in range(1, self.subjects + 1, CHUNK):
            numbers = range(start, min(start + CHUNK, self.subjects + 1))
            people = [invent_person(rng, n, self.seed, now.date()) for n in numbers]
            self._chunk(rng, filler, people, now)
            self.progress(f"{numbers[-1]} of {self.subjects} people")
        self._audit_write()
        return self.created

    def _save(self, model, rows: list) -> list:
        saved = model.objects.bulk_create(rows, batch_size=BATCH)
        self.created[model._meta.label] += len(saved)
        return saved

    def _chunk(self, rng, filler: FieldFiller, people: list[Person], now) -> None:
        subjects = self._save(
            DataSubject,
            [DataSubject(display_name=p.display_name, created_at=p.since) for p in people],
        )
        held: dict[int, list[str]] = {s.pk: [] for s in subjects}
        members = {}
        for register in self.registers:
            spec = register.scale or ScaleSpec()
            members[register.key] = [i for i in range(len(people)) if rng.random() < spec.share]
        for i in range(len(people)):  # nobody is generated without any data
            if not any(i in chosen for chosen in map(set, members.values())):
                members[self.registers[0].key].append(i)
        for register in self.registers:
            chosen = members[register.key]
            self._register(rng, filler, register, [(people[i], subjects[i]) for i in chosen])
            for i in chosen:
                held[subjects[i].pk].append(register.key)
        self._requests(rng, people, subjects, held, now)

    def _register(self, rng, filler: FieldFiller, register: Register, members) -> None:
        spec: ScaleSpec = register.scale or ScaleSpec()
        model = register.model_class
        secret = frozenset(f.name for f in register.fields if f.secret)
        rows = []
        for person, subject in members:
            values = filler.row(model, person, skip=secret)
            if spec.adjust:
                spec.adjust(rng, model._meta.label, values)
            rows.append(model(subject=subject, **values))
        made = {model: list(zip(self._save(model, rows), (p for p, _s in members), strict=True))}
        for related in register.related:
            child = related.model_class
            fk = child._meta.get_field(related.path.split("__")[0])
            parents = made[fk.related_model]
            rows, owners = [], []
            for parent, person in parents:
                for _ in range(_count(rng, spec.per_parent(related.key))):
                    values = filler.row(child, person, parent=(fk.name, parent))
                    if spec.adjust:
                        spec.adjust(rng, child._meta.label, values)
                    rows.append(child(**values))
                    owners.append(person)
            made[child] = list(zip(self._save(child, rows), owners, strict=True))

    def _requests(self, rng, people, subjects, held, now) -> None:
        chosen = [i for i in range(len(people)) if rng.random() < self.request_share]
        users = self._save(
            User,
            [
                User(
                    username=people[i].values["email"],
                    email=people[i].values["email"],
                    password="!",  # signs in by code only (an unusable password)
                )
                for i in chosen
            ],
        )
        self._save(
            EmailAddress,
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        )
        requests = []
        for user, i in zip(users, chosen, strict=True):
            subject = subjects[i]
            for _ in range(1 + int(rng.random() < 0.3)):
                requests.append(self._request(rng, user, subject, held[subject.pk], now))
            for _ in range(_count(rng, VIEWS_PER_USER)):
                when = now - datetime.timedelta(minutes=rng.randint(1, 3 * 365 * 24 * 60))
                self._audit.append((when, user.pk, subject.pk, "data.my_data.viewed", "", {}))
        for request in self._save(DataRequest, requests):
            target = f"{DataRequest._meta.label}:{request.pk}"
            kind = f"request.{request.type}"
            received = {"register": request.register, "status": "received"}
            self._audit.append(
                (
                    request.received_at,
                    request.user_id,
                    request.subject_id,
                    f"{kind}.received",
                    target,
                    received,
                )
            )
            if request.decided_at:
                self._audit.append(
                    (
                        request.decided_at,
                        None,
                        request.subject_id,
                        f"{kind}.{request.status}",
                        target,
                        {"decision": request.status},
                    )
                )

    @staticmethod
    def _request(rng, user, subject, registers, now) -> DataRequest:
        is_open = rng.random() < 0.12
        age = rng.randint(0, 45) if is_open else rng.randint(30, 3 * 365)
        received = now - datetime.timedelta(days=age, minutes=rng.randint(0, 600))
        status = rng.choice(DataRequest.OPEN) if is_open else rng.choice(CLOSED)
        return DataRequest(
            type=rng.choice(DataRequest.Type.values),
            status=status,
            user=user,
            subject=subject,
            register=rng.choice(registers) if registers and rng.random() < 0.8 else "",
            identity_verified=True,
            received_at=received,
            due_on=deadlines.due_date(timezone.localdate(received)),
            decided_at=None if is_open else received + datetime.timedelta(days=rng.randint(1, 28)),
        )

    def _audit_write(self) -> None:
        """The events in time order, chained on from the trail's head as audit_record does."""
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditChainHead.objects.create(pk=1, last_seq=0, last_hash=GENESIS_HASH)
        seq, prev = head.last_seq, head.last_hash
        salt = f"{self.seed:032x}"[-32:]  # generated events: one fixed salt, nothing to hide
        rows = []
        for when, actor_id, subject_id, action, target, details in sorted(
            self._audit, key=lambda event: event[0]
        ):
            seq += 1
            digest = details_digest(details, salt)
            when = when.astimezone(datetime.UTC)
            prev = event_hash(
                seq=seq,
                created_at=when,
                actor_id=actor_id,
                subject_id=subject_id,
                action=action,
                target=target,
                digest=digest,
                prev_hash=prev,
            )
            rows.append(
                AuditEvent(
                    seq=seq,
                    created_at=when,
                    actor_id=actor_id,
                    subject_id=subject_id,
                    action=action,
                    target=target,
                    details=details,
                    details_salt=salt,
                    details_digest=digest,
                    prev_hash=rows[-1].hash if rows else head.last_hash,
                    hash=prev,
                )
            )
        self._save(AuditEvent, rows)
        AuditChainHead.objects.filter(pk=1).update(last_seq=seq, last_hash=prev)
        self._audit = []
