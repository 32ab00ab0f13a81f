import time
from functools import partial

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.passwords import after_response_tasks, has_portal_password_right, run_safely

SIGNED_IN_AT = "portal_signed_in_at"
LAST_SEEN_AT = "portal_last_seen_at"


class SessionTimeoutMiddleware:
    """Sessions end after SESSION_IDLE_TIMEOUT idle and SESSION_MAX_AGE at most.

    Personal data is on screen; a forgotten browser on a shared computer must not keep it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            signed_in = session.setdefault(SIGNED_IN_AT, now)
            last_seen = session.get(LAST_SEEN_AT, now)
            idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT
            too_old = now - signed_in > settings.SESSION_MAX_AGE
            if idle or too_old:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out because you were inactive for too long.")
                    if idle
                    else _("You were signed out because your session reached its maximum length."),
                )
                return redirect(settings.LOGIN_URL)
            session[LAST_SEEN_AT] = now
        return self.get_response(request)


def _is_staff_area(path: str) -> bool:
    parts = path.split("/")
    return len(parts) > 2 and parts[2] == "staff"


class StaffMFARequiredMiddleware:
    """No staff page or admin page works for a staff user without TOTP: they enrol first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            _is_staff_area(request.path_info)
            and user.is_authenticated
            and (user.is_staff or user.is_superuser)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(
                request,
                _("Staff must set up two-factor authentication before using staff pages."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Deny by default; customers sign in by code, staff pages send to the password sign-in."""

    def handle_no_permission(self, request, view_func):
        login_url = reverse("account_login") if _is_staff_area(request.path_info) else None
        return redirect_to_login(
            request.get_full_path(),
            login_url or self.get_login_url(view_func),
            self.get_redirect_field_name(view_func),
        )


_PORTAL_PASSWORD_PAGES = {"account_change_password", "account_set_password"}


class CustomerPasswordPagesMiddleware:
    """Customers have no portal password (accounts.passwords): its pages do not exist for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = request.user
        if (
            match is not None
            and match.url_name in _PORTAL_PASSWORD_PAGES
            and user.is_authenticated
            and not has_portal_password_right(user)
        ):
            raise Http404
        return None


class AfterResponseMiddleware:
    """Runs the tasks a view left for after its answer (accounts.passwords.after_response).

    The server calls the response's close() once the body has been sent; the tasks run there,
    so a slow task (a mail) does not show in how long the answer took.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for task in after_response_tasks(request):
            response._resource_closers.append(partial(run_safely, task))
        return response
