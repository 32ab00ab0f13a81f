"""Run a piece of code in a fresh process with the production settings (DEBUG off, every
required variable set to a test value): the suite itself runs development's settings."""

import json
import os
import subprocess
import sys

from tests.test_settings import PRODUCTION_ENV, ROOT


def run_in_production(script: str, **env_changes) -> tuple[object, str]:
    """Run `script` (which prints one JSON value last) under portal.settings; (value, stderr)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE", *PRODUCTION_ENV}
    }
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="portal.settings", **env_changes)
    result = subprocess.run(
        [sys.executable, "-c", "import django\ndjango.setup()\n" + script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr
