"""The portal's own data about a person (Art. 15(3), C-487/21), and who looked at their data
(C-579/21): read for the copy (PDF and JSON) and for the person's consultations page.

What the registers hold is read by portal.extract.collect; this is the rest: the portal
account, its addresses, sign-ins and sessions, the emails sent, the consent evidence, and
the consultation log (staff who opened the person's request or records, by role; each copy
issued; each disclosure). Everything is kept as codes and times; labels are rendered in the
reader's language.
"""

from dataclasses import dataclass, field
from datetime import datetime, time
from email.utils import getaddresses

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.db.models import Q, TextField
from django.db.models.functions import Cast, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import STAFF, role_label, staff_role
from outbox.models import OutboxMessage
from portal.audit.chain import SHREDDED_DETAILS
from portal.audit.consultations import (
    ADMIN_VIEWED,
    PURPOSES,
    REGISTER_MAINTENANCE,
    REQUEST_HANDLING,
    VIA_LIST,
    VIA_RECORD,
    VIA_REQUEST,
    consultations_of,
)
from portal.extract.disclosures import register_disclosures
from portal.models import AuditEvent, IssuedExtract, NewsletterConsent, NewsletterSubscription
from portal.registers import REGISTERS

SIGNED_IN = "auth.sign_in.succeeded"
SIGN_IN_METHODS = {
    "code": _("One-time code by email"),
    "password": _("Password"),
    "mfa": _("Second factor"),
}

# What happened, for the consultation log: kinds (codes) and their labels.
REQUEST_OPENED = "request_opened"
RECORD_OPENED = "record_opened"
RECORD_LISTED = "record_listed"
COPY_ISSUED = "copy_issued"
DISCLOSED = "disclosed"
KINDS = {
    REQUEST_OPENED: _("Staff opened your request"),
    RECORD_OPENED: _("Staff opened your record"),
    RECORD_LISTED: _("Your record was shown to staff in a list or search"),
    COPY_ISSUED: _("A copy of your data was issued"),
    DISCLOSED: _("Your data was disclosed"),
}
_KIND_OF_VIA = {VIA_REQUEST: REQUEST_OPENED, VIA_RECORD: RECORD_OPENED, VIA_LIST: RECORD_LISTED}
ACCESS_REQUEST = "access_request"
PURPOSE_LABELS = {**PURPOSES, ACCESS_REQUEST: _("Your request for a copy (GDPR Art. 15)")}
DATA_SUBJECT = "data_subject"


@dataclass
class Consultation:
    """One line of the log: when, what happened, why, and by whom (a role, never a name)."""

    at: datetime
    kind: str
    purpose: str  # a code: of PURPOSE_LABELS, or the ledger's (a disclosure), or ""
    by: str  # a staff role code, DATA_SUBJECT, or a recipient's key
    reference: str = ""  # a copy's reference number
    purpose_label: object = ""  # a disclosure's purpose for people (the ledger's)
    by_name: str = ""  # a recipient's name
    date_only: bool = False  # a disclosure is recorded by its day, not its time

    @property
    def kind_text(self):
        return KINDS[self.kind]

    @property
    def purpose_text(self):
        return PURPOSE_LABELS.get(self.purpose, self.purpose_label)

    @property
    def by_text(self):
        if self.kind == DISCLOSED:
            return self.by_name
        if self.by == DATA_SUBJECT:
            return _("You")
        return role_label(self.by)


def _from_event(event: AuditEvent) -> Consultation:
    details = event.details if event.details != SHREDDED_DETAILS else {}
    staff_view = event.action != ADMIN_VIEWED
    via = details.get("via") or (VIA_REQUEST if staff_view else VIA_RECORD)
    default_purpose = REQUEST_HANDLING if staff_view else REGISTER_MAINTENANCE
    return Consultation(
        at=event.created_at,
        kind=_KIND_OF_VIA.get(via, RECORD_OPENED),
        purpose=details.get("purpose") or default_purpose,
        by=details.get("role", ""),
    )


def _staff_consultations(subject_ids) -> list[Consultation]:
    entries = [(e.actor_id, _from_event(e)) for e in consultations_of(subject_ids)]
    # An event written before roles were recorded, or whose details an erasure blanked,
    # names its staff member by their role now (one look-up per member of staff).
    unknown = {actor for actor, entry in entries if not entry.by and actor is not None}
    users = get_user_model().objects.filter(pk__in=unknown)
    roles_now = {user.pk: staff_role(user) for user in users}
    for actor, entry in entries:
        if not entry.by:
            entry.by = roles_now.get(actor, STAFF)
    return [entry for _actor, entry in entries]


def _copies(subject_ids) -> list[Consultation]:
    copies = IssuedExtract.objects.filter(subjects__in=subject_ids).distinct()
    return [_copy(issued) for issued in copies.select_related("issued_by")]


def _copy(issued) -> Consultation:
    # A copy staff printed as a letter (for someone who cannot sign in) was made by staff,
    # not taken by the person: the log names the role that made it.
    maker = issued.issued_by
    return Consultation(
        at=issued.issued_at,
        kind=COPY_ISSUED,
        purpose=ACCESS_REQUEST,
        by=DATA_SUBJECT if maker is None else staff_role(maker),
        reference=issued.reference,
    )


def _disclosures(subject_ids) -> list[Consultation]:
    """Each disclosure of the person's data (the ledger and the deliveries, per register:
    portal.extract.disclosures), dated by its day."""
    found = []
    for register in REGISTERS:
        for entry in register_disclosures(register, subject_ids):
            day = datetime.combine(
                entry.disclosed_on, time.min, tzinfo=timezone.get_current_timezone()
            )
            found.append(
                Consultation(
                    at=day,
                    kind=DISCLOSED,
                    purpose=entry.purpose_code,
                    by=entry.recipient,
                    purpose_label=entry.purpose_text,
                    by_name=entry.name,
                    date_only=True,
                )
            )
    return found


def consultations(subject_ids, *, issuing=None) -> list[Consultation]:
    """Every consultation of these subjects' data, newest first; `issuing` is a copy being
    made now (not yet saved), listed too, as the copy's own access request is."""
    subject_ids = list(subject_ids)
    if not subject_ids:
        return [_copy(issuing)] if issuing is not None else []
    entries = _staff_consultations(subject_ids)
    entries += _copies(subject_ids) + _disclosures(subject_ids)
    if issuing is not None and issuing.pk is None:
        entries.append(_copy(issuing))
    return sorted(entries, key=lambda c: c.at, reverse=True)


@dataclass
class SameDay:
    """Consultations alike (what, why, by whom) on one day, for the PDF: a list page seen
    thirty times in a day is one line with its count, not thirty (the JSON lists each)."""

    first: Consultation
    count: int

    @property
    def day(self):
        return timezone.localdate(self.first.at)


def same_day(entries: list[Consultation]) -> list[SameDay]:
    groups: list[SameDay] = []
    for entry in entries:
        last = groups[-1].first if groups else None
        alike = last is not None and (last.kind, last.purpose, last.by, last.reference) == (
            entry.kind,
            entry.purpose,
            entry.by,
            entry.reference,
        )
        if alike and timezone.localdate(last.at) == timezone.localdate(entry.at):
            groups[-1].count += 1
        else:
            groups.append(SameDay(entry, 1))
    return groups


# --- The portal's own data ------------------------------------------------------------------


@dataclass
class SignIn:
    at: datetime
    method: str

    @property
    def method_text(self):
        return SIGN_IN_METHODS.get(self.method, self.method)


@dataclass
class SentEmail:
    at: datetime
    subject: str
    status: str
    status_text: str


@dataclass
class ConsentRecord:
    """Evidence of a newsletter consent: the subscription, and each consent given to it."""

    email: str
    status: str
    status_text: str
    subscribed_at: datetime | None
    confirmed_at: datetime | None
    unsubscribed_at: datetime | None
    consents: list[dict] = field(default_factory=list)


@dataclass
class PortalData:
    created_at: datetime
    last_sign_in_at: datetime | None
    addresses: list  # EmailAddress rows
    webshop_links: list
    sign_ins: list[SignIn]
    sessions: list  # UserSession rows
    emails: list[SentEmail]
    consent: list[ConsentRecord]
    consultations: list[Consultation]

    @property
    def consultations_by_day(self) -> list[SameDay]:
        """For the PDF, which lists each disclosure with its register already."""
        return same_day([c for c in self.consultations if c.kind != DISCLOSED])


def _sign_ins(user) -> list[SignIn]:
    events = AuditEvent.objects.filter(actor_id=user.pk, action=SIGNED_IN).order_by("-seq")
    return [SignIn(e.created_at, e.details.get("method", "")) for e in events]


def _emails_sent(addresses) -> list[SentEmail]:
    """The outbox's rows to these addresses (kept OUTBOX_KEEP_DAYS), without their bodies.
    The recipient list is JSON: a text match narrows the rows, an exact match decides."""
    wanted = {a.lower() for a in addresses}
    if not wanted:
        return []
    match = Q()
    for address in wanted:
        match |= Q(to_text__contains=address)
    rows = (
        OutboxMessage.objects.annotate(to_text=Lower(Cast("to", TextField())))
        .filter(match)
        .only("to", "subject", "status", "created_at", "sent_at")
        .order_by("-created_at", "-pk")
    )
    return [
        SentEmail(row.sent_at or row.created_at, row.subject, row.status, row.get_status_display())
        for row in rows
        if {addr.lower() for _name, addr in getaddresses(row.to)} & wanted
    ]


def _consent(subject_ids) -> list[ConsentRecord]:
    """Each newsletter subscription of these people, with every consent given to it."""
    subscriptions = list(
        NewsletterSubscription.objects.filter(subject_id__in=subject_ids).order_by("pk")
    )
    consents: dict[int, list[dict]] = {}
    rows = NewsletterConsent.objects.filter(subscription__in=subscriptions).order_by("pk")
    fields = ("subscription_id", "given_at", "language", "text_version", "withdrawn_at")
    for row in rows.values(*fields):
        consents.setdefault(row.pop("subscription_id"), []).append(row)
    return [
        ConsentRecord(
            sub.email,
            sub.status,
            str(sub.get_status_display()),
            sub.subscribed_at,
            sub.confirmed_at,
            sub.unsubscribed_at,
            consents.get(sub.pk, []),
        )
        for sub in subscriptions
    ]


def portal_data(*, user, subjects, issuing=None) -> PortalData:
    subject_ids = [s.pk for s in subjects]
    addresses = list(EmailAddress.objects.filter(user=user).order_by("email"))
    verified = [a.email for a in addresses if a.verified]
    return PortalData(
        created_at=user.date_joined,
        last_sign_in_at=user.last_login,
        addresses=addresses,
        webshop_links=list(user.webshop_links.select_related("account").order_by("pk")),
        sign_ins=_sign_ins(user),
        sessions=list(UserSession.objects.filter(user=user).order_by("-created_at")),
        emails=_emails_sent(verified),
        consent=_consent(subject_ids),
        consultations=consultations(subject_ids, issuing=issuing),
    )
