"""Shared fixtures. The people in these tests have names:

* Alice — administrator of the Defenders Helpline;
* Adam — a second administrator there (needed to approve an MFA reset);
* Carlos — caseworker; Vera — viewer; Ines — trusted intermediary from a partner;
* Otto — administrator of Other Org, an outsider to the Defenders Helpline.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

STRICT = os.environ.get("AMPARO_STRICT_TESTS") == "1"
CHROMIUM = os.environ.get("AMPARO_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "correct horse battery staple"


def require(condition: bool, reason: str) -> None:
    """Skip when something the test needs is missing; in strict mode (CI), fail instead."""
    if condition:
        return
    if STRICT:
        pytest.fail(f"strict mode: {reason}")
    pytest.skip(reason)


def _django_ready() -> bool:
    from django.apps import apps
    from django.conf import settings

    return settings.configured and apps.ready


def _patch_flush() -> None:
    """Transactional tests end with a flush; the audit table refuses DELETE unless unlocked.

    Patched for the whole session: pytest-django flushes after every fixture has finished.
    """
    from django.core.management.commands import flush

    original = flush.Command.handle

    def handle(self: Any, **options: Any) -> Any:
        from amparo.audit.maintenance import maintenance

        with maintenance():
            return original(self, **options)

    flush.Command.handle = handle  # type: ignore[method-assign]


_patch_flush()


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    if not _django_ready():
        yield
        return
    from django.core.cache import cache

    from amparo.intake import indicators, search, tokens, urgency
    from amparo.keyring.services import forget_cached_keys

    yield
    forget_cached_keys()
    tokens.forget()
    urgency.forget_risk_periods()
    indicators.forget_keys()
    search.forget_keys()
    try:
        cache.clear()
    except Exception:
        pass
    # A page served in another language leaves that language active in this thread (Django's
    # LocaleMiddleware activates it per request and never resets it): the next test starts in
    # the default language, as every request and job in production starts from its own.
    from django.utils import translation

    translation.deactivate()


class People:
    def __init__(self) -> None:
        from amparo.accounts import services
        from amparo.accounts.models import User
        from amparo.accounts.roles import Role

        self.org = services.create_organisation(
            name="Defenders Helpline", slug="defenders", actor=None
        )
        self.other_org = services.create_organisation(name="Other Org", slug="other", actor=None)

        def person(email: str, org: Any, role: str) -> Any:
            user = User.objects.create_user(
                email, PASSWORD, display_name=email.split("@")[0].title()
            )
            services.add_member(org, user, role, actor=None)
            return user

        self.alice = person("alice@defenders.example", self.org, Role.ADMIN)
        self.adam = person("adam@defenders.example", self.org, Role.ADMIN)
        self.carlos = person("carlos@defenders.example", self.org, Role.CASEWORKER)
        self.vera = person("vera@defenders.example", self.org, Role.VIEWER)
        self.ines = person("ines@partner.example", self.org, Role.INTERMEDIARY)
        self.otto = person("otto@other.example", self.other_org, Role.ADMIN)

    def all_users(self) -> list[Any]:
        return [self.alice, self.adam, self.carlos, self.vera, self.ines, self.otto]


@pytest.fixture
def people(db: Any) -> People:
    return People()


def give_totp(user: Any, secret: str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP") -> str:
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    return secret


def totp_now(secret: str, offset: int = 0) -> str:
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time() // 30) + offset))


def wait_for_fresh_totp_window(min_left: float = 5.0) -> None:
    """Avoid a code that would expire between computing and submitting it."""
    import time

    left = 30 - (time.time() % 30)
    if left < min_left:
        time.sleep(left + 0.2)


@pytest.fixture
def signed_in(client: Any) -> Any:
    """Sign a person in as the app sees them after password and MFA (for view tests)."""

    def _sign_in(user: Any) -> Any:
        from allauth.mfa.models import Authenticator

        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            give_totp(user)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _sign_in


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    """A real SMTP server on localhost (aiosmtpd) that keeps what it receives."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message
    from django.conf import settings

    class Keep(Message):
        def __init__(self) -> None:
            super().__init__()
            self.messages: list[Any] = []

        def handle_message(self, message: Any) -> None:
            self.messages.append(message)

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    old = (settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_BACKEND)
    # Django's test set-up swaps in an in-memory mail backend; these tests use real SMTP.
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    try:
        yield handler
    finally:
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_BACKEND = old
        controller.stop()


def file_contains(path: str, needle: bytes) -> bool:
    """Search a database file from another process.

    Opening and closing a SQLite file in this process would drop the POSIX locks that this
    process's own SQLite connections hold on it (a documented SQLite pitfall), and break WAL
    visibility for the live server and later tests.
    """
    import subprocess
    import sys

    code = "import sys; data=open(sys.argv[1],'rb').read(); sys.exit(0 if bytes.fromhex(sys.argv[2]) in data else 1)"
    result = subprocess.run([sys.executable, "-c", code, path, needle.hex()], check=False)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"could not read {path}")
    return result.returncode == 0


# One chromium for the whole session, shared by tests/browser and tests/install (Playwright's
# sync API allows one instance per thread).
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require(os.path.exists(CHROMIUM), f"no chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright is not installed")
    profile = tempfile.mkdtemp(prefix="amparo-chromium-")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        with _clicks_wait_for_the_page():
            yield browser
        browser.close()
    shutil.rmtree(profile, ignore_errors=True)


@contextlib.contextmanager
def _clicks_wait_for_the_page() -> Iterator[None]:
    """A click that navigates returns once the next page has started to load, so a check made
    straight after it (``page.content()``, ``count()``, ``is_visible()``) could read a page
    still being parsed. Every click waits for the page it led to, as a person waits to see it;
    a click that does not navigate (a download, a script) returns at once."""
    from playwright.sync_api import Locator, Page

    locator_click, page_click = Locator.click, Page.click

    def click_locator(self: Any, *args: Any, **kwargs: Any) -> None:
        locator_click(self, *args, **kwargs)
        self.page.wait_for_load_state()

    def click_page(self: Any, *args: Any, **kwargs: Any) -> None:
        page_click(self, *args, **kwargs)
        self.wait_for_load_state()

    Locator.click, Page.click = click_locator, click_page  # type: ignore[method-assign]
    try:
        yield
    finally:
        Locator.click, Page.click = locator_click, page_click  # type: ignore[method-assign]


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Tests marked ``database("postgresql")`` (or ``"sqlite"``) run only in that database's pass
    of scripts/run_tests.py; in the other pass they are deselected, not skipped, so a strict run
    still skips nothing."""
    from django.db import connection

    keep, drop = [], []
    for item in items:
        marker = item.get_closest_marker("database")
        (drop if marker and marker.args[0] != connection.vendor else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
