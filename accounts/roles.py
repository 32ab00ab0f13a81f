"""Staff roles as groups, with least privilege: each role gets only the permissions it needs."""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

CONTACT_PERSON = "contact_person"
REGISTER_MAINTAINER = "register_maintainer"
ADMINISTRATOR = "administrator"

ROLE_LABELS = {
    CONTACT_PERSON: _("Contact person for register matters"),
    REGISTER_MAINTAINER: _("Register maintainer"),
    ADMINISTRATOR: _("Administrator"),
}

REGISTER_MODELS = (
    "datasubject",
    "billingcustomer",
    "postalrecipient",
    "newslettersubscription",
    "webshopaccount",
    "order",
    "delivery",
    "invoice",
    "return",
)


def _perms(actions, models):
    return [f"{action}_{model}" for action in actions for model in models]


ROLE_PERMISSIONS = {
    # Works the request queue: reads register data, never edits it directly.
    CONTACT_PERSON: _perms(["view"], REGISTER_MODELS) + ["view_auditevent", "view_issuedextract"],
    # Loads and maintains register data (every change is audited).
    REGISTER_MAINTAINER: _perms(["view", "add", "change", "delete"], REGISTER_MODELS),
    # Configures the portal and checks the audit trail; register edits stay with maintainers.
    ADMINISTRATOR: _perms(["view"], REGISTER_MODELS)
    + ["view_auditevent", "view_issuedextract"]
    + _perms(["view", "add", "change"], ["user"])
    + ["view_group"],
}


def ensure_role_groups(**kwargs):
    """Create the role groups and (re)set their permissions; run after every migrate."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        perms = Permission.objects.filter(
            codename__in=codenames, content_type__app_label__in=["portal", "accounts", "auth"]
        )
        group.permissions.set(perms)
