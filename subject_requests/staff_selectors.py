"""Reads shared by the staff pages: the queue, one request with its changes, its history."""

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.extract.collect import RecordData, subject_data
from portal.extract.values import EMPTY
from portal.models import AuditEvent, DataSubject
from portal.registers import Register
from subject_requests import deadlines
from subject_requests.models import DataRequest, FieldChange, FollowUp
from subject_requests.services.rectification import current_values

# Days left before the due date below which a request is shown amber, then red.
AMBER_BELOW = 10
RED_BELOW = 5
# Up to this many people found by a search are looked up by id (see _people_matching).
SEARCH_BY_ID_LIMIT = 1000


def queue_requests(
    *, staff, type="", status="open", overdue=False, assignee="", search=""
) -> QuerySet[DataRequest]:
    """The queue, soonest due first (see queue_page for fetching one page of it)."""
    requests = DataRequest.objects.all()
    if type:
        requests = requests.filter(type=type)
    if status == "open":
        requests = requests.filter(status__in=DataRequest.OPEN)
    elif status and status != "all":
        requests = requests.filter(status=status)
    if overdue:
        requests = requests.filter(status__in=DataRequest.OPEN, due_on__lt=timezone.localdate())
    if assignee == "me":
        requests = requests.filter(assignee=staff)
    elif assignee == "unassigned":
        requests = requests.filter(assignee__isnull=True)
    if search:
        requests = requests.filter(_people_matching(search))
    return requests.order_by("due_on", "received_at", "pk")


def queue_page(requests: QuerySet[DataRequest], number, per_page: int) -> Page:
    """One page of the queue: the page's ids in queue order first, so that only narrow rows
    are sorted, then those requests with everything a row shows. Three queries (with the
    count) whatever the number of requests."""
    page = Paginator(requests.values_list("pk", flat=True), per_page).get_page(number)
    # Art. 19: recipients still to be told of the decision (tagged in the queue).
    untold = FollowUp.objects.filter(request=OuterRef("pk"), told_on__isnull=True)
    rows = (
        DataRequest.objects.select_related("subject", "user", "assignee")
        .annotate(follow_ups_open=Exists(untold))
        .in_bulk(list(page.object_list))
    )
    page.object_list = [rows[pk] for pk in page.object_list]
    return page


def _people_matching(search: str) -> Q:
    """Requests of the people whose name, username or email (a verified address included)
    contains `search`. The few people a search usually finds are looked up first, so that
    the database fetches just their requests by index; the estimate it would make for a
    subquery makes PostgreSQL scan every request in queue order instead. When many people
    match, the subqueries are right: a page of matches comes up early in that scan."""
    subjects = DataSubject.objects.filter(display_name__icontains=search).values_list(
        "pk", flat=True
    )
    users = (
        get_user_model()
        .objects.filter(
            Q(username__icontains=search)
            | Q(email__icontains=search)
            | Q(
                pk__in=EmailAddress.objects.filter(verified=True, email__icontains=search).values(
                    "user_id"
                )
            )
        )
        .values_list("pk", flat=True)
    )
    subject_ids = list(subjects[: SEARCH_BY_ID_LIMIT + 1])
    user_ids = list(users[: SEARCH_BY_ID_LIMIT + 1])
    if max(len(subject_ids), len(user_ids)) > SEARCH_BY_ID_LIMIT:
        return Q(subject__in=subjects) | Q(user__in=users)
    return Q(subject_id__in=subject_ids) | Q(user_id__in=user_ids)


@dataclass(frozen=True)
class Urgency:
    """How close the due date is: a CSS class, and a level that the page also names in
    words (colour alone is not enough, WCAG 1.4.1)."""

    days_left: int | None  # None once the request is closed
    level: str  # "ok", "soon", "urgent", "overdue" or "closed"

    @property
    def css_class(self) -> str:
        return f"due-{self.level}"

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def urgency(request: DataRequest, today: datetime.date | None = None) -> Urgency:
    if not request.is_open:
        return Urgency(None, "closed")
    days = (request.due_on - (today or timezone.localdate())).days
    if days < 0:
        return Urgency(days, "overdue")
    if days < RED_BELOW:
        return Urgency(days, "urgent")
    if days < AMBER_BELOW:
        return Urgency(days, "soon")
    return Urgency(days, "ok")


def can_extend(request: DataRequest) -> bool:
    """Art. 12(3): once, and only while the first month is running."""
    received = timezone.localdate(request.received_at)
    return (
        request.is_open
        and request.extended_at is None
        and timezone.localdate() <= deadlines.due_date(received)
    )


@dataclass
class ChangeRow:
    change: FieldChange
    current: str

    @property
    def changed_since_request(self) -> bool:
        return self.current != self.change.old_value


def change_rows(request: DataRequest) -> list[ChangeRow]:
    """Each field change with the record's value now, to show requested / current / proposed."""
    changes = list(request.changes.all())
    if not changes:
        return []
    current = current_values(request)
    return [ChangeRow(change, current.get(change.pk, "")) for change in changes]


@dataclass
class StaffRecord:
    data: RecordData

    @property
    def restricted_since(self) -> str:
        """When processing was restricted (Art. 18), as shown to people; "" if it is not."""
        value = next((f for f in self.data.fields if f.name == "restricted_at"), None)
        return value.text if value is not None and value.value is not None else ""

    @property
    def filled_fields(self):
        """The compact view beside the request leaves out empty fields."""
        return [f for f in self.data.fields if f.text not in ("", EMPTY)]


@dataclass
class StaffRegisterData:
    register: Register
    records: list[StaffRecord]


def register_data(subject) -> list[StaffRegisterData]:
    """The person's data in every register, restricted records marked."""
    if subject is None:
        return []
    return [
        StaffRegisterData(data.register, [StaffRecord(record) for record in data.records])
        for data in subject_data([subject])
    ]


def request_history(request: DataRequest) -> QuerySet[AuditEvent]:
    """Every audit event about this request, internal notes included, oldest first."""
    return (
        AuditEvent.objects.filter(target=f"{DataRequest._meta.label}:{request.pk}")
        .select_related("actor")
        .order_by("seq")
    )
