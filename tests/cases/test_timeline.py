"""The case's timeline says what happened in a sentence per event, in the reader's language:
no codes, no dictionaries (the events are stored as codes)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from django.utils import timezone

SECTION = re.compile(r'<section aria-labelledby="tl-h">(.*?)</section>', re.S)
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|[{}]|\[")


def _timeline(client, case) -> str:
    page = client.get(f"/o/{case.organisation.slug}/cases/{case.pk}/").content.decode()
    return unescape(re.sub(r"<[^>]+>", " ", SECTION.search(page).group(1)))


def test_every_event_is_a_sentence_in_the_readers_language(people, signed_in, case):
    from amparo.cases import services
    from amparo.escalations import register
    from amparo.escalations.services import create as create_escalation
    from amparo.remedies import services as remedies

    services.transition_case(case, "in_progress", actor=people.carlos)
    services.set_tags(case, ["elections", "x"], actor=people.carlos)
    services.add_task(
        case, "Call her", due_at=timezone.now() + timedelta(days=2), actor=people.carlos
    )
    services.add_note(case, "She is safe.", actor=people.carlos)
    services.assign_case(case, people.carlos, actor=people.carlos)
    chan = register.channels_for_case(case)[0]
    create_escalation(case, chan.code, actor=people.carlos)
    case.country = "DE"
    case.save(update_fields=["country"])
    decision = remedies.record_decision(
        case,
        decision_type="account_suspended",
        informed_on=timezone.localdate(),
        decided_on=None,
        represented=False,
        actor=people.carlos,
    )
    remedies.prepare_step(
        decision,
        "art20_complaint",
        language="en",
        facts="x",
        arguments="",
        requested="",
        include_identity=False,
        actor=people.carlos,
    )
    client = signed_in(people.carlos)
    english = _timeline(client, case)
    for said in (
        "Opened the case from report R-",
        "Moved the case to",
        "Set the tags: elections, x.",
        "Added a task, due",
        "Added a note.",
        f"Assigned the case to {people.carlos.display_name or people.carlos.email}.",
        "Prepared an escalation to the platform.",
        "Recorded the platform's decision: Account suspended",
        "Prepared: Internal complaint to the platform (DSA Art 20).",
    ):
        assert said in english, (said, english)
    assert not CODE.search(english), CODE.search(english)
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    spanish = _timeline(client, case)
    assert "Added a note." not in spanish and not CODE.search(spanish), spanish
