"""Staff pages live under /<lang>/staff/; customers get 403, anonymous visitors sign in."""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from accounts.models import IdentityConflict


def staff_required(view):
    """Anonymous visitors go to the password sign-in (staff never use codes); others get 403."""

    @login_not_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("account_login"))
        if not user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def staff_home(request):
    conflicts = (
        IdentityConflict.objects.filter(resolved_at__isnull=True)
        .select_related("user")
        .prefetch_related("subjects")
    )
    return render(request, "accounts/staff_home.html", {"conflicts": conflicts})


@login_not_required
def admin_login(request):
    """The admin's own sign-in would skip TOTP, so staff always sign in through allauth."""
    if request.user.is_authenticated and not request.user.is_staff:
        raise PermissionDenied
    return redirect_to_login(
        request.GET.get("next", reverse("admin:index")), reverse("account_login")
    )
