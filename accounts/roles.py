"""Staff roles as groups, with least privilege: each role gets only the permissions it needs."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

from portal.registers.catalogue import DECLARED_MODELS

CONTACT_PERSON = "contact_person"
REGISTER_MAINTAINER = "register_maintainer"
ADMINISTRATOR = "administrator"

ROLE_LABELS = {
    CONTACT_PERSON: _("Contact person for register matters"),
    REGISTER_MAINTAINER: _("Register maintainer"),
    ADMINISTRATOR: _("Administrator"),
}

# The data subjects, and every model a register declaration keeps personal data in.
REGISTER_MODELS = ("datasubject", *(declared.model_name for declared in DECLARED_MODELS))
# Codenames are looked up within these apps only, so that another app's model of the same name
# never lends a role its permissions.
PERMISSION_APPS = sorted({"portal", "accounts", "auth", *(d.app_label for d in DECLARED_MODELS)})


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
    """Create the role groups and (re)set their permissions; run after every migrate.

    post_migrate reaches this handler for each app before Django's own handler has made that
    app's permissions (this one is connected first), so the declared apps' permissions are
    made here first: otherwise a register whose app comes last in INSTALLED_APPS would be in
    no role at all."""
    for label in PERMISSION_APPS:
        create_permissions(apps.get_app_config(label), verbosity=0)
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        perms = Permission.objects.filter(
            codename__in=codenames, content_type__app_label__in=PERMISSION_APPS
        )
        group.permissions.set(perms)


# A member of staff is named by role, never by name, where a person reads who looked at their
# data (CJEU C-579/21). The first of these the user holds is their role.
STAFF = "staff"


def staff_role(user) -> str:
    """The role code of a member of staff: one of ROLE_LABELS, or STAFF for a member of staff
    in no role group (a superuser counts as an administrator)."""
    held = set(user.groups.values_list("name", flat=True))
    for role in ROLE_LABELS:
        if role in held:
            return role
    return ADMINISTRATOR if user.is_superuser else STAFF


def role_label(code: str):
    """The role's name for people; any other code (an unknown or older one) as "staff"."""
    return ROLE_LABELS.get(code, _("Member of staff"))
