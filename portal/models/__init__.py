from portal.models.audit import AuditChainHead, AuditEvent
from portal.models.billing import BillingCustomer
from portal.models.disclosures import DisclosedPerson, Disclosure
from portal.models.extract_jobs import ExtractJob
from portal.models.extracts import IssuedExtract
from portal.models.newsletter import NewsletterConsent, NewsletterSubscription
from portal.models.postal import PostalRecipient
from portal.models.subjects import DataSubject
from portal.models.suppression import Suppression
from portal.models.webshop import Delivery, Invoice, Order, Return, WebshopAccount

__all__ = [
    "AuditChainHead",
    "AuditEvent",
    "BillingCustomer",
    "DataSubject",
    "DisclosedPerson",
    "Disclosure",
    "Delivery",
    "ExtractJob",
    "Invoice",
    "IssuedExtract",
    "NewsletterConsent",
    "NewsletterSubscription",
    "Order",
    "PostalRecipient",
    "Return",
    "Suppression",
    "WebshopAccount",
]
