"""`amparo dossier verify` as a regulator runs it: a fresh shell with nothing of Amparo's set
(no secret, no key-encryption key, no database), in an empty folder."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

AMPARO = str(Path(sys.executable).parent / "amparo")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(cwd),
        "LANG": "C.UTF-8",
    }
    return subprocess.run(
        [AMPARO, "dossier", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_verify_on_the_command_line(tmp_path, built, key):
    work = tmp_path / "work"
    work.mkdir()
    good = tmp_path / "dossier.zip"
    good.write_bytes(built)
    changed = tmp_path / "changed.zip"
    index = built.index(b"Suspensions of exiled")
    changed.write_bytes(built[:index] + b"s" + built[index + 1 :])
    keys = tmp_path / "signing-keys.json"
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    published = [
        {
            "key_id": "k1",
            "algorithm": "Ed25519",
            "public_key": base64.b64encode(raw).decode(),
            "created_at": "2026-01-01T00:00:00Z",
            "retired_at": None,
        }
    ]
    keys.write_text(json.dumps(published))
    wrong = tmp_path / "other-keys.json"
    wrong.write_text(json.dumps([{**published[0], "key_id": "k0"}]))
    broken_keys = tmp_path / "broken-keys.json"
    broken_keys.write_text('[{"key_id": "k1", "public_key": "not base64!"}]')

    ok = run("verify", str(good), cwd=work)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith(f"OK: {good} verifies: signed by key k1 at 2026-05-04T09:30:00Z")
    assert "not pinned" in ok.stdout

    pinned = run("verify", str(good), "--keys", str(keys), cwd=work)
    assert pinned.returncode == 0, pinned.stderr
    assert "not pinned" not in pinned.stdout

    failed = run("verify", str(changed), "--keys", str(keys), cwd=work)
    assert failed.returncode == 1
    assert failed.stdout.startswith(f"FAILED: {changed} does not verify")
    assert "  - dossier.json: damaged ZIP entry, the file was changed" in failed.stdout

    other = run("verify", str(good), "--keys", str(wrong), cwd=work)
    assert other.returncode == 1
    assert "signed with key 'k1', which is not among the keys given (k0)" in other.stdout

    retired = tmp_path / "retired-keys.json"
    retired.write_text(json.dumps([{**published[0], "retired_at": "2026-05-01T00:00:00Z"}]))
    late = run("verify", str(good), "--keys", str(retired), cwd=work)
    assert late.returncode == 1
    assert "after key 'k1' was retired (2026-05-01T00:00:00Z)" in late.stdout

    as_json = run("verify", str(good), "--json", cwd=work)
    assert json.loads(as_json.stdout)["ok"] is True and as_json.returncode == 0

    for argv, needle in [
        (["verify", str(tmp_path / "missing.zip")], "cannot read"),
        (["verify", str(tmp_path)], "cannot read"),
        (["verify", str(good), "--keys", str(broken_keys)], "is not a usable Ed25519 key"),
    ]:
        result = run(*argv, cwd=work)
        assert result.returncode == 2, (argv, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("amparo: ") and needle in lines[0]
        assert "Traceback" not in result.stderr
    assert list(work.iterdir()) == []

    schema = run("schema", cwd=work)
    assert json.loads(schema.stdout)["title"].startswith("Amparo collective-action dossier")


def test_the_documented_check_without_amparo_works(tmp_path, built, key):
    doc = (Path(__file__).resolve().parents[3] / "docs" / "dossier-format.md").read_text()
    snippet = doc.split("### Without Amparo", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    script = tmp_path / "check.py"
    script.write_text(snippet)
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps([{"key_id": "k1", "public_key": base64.b64encode(raw).decode()}]))
    good = tmp_path / "dossier.zip"
    good.write_bytes(built)
    result = subprocess.run(
        [sys.executable, "-I", str(script), str(good), str(keys)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("signed by k1 at 2026-05-04T09:30:00Z - 3 members")

    from tests.engines.dossier.test_dossier_verify import entries

    from amparo.engines.dossier.archive import write_zip

    files = entries(built)
    files["evidence/statutes-Satzung.pdf"] = b"%PDF-1.4 statutez"
    changed = tmp_path / "changed.zip"
    changed.write_bytes(write_zip(sorted(files.items())))
    result = subprocess.run(
        [sys.executable, "-I", str(script), str(changed), str(keys)], capture_output=True, text=True
    )
    assert result.returncode != 0 and "evidence/statutes-Satzung.pdf" in result.stderr
