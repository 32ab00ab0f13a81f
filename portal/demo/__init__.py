"""Fictitious demo data for development: named personas and a few hundred generated customers.

Everything here is invented. The plan is built as plain data first (personas.py, generated.py)
and written by loader.demo_load, so the data can be read and tested without a database.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

# A fixed seed, so that every developer's database holds the same generated customers.
SEED = 2026
DEMO_DOMAINS = ("example.fi", "example.com", "example.org")


@dataclass
class DemoOrder:
    """One web-shop order with the events it produced; dicts hold model field values."""

    order: dict
    delivery: dict
    invoice: dict
    returns: list[dict] = field(default_factory=list)


@dataclass
class DemoPerson:
    """One data subject and their record in each register they appear in (None: not there)."""

    display_name: str
    customer_number: str = ""
    billing: dict | None = None
    postal: dict | None = None
    newsletter: dict | None = None
    webshop: dict | None = None
    password: str | None = None  # raw web-shop password; only named personas have one
    orders: list[DemoOrder] = field(default_factory=list)

    @property
    def key(self) -> str:
        """What ties a rerun to the same subject: the customer number, else the list address."""
        if self.customer_number:
            return self.customer_number
        return f"newsletter:{self.newsletter['email']}" if self.newsletter else ""


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)
