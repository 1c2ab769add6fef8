"""The ``amparo`` command: Django's management commands plus Amparo's own.

``amparo serve``, ``amparo worker``, ``amparo demo``, ``amparo setup``, ``amparo migrate``,
``amparo audit verify``, ``amparo keys ...``, ``amparo campaigns detect ...``,
``amparo tdb ingest ...`` and the rest of ``amparo help``.

Every command starts without any environment set: a setting is only required by the commands
that use it (the web secret by ``serve`` and ``worker``, the key-encryption key by whatever
opens encrypted data). A missing or unusable setting ends the command with one line on standard
error that names the variable and how to set it, and exit status 2 — never a traceback.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

#: Exit status for a configuration problem (as for a usage error).
CONFIG_EXIT = 2

_HINTS = {
    "SECRET_KEY": (
        "AMPARO_SECRET_KEY_FILE is not set: point it at a file holding a long random string, "
        "e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > /etc/amparo/secret_key"
    ),
}


def _config_error_line(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for needle, hint in _HINTS.items():
        if needle in message and "AMPARO_" not in message:
            return f"amparo: {hint}"
    return f"amparo: {message}"


def _data_dir() -> Path:
    value = os.environ.get("AMPARO_DATA_DIR")
    return Path(value).expanduser().resolve() if value else Path.cwd() / "var"


def _private_file(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists():
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content + "\n")


def prepare_demo_environment() -> None:
    """The demo's own secrets, generated once and kept in ``var/secrets`` (mode 600).

    The demo runs with debugging off like production, so it needs a web secret and a
    key-encryption key; an operator's own settings win. Cookies are not marked Secure because
    the demo answers over plain HTTP on the loopback address.
    """
    from amparo.keyring import envelope

    secrets_dir = _data_dir() / "secrets"
    if not (os.environ.get("AMPARO_SECRET_KEY") or os.environ.get("AMPARO_SECRET_KEY_FILE")):
        path = secrets_dir / "secret_key"
        _private_file(path, secrets.token_urlsafe(50))
        os.environ["AMPARO_SECRET_KEY_FILE"] = str(path)
    if not (os.environ.get("AMPARO_KEK") or os.environ.get("AMPARO_KEK_FILE")):
        path = secrets_dir / "kek.key"
        _private_file(path, envelope.format_key(envelope.new_key()))
        os.environ["AMPARO_KEK_FILE"] = str(path)
    os.environ.setdefault("AMPARO_SECURE_COOKIES", "0")


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    if args[:1] in (["demo"], ["demo_code"]) and not {"-h", "--help"} & set(args):
        prepare_demo_environment()

    from django.core.exceptions import ImproperlyConfigured
    from django.db.utils import InterfaceError, OperationalError

    from amparo.conf.env import ConfigurationError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["amparo", *args])
    except (ConfigurationError, ImproperlyConfigured) as exc:
        print(_config_error_line(exc), file=sys.stderr)
        sys.exit(CONFIG_EXIT)
    except (OperationalError, InterfaceError) as exc:
        # No such database, wrong password, server down: operators' errors, with schema and
        # host names in them but no one's data.
        detail = " ".join(str(exc).split())
        print(
            f"amparo: the database cannot be used (check DATABASE_URL): {detail}", file=sys.stderr
        )
        sys.exit(CONFIG_EXIT)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
