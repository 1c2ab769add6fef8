"""A new installation, start to finish: `amparo migrate` on an empty database creates everything
the app needs (the cache table included), `amparo setup` makes the first organisation and an
invitation, and the first administrator sets a password, enrols TOTP and signs in — in chromium,
against `amparo serve` and `amparo worker` as separate processes."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.install.conftest import FreshDatabase, amparo, clean_env, free_port, get, running

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _totp(secret: str, at: float) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(at // 30)))


def _wait_for_window_after(used: float) -> None:
    """A TOTP code works once: wait for the next 30-second window after ``used``."""
    while int(time.time() // 30) == int(used // 30) or 30 - time.time() % 30 < 4:
        time.sleep(0.5)


def test_migrate_setup_and_first_sign_in(
    fresh_database: FreshDatabase, browser, tmp_path: Path
) -> None:
    port = free_port()
    kek = tmp_path / "keys" / "kek.key"
    secret = tmp_path / "keys" / "secret_key"
    env = clean_env(tmp_path)
    made = amparo("keys", "generate-kek", str(kek), env=env, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    secret.write_text("fresh-install-test-secret-" + "x" * 40)
    env = clean_env(
        tmp_path,
        DATABASE_URL=fresh_database.url,
        AMPARO_KEK_FILE=str(kek),
        AMPARO_SECRET_KEY_FILE=str(secret),
        AMPARO_DATA_DIR=str(tmp_path / "data"),
        AMPARO_SITE_URL=f"http://127.0.0.1:{port}",
        AMPARO_SECURE_COOKIES="0",
    )

    migrated = amparo("migrate", env=env, cwd=tmp_path, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    assert "amparo_cache" in fresh_database.tables()

    setup = amparo(
        "setup",
        "--organisation",
        "Línea Segura",
        "--admin-email",
        "First.Admin@example.org",
        "--country",
        "mx",
        "--language",
        "es",
        "--no-input",
        env=env,
        cwd=tmp_path,
    )
    assert setup.returncode == 0, setup.stderr
    link = re.search(rf"http://127\.0\.0\.1:{port}/invite/\S+/", setup.stdout)
    assert link, setup.stdout

    with running(env, tmp_path, port) as base:
        page = browser.new_context(base_url=base).new_page()
        page.goto(link.group(0))
        page.locator("input[name=display_name]").fill("Primera Admin")
        page.locator("input[name=password1]").fill("a long first passphrase 2026")
        page.locator("input[name=password2]").fill("a long first passphrase 2026")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url("**/2fa/totp/activate/")
        totp_secret = page.locator("#authenticator_secret").input_value()
        if 30 - time.time() % 30 < 4:
            time.sleep(5)
        enrolled_at = time.time()
        page.locator("input[name=code]").fill(_totp(totp_secret, enrolled_at))
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
        assert "/2fa/totp/activate/" not in page.url

        # Sign out, then sign in as the administrator will every day.
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        page.locator("input[name=login]").fill("first.admin@example.org")
        page.locator("input[name=password]").fill("a long first passphrase 2026")
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url("**/2fa/authenticate/")
        _wait_for_window_after(enrolled_at)
        page.get_by_role("textbox", name="Code").fill(_totp(totp_secret, time.time()))
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(f"{base}/")
        members = page.goto(f"{base}/o/linea-segura/members/")
        assert members is not None and members.status == 200
        assert "first.admin@example.org" in page.content()

        # The invitation worked once.
        assert get(link.group(0))[0] == 404

    again = amparo(
        "setup", "--organisation", "Línea Segura", "--admin-email", "x@example.org",
        "--no-input", env=env, cwd=tmp_path,
    )  # fmt: skip
    assert again.returncode != 0
    assert "already has an administrator" in again.stderr
