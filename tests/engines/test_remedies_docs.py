"""docs/remedies.md is held honest: every code, field and kind it should name, it names."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from amparo.engines.remedies import DECISION_TYPES, Decision, RemedyCode
from amparo.engines.remedies.documents import KINDS, LANGUAGES, DocumentInput, build_document

DOC = (Path(__file__).resolve().parents[2] / "docs" / "remedies.md").read_text()


def test_every_remedy_code_and_decision_type_is_documented():
    for name in [*(code.value for code in RemedyCode), *DECISION_TYPES]:
        assert f"`{name}`" in DOC, name


def test_every_input_field_is_documented():
    for cls in (Decision, DocumentInput):
        for item in dataclasses.fields(cls):
            assert f"`{item.name}`" in DOC, item.name


def test_every_kind_language_and_contents_field_is_documented():
    for name in [*KINDS, *LANGUAGES]:
        assert f"`{name}`" in DOC, name
    seen = set()
    for kind in KINDS:
        for identity in (True, False):
            doc = build_document(
                DocumentInput(
                    kind=kind,
                    language="en",
                    organisation_name="Org",
                    organisation_email="org@example.org",
                    platform="X",
                    date=date(2025, 1, 1),
                    organisation_address="Street 1",
                    content_urls=("https://x.com/a/status/1",),
                    decision_summary="Removed",
                    decision_date=date(2024, 12, 1),
                    sor_reference="R-1",
                    facts="Facts.",
                    legal_grounds="Grounds.",
                    requested_remedy="Restore.",
                    represented=True,
                    represented_person_name="A Person",
                    include_identity=identity,
                ),
                pdf=False,
            )
            seen |= set(doc.contents)
    for name in seen:
        assert f"`{name}`" in DOC, name
