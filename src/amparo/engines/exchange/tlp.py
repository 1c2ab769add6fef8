"""Distribution levels as Traffic Light Protocol 2.0 markings (STIX) and tags (MISP).

The TLP 2.0 marking definitions are FIRST's, as published for STIX 2.1 by the OASIS CTI TC
(extension ``extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d``); their ids and
properties are fixed, so any STIX tool recognises them. The MISP tags are the ``tlp``
namespace of the MISP taxonomies (CC0), ``tlp:amber+strict`` included since TLP 2.0.

Mapping (most restrictive wins on import):

- own organisation  -> TLP:RED (never exported by Amparo; named here so an import is safe)
- named partners    -> TLP:AMBER+STRICT (the recipients' organisations only)
- sharing group     -> TLP:AMBER (the recipients' organisations and their clients)
- whole network     -> TLP:GREEN (the community)
- public            -> TLP:CLEAR
"""

from __future__ import annotations

from typing import Any

from amparo.engines.exchange.items import Distribution

TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP_CREATED = "2022-10-01T00:00:00.000Z"
TLP_CREATED_BY = "identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01"

#: level -> (STIX marking id, TLP 2.0 value)
MARKINGS: dict[str, tuple[str, str]] = {
    "clear": ("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "TLP:CLEAR"),
    "green": ("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "TLP:GREEN"),
    "amber": ("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "TLP:AMBER"),
    "amber+strict": (
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        "TLP:AMBER+STRICT",
    ),
    "red": ("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "TLP:RED"),
}
LEVEL_OF: dict[Distribution, str] = {
    Distribution.ORGANISATION: "red",
    Distribution.PARTNERS: "amber+strict",
    Distribution.GROUP: "amber",
    Distribution.NETWORK: "green",
    Distribution.PUBLIC: "clear",
}
_ORDER = ["red", "amber+strict", "amber", "green", "clear"]
DISTRIBUTION_OF: dict[str, Distribution] = {level: dist for dist, level in LEVEL_OF.items()}
MARKING_LEVEL: dict[str, str] = {marking_id: level for level, (marking_id, _n) in MARKINGS.items()}


def marking_object(level: str) -> dict[str, Any]:
    marking_id, name = MARKINGS[level]
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": marking_id,
        "created_by_ref": TLP_CREATED_BY,
        "created": TLP_CREATED,
        "name": name,
        "extensions": {
            TLP_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": level},
        },
    }


def strictest(levels: list[str], default: Distribution) -> Distribution:
    """The most restrictive of the TLP levels found, or ``default`` when none is."""
    known = [level for level in levels if level in DISTRIBUTION_OF]
    if not known:
        return default
    return DISTRIBUTION_OF[min(known, key=_ORDER.index)]


def misp_tag(distribution: Distribution) -> str:
    return f"tlp:{LEVEL_OF[distribution]}"


def distribution_of_tags(tags: list[str], default: Distribution) -> Distribution:
    return strictest(
        [tag.split(":", 1)[1].lower() for tag in tags if tag.lower().startswith("tlp:")],
        default,
    )
