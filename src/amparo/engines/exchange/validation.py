"""Checks that what Amparo exports is what the formats' own validators accept.

- STIX: ``stix2validator.validate_string`` (the OASIS validator); errors fail, warnings
  (e.g. an account type outside STIX's open vocabulary) are reported but accepted.
- MISP: the JSON schema MISP publishes for its event format (``format/2.4/schema.json`` in
  the MISP repository), as shipped inside pymisp, plus a reload with pymisp. That schema
  predates MISP objects: :func:`misp_schema` adds, in the same strict style, the ``Object``
  list, object references and the attributes' ``object_relation``/``first_seen``/``last_seen``
  as the MISP core format (draft-dulaunoy-misp-core-format, §2.3 "Object") defines them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Result:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


def validate_stix(text: str) -> Result:
    from stix2validator import ValidationOptions, validate_string

    outcome = validate_string(text, ValidationOptions(version="2.1"))
    result = Result(warnings=[str(w) for w in outcome.warnings])
    if not outcome.is_valid:
        result.errors = [str(e) for e in outcome.errors] or ["not valid STIX 2.1"]
    return result


def misp_schema_path() -> Path:
    import pymisp

    return Path(pymisp.__file__).parent / "data" / "schema.json"


_STRING = {"type": "string"}


def misp_schema() -> dict[str, Any]:
    """pymisp's copy of MISP's event schema, with MISP objects added (see the module doc)."""
    schema: dict[str, Any] = json.loads(misp_schema_path().read_text(encoding="utf-8"))
    defs = schema["defs"]
    for name in ("object_relation", "first_seen", "last_seen", "object_id"):
        defs["attribute"]["properties"][name] = _STRING
    defs["object_reference"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            name: _STRING
            for name in (
                "id",
                "uuid",
                "timestamp",
                "object_id",
                "object_uuid",
                "referenced_id",
                "referenced_uuid",
                "referenced_type",
                "relationship_type",
                "comment",
                "source_uuid",
            )
        }
        | {"deleted": {"type": "boolean"}},
        "required": ["referenced_uuid", "relationship_type"],
    }
    defs["object"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            **{
                name: _STRING
                for name in (
                    "id",
                    "name",
                    "meta-category",
                    "description",
                    "template_uuid",
                    "template_version",
                    "uuid",
                    "event_id",
                    "timestamp",
                    "distribution",
                    "sharing_group_id",
                    "comment",
                    "first_seen",
                    "last_seen",
                )
            },
            "deleted": {"type": "boolean"},
            "Attribute": {"type": "array", "items": {"$ref": "#/defs/attribute"}},
            "ObjectReference": {"type": "array", "items": {"$ref": "#/defs/object_reference"}},
        },
        "required": ["name", "uuid", "Attribute"],
    }
    defs["event"]["properties"]["Object"] = {
        "type": "array",
        "uniqueItems": True,
        "items": {"$ref": "#/defs/object"},
    }
    return schema


def validate_misp(text: str) -> Result:
    import jsonschema
    from pymisp import MISPEvent

    schema = misp_schema()
    document = json.loads(text)
    validator = jsonschema.Draft4Validator(schema)
    errors = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(event)'}: {error.message}"
        for error in validator.iter_errors(document)
    ]
    result = Result(errors=errors)
    try:
        MISPEvent().load(document)
    except Exception as exc:  # pymisp raises several kinds
        result.errors.append(f"pymisp cannot load it: {exc}")
    return result
