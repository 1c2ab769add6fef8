"""Canned replies: coordinators write one text per language; whoever writes to reporters picks
one on the report page to fill the message box (never sent by itself)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amparo.accounts import services as accounts
from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.intake import replies
from amparo.intake.models import CannedReply, Message, Report
from tests.cases.conftest import new_report
from tests.conftest import PASSWORD

REPLIES = "/o/defenders/replies/"


@pytest.fixture
def coordinator(people):
    user = User.objects.create_user("cora@defenders.example", PASSWORD, display_name="Cora")
    accounts.add_member(people.org, user, Role.COORDINATOR, actor=None)
    return user


def test_a_coordinator_writes_and_changes_a_reply_audited_without_its_text(
    people, coordinator, signed_in
):
    client = signed_in(coordinator)
    response = client.post(
        REPLIES,
        {"title": "Acuse", "language": "es", "body": "Recibimos su reporte. Le escribiremos."},
    )
    assert response.status_code == 302
    reply = CannedReply.objects.get(organisation=people.org)
    assert (reply.title, reply.language) == ("Acuse", "es")
    client.post(
        REPLIES,
        {"reply": str(reply.pk), "title": "Acuse", "language": "es", "body": "Texto nuevo."},
    )
    reply.refresh_from_db()
    assert reply.body == "Texto nuevo."
    events = AuditEvent.objects.filter(action__startswith="canned_reply.").order_by("id")
    assert [e.action for e in events] == ["canned_reply.created", "canned_reply.changed"]
    assert all("Recibimos" not in str(e.new) and "Texto" not in str(e.new) for e in events)


def test_same_title_and_language_twice_is_refused_with_a_message(people, coordinator, signed_in):
    client = signed_in(coordinator)
    data = {"title": "Acuse", "language": "es", "body": "Uno."}
    client.post(REPLIES, data)
    page = client.post(REPLIES, dict(data, body="Dos.")).content.decode()
    assert "already a reply with this title in this language" in page
    assert CannedReply.objects.get().body == "Uno."


def test_caseworkers_read_and_use_replies_but_cannot_write_them(people, coordinator, signed_in):
    reply = replies.save_reply(
        people.org, title="Ack", language="en", body="We received it.", actor=coordinator
    )
    with pytest.raises(PermissionDenied):
        replies.save_reply(people.org, title="X", language="en", body="Y", actor=people.carlos)
    client = signed_in(people.carlos)
    page = client.get(REPLIES)
    assert page.status_code == 200 and "We received it." in page.content.decode()
    assert client.post(REPLIES, {"title": "X", "language": "en", "body": "Y"}).status_code == 404
    assert client.post(f"{REPLIES}{reply.pk}/delete/").status_code == 404
    assert CannedReply.objects.count() == 1


def test_outsiders_and_viewers_get_404(people, coordinator, signed_in):
    reply = replies.save_reply(
        people.org, title="Ack", language="en", body="We received it.", actor=coordinator
    )
    assert signed_in(people.vera).get(REPLIES).status_code == 404
    other = signed_in(people.otto)
    assert other.get(REPLIES).status_code == 404
    assert other.post(f"{REPLIES}{reply.pk}/delete/").status_code == 404
    assert CannedReply.objects.filter(pk=reply.pk).exists()


def test_the_report_page_offers_replies_in_the_reporters_language_first_and_fills_the_box(
    people, coordinator, signed_in
):
    replies.save_reply(people.org, title="Ack", language="en", body="We got it.", actor=coordinator)
    spanish = replies.save_reply(
        people.org, title="Acuse", language="es", body="Lo recibimos.", actor=coordinator
    )
    report = new_report(people.org)
    Report.objects.filter(pk=report.pk).update(language="es")
    report.refresh_from_db()
    client = signed_in(people.carlos)
    url = f"/o/defenders/reports/{report.pk}/"
    page = client.get(url).content.decode()
    assert page.index("Acuse (es)") < page.index("Ack (en)")
    filled = client.get(url, {"reply": str(spanish.pk)}).content.decode()
    assert "Lo recibimos.</textarea>" in filled
    # A reply is never sent by itself: nothing reached the reporter yet.
    assert not Message.objects.filter(report=report).exists()
    # Another organisation's reply id fills nothing.
    foreign = replies.save_reply(
        people.other_org, title="Hi", language="es", body="Ajeno.", actor=people.otto
    )
    assert "Ajeno." not in client.get(url, {"reply": str(foreign.pk)}).content.decode()


def test_a_reply_needs_a_known_language_title_and_text(people, coordinator):
    for bad in (
        {"title": "T", "language": "xx", "body": "B"},
        {"title": " ", "language": "en", "body": "B"},
        {"title": "T", "language": "en", "body": ""},
    ):
        with pytest.raises(ValidationError):
            replies.save_reply(people.org, actor=coordinator, **bad)
    assert not CannedReply.objects.exists()
