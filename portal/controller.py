"""The controller (rekisterinpitäjä) and the supervisory authority, declared once."""

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Organisation:
    name: str
    street_address: str
    postal_code: str
    post_office: str
    phone: str = ""
    website: str = ""
    business_id: str = ""
    email: str = ""
    country: Promise | None = None

    def __str__(self):
        return str(self.name)

    @property
    def address_lines(self) -> tuple[str, ...]:
        return (self.street_address, f"{self.postal_code} {self.post_office}")


CONTROLLER = Organisation(
    name="Tekninen Toimisto Tector Oy",
    street_address="Rälssintie 12",
    postal_code="00720",
    post_office="Helsinki",
    phone="+358 9 3508 170",
    business_id="0700464-5",
    email="rekisteriasiat@tector.fi",
    website="https://www.tector.fi/",
    country=_("Finland"),
)

# The role, not a named person: whoever holds it works the request queue (seed section 2).
CONTACT_ROLE = _("Contact person for register matters")
CONTACT_EMAIL = CONTROLLER.email
CONTACT_PHONE = "+358 9 3508 1713"

REGISTER_NAME = _("Tector's customer register")

SUPERVISORY_AUTHORITY = Organisation(
    name=_("Office of the Data Protection Ombudsman"),
    street_address="Lintulahdenkuja 4",
    postal_code="00530",
    post_office="Helsinki",
    phone="+358 29 566 6700",
    website="https://tietosuoja.fi/",
    email="tietosuoja@om.fi",
)

# The date the privacy notice's content was last changed; bump it when a declaration changes.
NOTICE_DATE = datetime.date(2026, 11, 30)
