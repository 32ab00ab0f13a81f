"""Staff mark an Art. 19 follow-up done: the recipient was told (when, how)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.errors import Refusal
from subject_requests.follow_up_forms import FollowUpToldForm
from subject_requests.services.follow_ups import follow_up_told
from subject_requests.views.staff_access import queue_staff_required
from subject_requests.views.staff_detail import data_request_or_404, render_detail


@queue_staff_required
@require_POST
def follow_up_told_view(request, public_id, pk):
    data_request = data_request_or_404(public_id)
    # Through its request: a follow-up of another request is refused, not changed.
    if not data_request.follow_ups.filter(pk=pk).exists():
        messages.error(request, _("No such follow-up on this request."))
        return redirect("staff_request", public_id=data_request.public_id)
    form = FollowUpToldForm(request.POST, follow_up_id=pk)
    if not form.is_valid():
        return render_detail(request, data_request, status=400, told_forms={pk: form})
    try:
        follow_up_told(
            request=data_request,
            follow_up_id=pk,
            staff=request.user,
            told_on=form.cleaned_data["told_on"],
            how=form.cleaned_data["how"],
        )
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The recipient is marked told."))
    return redirect("staff_request", public_id=data_request.public_id)
