"""The portal's URLs and one view that fails, for tests of the server's error pages."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from portal.urls import handler500, urlpatterns  # noqa: F401 (the handler is looked up here)


@login_not_required
def _fails(request):
    raise RuntimeError("a fault of the portal's own")


urlpatterns = [*urlpatterns, path("fails/", _fails)]
