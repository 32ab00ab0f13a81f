"""Staff pages under /<lang>/staff/: the request queue, one request and its decisions, the
addresses found on more than one person's records, and the mail that could not be delivered."""

from django.urls import path

from accounts import staff
from subject_requests.views import (
    customer_interest,
    staff_actions,
    staff_detail,
    staff_disclosures,
    staff_follow_ups,
    staff_identity_doubt,
    staff_intake,
    staff_outbox,
    staff_queue,
    staff_restriction,
)

urlpatterns = [
    # The queue is the staff home page; the main navigation links here as "staff_home".
    path("", staff_queue.queue, name="staff_home"),
    path("identity/", staff.staff_home, name="staff_identity"),
    path("identity/<int:pk>/resolve/", staff.identity_resolve, name="staff_identity_resolve"),
    path("outbox/", staff_outbox.outbox, name="staff_outbox"),
    # Requests received by letter, email, phone or in person (Art. 12(2)-(3)).
    path("intake/", staff_intake.search, name="staff_intake"),
    path("intake/new/", staff_intake.new, name="staff_intake_new"),
    path(
        "requests/<uuid:public_id>/link-subject/",
        staff_intake.link_subject,
        name="staff_request_link_subject",
    ),
    path("requests/<uuid:public_id>/letter.pdf", staff_intake.letter, name="staff_request_letter"),
    # Art. 12(6): more information about the person's identity.
    path(
        "requests/<uuid:public_id>/identity/ask/",
        staff_identity_doubt.ask,
        name="staff_request_identity_ask",
    ),
    path(
        "requests/<uuid:public_id>/identity/answer/",
        staff_identity_doubt.answer,
        name="staff_request_identity_answer",
    ),
    path(
        "requests/<uuid:public_id>/identity/confirm/",
        staff_identity_doubt.confirm,
        name="staff_request_identity_confirm",
    ),
    path("requests/<uuid:public_id>/", staff_detail.detail, name="staff_request"),
    path("requests/<uuid:public_id>/assign/", staff_actions.assign, name="staff_request_assign"),
    path("requests/<uuid:public_id>/note/", staff_actions.note, name="staff_request_note"),
    path("requests/<uuid:public_id>/reject/", staff_actions.reject, name="staff_request_reject"),
    path(
        "requests/<uuid:public_id>/unfounded/",
        staff_actions.unfounded,
        name="staff_request_unfounded",
    ),
    path("requests/<uuid:public_id>/extend/", staff_actions.extend, name="staff_request_extend"),
    path("requests/<uuid:public_id>/decide/", staff_actions.decide, name="staff_request_decide"),
    path(
        "requests/<uuid:public_id>/decide-registers/",
        staff_actions.decide_registers,
        name="staff_request_decide_registers",
    ),
    path("requests/<uuid:public_id>/answer/", staff_actions.answer, name="staff_request_answer"),
    path(
        "requests/<uuid:public_id>/interest-decision/",
        customer_interest.interest_decide,
        name="staff_request_interest_decide",
    ),
    path(
        "requests/<uuid:public_id>/lift-restriction/",
        staff_restriction.lift_restriction,
        name="staff_request_lift_restriction",
    ),
    path(
        "requests/<uuid:public_id>/rectification/",
        staff_actions.rectification,
        name="staff_request_rectification",
    ),
    # Art. 19: one recipient told of the decision.
    path(
        "requests/<uuid:public_id>/follow-ups/<int:pk>/told/",
        staff_follow_ups.follow_up_told_view,
        name="staff_request_follow_up_told",
    ),
    # The disclosure ledger: partner lists and disclosures recorded one by one.
    path("disclosures/", staff_disclosures.ledger, name="staff_disclosures"),
    path("disclosures/export/", staff_disclosures.export, name="staff_disclosures_export"),
    path("disclosures/record/", staff_disclosures.record, name="staff_disclosures_record"),
]
