"""Settings of a task worker started by a test in a process of its own (tests/workers.py): the
suite's settings, with the database task backend instead of the in-process one, so that the
worker runs the tasks the test process wrote into the test database (DATABASE_URL)."""

from portal.settings_test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
