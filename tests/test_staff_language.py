"""Staff are written to wholly in their staff language: the remedy and escalation clocks'
notifications are sentences that link to what they are about, and their e-mails follow the
person's language (a reporter-only language falls back to English, never a mix) and name the
remedy and the channel in words, never by code."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.utils import translation

from amparo.accounts.languages import speaking_to, staff_language
from amparo.core.models import OutboundMessage
from amparo.escalations import clocks as escalation_clocks
from amparo.intake import notices
from amparo.intake.models import Notification
from amparo.outbound.content import open_message
from amparo.remedies import clocks as remedy_clocks
from tests.cases.test_case_clocks import _remedy_case
from tests.escalations.lifecycle_helpers import manual_escalation, sent
from tests.test_outbound import run_due

pytestmark = pytest.mark.django_db


class Who:
    preferred_language = ""


@pytest.mark.parametrize(
    ("preferred", "written_in"),
    [("es", "es"), ("ru", "ru"), ("pt-br", "pt"), ("fa", "en"), ("uk", "en"), ("", "en")],
)
def test_staff_are_written_to_in_a_staff_language_or_english(preferred, written_in):
    who = Who()
    who.preferred_language = preferred
    assert staff_language(who) == written_in
    with speaking_to(who):
        assert translation.get_language() == written_in


def _mails() -> list:
    return [open_message(row) for row in OutboundMessage.objects.filter(kind="reminder")]


@pytest.mark.parametrize("language", ["es", "fa"])
def test_a_closing_remedy_window_is_a_sentence_and_a_mail_in_the_persons_language(people, language):
    people.carlos.preferred_language = language
    people.carlos.save()
    with time_machine.travel(datetime(2030, 1, 15, 9, 0, tzinfo=UTC), tick=False):
        case, _step = _remedy_case(people, "DE")
    deadline = case.decisions.get().informed_on + timedelta(days=183)
    with time_machine.travel(datetime.combine(deadline, datetime.min.time(), UTC), tick=False):
        assert run_due(remedy_clocks.WINDOW) >= 1
    told = Notification.objects.filter(recipient=people.carlos, kind="remedy_window_closing")[0]
    assert told.link == "case_detail" and told.object_id == str(case.pk)
    assert notices.url(told, people.org.slug) == f"/o/{people.org.slug}/cases/{case.pk}/"
    with translation.override(staff_language(people.carlos)):
        sentence = notices.sentence(told)
        assert "remedy_window_closing" not in sentence and "%" not in sentence
    mail = _mails()[0]
    assert mail.to == [people.carlos.email]
    assert case.reference in mail.subject and "art20_complaint" not in mail.subject
    assert f"/cases/{case.pk}/" in mail.body
    if language == "es":
        assert "art. 20 de la DSA" in mail.subject and "días" in mail.subject
        assert "Internal complaint" not in mail.subject
    else:
        assert "Internal complaint to the platform (DSA Art 20)" in mail.subject
        assert mail.subject.isascii()


def test_an_overdue_remedy_decision_says_which_remedy(people):
    from amparo.remedies import services as remedies

    people.carlos.preferred_language = "fr"
    people.carlos.save()
    with time_machine.travel(datetime(2030, 1, 15, 9, 0, tzinfo=UTC), tick=False):
        case, step = _remedy_case(people, "DE")
        remedies.file_step(step, filed_on=date(2030, 1, 15), reference="", actor=people.carlos)
    step.refresh_from_db()
    later = datetime.combine(step.decision_due + timedelta(days=1), datetime.min.time(), UTC)
    with time_machine.travel(later, tick=False):
        assert run_due(remedy_clocks.DUE) == 1
    told = Notification.objects.get(kind="remedy_decision_overdue")
    assert told.object_id == str(case.pk)
    mail = _mails()[0]
    assert case.reference in mail.subject and "art20_complaint" not in mail.subject
    assert "art. 20 du DSA" in mail.subject and "Internal complaint" not in mail.subject


def test_an_escalations_reminder_and_chase_name_the_channel_in_words(people):
    people.carlos.preferred_language = "ar"
    people.carlos.save()
    escalation = sent(people, manual_escalation(people))
    code = escalation.channel_code
    with time_machine.travel(escalation.expected_response_at + timedelta(minutes=1), tick=False):
        assert run_due(escalation_clocks.REMINDER) == 1
        assert run_due(escalation_clocks.CHASE) == 1
    kinds = set(Notification.objects.filter(recipient=people.carlos).values_list("kind", flat=True))
    assert {escalation_clocks.DUE_SOON, escalation_clocks.OVERDUE} <= kinds
    mails = _mails()
    assert len(mails) == 2
    for mail in mails:
        assert code not in mail.subject + mail.body
        assert escalation.case.reference in mail.subject
        assert any("\u0600" <= ch <= "\u06ff" for ch in mail.subject)  # in Arabic
        assert f"/escalations/{escalation.pk}/" in mail.body


def test_old_remedy_reminders_become_sentences_after_the_upgrade():
    migration = importlib.import_module("amparo.intake.migrations.0009_remedy_notification_kinds")
    assert migration.new_kind("art20_complaint window closes in") == "remedy_window_closing"
    assert migration.new_kind("art86_priority_complaint window ") == "remedy_window_closing"
    assert migration.new_kind("art53_dsc_complaint decision ove") == "remedy_decision_overdue"
    assert migration.new_kind("response due soon") is None
    assert migration.new_kind("reporter_answered") is None
