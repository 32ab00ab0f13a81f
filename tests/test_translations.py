"""Finnish and Swedish are complete: no untranslated and no fuzzy entries."""

import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("flag", ["--untranslated", "--only-fuzzy"])
def test_catalogue_is_complete(lang, flag):
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgattrib", flag, "--no-obsolete", str(po)], capture_output=True, text=True, check=True
    )
    entries = [line for line in result.stdout.splitlines() if line.startswith("msgid ")]
    # msgattrib prints the header entry (msgid "") whenever anything else matches.
    assert [e for e in entries if e != 'msgid ""'] == [], result.stdout[:2000]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_catalogue_compiles_cleanly(lang):
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
