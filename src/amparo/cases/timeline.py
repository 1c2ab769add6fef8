"""A case's timeline in words: one sentence per event, in the reader's language.

Events are stored as codes (``CaseEvent.kind``, ``old``, ``new``: never content or labels),
so the page puts them into words when it is shown. The cases domain writes the sentences of
its own events; escalations and remedies, which add lines to a case's timeline through
``cases.services.record_event``, register the sentences of theirs (``register`` in their
``AppConfig.ready``), so this module imports neither. An event nobody describes is still
shown, as a plain sentence naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amparo.cases.states import Outcome, Status

#: Puts one event of a domain into words: (kind without the domain's prefix, old, new, names).
Describer = Callable[[str, dict[str, Any], dict[str, Any], "Names"], str]
_DESCRIBERS: dict[str, Describer] = {}


class Names:
    """Names of the people, reports, cases and organisations the events point at, looked up
    once for the whole timeline."""

    def __init__(self, events: list[Any]) -> None:
        from amparo.accounts.models import Organisation, User
        from amparo.intake.models import Report

        users, reports, orgs = set(), set(), set()
        for e in events:
            new = e.new if isinstance(e.new, dict) else {}
            if e.kind == "assigned" and new.get("assignee"):
                users.add(new["assignee"])
            if e.kind == "report_linked" and new.get("report"):
                reports.add(new["report"])
            if e.kind == "opened":
                reports.update(new.get("reports") or [])
            if e.kind == "referred" and new.get("to"):
                orgs.add(new["to"])
        self.users = {
            str(u.pk): (u.display_name or u.email)
            for u in User.objects.filter(pk__in=users).only("display_name", "email")
        }
        self.reports = {
            str(r.pk): r.reference for r in Report.objects.filter(pk__in=reports).only("reference")
        }
        self.orgs = {
            str(o.pk): o.name for o in Organisation.objects.filter(pk__in=orgs).only("name")
        }


def register(prefix: str, describer: Describer) -> None:
    """Let a domain put its own events (kinds starting with ``prefix``) into words."""
    _DESCRIBERS[prefix] = describer


def sentences(events: Iterable[Any]) -> list[tuple[Any, str]]:
    """Each event with its sentence."""
    events = list(events)
    names = Names(events)
    return [(e, sentence(e, names)) for e in events]


def sentence(event: Any, names: Names) -> str:
    old = event.old if isinstance(event.old, dict) else {}
    new = event.new if isinstance(event.new, dict) else {}
    for prefix, describe in _DESCRIBERS.items():
        if event.kind.startswith(prefix):
            return describe(event.kind.removeprefix(prefix), old, new, names)
    return _case_sentence(event.kind, old, new, names)


def _status(code: Any) -> str:
    try:
        return str(Status(code).label)
    except ValueError:
        return str(code)


def _outcome(code: Any) -> str:
    try:
        return str(Outcome(code).label)
    except ValueError:
        return str(code)


def _case_sentence(kind: str, old: dict, new: dict, names: Names) -> str:
    if kind == "opened":
        refs = [names.reports.get(str(r), "") for r in new.get("reports") or []]
        refs = [r for r in refs if r]
        return ngettext(
            "Opened the case from report %(refs)s.",
            "Opened the case from reports %(refs)s.",
            len(refs) or 1,
        ) % {"refs": ", ".join(refs) or "—"}
    if kind == "transitioned":
        if new.get("outcome"):
            return _("Moved the case to “%(status)s” (%(outcome)s).") % {
                "status": _status(new.get("status")),
                "outcome": _outcome(new["outcome"]),
            }
        return _("Moved the case to “%(status)s”.") % {"status": _status(new.get("status"))}
    if kind == "assigned":
        who = names.users.get(str(new.get("assignee")))
        if who:
            return _("Assigned the case to %(who)s.") % {"who": who}
        return _("Left the case without anyone assigned.")
    if kind == "report_linked":
        return _("Attached report %(ref)s to the case.") % {
            "ref": names.reports.get(str(new.get("report")), "—")
        }
    if kind == "note_added":
        return _("Added a note.")
    if kind == "task_added":
        if new.get("due"):
            return _("Added a task, due %(due)s.") % {"due": str(new["due"])[:10]}
        return _("Added a task.")
    if kind == "task_done":
        return _("Marked a task done.")
    if kind == "tagged":
        tags = new.get("tags") or []
        if tags:
            return _("Set the tags: %(tags)s.") % {"tags": ", ".join(str(t) for t in tags)}
        return _("Removed every tag.")
    if kind == "merged_into":
        return _("Merged this case into %(ref)s.") % {"ref": new.get("into", "—")}
    if kind == "merged_from":
        return _("Merged case %(ref)s into this one.") % {"ref": new.get("from", "—")}
    if kind == "referred":
        fields = new.get("fields") or []
        return ngettext(
            "Referred the case to %(org)s, sharing %(n)d field.",
            "Referred the case to %(org)s, sharing %(n)d fields.",
            len(fields),
        ) % {"org": names.orgs.get(str(new.get("to")), _("a partner")), "n": len(fields)}
    if kind == "referral_answered":
        from amparo.cases.models import Referral

        try:
            answer = str(Referral.Status(str(new.get("status"))).label)
        except ValueError:
            answer = str(new.get("status"))
        return _("The partner answered the referral: %(answer)s.") % {"answer": answer}
    if kind == "statement_matched":
        if new.get("source") == "escalation":
            return _("Matched the platform's statement of reasons to an escalation's answer.")
        return _("Matched the platform's statement of reasons.")
    return _("Recorded on the case: %(what)s.") % {"what": kind.replace("_", " ")}
