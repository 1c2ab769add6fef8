"""A collective action of three defenders, as the collective-action app exports it, and a key."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from amparo.engines.dossier import EvidenceItem, build

SIGNED_AT = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


def _mandate(given: str, remedies: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "id": f"mandate-{given[:10]}",
        "given_at": given,
        "channel": "follow_up_page",
        "scope": {"platforms": ["meta"], "decisions": ["sor-1"], "remedies": remedies},
        "disclose_name": False,
        "revoked_at": None,
        "evidence_id": None,
        **extra,
    }


DOSSIER: dict[str, Any] = {
    "schema_version": "1.0",
    "dossier_id": "dossier-0001",
    "generated_at": "2026-05-04T09:00:00Z",
    "organisation": {
        "id": "defenders-helpline",
        "legal_name": "Defenders Helpline e.V.",
        "country": "DE",
        "registration": "Amtsgericht Berlin-Charlottenburg",
        "eligibility": {
            "not_for_profit": True,
            "registration_number": "VR 12345 B",
            "member_state": "DE",
            "statutes_evidence_id": "statutes",
            "checked_at": "2026-04-01T08:00:00Z",
        },
    },
    "action": {
        "id": "action-1",
        "reference": "CA-2026-001",
        "title": "Suspensions of exiled journalists after mass reporting",
        "platform": "meta",
        "pattern": {
            "decision_type": "account_suspension",
            "ground": "incompatible_content",
            "window_start": "2026-03-01",
            "window_end": "2026-03-15",
            "community": "Exiled journalists",
        },
        "opened_at": "2026-03-20T10:00:00Z",
        "status": "open",
    },
    "members": [
        {
            "pseudonym": "Member 01",
            "name": "ليلى أحمد",
            "language": "ar",
            "case_reference": "C-101",
            "mandate": _mandate(
                "2026-03-21T12:00:00Z",
                ["art20_priority_complaint", "art53_complaint"],
                channel="signed_form",
                disclose_name=True,
                evidence_id="form-01",
            ),
            "filings": [
                {
                    "kind": "art20_priority_complaint",
                    "filed_at": "2026-03-22T09:00:00Z",
                    "reference": "META-778",
                    "document_evidence_id": "complaint-01",
                }
            ],
            "outcome": {
                "state": "restored",
                "decided_at": "2026-03-29T09:00:00Z",
                "restored_at": "2026-03-29T09:00:00Z",
            },
        },
        {
            "pseudonym": "Member 02",
            "language": "ru",
            "case_reference": "C-102",
            "mandate": _mandate("2026-03-21T15:00:00Z", ["art20_priority_complaint"]),
            "filings": [
                {
                    "kind": "art20_priority_complaint",
                    "filed_at": "2026-03-22T09:05:00Z",
                    "reference": "",
                    "document_evidence_id": None,
                }
            ],
            "outcome": {"state": "pending", "decided_at": None, "restored_at": None},
        },
        {
            "pseudonym": "Member 03",
            "language": "uk",
            "case_reference": "C-103",
            "mandate": _mandate(
                "2026-03-21T16:00:00Z",
                ["art20_priority_complaint"],
                revoked_at="2026-03-25T10:00:00Z",
            ),
            "filings": [
                {
                    "kind": "art20_priority_complaint",
                    "filed_at": "2026-03-22T09:10:00Z",
                    "reference": "",
                    "document_evidence_id": None,
                }
            ],
            "outcome": {"state": "withdrawn", "decided_at": None, "restored_at": None},
        },
    ],
    "timeline": [
        {"at": "2026-03-20T10:00:00Z", "kind": "action.opened", "text": "Action opened"},
        {"at": "2026-03-22T09:00:00Z", "kind": "filing.sent", "text": "Art 20 complaints sent"},
        {"at": "2026-03-25T10:00:00Z", "kind": "mandate.revoked", "text": "Member 03 revoked"},
    ],
    "evidence": [],
}

EVIDENCE = [
    EvidenceItem("statutes", "Satzung.pdf", "application/pdf", b"%PDF-1.4 statutes", "Statutes"),
    EvidenceItem("form-01", "mandate form (signed).pdf", "application/pdf", b"%PDF-1.4 form"),
    EvidenceItem("complaint-01", "Жалоба №1.txt", "text/plain", "Жалоба".encode(), "Complaint"),
]


@pytest.fixture(scope="session")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


@pytest.fixture
def dossier() -> dict[str, Any]:
    return copy.deepcopy(DOSSIER)


@pytest.fixture
def evidence() -> list[EvidenceItem]:
    return list(EVIDENCE)


@pytest.fixture(scope="session")
def built(key) -> bytes:
    """The dossier built once (rendering the PDF is the slow part)."""
    return build(DOSSIER, EVIDENCE, signing_key=key, key_id="k1", signed_at=SIGNED_AT)
