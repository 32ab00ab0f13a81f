"""The review queue at /<lang>/staff/: every request, soonest due first."""

from dataclasses import dataclass

from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.roles import staff_role
from portal.audit.consultations import REQUEST_HANDLING, VIA_LIST, consultation_record
from portal.registers import REGISTERS_BY_KEY
from subject_requests import staff_selectors as selectors
from subject_requests.models import DataRequest
from subject_requests.staff_forms import QueueFilterForm
from subject_requests.views.staff_access import queue_staff_required

PAGE_SIZE = 50


@dataclass
class QueueRow:
    request: DataRequest
    urgency: selectors.Urgency
    # Labels looked up once per page: get_FOO_display() would translate every choice for
    # every row, which is most of the page's rendering time with 50 rows.
    type_label: str
    status_label: str

    @property
    def person(self) -> str:
        subject, user = self.request.subject, self.request.user
        name = subject.display_name if subject else ""
        if name or user is None:  # registered by staff: the name the letter or call gave
            return name or self.request.contact_name or str(self.request.get_channel_display())
        return user.email or user.username

    @property
    def register(self):
        register = REGISTERS_BY_KEY.get(self.request.register)
        if register is None and self.request.type in DataRequest.EVERY_REGISTER:
            return _("all registers")
        return register.short_name if register else ""


@require_safe
@never_cache
@queue_staff_required
def queue(request):
    form = QueueFilterForm(request.GET)
    requests = selectors.queue_requests(staff=request.user, **form.filters())
    page = selectors.queue_page(requests, request.GET.get("page"), PAGE_SIZE)
    today = timezone.localdate()
    types = {value: str(label) for value, label in DataRequest.Type.choices}
    statuses = {value: str(label) for value, label in DataRequest.Status.choices}
    rows = [
        QueueRow(r, selectors.urgency(r, today), types[r.type], statuses[r.status]) for r in page
    ]
    with transaction.atomic():
        # The queue names each person: a consultation of each one shown (C-579/21).
        consultation_record(
            actor=request.user,
            role=staff_role(request.user),
            subjects=sorted({row.request.subject_id for row in rows} - {None}),
            purpose=REQUEST_HANDLING,
            via=VIA_LIST,
            target="subject_requests.DataRequest",
        )
    return render(
        request, "subject_requests/staff/queue.html", {"form": form, "page": page, "rows": rows}
    )
