"""A coordinator runs campaign detection over the organisation's material, reviews what it
found and links it to cases; every step is stored and audited."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from amparo.audit.models import AuditEvent
from amparo.campaigns.models import Campaign, DetectionRun
from amparo.campaigns.services import execute


def posts_csv() -> bytes:
    """Five accounts post the same smear with small edits within seconds, in four waves,
    among unrelated background posts."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "account", "timestamp", "text", "urls", "platform"])
    n = 0
    base = 1_767_000_000
    for wave in range(4):
        for member in range(5):
            n += 1
            writer.writerow(
                [
                    f"p{n}",
                    f"troll{member}",
                    base + wave * 7200 + member * 3,
                    f"La periodista Ana es una agente extranjera pagada, compártelo ya {'!' * member}",
                    f"https://smear.example/wave{wave}",
                    "x",
                ]
            )
    words = [
        "football",
        "weather",
        "bread",
        "train",
        "river",
        "market",
        "school",
        "music",
        "garden",
        "coffee",
        "city",
        "rain",
    ]
    for i in range(200):
        n += 1
        said = " ".join(words[(i * k * 7 + k) % len(words)] for k in range(1, 9))
        writer.writerow([f"p{n}", f"user{i % 60}", base + i * 397, f"{said} {i}", "", "x"])
    return out.getvalue().encode()


def test_a_coordinator_finds_reviews_and_links_a_campaign(
    people, signed_in, django_capture_on_commit_callbacks
):
    from amparo.cases.services import open_case
    from tests.cases.conftest import new_report

    client = signed_in(people.alice)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/o/defenders/campaigns/",
            {
                "posts": SimpleUploadedFile("posts.csv", posts_csv()),
                "case_actions": "1",
                "window": "60",
            },
        )
    run = DetectionRun.objects.get()
    assert response["Location"] == f"/o/defenders/campaigns/runs/{run.pk}/"
    execute(run)  # what the worker does
    run.refresh_from_db()
    assert run.status == "done" and run.progress == 100 and run.stats["posts"] == 220
    campaign = Campaign.objects.order_by("-account_count").first()
    assert campaign is not None and campaign.account_count >= 5
    assert {f"troll{i}" for i in range(5)} <= set(campaign.detail["accounts"])
    assert not [a for a in campaign.detail["accounts"] if a.startswith("user")]
    page = client.get(f"/o/defenders/campaigns/runs/{run.pk}/").content.decode()
    from amparo.core.labels import campaign_kind

    assert campaign_kind(campaign.kind) in page  # in words, not the code
    assert campaign_kind(campaign.kind) != campaign.kind
    case = open_case(
        people.org, reports=[new_report(people.org)], title="smear", actor=people.carlos
    )
    client.post(f"/o/defenders/campaigns/{campaign.pk}/review/", {"verdict": "confirmed"})
    unknown = client.post(f"/o/defenders/campaigns/{campaign.pk}/cases/", {"case": "c-nope123"})
    assert unknown.status_code == 200 and "No case with that reference." in unknown.content.decode()
    assert 'value="c-nope123"' in unknown.content.decode()  # what was typed is kept
    client.post(f"/o/defenders/campaigns/{campaign.pk}/cases/", {"case": case.reference.lower()})
    campaign.refresh_from_db()
    assert campaign.review == "confirmed" and list(campaign.cases.all()) == [case]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "campaigns.run_started",
        "campaigns.run_finished",
        "campaign.reviewed",
        "campaign.linked_to_case",
    } <= actions


def test_only_coordinators_run_detection(people, signed_in):
    for person in (people.carlos, people.vera, people.otto):
        response = signed_in(person).post(
            "/o/defenders/campaigns/", {"posts": SimpleUploadedFile("p.csv", posts_csv())}
        )
        assert response.status_code == 404
    assert not DetectionRun.objects.exists()


def test_uploaded_material_is_stored_encrypted(
    people, signed_in, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=False):
        signed_in(people.alice).post(
            "/o/defenders/campaigns/", {"posts": SimpleUploadedFile("posts.csv", posts_csv())}
        )
    from pathlib import Path

    blobs = [p for p in Path(settings.AMPARO_BLOB_DIR).rglob("*") if p.is_file()]
    assert blobs and all(b"agente extranjera" not in p.read_bytes() for p in blobs)
