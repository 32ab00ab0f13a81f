from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts import fresh, staff
from portal.views import (
    consultations,
    health,
    home,
    my_data,
    notice,
    postal_claims,
    ropa,
    staff_extract,
)

admin.site.site_header = "Privacy Portal"
admin.site.site_title = "Privacy Portal"

urlpatterns = i18n_patterns(
    path("", notice.privacy_notice, name="privacy_notice"),
    path("home/", home.home, name="home"),
    path("my-data/", my_data.my_data, name="my_data"),
    path("my-data/extract.pdf", my_data.extract_pdf, name="extract_pdf"),
    path("my-data/export.json", my_data.export_json, name="export_json"),
    path("my-data/extract/<uuid:job>/", my_data.extract_job, name="extract_job"),
    path("my-data/extract/<uuid:job>/file", my_data.extract_job_file, name="extract_job_file"),
    path("my-data/extracts/<str:reference>/", my_data.issued_extract, name="issued_extract"),
    path("my-data/consultations/", consultations.my_consultations, name="my_data_consultations"),
    path("my-data/postal-address/", postal_claims.postal_claim, name="postal_claim"),
    path("my-data/postal-address/code/", postal_claims.postal_claim_code, name="postal_claim_code"),
    path("requests/", include("subject_requests.urls")),
    path("newsletter/", include("portal.views.newsletter_urls")),
    path("accounts/confirm-with-code/", fresh.fresh_sign_in, name="fresh_sign_in"),
    path("accounts/", include("allauth.urls")),
    path(
        "staff/record-of-processing/",
        ropa.record_of_processing,
        name="staff_record_of_processing",
    ),
    path(
        "staff/record-of-processing.csv",
        ropa.record_of_processing_csv,
        name="staff_record_of_processing_csv",
    ),
    path(
        "staff/record-of-processing.pdf",
        ropa.record_of_processing_pdf,
        name="staff_record_of_processing_pdf",
    ),
    # The register extract of a person who cannot sign in, as a letter to print.
    path(
        "staff/subjects/<uuid:public_id>/extract-letter/",
        staff_extract.extract_letter,
        name="staff_subject_extract_letter",
    ),
    path("staff/postal-claims/", postal_claims.staff_postal_claims, name="staff_postal_claims"),
    path(
        "staff/postal-claims/<uuid:public_id>/",
        postal_claims.staff_postal_claim,
        name="staff_postal_claim",
    ),
    path(
        "staff/postal-claims/<uuid:public_id>/letter/",
        postal_claims.staff_postal_claim_letter,
        name="staff_postal_claim_letter",
    ),
    path(
        "staff/postal-claims/<uuid:public_id>/close/",
        postal_claims.staff_postal_claim_close,
        name="staff_postal_claim_close",
    ),
    path("staff/", include("subject_requests.staff_urls")),
    path("staff/admin/login/", staff.admin_login),
    path("staff/admin/", admin.site.urls),
    prefix_default_language=True,
)

# For load balancers: no language prefix, no session, never redirected (portal.views.health).
urlpatterns += [path("healthz", health.healthz, name="healthz")]

if settings.DEV_MAILBOX:
    # Imported only where it is switched on: production never loads the mail reader.
    from portal import dev_mailbox

    urlpatterns += [path("dev/mailbox/", dev_mailbox.mailbox, name="dev_mailbox")]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
handler500 = "portal.views.errors.server_error"
