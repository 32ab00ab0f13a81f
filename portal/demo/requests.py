"""A few open requests from generated customers, so the staff queue shows every colour.

Received 2 to 40 days ago: some comfortably in time, some due within days, one overdue.
Keyed on the requester's address, so a rerun adds nothing.
"""

import datetime

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from portal.models import BillingCustomer, PostalRecipient
from subject_requests.deadlines import due_date
from subject_requests.models import DataRequest, FieldChange

# (days since receipt, type, register, description)
PLAN = (
    (2, DataRequest.Type.OTHER, "", "Mihin asiakastietojani käytetään markkinoinnissa?"),
    (9, DataRequest.Type.RECTIFICATION, "billing", ""),
    (21, DataRequest.Type.RESTRICTION, "billing", "Luottorajani on mielestäni virheellinen."),
    (27, DataRequest.Type.ERASURE, "billing", ""),
    (40, DataRequest.Type.ERASURE, "billing", "Poistakaa kaikki tietoni."),
)


def demo_requests() -> int:
    customers = list(
        BillingCustomer.objects.exclude(email="")
        .exclude(email__in=["maija.meikalainen@example.fi", "liisa.lahtinen@example.org"])
        .order_by("customer_number")[: len(PLAN)]
    )
    created = 0
    for (days, kind, register, text), record in zip(PLAN, customers, strict=False):
        user, _new = User.objects.get_or_create(
            username=record.email, defaults={"email": record.email}
        )
        if _new:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            EmailAddress.objects.create(user=user, email=record.email, verified=True, primary=True)
        if user.data_requests.exists():
            continue
        received = timezone.now() - datetime.timedelta(days=days)
        request = DataRequest.objects.create(
            user=user,
            type=kind,
            subject=record.subject,
            register=register,
            description=text,
            identity_verified=True,
            received_at=received,
            due_on=due_date(timezone.localdate(received)),
        )
        if kind == DataRequest.Type.RECTIFICATION:
            FieldChange.objects.create(
                request=request,
                register="billing",
                record_id=record.pk,
                field="street_address",
                old_value=record.street_address,
                new_value="Uusikatu 7 A 3",
            )
        created += 1
    return created + _letter_request()


def _letter_request() -> int:
    """Toivo Mäkinen (postal register only, no email) asked for his data by letter six days
    ago: staff answer it by printing his register extract as a letter (issue #12)."""
    record = PostalRecipient.objects.filter(customer_number="100103").first()
    if record is None or DataRequest.objects.filter(subject=record.subject_id).exists():
        return 0
    received = timezone.localdate() - datetime.timedelta(days=6)
    DataRequest.objects.create(
        user=None,
        channel=DataRequest.Channel.LETTER,
        type=DataRequest.Type.ACCESS,
        subject=record.subject,
        description="Pyydän kopion tiedoistani. Toivo Mäkinen, Hämeenkatu 21 A 4, Tampere.",
        identity_check=DataRequest.IdentityCheck.ADDRESS_ON_FILE,
        identity_verified=True,
        received_at=datetime.datetime.combine(
            received, datetime.time(9), tzinfo=timezone.get_current_timezone()
        ),
        due_on=due_date(received),
    )
    return 1
