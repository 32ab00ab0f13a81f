"""Staff issue the register extract of a person who cannot sign in, as a letter to print
(portal.extract.letter). A POST: issuing records a copy, an access request and audit events."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.errors import Refusal
from portal.extract.letter import letter_extract_issue
from portal.models import DataSubject
from subject_requests.models import DataRequest
from subject_requests.views.staff_access import queue_staff_required


class LetterExtractForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the letter"), choices=settings.LANGUAGES
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("The person asked by"),
        choices=[c for c in DataRequest.Channel.choices if c[0] != DataRequest.Channel.PORTAL],
        required=False,
    )
    request = forms.UUIDField(required=False, widget=forms.HiddenInput)


@queue_staff_required
@require_POST
@never_cache
def extract_letter(request, public_id):
    subject = get_object_or_404(DataSubject, public_id=public_id)
    form = LetterExtractForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the language of the letter."))
        return redirect("staff_intake")
    answering = None
    if form.cleaned_data["request"]:
        try:
            answering = DataRequest.objects.get(public_id=form.cleaned_data["request"])
        except (DataRequest.DoesNotExist, ValidationError) as error:
            raise Http404 from error
    try:
        issued, content = letter_extract_issue(
            staff=request.user,
            subject=subject,
            language=form.cleaned_data["language"],
            channel=form.cleaned_data["channel"] or DataRequest.Channel.LETTER,
            request=answering,
        )
    except Refusal as refusal:
        messages.error(request, str(refusal))
        if answering is not None:
            return redirect("staff_request", public_id=answering.public_id)
        return redirect("staff_intake")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letter-{issued.reference}.pdf"'
    return response
