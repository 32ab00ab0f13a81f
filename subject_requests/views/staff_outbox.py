"""/<lang>/staff/outbox/: the mail the portal could not deliver (a decision, an extension
notice, a code), so that staff can reach the person another way or fix the mail server."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from outbox.selectors import outbox_undelivered
from subject_requests.views.staff_access import queue_staff_required


@require_safe
@never_cache
@queue_staff_required
def outbox(request):
    return render(
        request, "subject_requests/staff/outbox.html", {"undelivered": outbox_undelivered()}
    )
