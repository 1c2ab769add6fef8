"""Write docs/cli.md from the ``--help`` of every Amparo command (tests check it is current).

python scripts/cli_reference.py            # rewrite docs/cli.md
python scripts/cli_reference.py --check    # exit 1 if docs/cli.md is stale
"""

from __future__ import annotations

import io
import os
import sys
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"
HEADER = """# Command-line reference

`amparo` is Django's management command line with Amparo's settings, plus Amparo's own commands.
Every Django command (`amparo migrate`, `amparo createcachetable`, `amparo check`, ...) works too.
This page is generated from each command's `--help` by `scripts/cli_reference.py`; a test fails
when it is out of date.
"""


def amparo_commands() -> list[str]:
    from django.core.management import get_commands

    return sorted(name for name, app in get_commands().items() if app.startswith("amparo."))


def help_text(name: str) -> str:
    from django.core.management import get_commands, load_command_class

    command = load_command_class(get_commands()[name], name)
    parser = command.create_parser("amparo", name)
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        parser.print_help()
    text = buffer.getvalue()
    # argparse wraps to the terminal width; fix it so the page is stable.
    return text.strip()


def render() -> str:
    parts = [HEADER]
    for name in amparo_commands():
        parts.append(f"\n## `amparo {name}`\n\n```text\n{help_text(name)}\n```\n")
    return "".join(parts)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ["COLUMNS"] = "100"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    text = render()
    if "--check" in sys.argv:
        return 0 if DOC.exists() and DOC.read_text() == text else 1
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
