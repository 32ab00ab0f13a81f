"""The controller (rekisterinpitäjä) and the supervisory authority, declared once."""

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class PerLanguage:
    """A name or address that differs by language (Helsinki, Helsingfors), shown in the
    active language like a translated text; English uses the Finnish form unless given."""

    def __init__(self, fi: str, sv: str, en: str | None = None):
        self.values = {"fi": fi, "sv": sv, "en": en or fi}

    def __str__(self) -> str:
        return self.values.get((get_language() or "fi")[:2], self.values["fi"])

    def __repr__(self) -> str:
        return f"PerLanguage({self.values!r})"


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
    # Where letters go, when that is not the street address (a PO box).
    postal_address: str | PerLanguage = ""

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

# Art. 77: the complaint. Every text naming the Ombudsman reads it from here: the notice, the
# extract, the request emails and My requests (the Swedish ones with the Swedish address).
SUPERVISORY_AUTHORITY = Organisation(
    name=_("Office of the Data Protection Ombudsman"),
    street_address=PerLanguage("Lintulahdenkuja 4", "Fågelviksgränden 4"),
    postal_code="00530",
    post_office=PerLanguage("Helsinki", "Helsingfors"),
    postal_address=PerLanguage(
        "PL 800, 00531 Helsinki", "PB 800, 00531 Helsingfors", "P.O. Box 800, 00531 Helsinki"
    ),
    phone="+358 29 566 6700",
    # The complaint can be made in the e-service on the website.
    website="https://tietosuoja.fi/",
    email="tietosuoja@om.fi",
)

# Art. 78-79: the courts, beside the complaint and without prejudice to it.
JUDICIAL_REMEDY = _(
    "You also have the right to an effective judicial remedy: you may bring proceedings "
    "against us before a court (in Finland, the district court) under GDPR Art. 79, and a "
    "decision of the Data Protection Ombudsman can be appealed to the administrative court "
    "(Art. 78)."
)

# The date the privacy notice's content was last changed; bump it when a declaration changes.
NOTICE_DATE = datetime.date(2026, 11, 30)
