"""Claiming data held under a postal address only (accounts/postal_claims.py): the person's
claim and code pages, and staff's claims, candidate records and the letter with the code."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import PostalClaim
from accounts.postal_claim_forms import LetterCodeForm, LetterForm, PostalClaimForm
from accounts.postal_claims import (
    CODE_VALID,
    MAX_ATTEMPTS,
    OPEN,
    CodeResult,
    claim_candidates,
    claim_close,
    claim_submit,
    code_enter,
    letter_issue,
)
from accounts.roles import staff_role
from accounts.staff import identity_staff_required
from portal import controller
from portal.audit.consultations import REQUEST_HANDLING, VIA_REQUEST, consultation_record
from portal.errors import Refusal
from portal.models import DataSubject

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "extract.css"
get_or_post = require_http_methods(["GET", "HEAD", "POST"])


@never_cache
@get_or_post
def postal_claim(request):
    form = PostalClaimForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        claim_submit(user=request.user, data=form.cleaned_data, language=translation.get_language())
        # The same answer whatever the registers hold (and whether the claim was kept).
        messages.success(
            request,
            _(
                "Thank you. If we hold data under this name and address, we will send a letter "
                "with a code to the address in our records. Enter the code on this page."
            ),
        )
        return redirect("postal_claim_code")
    return render(request, "portal/postal_claim.html", {"form": form})


@never_cache
@get_or_post
def postal_claim_code(request):
    form = LetterCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result, left = code_enter(user=request.user, code=form.cleaned_data["code"])
        if result == CodeResult.LINKED:
            messages.success(
                request,
                _("The code is right. The data held under your postal address is now shown here."),
            )
            return redirect("my_data")
        if result == CodeResult.WRONG:
            form.add_error(
                "code",
                ngettext(
                    "The code is not right. You can try %(count)d more time.",
                    "The code is not right. You can try %(count)d more times.",
                    left,
                )
                % {"count": left},
            )
        elif result == CodeResult.LOCKED:
            form.add_error(
                "code",
                _(
                    "The code was entered wrong too many times, so it no longer works. "
                    "Contact us or make a new claim."
                ),
            )
        elif result == CodeResult.EXPIRED:
            form.add_error("code", _("The code has expired. Make a new claim."))
        else:
            form.add_error("code", _("The code is not right."))
    return render(
        request,
        "portal/postal_claim_code.html",
        {"form": form, "status": 400 if form.errors else 200},
        status=400 if form.errors else 200,
    )


@require_safe
@never_cache
@identity_staff_required
def staff_postal_claims(request):
    claims = PostalClaim.objects.select_related("user", "subject")
    return render(
        request,
        "portal/staff_postal_claims.html",
        {
            "open_claims": claims.filter(status__in=OPEN).order_by("created_at"),
            "closed_claims": claims.exclude(status__in=OPEN)[:20],
        },
    )


@require_safe
@never_cache
@identity_staff_required
def staff_postal_claim(request, public_id):
    claim = get_object_or_404(PostalClaim.objects.select_related("user"), public_id=public_id)
    candidates = claim_candidates(claim) if claim.status in OPEN else []
    if candidates:
        with transaction.atomic():
            # Staff seeing the records at the address is a consultation the person can read
            # about, by role, like a request's page (C-579/21).
            consultation_record(
                actor=request.user,
                role=staff_role(request.user),
                subjects=[c.subject.pk for c in candidates],
                purpose=REQUEST_HANDLING,
                via=VIA_REQUEST,
                extra={"postal_claim": str(claim.public_id)},
            )
    return render(
        request,
        "portal/staff_postal_claim.html",
        {
            "claim": claim,
            "candidates": candidates,
            "is_open": claim.status in OPEN,
            "valid_days": CODE_VALID.days,
            "max_attempts": MAX_ATTEMPTS,
        },
    )


def _letter_pdf(context) -> bytes:
    from weasyprint import CSS, HTML  # only here: the other pages need no WeasyPrint

    html = render_to_string("portal/postal_claim_letter.html", context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))], pdf_tags=True
    )


@never_cache
@identity_staff_required
@require_POST
def staff_postal_claim_letter(request, public_id):
    """A new code, and the letter with it as a PDF to print; addressed to the address on file."""
    claim = get_object_or_404(PostalClaim, public_id=public_id)
    form = LetterForm(request.POST)
    subject = None
    if form.is_valid():
        subject = DataSubject.objects.filter(pk=form.cleaned_data["subject"]).first()
    try:
        code, name, address = letter_issue(claim=claim, subject=subject, staff=request.user)
    except Refusal as refusal:
        messages.error(request, str(refusal))
        return redirect("staff_postal_claim", public_id=claim.public_id)
    claim.refresh_from_db()
    with translation.override(claim.language):
        pdf = _letter_pdf(
            {
                "name": name,
                "address": address,
                "code": code,
                "expires": timezone.localtime(claim.code_expires_at),
                "today": timezone.localdate(),
                "max_attempts": MAX_ATTEMPTS,
                "controller": controller,
                "code_url": request.build_absolute_uri(
                    f"/{claim.language}/my-data/postal-address/code/"
                ),
            }
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letter-{claim.public_id}.pdf"'
    return response


@identity_staff_required
@require_POST
def staff_postal_claim_close(request, public_id):
    claim = get_object_or_404(PostalClaim, public_id=public_id)
    try:
        claim_close(claim=claim, staff=request.user)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The claim is closed without a letter."))
    return redirect("staff_postal_claims")
