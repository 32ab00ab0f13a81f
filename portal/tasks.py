"""The core's background work (Django's task framework; run by `manage.py db_worker`)."""

from django_tasks import task

from portal.retention_service import retention_apply


@task()
def apply_retention() -> dict:
    """The daily retention run (`manage.py apply_retention --enqueue` hands it here)."""
    summary = retention_apply()
    return {
        "today": summary.today.isoformat(),
        "registers": summary.counts(),
        "auth_events": summary.auth_events,
    }
