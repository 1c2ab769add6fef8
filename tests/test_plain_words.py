"""Every staff page in plain words, and reachable from the menu.

A crawler signs in as each organisation role of the demo data (the demo's own seeding, as
`make demo` runs it), starts at the home page and follows the links it is shown — nothing typed.
On every page, in English and in Spanish, the text must not hold a Python repr
(``{'key': …}``, ``[{…}]``, ``<QuerySet``, ``object at 0x``), not even inside ``<code>``, nor an
unlabelled internal code (``account_suspended``, ``instagram.dsa_complaint``) outside
``<code>``-like elements. Every staff
page without an object in its address must be reached by the role that may use it: a page that
can only be found by typing its address fails here.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

pytestmark = pytest.mark.django_db

#: Visible text that betrays a Python value printed as is.
REPR = re.compile(
    r"\{'[^']{1,40}': |\[\{'|<QuerySet|object at 0x[0-9a-f]+|\bdatetime\.(date|datetime)\(|"
    r"\bDecimal\('|\bUUID\('"
)
#: An internal code shown as a word: snake_case, or platform.channel_code.
CODE = re.compile(
    r"(?<![\w@./:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/:-])|\b[a-z]+\.[a-z]+_[a-z_]+\b"
)
#: Elements whose text is meant to be read literally (identifiers, file names, examples).
LITERAL = {"code", "pre", "kbd", "samp", "script", "style", "textarea", "option"}

#: Pages that are reached by a form or a button, not a link, or that need what the demo has not
#: got; each says why. Everything else without an object id must be linked for its role.
NOT_LINKED = {
    # reached through a form's action or a POST button
    "o/<slug:org_slug>/reports/bulk/": "the queue's bulk form",
    "o/<slug:org_slug>/reports/views/": "the queue's save-view form",
    "o/<slug:org_slug>/alarms/read/": "the alarms page's mark-as-read buttons",
    "o/<slug:org_slug>/alarms/digest/": "the alarms page's daily e-mail button",
    "o/<slug:org_slug>/reports/held/": "linked from the queue while reports are held",
    "o/<slug:org_slug>/reports/held/release/": "the held reports' release button (POST)",
    "o/<slug:org_slug>/reports/held/discard/": "the held reports' discard button (POST)",
    "o/<slug:org_slug>/campaigns/schedules/": "the campaigns page's schedule form",
    "o/<slug:org_slug>/escalations/scorecard/": "the old address of the scorecard (redirects)",
    "o/<slug:org_slug>/scorecards/assessments/": "the scorecard page's assessment form",
    "o/<slug:org_slug>/scorecards/publish/": "the scorecard page's publish button",
    "o/<slug:org_slug>/accountability/reports/publish/": "the preview's publish form (POST)",
    "o/<slug:org_slug>/sharing/refresh/": "the sharing page's matching button (POST)",
    "o/<slug:org_slug>/sharing/groups/new/": "the sharing page's new-group form (POST)",
    "o/<slug:org_slug>/sharing/indicators/": "the sharing page's indicators form (POST)",
    "o/<slug:org_slug>/sharing/collective/": "the sharing page's collective-action form (POST)",
    "o/<slug:org_slug>/sharing/psi/": "the sharing page's private-comparison form (POST)",
    "o/<slug:org_slug>/sharing/risk-periods/": "the sharing page's risk-period form (POST)",
    "o/<slug:org_slug>/sharing/campaigns/": "the sharing page's campaign form (POST)",
}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        #: Every piece of text, ``<code>`` included: a Python value is never meant to be read.
        self.all_text: list[str] = []
        self._literal = 0

    _in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._in_script = True
        if tag in LITERAL:
            self._literal += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._in_script = False
        if tag in LITERAL and self._literal:
            self._literal -= 1

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._in_script:
            self.all_text.append(data.strip())
        if not self._literal and data.strip():
            self.text.append(data.strip())


def _staff_routes() -> set[str]:
    """Route patterns of every page under /o/<org_slug>/ without another parameter."""
    routes: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                params = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
                if params == {"org_slug"} and route.startswith("o/"):
                    routes.add(route)

    walk(get_resolver().url_patterns, "")
    return routes


def _route(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def crawl(client: Any, language: str, limit_per_route: int = 3) -> tuple[dict[str, str], list[str]]:
    """Follow the links from the home page. Returns {route: first path} and the problems seen."""
    client.cookies["django_language"] = language
    seen: set[str] = set()
    per_route: dict[str, int] = {}
    reached: dict[str, str] = {}
    problems: list[str] = []
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        route = _route(urlsplit(path).path)
        if route is None:
            continue
        if per_route.get(route, 0) >= limit_per_route:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code in (301, 302):
            continue
        if response.status_code != 200:
            problems.append(f"{path}: HTTP {response.status_code}")
            continue
        reached.setdefault(route, path)
        if not response.get("Content-Type", "").startswith("text/html") or response.streaming:
            continue
        parser = _Page()
        parser.feed(response.content.decode())
        text = "\n".join(parser.text)
        for match in REPR.finditer("\n".join(parser.all_text)):
            problems.append(f"{path} [{language}]: Python value shown: {match.group(0)!r}")
        for match in CODE.finditer(text):
            problems.append(f"{path} [{language}]: internal code shown: {match.group(0)!r}")
        for href in parser.links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/"):
                continue
            if href.startswith(("/static/", "/accounts/logout")):
                continue
            queue.append(href)
    return reached, problems


@pytest.fixture
def demo(db: Any) -> Any:
    from amparo.demo.features import seed_features
    from amparo.demo.reports import seed_reports
    from amparo.demo.seed import seed

    logins = seed()
    seed_reports()
    seed_features()
    return logins


def _client_for(email: str) -> Any:
    from django.test import Client

    from amparo.accounts.models import User

    client = Client()
    client.force_login(
        User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


@pytest.mark.slow
def test_every_page_a_caseworker_and_a_coordinator_reach_is_in_plain_words(demo: Any) -> None:
    problems: list[str] = []
    for email in (
        "caseworker@linea-segura.example.org",
        "coordinator@linea-segura.example.org",
        "admin@linea-segura.example.org",
    ):
        for language in ("en", "es"):
            _reached, seen = crawl(_client_for(email), language)
            problems += seen
    assert not sorted(set(problems)), "\n".join(sorted(set(problems))[:40])


@pytest.mark.slow
def test_every_staff_page_is_reached_from_the_menu_by_some_role(demo: Any) -> None:
    reached: set[str] = set()
    for role in ("admin", "coordinator", "caseworker", "viewer", "intermediary"):
        routes, _problems = crawl(_client_for(f"{role}@linea-segura.example.org"), "en", 1)
        reached |= set(routes)
    researcher, _ = crawl(_client_for("researcher@schutzraum.example.org"), "en", 1)
    reached |= set(researcher)
    assert set(NOT_LINKED) <= _staff_routes(), "NOT_LINKED names a page that no longer exists"
    unreached = sorted(_staff_routes() - reached - set(NOT_LINKED))
    assert not unreached, "pages reached only by typing their address:\n" + "\n".join(unreached)


def test_the_checks_catch_a_repr_and_a_code() -> None:
    """The patterns above are what makes the crawl able to fail."""
    assert REPR.search("{'kind': 'x'}") and REPR.search("<QuerySet [<Report>]>")
    assert CODE.search("Type: account_suspended") and CODE.search("via instagram.dsa_complaint")
    assert not CODE.search("admin@linea-segura.example.org and https://x.com/a_b")
    parser = _Page()
    parser.feed("<p>ok</p><code>field_name</code><p>{'a': 1}</p>")
    assert parser.text == ["ok", "{'a': 1}"]
