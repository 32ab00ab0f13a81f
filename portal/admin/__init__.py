from portal.admin import audit, registers  # noqa: F401  (registers the ModelAdmins)
