"""Every reporter-facing string exists in every reporter language, every staff string in every
staff language, and catalogues compile."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "amparo" / "locale"
REPORTER_LANGUAGES = ["es", "fr", "pt", "ar", "fa", "ur", "ru", "uk", "tr", "vi", "id", "sw"]
REPORTER_SOURCES = re.compile(
    r"intake/templates/intake/(report_form|report_done|followup|status|slow_down|field|public_base)\.html"
    r"|intake/(forms|choices|evidence|views_public|reporter_status)\.py|templates/(base|500)\.html"
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
#: The languages staff may pick (settings.STAFF_LANGUAGES), English aside: it is the language
#: of the msgids, with no catalogue of its own.
STAFF_LANGUAGES = [code for code in settings.STAFF_LANGUAGES if code != "en"]
#: The catalogue a string shown to staff is added to first (Spanish): it holds every string of
#: the code (test_every_string_of_the_code_is_in_the_reference_catalogue), and every other staff
#: language must translate each of its msgids.
STAFF_REFERENCE = "es"
#: gettext's keywords as Django's makemessages passes them to xgettext: name -> arguments.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def strings_of_the_code() -> set[tuple[str | None, str]]:
    """Every (context, msgid) that ``makemessages`` would extract from src/amparo, found without
    GNU gettext: Babel's Python extractor over the Python files and over the templates as
    Django's own ``templatize`` rewrites them for xgettext."""
    import io

    from babel.messages.extract import extract_python
    from django.utils.translation.template import templatize

    package = ROOT / "src" / "amparo"
    found: set[tuple[str | None, str]] = set()

    def add(source: bytes) -> None:
        for _line, func, message, _comments in extract_python(
            io.BytesIO(source), list(KEYWORDS), [], {}
        ):
            parts = message if isinstance(message, tuple) else (message,)
            context = parts[0] if func.startswith(("pgettext", "npgettext")) else None
            msgid = parts[1] if context is not None else parts[0]
            if msgid:
                found.add((context, msgid))

    for path in package.rglob("*.py"):
        if "migrations" not in path.parts:
            add(path.read_bytes())
    for path in [*package.rglob("templates/**/*.html"), *package.rglob("templates/**/*.txt")]:
        add(templatize(path.read_text(encoding="utf-8"), origin=str(path)).encode("utf-8"))
    return found


def test_every_string_of_the_code_is_in_the_reference_catalogue():
    """A string added to the code is added to the catalogues (makemessages, then translated):
    a page in a staff language never falls back to English for part of it."""
    code = strings_of_the_code()
    have = {(e.msgctxt, e.msgid) for e in catalogue(STAFF_REFERENCE) if not e.obsolete}
    assert len(code) > 1000
    missing = sorted(code - have, key=lambda k: k[1])
    assert not missing, (
        f"{len(missing)} strings of the code are in no catalogue, such as {missing[:5]}: run "
        "`cd src/amparo && ../../.venv/bin/amparo makemessages -l es -l ar -l fr -l pt -l ru` "
        "and translate them"
    )


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


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


def _translated(entry: polib.POEntry, nplurals: int) -> bool:
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return all(entry.msgstr_plural.get(n) for n in range(nplurals))
    return bool(entry.msgstr)


def test_the_staff_languages_are_languages_of_the_site():
    codes = [code for code, _name in settings.LANGUAGES]
    assert "en" in settings.STAFF_LANGUAGES
    assert set(settings.STAFF_LANGUAGES) <= set(codes)
    assert STAFF_REFERENCE in settings.STAFF_LANGUAGES


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
def test_every_staff_string_is_translated(language):
    reference = [(e.msgctxt, e.msgid) for e in catalogue(STAFF_REFERENCE) if not e.obsolete]
    po = catalogue(language)
    nplurals = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    entries = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    assert len(reference) > len(reporter_entries(po))
    missing = [
        msgid
        for msgctxt, msgid in reference
        if (msgctxt, msgid) not in entries or not _translated(entries[msgctxt, msgid], nplurals)
    ]
    assert not missing, f"{language}: translate {len(missing)} strings, such as {missing[:5]}"


def test_staff_are_offered_the_staff_languages_and_reporters_theirs(client, people, signed_in):
    staff_page = signed_in(people.carlos).get("/").content.decode()
    offered = re.findall(r'<option value="(\w+)" lang=', staff_page)
    assert offered == [c for c, _n in settings.LANGUAGES if c in settings.STAFF_LANGUAGES]
    client.logout()
    form = client.get("/report/defenders/").content.decode()
    assert re.findall(r'<option value="(\w+)" lang=', form) == [c for c, _n in settings.LANGUAGES]


def _menu(page: str) -> list[str]:
    """The words of the staff menu's links, in order."""
    nav = re.search(r'<ul class="nav">(.*?)</ul>', page, re.S)
    assert nav, "no staff menu on the page"
    return [unescape(text).strip() for text in re.findall(r"<a [^>]*>([^<]+)", nav.group(1))]


@pytest.mark.parametrize("language", ["fr", "ru"])
def test_a_caseworkers_queue_and_case_page_are_in_their_language(language, people, signed_in):
    from django.utils import translation

    from amparo.cases.services import open_case
    from amparo.intake.choices import IncidentType
    from tests.cases.conftest import new_report

    report = new_report(people.org, incident_type=IncidentType.ACCOUNT_SUSPENDED)
    case = open_case(people.org, reports=[report], title="Page suspended", actor=people.carlos)
    client = signed_in(people.carlos)
    translated = {e.msgid for e in catalogue(language).translated_entries()}
    with translation.override(language):
        incident = str(IncidentType.ACCOUNT_SUSPENDED.label)
    assert incident != "My account was suspended or disabled"
    for path in ["/o/defenders/reports/", f"/o/defenders/cases/{case.pk}/"]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = _menu(client.get(path).content.decode())
        assert {"Reports", "Cases", "Escalations", "Collective actions"} <= set(english)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(path).content.decode()
        assert f'<html lang="{language}"' in page, path
        assert [e for e in english if e not in translated] == [], path
        with translation.override(language):
            assert _menu(page) == [translation.gettext(e) for e in english], path
        assert "Cases" not in _menu(page) and "Escalations" not in _menu(page), path
        assert incident in unescape(page), path
        assert "My account was suspended or disabled" not in page, path
