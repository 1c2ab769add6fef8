"""``amparo dossier verify FILE [--keys KEYS.json]`` and ``amparo dossier schema``.

Needs no settings, database or secret: a regulator can run it on a copy of Amparo with nothing
configured. Exit status 0 when the dossier verifies, 1 when it does not (each problem on its
own line), 2 with one line on standard error when the file or the keys cannot be read.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .schema import parse_timestamp, schema_text
from .verify import verify

USAGE_EXIT = 2


class _Unreadable(Exception):
    pass


def load_keys(path: Path) -> dict[str, Ed25519PublicKey]:
    """Key id -> public key from a file in the format of the published ``signing-keys.json``:
    a list of ``{"key_id", "algorithm": "Ed25519", "public_key": base64 of the 32 raw bytes,
    "created_at", "retired_at"}``."""
    return load_keys_file(path)[0]


def load_keys_file(path: Path) -> tuple[dict[str, Ed25519PublicKey], dict[str, datetime | None]]:
    """The public keys of ``signing-keys.json`` and when each was retired."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _Unreadable(f"cannot read the keys file {path}: {exc}") from None
    if isinstance(entries, dict) and isinstance(entries.get("keys"), list):
        entries = entries["keys"]
    if not isinstance(entries, list):
        raise _Unreadable(f"{path}: expected a list of signing keys, as in signing-keys.json")
    keys: dict[str, Ed25519PublicKey] = {}
    retired: dict[str, datetime | None] = {}
    for index, entry in enumerate(entries):
        try:
            if entry.get("algorithm", "Ed25519") != "Ed25519":
                raise ValueError(f"algorithm {entry['algorithm']!r} is not Ed25519")
            raw = base64.b64decode(entry["public_key"], validate=True)
            keys[str(entry["key_id"])] = Ed25519PublicKey.from_public_bytes(raw)
            when = entry.get("retired_at")
            retired[str(entry["key_id"])] = parse_timestamp(when) if when else None
        except (AttributeError, KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise _Unreadable(
                f"{path}: key {index + 1} is not a usable Ed25519 key ({exc})"
            ) from None
    return keys, retired


def _verify(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
        keys, retired = load_keys_file(Path(args.keys)) if args.keys else (None, None)
    except OSError as exc:
        print(f"amparo: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return USAGE_EXIT
    except _Unreadable as exc:
        print(f"amparo: {exc}", file=sys.stderr)
        return USAGE_EXIT
    result = verify(data, public_keys=keys, retired_at=retired)
    if args.json:
        print(json.dumps(asdict(result), indent=2, ensure_ascii=False))
        return 0 if result.ok else 1
    if result.ok:
        print(
            f"OK: {path} verifies: signed by key {result.key_id} at {result.signed_at}, "
            f"{result.members} member(s), every file matches its SHA-256, mandates in order."
        )
        for warning in result.warnings:
            print(f"note: {warning}")
        return 0
    print(f"FAILED: {path} does not verify ({len(result.problems)} problem(s)):")
    for problem in result.problems:
        print(f"  - {problem}")
    return 1


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="amparo dossier",
        description="Verify signed dossiers of collective actions (docs/dossier-format.md).",
    )
    sub = top.add_subparsers(dest="action", required=True)
    check = sub.add_parser(
        "verify",
        help="Check a dossier ZIP: structure, signature, every SHA-256, schema, mandates.",
        description=(
            "Check a dossier ZIP: its structure, the Ed25519 signature of the manifest, every "
            "file's SHA-256 and size, dossier.json against the schema, the evidence hashes, and "
            "that every filing falls inside its member's mandate (dates and scope). Exit 0 when "
            "it verifies, 1 when it does not, 2 when a file cannot be read."
        ),
    )
    check.add_argument("file", metavar="FILE", help="The dossier ZIP.")
    check.add_argument(
        "--keys",
        metavar="KEYS.json",
        help=(
            "The organisation's published signing keys (its /.well-known/amparo/<slug>/"
            "signing-keys.json). Without it the key inside the dossier is used, which proves "
            "integrity but not who signed."
        ),
    )
    check.add_argument("--json", action="store_true", help="Print the result as JSON.")
    sub.add_parser("schema", help="Print the dossier's JSON Schema.")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.action == "schema":
        sys.stdout.write(schema_text())
        return 0
    return _verify(args)
