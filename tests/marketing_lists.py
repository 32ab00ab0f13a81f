"""Marketing lists imported again: the old newsletter and postal lists, each with one new
person who never objected (for tests that a suppression keeps the others out)."""

from portal.importing.service import register_import
from tests.extracts import EMAIL

POSTAL_HEADER = [
    "customer_number",
    "first_name",
    "last_name",
    "street_address",
    "postal_code",
    "post_office",
]


def re_import_old_lists(postal):
    """The old lists again, each with one person who never objected."""
    register_import(
        register="newsletter",
        dry_run=False,
        rows=[
            ["email", "status", "confirmed_at"],
            [EMAIL.upper(), "confirmed", "2024-01-01"],
            ["new.reader@example.fi", "confirmed", "2024-01-01"],
        ],
    )
    register_import(
        register="postal",
        dry_run=False,
        rows=[
            POSTAL_HEADER,
            [
                "100101",
                postal.first_name,
                postal.last_name,
                postal.street_address,
                postal.postal_code,
                postal.post_office,
            ],
            ["200202", "Uusi", "Asiakas", "Toinen katu 5", "00100", "Helsinki"],
        ],
    )
