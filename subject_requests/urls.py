"""The customer's requests, under /<lang>/requests/."""

from django.urls import path

from subject_requests.views import (
    customer,
    customer_correction,
    customer_email_code,
    customer_identity,
    customer_interest,
    customer_rectification,
    customer_rights,
)

urlpatterns = [
    path("", customer.my_requests, name="my_requests"),
    path("<uuid:public_id>/", customer.request_detail, name="request_detail"),
    path("<uuid:public_id>/cancel/", customer.request_cancel_view, name="request_cancel"),
    path(
        "<uuid:public_id>/identity/",
        customer_identity.identity_answer,
        name="request_identity_answer",
    ),
    # Across registers: each detail once, one request for every record holding it.
    path("rectification/", customer_correction.correct_edit, name="request_rectification_all"),
    path(
        "rectification/review/",
        customer_correction.correct_review,
        name="request_rectification_all_review",
    ),
    path(
        "rectification/verify/",
        customer_correction.correct_verify,
        name="request_rectification_all_verify",
    ),
    path(
        "rectification/<slug:register>/",
        customer_rectification.rectification_edit,
        name="request_rectification",
    ),
    path(
        "rectification/<slug:register>/review/",
        customer_rectification.rectification_review,
        name="request_rectification_review",
    ),
    path(
        "rectification/<slug:register>/verify/",
        customer_email_code.rectification_verify,
        name="request_rectification_verify",
    ),
    path("objection/", customer_rights.objection, name="request_objection"),
    path(
        "interest-objection/",
        customer_interest.interest_objection,
        name="request_interest_objection",
    ),
    path("erasure/", customer_rights.erasure_all, name="request_erasure_all"),
    path("erasure/<slug:register>/", customer_rights.erasure, name="request_erasure"),
    path("restriction/", customer_rights.restriction_all, name="request_restriction_all"),
    path("restriction/<slug:register>/", customer_rights.restriction, name="request_restriction"),
    path("other/", customer_rights.other, name="request_other"),
]
