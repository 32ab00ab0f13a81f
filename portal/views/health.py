"""The health check for load balancers and monitoring: /healthz, outside the language prefixes.

It answers without a session or a cookie (nothing here reads or writes one), is never
redirected to HTTPS (SECURE_REDIRECT_EXEMPT: a load balancer probes the app server over plain
HTTP) and asks the database one cheap question: 200 "ok" when it answers, 503 when it does not.
"""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer.")
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
