"""The newsletter's public pages: subscribe, confirm, unsubscribe (by page and RFC 8058 one-click).

None needs a sign-in: the signed link is the authority. GET only shows; every change is a
POST, so a mail scanner or a link preview that opens a link changes nothing.
"""

from allauth.core import ratelimit
from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.validators import MaxLengthValidator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from portal import newsletter
from portal.errors import Refusal
from portal.validators import normalize_email

# A forged or damaged link is a bad request; an expired, used or vanished one is gone.
LINK_STATUS = {newsletter.FORGED: 400}
GONE_STATUS = 410


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"), validators=[MaxLengthValidator(254)], max_length=254
    )

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])


def _link_refused(request, refusal: Refusal) -> HttpResponse:
    return render(
        request,
        "portal/newsletter/link_refused.html",
        {"refusal": refusal, "code": refusal.code},
        status=LINK_STATUS.get(refusal.code, GONE_STATUS),
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # Per client address and per address (RATE_LIMIT_NEWSLETTER): counted alike for
        # every address, subscribed or not, so the limit tells nothing either.
        if not ratelimit.consume(request, action="newsletter_subscribe", key=email):
            return render(request, "portal/newsletter/rate_limited.html", status=429)
        newsletter.subscription_request(email=email, language=request.LANGUAGE_CODE)
        return redirect("newsletter_sent")
    return render(
        request,
        "portal/newsletter/subscribe.html",
        {"form": form, "consent_text": newsletter.CONSENT_TEXTS[newsletter.CONSENT_VERSION]},
    )


@login_not_required
@require_safe
def sent(request):
    return render(request, "portal/newsletter/sent.html")


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, confirmation):
    try:
        if request.method == "POST":
            newsletter.subscription_confirm(token=confirmation)
            return render(request, "portal/newsletter/confirmed.html")
        found = newsletter.confirmation_read(confirmation)
    except Refusal as refusal:
        return _link_refused(request, refusal)
    return render(request, "portal/newsletter/confirm.html", {"confirmation": found})


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """The page every newsletter links to: one button, with the CSRF token like any form."""
    try:
        if request.method == "POST":
            newsletter.subscription_unsubscribe(token=token, method=newsletter.PAGE)
            return redirect("newsletter_unsubscribe", token)
        subscription = newsletter.unsubscribe_read(token)
    except Refusal as refusal:
        return _link_refused(request, refusal)
    return render(
        request,
        "portal/newsletter/unsubscribe.html",
        {"subscription": subscription, "done": newsletter.is_unsubscribed(subscription)},
    )


# RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the List-Unsubscribe URL
# from outside any page of ours, so it cannot carry a CSRF token. The signed token in the URL
# is what authorises it, and it can only withdraw this one subscription, idempotently; the
# exemption is for this view alone.
@csrf_exempt
@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def one_click(request, token):
    if request.method != "POST":
        return redirect("newsletter_unsubscribe", token)  # opened in a browser: the page
    if request.POST.get("List-Unsubscribe") != "One-Click":
        return HttpResponse(
            "Expected List-Unsubscribe=One-Click.", status=400, content_type="text/plain"
        )
    try:
        newsletter.subscription_unsubscribe(token=token, method=newsletter.ONE_CLICK)
    except Refusal as refusal:
        status = LINK_STATUS.get(refusal.code, GONE_STATUS)
        return HttpResponse(str(refusal), status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(str(_("You have unsubscribed.")), content_type="text/plain; charset=utf-8")
