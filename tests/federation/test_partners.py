"""Adding partners (CLI), their keys, the sync job's backoff, and the federation page."""

from __future__ import annotations

import io
import socket
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from amparo.engines.federation import keys
from tests.federation.conftest import signed_in

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("federation", *args, stdout=out)
    return out.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_server_key_is_made_once_and_kept_sealed_by_the_kek(db):
    from amparo.federation.keys import private_key, server_key
    from amparo.federation.models import ServerKey

    shown = run("key")
    key = server_key()
    assert key.key_id in shown and keys.fingerprint(bytes(key.public_key)) in shown
    assert run("key") == shown
    assert ServerKey.objects.count() == 1
    assert keys.raw_public(private_key()) == bytes(key.public_key)
    assert keys.raw_public(private_key()) not in bytes(key.wrapped_private)


def test_a_partner_is_added_only_with_the_fingerprint_of_its_key(north, db):
    from amparo.federation.models import Partner

    pasted = keys.encode_public(north.public_raw)
    with pytest.raises(CommandError, match="fingerprint does not match"):
        run(
            "partner",
            "add",
            "--name",
            "North",
            "--url",
            "https://north.example.org",
            "--key",
            pasted,
            "--fingerprint",
            "00" * 32,
        )
    assert not Partner.objects.exists()
    out = run(
        "partner",
        "add",
        "--name",
        "North",
        "--url",
        "https://north.example.org/",
        "--key",
        pasted,
        "--fingerprint",
        keys.fingerprint(north.public_raw),
    )
    assert north.key_id in out
    partner = Partner.objects.get()
    assert partner.base_url == "https://north.example.org"
    with pytest.raises(CommandError, match="already exists"):
        run(
            "partner",
            "add",
            "--name",
            "North again",
            "--url",
            "https://north.example.org",
            "--key",
            pasted,
        )
    assert "North" in run("partner", "list")


def test_plain_http_is_refused_unless_allowed_for_loopback(north, db):
    pasted = keys.encode_public(north.public_raw)
    with pytest.raises(CommandError, match="https"):
        run("partner", "add", "--name", "N", "--url", "http://north.example.org", "--key", pasted)
    with pytest.raises(CommandError, match="AMPARO_FEDERATION_ALLOW_HTTP_LOOPBACK"):
        run("partner", "add", "--name", "N", "--url", "http://127.0.0.1:8000", "--key", pasted)
    with override_settings(AMPARO_FEDERATION_ALLOW_HTTP_LOOPBACK=True):
        run("partner", "add", "--name", "N", "--url", "http://127.0.0.1:8000", "--key", pasted)


def test_a_failing_partner_backs_off_and_the_failure_shows_on_the_federation_page(
    south, north, linked, time_machine
):
    from amparo.federation.client import backoff, sync_partner
    from amparo.federation.models import Partner

    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    time_machine.move_to(now, tick=False)
    Partner.objects.filter(pk=linked.partner_id).update(base_url=f"http://127.0.0.1:{free_port()}")
    partner = Partner.objects.get(pk=linked.partner_id)
    with override_settings(AMPARO_FEDERATION_ALLOW_HTTP_LOOPBACK=True):
        first = sync_partner(partner)
        second = sync_partner(partner)
    assert first.errors == ["the partner cannot be reached: ConnectionRefusedError"]
    assert second.errors
    partner.refresh_from_db()
    assert partner.failures == 2
    assert partner.next_attempt_at == now + backoff(2) == now + timedelta(minutes=10)
    assert backoff(20) == timedelta(hours=6)
    page = signed_in(south.sara).get("/o/south/federation/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Amparo North" in text and "Coalition South" in text
    assert "Failing: 2 attempts in a row" in text
    assert "the partner cannot be reached" in text


def test_the_sync_job_syncs_due_partners_and_schedules_its_next_run(south, north, linked):
    from amparo.federation import jobs
    from amparo.federation.models import Partner
    from amparo.worker.models import ScheduledJob

    Partner.objects.filter(pk=linked.partner_id).update(base_url="https://north.invalid")
    jobs.sync_all(None)
    assert Partner.objects.get(pk=linked.partner_id).failures == 1
    assert ScheduledJob.objects.filter(kind=jobs.SYNC, status="pending").count() == 1
    jobs.ensure_sync(None)
    assert ScheduledJob.objects.filter(kind=jobs.SYNC, status="pending").count() == 1


def test_only_coordinators_of_the_organisation_see_the_federation_page(south, linked):
    assert signed_in(south.sam).get("/o/south/federation/").status_code == 404
    assert signed_in(south.leo).get("/o/south/federation/").status_code == 404
    lone = signed_in(south.leo).get("/o/lone/federation/")
    assert lone.status_code == 200 and "Amparo North" not in lone.content.decode()


def test_unlinking_withdraws_what_the_partner_sent(south, north, linked):
    from django.test import Client

    from amparo.engines.federation import protocol
    from amparo.federation.keys import server_key
    from amparo.sharing.models import SharedItem
    from tests.federation.test_endpoints import north_indicator

    north.push(
        Client(),
        north.seal(
            protocol.push_request("north-coalition", [protocol.upsert(1, north_indicator())]),
            recipient=server_key().key_id,
        ),
    )
    run("unlink", "--partner", "Amparo North", "--group", str(south.group.pk))
    assert SharedItem.objects.get(origin="https://north.example.org").withdrawn_at is not None


def test_export_writes_validating_stix_and_misp(south, tmp_path):
    from amparo.engines.exchange import validation

    south.share_indicator(["@troll_one"])
    stix_file, misp_file = tmp_path / "g.stix.json", tmp_path / "g.misp.json"
    run("export", "--group", str(south.group.pk), "--format", "stix", "--output", str(stix_file))
    run("export", "--group", str(south.group.pk), "--format", "misp", "--output", str(misp_file))
    assert validation.validate_stix(stix_file.read_text()).valid
    assert validation.validate_misp(misp_file.read_text()).valid
    assert "@troll_one" in stix_file.read_text() and "@troll_one" in misp_file.read_text()


def test_the_menu_links_the_federation_page_for_coordinators_only(south):
    link = 'href="/o/south/federation/"'
    assert link in signed_in(south.sara).get("/o/south/sharing/").content.decode()
    assert link not in signed_in(south.sam).get("/o/south/sharing/").content.decode()


def test_import_stores_stix_and_misp_items_in_a_group_and_refuses_junk(south, tmp_path):
    """STIX and MISP in: what a partner's threat-intelligence tool exported arrives in a
    group as items received from elsewhere, and matches the group's cases like partners' items;
    importing the same file again changes nothing."""
    from django.core.management.base import CommandError

    from amparo.sharing import services as sharing
    from amparo.sharing.models import SharedItem

    south.share_indicator(["@troll_one", "@troll_two"])
    stix_file, misp_file = tmp_path / "g.stix.json", tmp_path / "g.misp.json"
    run("export", "--group", str(south.group.pk), "--format", "stix", "--output", str(stix_file))
    run("export", "--group", str(south.group.pk), "--format", "misp", "--output", str(misp_file))
    other = sharing.create_group(south.org, name="Imported", hide_members=False, actor=south.sara)
    said = run(
        "import", str(stix_file), "--group", str(other.pk), "--format", "stix", "--source", "isac"
    )
    assert "imported 1 item(s) into Imported" in said
    (item,) = SharedItem.objects.filter(group=other)
    assert item.origin == "import:isac" and "troll_two" in str(item.to_exchange_dict())
    run("import", str(stix_file), "--group", str(other.pk), "--format", "stix", "--source", "isac")
    assert SharedItem.objects.filter(group=other).count() == 1  # the same file again: no copy
    run("import", str(misp_file), "--group", str(other.pk), "--format", "misp", "--source", "misp")
    assert SharedItem.objects.filter(group=other, origin="import:misp").count() == 1
    junk = tmp_path / "junk.json"
    junk.write_text("{ not json")
    with pytest.raises(CommandError, match="is not a STIX file"):
        run("import", str(junk), "--group", str(other.pk), "--source", "x")
    with pytest.raises(CommandError, match="cannot read"):
        run("import", str(tmp_path / "missing.json"), "--group", str(other.pk), "--source", "x")
