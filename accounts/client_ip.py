"""The address of the client, as the reverse proxies in front of the portal saw it.

Lockout (django-axes), rate limits (allauth) and the audit trail all ask here, so that they
agree on who the client is. With PROXY_COUNT = 0 the portal is reached directly and any
X-Forwarded-For is the client's own claim: it is ignored. With N proxies, each appends the
address it received the request from, so the client is the N-th address from the right;
whatever stands left of it was written by the client and is never trusted.
"""

from django.conf import settings
from python_ipware import IpWare


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    if count > 0:
        # python-ipware counts the hops after the client: N proxies leave N - 1 of them.
        # strict=False: a longer chain (the client's own prefix) is allowed, its position fixed.
        resolver = IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_count=count - 1)
        ip, _trusted = resolver.get_client_ip(request.META, strict=False)
        if ip is not None:
            return str(ip)
    # No header, or a request that came past fewer proxies than configured (a bypass):
    # the connecting address, which is at worst shared, never forged.
    return remote
