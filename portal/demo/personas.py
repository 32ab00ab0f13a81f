"""The named demo people: each shows one shape of customer the portal must handle.

Maija is in all four registers, Matti only on the newsletter list, Liisa is the contact person
of a company customer, Toivo is on the postal list with no email at all (staff-side only).
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from accounts import roles
from portal.demo import SEED, DemoPerson, at
from portal.demo.generated import orders_for
from portal.validators import business_id_check_digit

# Published on purpose: load_demo prints it and refuses to run with DEBUG off.
DEMO_PASSWORD = "demo-password-2026"

MAIJA_EMAIL = "maija.meikalainen@example.fi"
MATTI_EMAIL = "matti.virtanen@example.com"
LIISA_EMAIL = "liisa.lahtinen@example.org"
LIISA_COMPANY = "Lähtisen LVI-huolto Oy"
LIISA_BUSINESS_ID = f"2876543-{business_id_check_digit('2876543')}"

# What the command prints, so that a developer knows whom to sign in as.
SIGN_INS = (
    (
        MAIJA_EMAIL,
        "Maija Meikäläinen: all four registers, 36 orders; "
        f"web-shop user maija.m / {DEMO_PASSWORD}",
    ),
    (MATTI_EMAIL, "Matti Virtanen: newsletter only"),
    (
        LIISA_EMAIL,
        f"Liisa Lähtinen: contact person of {LIISA_COMPANY}; "
        f"web-shop user liisa.lahtinen / {DEMO_PASSWORD}",
    ),
)
NO_EMAIL_NOTE = "Toivo Mäkinen (Tampere) is in the postal register only and has no email."

STAFF = (
    {
        "email": "rekisteriasiat@example.fi",
        "first_name": "Katri",
        "last_name": "Rissanen",
        "role": roles.CONTACT_PERSON,
        "password": "demo-staff-2026",
        # A published TOTP secret: acceptable only because load_demo refuses DEBUG off.
        "totp_secret": "KRSXG5DPOJDGK3LPKRSXG5DPOJDGK3LP",
    },
    {
        "email": "rekisterinpito@example.fi",
        "first_name": "Jouni",
        "last_name": "Heiskanen",
        "role": roles.REGISTER_MAINTAINER,
        "password": "demo-maintainer-2026",
        "totp_secret": "MRSW233NMFUW45DBNFXGK4RSGAZDMMBS",
    },
)


def _confirmed(email: str, joined) -> dict:
    return {
        "email": email,
        "status": "confirmed",
        "subscribed_at": joined,
        "created_at": joined,
        "confirmed_at": joined + timedelta(minutes=7),
    }


def _maija(rng: random.Random, today: date) -> DemoPerson:
    since = at(today - timedelta(days=1300), 10)
    addr = {"street_address": "Koivukuja 3 B 12", "postal_code": "00720", "post_office": "Helsinki"}
    details = {
        "customer_type": "person",
        "first_name": "Maija",
        "last_name": "Meikäläinen",
        "phone": "+358401234567",
        "email": MAIJA_EMAIL,
        "created_at": since,
        **addr,
        "payment_terms": "14 pv netto",
        "credit_limit": Decimal("2000.00"),
    }
    return DemoPerson(
        display_name="Maija Meikäläinen",
        customer_number="100101",
        billing=details,
        postal={
            "first_name": "Maija",
            "last_name": "Meikäläinen",
            "created_at": since,
            **addr,
            "disclosure_allowed": True,
            "postal_marketing_allowed": True,
        },
        newsletter=_confirmed(MAIJA_EMAIL, at(today - timedelta(days=900), 19, 42)),
        webshop={**details, "username": "maija.m"},
        password=DEMO_PASSWORD,
        orders=orders_for(
            rng, number="100101", count=36, addr=addr, today=today, span_days=3 * 365, returns=2
        ),
    )


def _matti(today: date) -> DemoPerson:
    return DemoPerson(
        display_name="Matti Virtanen",
        newsletter=_confirmed(MATTI_EMAIL, at(today - timedelta(days=200), 8, 15)),
    )


def _liisa(rng: random.Random, today: date) -> DemoPerson:
    since = at(today - timedelta(days=2100), 9)
    addr = {"street_address": "Teollisuuskatu 9", "postal_code": "15100", "post_office": "Lahti"}
    details = {
        "customer_type": "company",
        "company_name": LIISA_COMPANY,
        "business_id": LIISA_BUSINESS_ID,
        "contact_person": "Liisa Lähtinen",
        "phone": "+358405556677",
        "fax": "+35838123456",
        "email": LIISA_EMAIL,
        "created_at": since,
        **addr,
        "delivery_instructions": "Lastauslaituri 2",
        "payment_terms": "30 pv netto",
        "credit_limit": Decimal("10000.00"),
    }
    return DemoPerson(
        display_name="Liisa Lähtinen",
        customer_number="100102",
        billing=details,
        webshop={**details, "username": "liisa.lahtinen"},
        password=DEMO_PASSWORD,
        orders=orders_for(rng, number="100102", count=4, addr=addr, today=today, span_days=365),
    )


def _toivo(today: date) -> DemoPerson:
    return DemoPerson(
        display_name="Toivo Mäkinen",
        customer_number="100103",
        postal={
            "first_name": "Toivo",
            "last_name": "Mäkinen",
            "created_at": at(today - timedelta(days=2500), 11),
            "street_address": "Hämeenkatu 21 A 4",
            "postal_code": "33200",
            "post_office": "Tampere",
            # He has forbidden disclosure to partners (seed 7.2), so both flags show up.
            "disclosure_allowed": False,
            "postal_marketing_allowed": True,
        },
    )


def named_people(today: date) -> list[DemoPerson]:
    # A seed of their own, so that changes to the generated customers leave them as they are.
    rng = random.Random(SEED + 1)
    return [_maija(rng, today), _matti(today), _liisa(rng, today), _toivo(today)]
