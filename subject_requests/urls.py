"""Where the request forms live. Until the request queue lands (issue #5), each address
answers with how to make that request by email instead."""

from django.urls import path

from subject_requests.views import interim as views

urlpatterns = [
    path(
        "rectification/<slug:register>/",
        views.request_by_email,
        {"kind": "rectification"},
        name="request_rectification",
    ),
    path("objection/", views.request_by_email, {"kind": "objection"}, name="request_objection"),
    path(
        "erasure/<slug:register>/",
        views.request_by_email,
        {"kind": "erasure"},
        name="request_erasure",
    ),
    path(
        "restriction/<slug:register>/",
        views.request_by_email,
        {"kind": "restriction"},
        name="request_restriction",
    ),
]
