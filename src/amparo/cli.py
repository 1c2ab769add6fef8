"""The ``amparo`` command: Django's management commands plus Amparo's own.

``amparo serve``, ``amparo worker``, ``amparo demo``, ``amparo migrate``, ``amparo audit verify``,
``amparo keys ...``, ``amparo campaigns detect ...``, ``amparo tdb ingest ...`` and the rest of
``amparo help``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["amparo", *args])


if __name__ == "__main__":
    main()
