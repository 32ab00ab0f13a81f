from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        # Imported once the app registry is ready: both use the models.
        from accounts import signals
        from accounts.postal_claims import claims_purge
        from accounts.roles import ensure_role_groups
        from portal.retention_service import DAILY_JOBS

        signals.connect()
        post_migrate.connect(ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
        DAILY_JOBS["postal claims"] = claims_purge
