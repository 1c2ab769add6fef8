"""The submission API: scoped tokens, idempotency, an OpenAPI schema."""

from __future__ import annotations

import json

from django.test import Client

from amparo.intake import tokens
from amparo.intake.models import Report

BODY = {
    "incident_type": "false_mass_reporting",
    "platform": "tiktok",
    "narrative": "Dozens of accounts reported my videos at the same time; my account was banned.",
    "language": "en",
    "country": "KE",
    "attackers": ["@mass_reporter_1"],
    "consent": {"contact": "no", "share_identity": "no", "collective": "yes", "statistics": "yes"},
}


def post(token: str | None, body: dict, key: str | None = None):
    headers = {}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return Client().post(
        "/api/v1/reports", json.dumps(body), content_type="application/json", **headers
    )


def test_a_report_is_submitted_with_a_token(token):
    response = post(token, BODY)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["reference"].startswith("R-") and len(data["followup_code"].split()) == 6
    report = Report.objects.get()
    assert report.channel == "api" and report.consent_collective == "yes"


def test_without_a_valid_token_nothing_happens(people):
    assert post(None, BODY).status_code == 401
    assert post("amp_dead_beef", BODY).status_code == 401
    assert not Report.objects.exists()


def test_a_retried_request_never_creates_a_duplicate(token):
    first = post(token, BODY, key="retry-123")
    second = post(token, BODY, key="retry-123")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert second.json()["replayed"] is True and second.json()["followup_code"] is None
    assert Report.objects.count() == 1


def test_a_reused_key_with_another_request_is_refused(token):
    post(token, BODY, key="k-1")
    response = post(token, {**BODY, "narrative": "Something else entirely happened."}, key="k-1")
    assert response.status_code == 409
    assert Report.objects.count() == 1


def test_invalid_reports_get_clear_errors(token):
    response = post(token, {**BODY, "platform": "myspace-1999", "country": "QQ"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "platform" in errors and "country" in errors
    response = post(token, {**BODY, "incident_type": "nonsense"})
    assert response.status_code == 422


def test_a_revoked_token_stops_working(people, token):
    from amparo.intake.models import ApiToken

    tokens.revoke(ApiToken.objects.get(), actor=people.alice)
    assert post(token, BODY).status_code == 401


def test_status_is_visible_only_to_the_same_organisation(people, token):
    report_id = post(token, BODY).json()["id"]
    ok = Client().get(f"/api/v1/reports/{report_id}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert ok.status_code == 200 and ok.json()["status"] == "received"
    _t, other = tokens.create(
        people.other_org,
        name="other",
        scopes=["reports:submit", "reports:status"],
        actor=people.otto,
    )
    assert (
        Client()
        .get(f"/api/v1/reports/{report_id}", HTTP_AUTHORIZATION=f"Bearer {other}")
        .status_code
        == 404
    )


def test_the_openapi_schema_is_served_and_documents_the_endpoints(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/reports" in schema["paths"] and "/api/v1/reports/{report_id}" in schema["paths"]
    assert "bearer" in json.dumps(schema["components"]["securitySchemes"]).lower()


def test_every_api_endpoint_is_documented(db):
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "intake.md").read_text()
    schema = Client().get("/api/v1/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in doc, (
                f"document {method.upper()} {path} in docs/intake.md"
            )
