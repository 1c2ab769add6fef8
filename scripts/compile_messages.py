"""Compile every src/amparo/locale/*/LC_MESSAGES/django.po to .mo with polib (no GNU gettext
needed on the machine), and fail if a catalogue has a syntax error.

    python scripts/compile_messages.py [--check]   # --check: exit 1 if a .mo is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src" / "amparo" / "locale"


def main() -> int:
    check = "--check" in sys.argv
    stale = []
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        po = polib.pofile(str(po_path))
        mo_path = po_path.with_suffix(".mo")
        if check:
            if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime - 1:
                fresh = polib.mofile(str(mo_path)) if mo_path.exists() else None
                current = {(e.msgctxt, e.msgid): e.msgstr for e in fresh} if fresh else {}
                wanted = {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries()}
                if any(current.get(k) != v for k, v in wanted.items()):
                    stale.append(str(mo_path))
            continue
        po.save_as_mofile(str(mo_path))
        print(f"{po_path.parent.parent.name}: {po.percent_translated()}% translated")
    if stale:
        print("stale:", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
