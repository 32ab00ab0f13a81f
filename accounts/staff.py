"""Staff pages live under /<lang>/staff/; customers get 403, anonymous visitors sign in.

Here: the identity conflicts, listed and resolved by the queue's staff."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.models import IdentityConflict
from accounts.services import ConflictAlreadyResolved, identity_conflict_resolve
from accounts.staff_forms import IdentityConflictResolveForm
from portal.errors import Refusal

# Deciding whose records are whose decides who sees them: the people who work the request
# queue, as the README gives it. Register maintainers edit data but do not decide this.
IDENTITY_ROLES = (roles.CONTACT_PERSON, roles.ADMINISTRATOR)


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


def can_resolve_identity(user) -> bool:
    return user.is_superuser or user.groups.filter(name__in=IDENTITY_ROLES).exists()


def identity_staff_required(view):
    """Staff in IDENTITY_ROLES only; other staff and customers get 403."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_resolve_identity(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _identity_page(request, *, posted=None, status=200):
    """Open cases, each with its form; `posted` ({case pk: form}) keeps the errors shown."""
    posted = posted or {}
    cases = IdentityConflict.objects.select_related("user", "resolved_by").prefetch_related(
        "subjects"
    )
    open_cases = [
        (case, posted.get(case.pk) or IdentityConflictResolveForm(conflict=case))
        for case in cases.filter(resolved_at__isnull=True)
    ]
    kinds = IdentityConflict.Kind
    context = {
        "by_email": [(c, f) for c, f in open_cases if c.kind == kinds.SHARED_EMAIL],
        "by_number": [(c, f) for c, f in open_cases if c.kind == kinds.CUSTOMER_NUMBER],
        "resolved": cases.filter(resolved_at__isnull=False).order_by("-resolved_at")[:20],
    }
    return render(request, "accounts/staff_home.html", context, status=status)


@identity_staff_required
def staff_home(request):
    return _identity_page(request)


@identity_staff_required
@require_POST
def identity_resolve(request, pk):
    conflict = get_object_or_404(IdentityConflict, pk=pk)
    form = IdentityConflictResolveForm(request.POST, conflict=conflict)
    if conflict.resolved_at is None and not form.is_valid():
        return _identity_page(request, posted={conflict.pk: form}, status=400)
    try:
        if conflict.resolved_at is not None:
            raise ConflictAlreadyResolved
        identity_conflict_resolve(
            conflict=conflict,
            staff=request.user,
            decision=form.cleaned_data["decision"],
            resolution=form.cleaned_data["resolution"],
        )
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Case resolved. The linking follows your decision."))
    return redirect("staff_identity")


@login_not_required
def admin_login(request):
    """The admin's own sign-in would skip TOTP, so staff always sign in through allauth."""
    if request.user.is_authenticated and not request.user.is_staff:
        raise PermissionDenied
    return redirect_to_login(
        request.GET.get("next", reverse("admin:index")), reverse("account_login")
    )
