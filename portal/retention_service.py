"""Carrying out retention: what the register declarations say has expired goes.

`retention_due` reads what is due on a day, writing nothing (`apply_retention --dry-run`);
`retention_apply` does it, each record in its own transaction with its audit event, and
then shreds the personal details of the portal's own sign-in events older than
AUTH_EVENT_RETENTION_DAYS. Both read only the declarations: a register's retention rule
says until when each record is kept and what happens then, its erasure policy which fields
an anonymisation blanks and which related events it deletes.

A record whose processing is restricted (Art. 18) is held, not deleted: the person asked
us to keep it. It is listed as held in the summary.
"""

import datetime
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.anonymise import record_anonymise, still_to_anonymise
from portal.audit import audit_record, audit_shred_events, audit_shred_subject
from portal.disclosures import event_disclosures_keep
from portal.models import AuditEvent
from portal.registers import REGISTERS
from portal.registers.retention import ANONYMISE, DELETE, with_retention

HELD = "held"
AUTH_EVENT_PREFIX = "auth."
SHRED_BATCH = 5000  # events named by one shredding record


@dataclass(frozen=True)
class Due:
    """One record whose retention period has ended, and what happens to it."""

    register: object
    pk: int
    action: str  # DELETE, ANONYMISE or HELD
    reason: str
    until: datetime.date

    @property
    def label(self) -> str:
        return f"{self.register.model_class._meta.label}:{self.pk}"

    def __str__(self):
        return (
            f"{self.register.key} {self.label}: {self.action} "
            f"({self.reason}, kept until {self.until.isoformat()})"
        )


@dataclass
class RetentionSummary:
    today: datetime.date
    due: list[Due] = field(default_factory=list)
    auth_events: int = 0  # auth.* events whose details are (or would be) shredded
    other: dict = field(default_factory=dict)  # name -> rows removed by DAILY_JOBS

    def counts(self) -> dict[str, dict[str, int]]:
        """{register key: {action: count}} for every register, in declaration order."""
        counts = {register.key: {DELETE: 0, ANONYMISE: 0, HELD: 0} for register in REGISTERS}
        for item in self.due:
            counts[item.register.key][item.action] += 1
        return counts


# --- What is due ------------------------------------------------------------------------


def _due_action(register, record, today) -> Due | None:
    periods = register.retention_rule.periods(record)
    ended = [period for period in periods if period.expired(today)]
    if not ended:
        return None
    last = ended[-1]
    if last.then == ANONYMISE and not still_to_anonymise(register, record):
        return None
    action = HELD if record.restricted_at is not None else last.then
    return Due(register, record.pk, action, last.reason, last.until)


def _register_due(register, today, queryset=None) -> list[Due]:
    if register.retention_rule is None:
        return []
    queryset = queryset if queryset is not None else register.model_class.objects.all()
    due = []
    for record in with_retention(register, queryset.order_by("pk")).iterator(chunk_size=2000):
        item = _due_action(register, record, today)
        if item is not None:
            due.append(item)
    return due


def auth_events_due(today: datetime.date):
    """auth.* events older than AUTH_EVENT_RETENTION_DAYS that still hold details."""
    days = settings.AUTH_EVENT_RETENTION_DAYS
    first_kept_day = today - datetime.timedelta(days=days)
    cutoff = datetime.datetime.combine(
        first_kept_day, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    return (
        AuditEvent.objects.filter(
            action__startswith=AUTH_EVENT_PREFIX, created_at__lt=cutoff, shredded_at__isnull=True
        )
        .exclude(details={})
        .order_by("seq")
    )


def retention_due(*, today: datetime.date | None = None) -> RetentionSummary:
    """Everything due on `today` (default: today), without changing anything."""
    today = today or timezone.localdate()
    summary = RetentionSummary(today)
    for register in REGISTERS:
        summary.due += _register_due(register, today)
    summary.auth_events = auth_events_due(today).count()
    return summary


# --- Doing it ---------------------------------------------------------------------------


def record_delete(register, record) -> dict:
    """Delete the record with every event held under it (the events first: an invoice
    protects its order from being deleted under it)."""
    deleted = 0
    event_disclosures_keep(register, record)  # the deliveries stay true as disclosures
    for spec in reversed(register.related):
        deleted += spec.model_class.objects.filter(**{spec.path: record}).delete()[0]
    record.delete()
    return {"events_deleted": deleted}


def _evidence(register, record, today) -> dict:
    """What the erasure policy keeps as evidence when a record is deleted (the dates of a
    consent), kept in the record of the deletion as an erasure would keep it."""
    policy = register.erasure
    if policy is None or not policy.evidence:
        return {}
    return {
        "evidence": {name: getattr(record, name) for name in policy.evidence},
        "evidence_basis": policy.evidence_basis.code,
        "evidence_until": policy.evidence_until(today),
    }


def _apply_one(item: Due, today, actor) -> Due | None:
    """Do what is due to one record, if it still is once the record is locked (it may have
    changed since it was listed: a new order, a lifted restriction)."""
    register = item.register
    with transaction.atomic():
        # Locking and aggregating in one query is not allowed on PostgreSQL: lock, then read.
        locked = register.model_class.objects.select_for_update().filter(pk=item.pk)
        if not list(locked.values_list("pk", flat=True)):
            return None
        now_due = _register_due(register, today, register.model_class.objects.filter(pk=item.pk))
        if not now_due or now_due[0].action == HELD:
            return now_due[0] if now_due else None
        item = now_due[0]
        record = register.model_class.objects.get(pk=item.pk)
        subject = record.subject
        details = {
            "register": register.key,
            "reason": item.reason,
            "kept_until": item.until.isoformat(),
        }
        # The personal details in earlier events about this record go with it.
        audit_shred_subject(
            subject=subject,
            actor=actor,
            reason=f"retention: {register.key} {item.action}",
            targets=[item.label],
        )
        if item.action == DELETE:
            details |= _evidence(register, record, today)
            details |= record_delete(register, record)
            action = "retention.record.deleted"
        else:
            details |= record_anonymise(register, record)
            action = "retention.record.anonymised"
        audit_record(
            action=action, actor=actor, subject=subject, target=item.label, details=details
        )
    return item


def auth_events_shred(*, today: datetime.date, actor=None) -> int:
    days = settings.AUTH_EVENT_RETENTION_DAYS
    shredded = 0
    while True:
        seqs = list(auth_events_due(today).values_list("seq", flat=True)[:SHRED_BATCH])
        if not seqs:
            return shredded
        shredded += audit_shred_events(
            events=AuditEvent.objects.filter(seq__in=seqs),
            actor=actor,
            reason=f"retention: auth events older than {days} days",
        )


# Retention of data kept by the layers above the core (the postal-address claims of
# accounts): each app registers its job at start-up (AppConfig.ready), so that the daily run,
# by cron or by a task worker, carries out every period the privacy notice states. A job
# takes the day and returns how many rows it removed.
DAILY_JOBS: dict = {}


def retention_apply(*, today: datetime.date | None = None, actor=None) -> RetentionSummary:
    """Delete or anonymise what is due on `today`, each record audited in its own
    transaction, then shred the expired details of sign-in events; returns what was done."""
    today = today or timezone.localdate()
    planned = retention_due(today=today)
    done = RetentionSummary(today)
    for item in planned.due:
        result = item if item.action == HELD else _apply_one(item, today, actor)
        if result is not None:
            done.due.append(result)
    done.auth_events = auth_events_shred(today=today, actor=actor)
    sessions_clear()
    for name, job in DAILY_JOBS.items():
        done.other[name] = job(today)
    return done


def sessions_clear() -> None:
    """Ended sessions go with the daily run (as `clearsessions`), and so do their entries in
    people's session lists (time, IP address, browser), as the privacy notice says."""
    from allauth.usersessions.models import UserSession

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    for session in UserSession.objects.iterator():
        session.purge()
