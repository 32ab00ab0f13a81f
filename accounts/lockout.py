"""django-axes glue: which name a failed attempt counts against, and the lockout page."""

from django.conf import settings
from django.shortcuts import render


def axes_username(request, credentials) -> str:
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email")
    if not name and request is not None:
        name = request.POST.get("login") or request.POST.get("username", "")
    return (name or "").strip().lower()


def locked_out_response(request, credentials, *args, **kwargs):
    hours = settings.AXES_COOLOFF_TIME
    minutes = round(float(hours) * 60)
    return render(
        request,
        "accounts/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes},
        status=429,
    )
