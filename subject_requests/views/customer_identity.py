"""Art. 12(6): the person answers staff's question about their identity on their request's
page. Through the owner: another person's request is a 404."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.errors import Refusal
from subject_requests.intake_forms import IdentityInfoAnswerForm
from subject_requests.services.identity_doubt import identity_info_answer


@require_POST
def identity_answer(request, public_id):
    data_request = get_object_or_404(request.user.data_requests, public_id=public_id)
    form = IdentityInfoAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the answer."))
    else:
        try:
            identity_info_answer(
                request=data_request,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                by_staff=False,
            )
        except Refusal as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Thank you. Your answer was sent."))
    return redirect("request_detail", public_id=data_request.public_id)
