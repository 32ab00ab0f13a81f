"""Background work on the request queue (Django's task framework; run by `manage.py db_worker`)."""

from django_tasks import task

from subject_requests.reminders import reminders_send


@task()
def remind_due_requests(days: int = 5) -> dict:
    reminder = reminders_send(days=days)
    return {"requests": len(reminder.requests), "recipients": len(reminder.recipients)}
