from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.datastructures import MultiValueDict

# Everything comes from our own origin; no inline script, no third parties, no framing.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class UnreadableFormMiddleware:
    """A form body that cannot be read (a charset other than UTF-8, a broken multipart body,
    too many fields or too much data) gets a 400 page that says so.

    Django refuses such a body when it is first read, in the CSRF check; its own 400 view
    then runs the CSRF check again, which reads the body again and fails again, so the
    visitor got a server error. Reading it here first, and marking it read when it fails,
    turns that into one plain 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 - parsed here so that a failure is handled here
            except (BadRequest, SuspiciousOperation, MultiPartParserError):
                request._post, request._files = QueryDict(), MultiValueDict()
                return render(request, "portal/bad_request.html", status=400)
        return self.get_response(request)
