"""The read-only TAXII 2.1 collection a partner's threat-intelligence tools read."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from amparo.engines.exchange import validation

pytestmark = pytest.mark.django_db

TAXII = "application/taxii+json;version=2.1"


@pytest.fixture
def token(linked):
    from amparo.federation.services import issue_taxii_token

    return issue_taxii_token(linked.partner)


def get(path, token=None, *, basic=False, accept=TAXII):
    headers = {"HTTP_ACCEPT": accept}
    if token and basic:
        headers["HTTP_AUTHORIZATION"] = (
            "Basic " + base64.b64encode(f"north:{token}".encode()).decode()
        )
    elif token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Client().get(path, **headers)


def test_discovery_and_api_root_answer_with_the_taxii_media_type(token):
    response = get("/taxii2/", token)
    assert response.status_code == 200
    assert response["Content-Type"] == TAXII
    discovery = json.loads(response.content)
    assert discovery["default"].endswith("/taxii2/api/")
    root = json.loads(get("/taxii2/api/", token, basic=True).content)
    assert root["versions"] == [TAXII]


def test_without_a_valid_token_nothing_is_served(token):
    for path in ("/taxii2/", "/taxii2/api/collections/"):
        assert get(path).status_code == 401
        assert get(path, "wrong-token").status_code == 401
    assert get("/taxii2/", token, accept="text/html").status_code == 406


def test_the_partner_reads_its_linked_groups_indicators_as_valid_stix(south, linked, token):
    from amparo.sharing.items import withdraw

    kept = south.share_indicator(["@troll_one"])
    gone = south.share_indicator(["@troll_two"])
    withdraw(gone, actor=south.sam)
    collections = json.loads(get("/taxii2/api/collections/", token).content)["collections"]
    assert [c["id"] for c in collections] == [str(south.group.pk)]
    assert collections[0]["can_read"] and not collections[0]["can_write"]
    base = f"/taxii2/api/collections/{south.group.pk}/"
    assert json.loads(get(base, token).content)["title"] == "Coalition South"
    response = get(base + "objects/", token)
    envelope = json.loads(response.content)
    patterns = [o["pattern"] for o in envelope["objects"] if o["type"] == "indicator"]
    assert patterns == [
        "[user-account:account_login = '@troll_one' AND user-account:account_type = 'facebook']"
    ]
    # The group hides its members: no organisation is named.
    assert not [o for o in envelope["objects"] if o["type"] == "identity"]
    assert response["X-TAXII-Date-Added-First"]
    bundle = {
        "type": "bundle",
        "id": "bundle--6c2f3f7e-0a4b-4c71-9d55-1c8a1a2b3c4d",
        "objects": envelope["objects"],
    }
    result = validation.validate_stix(json.dumps(bundle))
    assert result.valid, result.errors
    manifest = json.loads(get(base + "manifest/", token).content)
    assert {m["id"] for m in manifest["objects"]} == {o["id"] for o in envelope["objects"]}
    only = json.loads(get(base + "objects/?match[type]=indicator", token).content)
    assert {o["type"] for o in only["objects"]} == {"indicator"}
    assert kept.pk


def test_a_collection_not_linked_with_the_partner_is_not_found(south, linked, token):
    from amparo.sharing import services

    other = services.create_group(
        south.org, name="Private circle", hide_members=False, actor=south.sara
    )
    assert get(f"/taxii2/api/collections/{other.pk}/objects/", token).status_code == 404
    assert get("/taxii2/api/collections/not-a-uuid/", token).status_code == 404
