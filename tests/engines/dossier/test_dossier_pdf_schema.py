"""The reading copy (PDF) and the published JSON Schema of the dossier."""

from __future__ import annotations

import io
import json
import logging

import pypdf
import pytest
from tests.engines.dossier.conftest import SIGNED_AT
from tests.engines.dossier.test_dossier_verify import entries

from amparo.engines.dossier import build, render_pdf, schema, verify
from amparo.engines.dossier import pdf as pdf_module
from amparo.engines.dossier.schema import schema_problems


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def stored(built) -> dict:
    return json.loads(entries(built)["dossier.json"])


def test_the_pdf_shows_pseudonyms_names_allowed_and_the_figures(built):
    text = pdf_text(entries(built)["dossier.pdf"])
    assert "Collective action dossier: Suspensions of exiled journalists" in text
    for line in (
        "Member 02 (language ru, case C-102)",
        "Mandate revoked 2026-03-25 10:00 UTC",
        "Window: 2026-03-01 to 2026-03-15",
        "Restored: 1 of 3 (33.3%)",
        "Art 20 complaint, with priority (Art 86(2) DSA): 3",
        "Timeline",
    ):
        assert line in text, line
    assert "ليلى" in text or "أحمد" in text  # Member 01 allowed her name to be shown


@pytest.mark.parametrize("shaping", [True, False], ids=["shaped", "unshaped"])
def test_arabic_and_cyrillic_names_render_in_every_font_setting(
    stored, caplog, monkeypatch, shaping
):
    if shaping and not pdf_module.can_shape():
        pytest.skip("uharfbuzz is not installed: Arabic is shown unjoined")
    monkeypatch.setattr(pdf_module, "can_shape", lambda: shaping)
    dossier = json.loads(json.dumps(stored))
    dossier["members"][1]["name"] = "Алексей Навальный"
    dossier["members"][0]["name"] = "مریم فارسی ليلى"
    with caplog.at_level(logging.WARNING):
        pdf = render_pdf(dossier)
    assert pdf.startswith(b"%PDF-") and pdf == render_pdf(dossier)
    assert "Алексей Навальный" in pdf_text(pdf)
    if pdf_module._fallback_font() is not None:
        assert not [r for r in caplog.records if "missing" in r.getMessage().lower()]
    fallback = render_pdf(dossier, font=None)  # no Unicode font installed: transliterated
    assert "Member 02: " in pdf_text(fallback)


def test_a_pdf_can_be_supplied(dossier, evidence, key):
    zip_bytes = build(
        dossier, evidence, signing_key=key, key_id="k1", signed_at=SIGNED_AT, pdf=b"%PDF-1.7 x"
    )
    assert entries(zip_bytes)["dossier.pdf"] == b"%PDF-1.7 x"
    assert verify(zip_bytes).ok


def _walk(rule: dict, where: str = "$"):
    yield where, rule
    for name, sub in rule.get("properties", {}).items():
        yield from _walk(sub, f"{where}.{name}")
    for name, sub in rule.get("$defs", {}).items():
        yield from _walk(sub, f"#{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(rule.get(key), dict):
            yield from _walk(rule[key], f"{where}[]")
    for index, sub in enumerate(rule.get("anyOf", [])):
        if sub.get("type") == "object":
            yield from _walk(sub, f"{where}|{index}")


def test_every_field_of_the_schema_is_described():
    undocumented = [
        where
        for where, rule in _walk(schema())
        if "properties" not in rule
        and "description" not in rule
        and not where.endswith("[]")
        and "|" not in where.rsplit(".", 1)[-1]
    ]
    assert undocumented == []
    for where, rule in _walk(schema()):
        for name, sub in rule.get("properties", {}).items():
            assert "description" in sub, f"{where}.{name}"


def test_a_full_json_schema_implementation_agrees(stored):
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    validator = jsonschema_rs.Draft202012Validator(schema())
    assert jsonschema_rs.meta.is_valid(schema())
    assert validator.is_valid(stored) and schema_problems(stored) == []
    broken = [
        ("schema_version", "2.0"),
        ("generated_at", "yesterday"),
        ("dossier_id", ""),
        ("surprise", 1),
    ]
    for field, value in broken:
        changed = {**stored, field: value}
        assert not validator.is_valid(changed) and schema_problems(changed), field
    member = json.loads(json.dumps(stored["members"][0]))
    for path, value in [
        (("mandate", "scope", "remedies"), ["art99"]),
        (("outcome", "state"), "lost"),
        (("filings",), [{"kind": "art20_priority_complaint"}]),
        (("mandate", "revoked_at"), "2026-13-01"),
    ]:
        changed = json.loads(json.dumps(member))
        target = changed
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        whole = {**stored, "members": [changed]}
        assert not validator.is_valid(whole) and schema_problems(whole), path
