"""Exports through the API: a token with export scopes lists and downloads datasets; a token
without the scope, of another organisation, or whose creator lost the capability gets 404;
every export is audited with the token; bad filters are 422 with the API's error body."""

from __future__ import annotations

from amparo.audit.models import AuditEvent
from tests.exports.conftest import body, read_csv, read_json, read_xlsx

API = "/api/v1/exports/"


def token_for(org, actor, datasets):
    from amparo.exports import registry
    from amparo.exports.services import create_export_token

    _token, secret = create_export_token(
        org, name="analysis", datasets=[registry.get(d) for d in datasets], actor=actor
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_list_names_only_the_datasets_of_the_token(world, client):
    auth = token_for(world.org, world.alice, ["cases", "audit"])
    response = client.get(API, **auth)
    assert response.status_code == 200
    listed = response.json()
    assert [d["name"] for d in listed] == ["cases", "audit"]
    cases = listed[0]
    assert cases["formats"] == ["csv", "json", "xlsx"]
    assert cases["date_range"] and cases["platform_filter"] is True
    assert {"name": "reference", "type": "string", "description": "The case reference."} in cases[
        "columns"
    ]


def test_a_reporting_token_may_export_nothing(world, client):
    from amparo.intake import tokens

    _t, secret = tokens.create(world.org, name="form", scopes=["reports:submit"], actor=world.alice)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(API, **auth).json() == []
    assert client.get(API + "cases", **auth).status_code == 404


def test_a_token_downloads_a_dataset_and_the_export_is_audited(world, client):
    auth = token_for(world.org, world.alice, ["escalations"])
    for fmt, read in (
        ("csv", read_csv),
        ("json", lambda d: read_json(d)["rows"]),
        ("xlsx", read_xlsx),
    ):
        response = client.get(API + "escalations", {"format": fmt, "platform": "facebook"}, **auth)
        assert response.status_code == 200
        assert response["X-Export-Rows"] == "1"
        rows = read(body(response))
        assert [r["case"] for r in rows] == [world.case.reference]
        event = AuditEvent.objects.filter(action="export.downloaded").last()
        assert event.actor_id is None and event.object_type == "intake.apitoken"
        assert event.organisation_id == world.org.pk
        assert event.new == {
            "dataset": "escalations",
            "format": fmt,
            "filters": {"platform": "facebook"},
            "rows": 1,
            "via": "api",
        }


def test_an_unknown_or_unscoped_dataset_is_404_and_not_audited(world, client):
    auth = token_for(world.org, world.alice, ["cases"])
    for path in ("audit", "reports", "nothing", "figures"):
        response = client.get(API + path, **auth)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "not found", "errors": {}}
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()


def test_a_token_sees_only_its_own_organisation(world, client):
    auth = token_for(world.other_org, world.otto, ["cases", "reports"])
    rows = read_csv(body(client.get(API + "cases", **auth)))
    assert rows == []
    reports = read_csv(body(client.get(API + "reports", **auth)))
    assert len(reports) == 1, "Other Org's one report, none of the Defenders Helpline"


def test_the_token_loses_a_dataset_when_its_creator_loses_the_capability(world, client):
    from amparo.accounts import services as accounts
    from amparo.accounts.roles import Role

    auth = token_for(world.org, world.adam, ["audit", "cases"])
    assert client.get(API + "audit", **auth).status_code == 200
    membership = world.adam.memberships.get()
    accounts.change_role(membership, Role.CASEWORKER, actor=world.alice)
    assert client.get(API + "audit", **auth).status_code == 404
    assert client.get(API + "cases", **auth).status_code == 200
    assert [d["name"] for d in client.get(API, **auth).json()] == ["cases"]


def test_bad_filters_are_422_with_the_field(world, client):
    auth = token_for(world.org, world.alice, ["cases", "figures", "remedies"])
    for query, field in (
        ({"since": "2026-03-05", "until": "2026-03-01"}, "until"),
        ({"since": "yesterday"}, "since"),
        ({"format": "pdf"}, "format"),
        ({"sinse": "2026-03-01"}, "sinse"),  # misspelt: refused, not ignored
    ):
        response = client.get(API + "cases", query, **auth)
        assert response.status_code == 422
        assert field in response.json()["errors"]
    response = client.get(API + "remedies", {"platform": "facebook"}, **auth)
    assert response.status_code == 422 and "platform" in response.json()["errors"]
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()


def test_without_a_token_it_is_401(world, client):
    assert client.get(API).status_code == 401
    assert client.get(API + "cases").status_code == 401


def test_the_schema_declares_the_exports(world):
    from amparo.intake.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    one = schema["paths"]["/api/v1/exports/{dataset}"]["get"]
    assert set(one["responses"]) >= {200, 401, 404, 422, 429} or set(
        map(str, one["responses"])
    ) >= {"200", "401", "404", "422", "429"}
    content = one["responses"][200]["content"]
    assert set(content) == {
        "text/csv",
        "application/json",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert "/api/v1/exports/" in schema["paths"]


def test_an_administrator_creates_an_export_token_on_the_page(world, signed_in, client):
    from amparo.intake import tokens

    tokens.create(world.org, name="form partner", scopes=["reports:submit"], actor=world.alice)
    admin = signed_in(world.alice)
    page = admin.get("/o/defenders/exports/").content.decode()
    assert 'href="/o/defenders/exports/tokens/"' in page
    response = admin.post(
        "/o/defenders/exports/tokens/", {"name": "dashboard", "datasets": ["figures"]}
    )
    assert response.status_code == 200
    secret = response.context["new_secret"]
    assert secret and secret in response.content.decode()
    created = AuditEvent.objects.filter(action="api_token.created").last()
    assert created.new == {"scopes": ["exports:figures"]}
    listing = admin.get("/o/defenders/exports/tokens/").content.decode()
    assert "dashboard" in listing and "Escalation figures" in listing
    assert "form partner" not in listing, "only tokens that may export are listed"
    assert secret not in listing, "shown once"
    admin.logout()
    listed = client.get(API, HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert [d["name"] for d in listed] == ["figures"]


def test_only_administrators_manage_export_tokens(world, signed_in):
    from amparo.intake.models import ApiToken

    for user in (world.cora, world.carlos, world.vera, world.rita, world.otto):
        client = signed_in(user)
        assert client.get("/o/defenders/exports/tokens/").status_code == 404, user
        response = client.post(
            "/o/defenders/exports/tokens/", {"name": "mine", "datasets": ["cases"]}
        )
        assert response.status_code == 404, user
        assert (
            'href="/o/defenders/exports/tokens/"'
            not in client.get("/o/defenders/exports/").content.decode()
        )
        client.logout()
    admin = signed_in(world.alice)
    response = admin.post("/o/defenders/exports/tokens/", {"name": "", "datasets": []})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()
