from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import path

from portal import views

admin.site.site_header = "Privacy Portal"
admin.site.site_title = "Privacy Portal"

urlpatterns = i18n_patterns(
    path("", views.privacy_notice, name="privacy_notice"),
    path("staff/admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
