"""Every reporter-facing string exists in every reporter language, and catalogues compile."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "amparo" / "locale"
REPORTER_LANGUAGES = ["es", "fr", "pt", "ar", "fa", "ur", "ru", "uk", "tr", "vi", "id", "sw"]
REPORTER_SOURCES = re.compile(
    r"intake/templates/intake/(report_form|report_done|followup|status|slow_down|field|public_base)\.html"
    r"|intake/(forms|choices|evidence|views_public|reporter_status)\.py|templates/(base|500)\.html"
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def reporter_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [
        e
        for e in po
        if not e.obsolete and any(REPORTER_SOURCES.search(path) for path, _line in e.occurrences)
    ]


@pytest.mark.parametrize("language", REPORTER_LANGUAGES)
def test_every_reporter_facing_string_is_translated(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    entries = reporter_entries(po)
    assert len(entries) > 100
    missing = [
        e.msgid
        for e in entries
        if not (e.msgstr or any(e.msgstr_plural.values())) or "fuzzy" in e.flags
    ]
    assert not missing, f"{language}: translate {missing[:5]}"


@pytest.mark.parametrize("language", REPORTER_LANGUAGES)
def test_placeholders_survive_translation(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    for entry in po.translated_entries():
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                assert set(PLACEHOLDER.findall(text)) == wanted, (language, entry.msgid)


def test_compiled_catalogues_are_current():
    result = subprocess.run(
        [sys.executable, "scripts/compile_messages.py", "--check"], cwd=ROOT, check=False
    )
    assert result.returncode == 0, "run: make messages"


def test_reporter_pages_are_really_translated(client, db):
    from amparo.accounts.services import create_organisation

    create_organisation(name="Org", slug="org", actor=None)
    english = client.get("/report/org/?lang=en").content.decode()
    for language in REPORTER_LANGUAGES:
        page = client.get(f"/report/org/?lang={language}").content.decode()
        assert "Tell us what happened, in your own words" in english
        assert "Tell us what happened, in your own words" not in page, language
        assert "Send my report" not in page, language
