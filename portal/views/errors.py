"""The page for a request that failed on the server (Django's handler500).

It is drawn without the database, the session or the signed-in user, since the failure may
be the database itself: the reader's language (from the address), the controller's name and
the stylesheet are all it needs. A database that cannot be reached, or refuses for a moment
(a restart, a lock held too long), is a 503 with Retry-After: the person is told that the
portal is briefly unavailable and to try again, not that something is broken. Anything else
is a 500 that says the error is the portal's and that it has been logged."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import get_language

from portal.controller import CONTROLLER

RETRY_AFTER_SECONDS = 30


def _database_unavailable() -> bool:
    return isinstance(sys.exc_info()[1], OperationalError | InterfaceError)


def server_error(request):
    unavailable = _database_unavailable()
    html = loader.get_template("errors/server_error.html").render(
        {"unavailable": unavailable, "controller": CONTROLLER, "language": get_language()}
    )
    response = HttpResponse(html, status=503 if unavailable else 500)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
