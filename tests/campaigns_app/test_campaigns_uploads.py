"""Campaign files up to the page's limit are taken whole (the site-wide evidence handler
stops at 20 MB); larger ones are refused by name; every parameter can be set on the page;
the evidence reads as tables."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from amparo.campaigns import uploads
from amparo.campaigns.models import Campaign, DetectionRun
from amparo.campaigns.services import _frame, execute
from tests.campaigns_app.test_campaigns_app import posts_csv


def big_csv(min_bytes: int) -> tuple[bytes, int]:
    """A CSV of posts just over ``min_bytes``, and its number of rows."""
    out = io.StringIO()
    out.write("id,account,timestamp,text\n")
    row = 0
    filler = "x" * 180
    while out.tell() < min_bytes:
        out.write(f"p{row},acct{row % 5000},{1_767_000_000 + row},post {row} {filler}\n")
        row += 1
    return out.getvalue().encode(), row


def test_a_file_over_20_mb_is_taken_whole(people, signed_in, django_capture_on_commit_callbacks):
    data, rows = big_csv(20 * 1024 * 1024 + 4096)
    with django_capture_on_commit_callbacks(execute=False):
        response = signed_in(people.alice).post(
            "/o/defenders/campaigns/", {"posts": SimpleUploadedFile("big.csv", data)}
        )
    run = DetectionRun.objects.get()
    assert response.status_code == 302
    frame = _frame(run, run.inputs[0])
    assert frame.height == rows  # not emptied on the way (the run used to fail: NoDataError)


def test_a_file_over_the_limit_is_refused_by_name(
    people, signed_in, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(uploads, "MAX_UPLOAD", 256 * 1024)
    data, _rows = big_csv(300 * 1024)
    with django_capture_on_commit_callbacks(execute=False):
        response = signed_in(people.alice).post(
            "/o/defenders/campaigns/",
            {"posts": SimpleUploadedFile("huge.csv", data)},
            follow=True,
        )
    assert not DetectionRun.objects.exists()
    assert "huge.csv is larger than" in response.content.decode()


def test_every_parameter_is_set_on_the_page_and_bad_windows_are_refused(
    people, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(people.alice)
    page = client.get("/o/defenders/campaigns/").content.decode()
    for field in (
        "windows",
        "word_threshold",
        "min_score",
        "min_support",
        "max_key_accounts",
        "relay_min_items",
        "mob_min_accounts",
    ):
        assert f'name="{field}"' in page
    assert "200 MB" in page
    response = client.post(
        "/o/defenders/campaigns/",
        {"posts": SimpleUploadedFile("p.csv", posts_csv()), "windows": "soon"},
    )
    assert response.status_code == 200 and not DetectionRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=False):
        client.post(
            "/o/defenders/campaigns/",
            {
                "posts": SimpleUploadedFile("p.csv", posts_csv()),
                "windows": "600, 30",
                "min_score": "4",
                "min_support": "0",
                "kinds": ["text", "link", "hashtag"],
                "key_columns": "platform",
                "mob_min_accounts": "0",
                "relay_min_items": "0",
            },
        )
    run = DetectionRun.objects.get()
    assert run.params["relay_min_items"] == 0
    assert run.params["windows"] == [30, 600]
    assert run.params["min_score"] == 4
    assert run.params["min_support"] == 0
    assert run.params["kinds"] == ["text", "link", "hashtag", "key:platform"]
    execute(run)
    run.refresh_from_db()
    assert run.status == "done"


def test_evidence_is_shown_as_tables(people, signed_in, django_capture_on_commit_callbacks):
    client = signed_in(people.alice)
    with django_capture_on_commit_callbacks(execute=False):
        client.post("/o/defenders/campaigns/", {"posts": SimpleUploadedFile("p.csv", posts_csv())})
    execute(DetectionRun.objects.get())
    campaign = Campaign.objects.order_by("-account_count").first()
    page = client.get(f"/o/defenders/campaigns/{campaign.pk}/").content.decode()
    assert "<caption>Texts posted together</caption>" in page
    assert "<caption>Co-actions by kind</caption>" in page
    assert "{&#x27;" not in page and "{'" not in page


def test_the_page_still_checks_the_csrf_token(people, signed_in):
    client = signed_in(people.alice)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        "/o/defenders/campaigns/", {"posts": SimpleUploadedFile("p.csv", posts_csv())}
    )
    assert response.status_code == 403
    assert not DetectionRun.objects.exists()
