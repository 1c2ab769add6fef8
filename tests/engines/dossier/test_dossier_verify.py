"""A dossier built by Amparo verifies; any change to it, one byte anywhere, does not."""

from __future__ import annotations

import base64
import io
import struct
import zipfile
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.engines.dossier.conftest import SIGNED_AT

from amparo.engines.dossier import NOT_PINNED, build, canonical_json, verify
from amparo.engines.dossier.archive import write_zip


def entries(zip_bytes: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def data_offsets(zip_bytes: bytes) -> dict[str, tuple[int, int]]:
    """Where each entry's bytes lie in the ZIP: (start, length)."""
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        found = {}
        for info in archive.infolist():
            name_len, extra_len = struct.unpack_from("<HH", zip_bytes, info.header_offset + 26)
            start = info.header_offset + 30 + name_len + extra_len
            found[info.filename] = (start, info.file_size)
        return found


def flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def public(key: Ed25519PrivateKey):
    return key.public_key()


def test_a_built_dossier_verifies(built, key):
    result = verify(built)
    assert result.ok, result.problems
    assert (result.key_id, result.signed_at, result.members) == ("k1", "2026-05-04T09:30:00Z", 3)
    assert not result.key_pinned and result.warnings == [NOT_PINNED]

    pinned = verify(built, public_keys={"k1": public(key)})
    assert pinned.ok and pinned.key_pinned and pinned.warnings == []


def test_the_zip_holds_the_documented_files(built):
    files = entries(built)
    assert sorted(files) == [
        "dossier.json",
        "dossier.pdf",
        "evidence/complaint-01-No1.txt",
        "evidence/form-01-mandate_form_signed_.pdf",
        "evidence/statutes-Satzung.pdf",
        "manifest.json",
        "manifest.sig",
    ]
    assert files["dossier.pdf"].startswith(b"%PDF-")
    import json

    dossier = json.loads(files["dossier.json"])
    assert canonical_json(dossier) == files["dossier.json"]
    statutes = next(e for e in dossier["evidence"] if e["id"] == "statutes")
    import hashlib

    assert statutes["sha256"] == hashlib.sha256(b"%PDF-1.4 statutes").hexdigest()
    assert statutes["size"] == 17
    assert dossier["figures"]["restored"] == 1 and dossier["figures"]["mandates_revoked"] == 1
    manifest = json.loads(files["manifest.json"])
    assert [f["path"] for f in manifest["files"]] == sorted(
        set(files) - {"manifest.json", "manifest.sig"}
    )


def test_the_same_input_gives_the_same_bytes_apart_from_the_signature_time(built, key):
    from tests.engines.dossier.conftest import DOSSIER, EVIDENCE

    again = build(DOSSIER, EVIDENCE, signing_key=key, key_id="k1", signed_at=SIGNED_AT)
    assert again == built
    later = build(
        DOSSIER, EVIDENCE, signing_key=key, key_id="k1", signed_at=SIGNED_AT + timedelta(days=1)
    )
    assert later != built
    first, second = entries(built), entries(later)
    assert sorted(first) == sorted(second)
    assert {name for name in first if first[name] != second[name]} == {
        "manifest.json",
        "manifest.sig",
    }
    assert verify(later).signed_at == "2026-05-05T09:30:00Z"


@pytest.mark.parametrize(
    "name",
    [
        "dossier.json",
        "dossier.pdf",
        "evidence/complaint-01-No1.txt",
        "evidence/statutes-Satzung.pdf",
        "manifest.json",
        "manifest.sig",
    ],
)
def test_one_changed_byte_in_any_file_fails(built, name):
    start, length = data_offsets(built)[name]
    for index in (start, start + length // 2, start + length - 1):
        result = verify(flip(built, index))
        assert not result.ok
        assert any(name in line for line in result.problems), result.problems

    # The same change with the ZIP's own checksums made right again: the hashes still tell.
    files = entries(built)
    files[name] = flip(files[name], len(files[name]) // 2)
    result = verify(write_zip(sorted(files.items())))
    assert not result.ok
    expected = {
        "manifest.json": "signature of manifest.json does not match",
        "manifest.sig": "signature of manifest.json does not match",
    }.get(name, f"{name}: SHA-256 does not match the manifest")
    assert any(expected in line for line in result.problems), result.problems


def test_one_changed_byte_in_the_zip_structure_fails(built):
    inside = set()
    for start, length in data_offsets(built).values():
        inside.update(range(start, start + length))
    structure = [i for i in range(len(built)) if i not in inside]
    assert len(structure) > 500  # headers, central directory, end record
    passed = [i for i in structure if verify(flip(built, i)).ok]
    assert passed == []


def test_bytes_added_around_the_zip_fail(built):
    assert not verify(b"x" + built).ok
    assert not verify(built + b"\0").ok
    assert not verify(built[:-1]).ok
    result = verify(b"not a zip at all")
    assert not result.ok and "not a readable ZIP file" in result.problems[0]


def test_path_traversal_duplicates_extra_and_missing_files_are_named(built):
    files = entries(built)
    evil = [*files.items(), ("../../etc/cron.d/evil", b"* * * * * root sh")]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in evil:
            archive.writestr(name, data)
    result = verify(buffer.getvalue())
    assert any("path traversal" in line for line in result.problems), result.problems

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, pytest.warns(UserWarning):
        for name, data in [*files.items(), ("dossier.json", b"{}")]:
            archive.writestr(name, data)
    result = verify(buffer.getvalue())
    assert "dossier.json: appears 2 times in the ZIP" in result.problems

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*files.items(), ("evidence/bomb", bytes(10_000_000))]:
            archive.writestr(name, data)
    result = verify(buffer.getvalue())
    assert "evidence/bomb: compressed, but a dossier stores its files as they are" in (
        result.problems
    )

    extra = write_zip(sorted({**files, "evidence/extra.txt": b"added"}.items()))
    result = verify(extra)
    assert "evidence/extra.txt: in the ZIP but not in the manifest" in result.problems

    missing = dict(files)
    del missing["evidence/statutes-Satzung.pdf"]
    result = verify(write_zip(sorted(missing.items())))
    assert (
        "evidence/statutes-Satzung.pdf: listed in the manifest but missing from the ZIP"
        in result.problems
    )


def test_a_wrong_pinned_key_fails(built, key):
    other = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
    result = verify(built, public_keys={"k1": other.public_key()})
    assert not result.ok
    assert "the signature of manifest.json does not match the given key 'k1'" in result.problems
    assert "manifest.json: public_key differs from the given key 'k1'" in result.problems

    unknown = verify(built, public_keys={"k2": public(key)})
    assert not unknown.ok
    assert unknown.problems == ["signed with key 'k1', which is not among the keys given (k2)"]


def test_a_signature_dated_after_its_keys_retirement_fails(built, key):
    keys = {"k1": public(key)}
    before = SIGNED_AT + timedelta(seconds=1)
    assert verify(built, public_keys=keys, retired_at={"k1": before}).ok
    assert verify(built, public_keys=keys, retired_at={"k1": None}).ok
    result = verify(built, public_keys=keys, retired_at={"k1": SIGNED_AT - timedelta(days=1)})
    assert result.problems == [
        "signed at 2026-05-04T09:30:00Z, after key 'k1' was retired (2026-05-03T09:30:00Z)"
    ]


def test_a_dossier_re_signed_by_someone_else_passes_only_unpinned(built, key):
    """What an attacker with their own key can do, and why the published keys matter."""
    import json

    files = entries(built)
    dossier = json.loads(files["dossier.json"])
    dossier["action"]["title"] = "Something else"
    forged = forge(dossier, files, Ed25519PrivateKey.from_private_bytes(bytes(range(2, 34))))
    assert verify(forged).ok
    assert not verify(forged, public_keys={"k1": public(key)}).ok


def forge(dossier: dict, files: dict[str, bytes], key: Ed25519PrivateKey) -> bytes:
    """A dossier ZIP signed without :func:`build`'s checks, as a faulty exporter could."""
    import hashlib
    import json

    from amparo.engines.dossier.archive import public_key_b64

    files = dict(files)
    files["dossier.json"] = canonical_json(dossier)
    manifest = json.loads(files["manifest.json"])
    manifest["public_key"] = public_key_b64(key)
    manifest["files"] = [
        {"path": p, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)}
        for p, d in sorted(files.items())
        if p not in ("manifest.json", "manifest.sig")
    ]
    files["manifest.json"] = canonical_json(manifest)
    files["manifest.sig"] = base64.b64encode(key.sign(files["manifest.json"])) + b"\n"
    return write_zip(sorted(files.items()))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(position=st.floats(min_value=0, max_value=1, exclude_max=True), bit=st.integers(0, 7))
def test_flipping_any_bit_anywhere_fails(built, position, bit):
    index = int(position * len(built))
    changed = built[:index] + bytes([built[index] ^ (1 << bit)]) + built[index + 1 :]
    result = verify(changed)
    assert not result.ok
    assert result.problems and all(line.strip() for line in result.problems)
