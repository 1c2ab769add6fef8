from __future__ import annotations

import io
from typing import Any

import pytest


def valid_report(**overrides: Any) -> dict[str, Any]:
    data = {
        "incident_type": "account_suspended",
        "platform": "facebook",
        "narrative": "My page was suspended after many false reports the day after I published an investigation.",
        "occurred_on": "",
        "country": "MX",
        "affected": "https://www.facebook.com/periodista.libre",
        "attackers": "@troll_one\n@troll_two",
        "links": "",
        "platform_notice": "",
        "reporter_name": "Lucía",
        "consent_contact": "yes",
        "contact_method": "signal",
        "contact_value": "+52 55 1234 5678",
        "contact_safety": "Only after 6 pm",
        "consent_share_identity": "no",
        "consent_collective": "ask",
        "consent_statistics": "yes",
        "gender": "",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def png_bytes(text: str = "x") -> bytes:
    from PIL import Image

    image = Image.new("RGB", (20, 10), "blue")
    exif = Image.Exif()
    exif[0x010F] = f"Camera-{text}"
    exif[0x8825] = {1: "N", 2: (19.0, 26.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def org(people):
    return people.org


@pytest.fixture
def token(people: Any) -> str:
    """An API token of the organisation that may submit reports and read their status."""
    from amparo.intake import tokens

    _t, secret = tokens.create(
        people.org,
        name="partner system",
        scopes=["reports:submit", "reports:status"],
        actor=people.alice,
    )
    return secret
