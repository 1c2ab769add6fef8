"""Buttons are shown to whom they should be.

For the main staff pages, signed in as each role, every form that posts on the page is posted as
the page offers it (its hidden fields, the values already in it, the button clicked): none may
answer 403 or 404, so no one is shown a button they cannot use. And the buttons the
documentation names are seen by exactly the roles it says (``DOCUMENTED``; each label is quoted
in the document named beside it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from tests.cases.conftest import new_report
from tests.conftest import PASSWORD

DOCS = Path(__file__).resolve().parent.parent / "docs"

ROLES = ("admin", "coordinator", "caseworker", "viewer")
WRITERS = frozenset({"admin", "coordinator", "caseworker"})
COORDINATORS = frozenset({"admin", "coordinator"})
EVERYONE = frozenset(ROLES)

# The pages looked at, and the roles that may open them (anyone else gets 404).
PAGES: dict[str, frozenset[str]] = {
    "queue": EVERYONE,
    "report": EVERYONE,
    "referred report": EVERYONE,
    "held": WRITERS,
    "case": EVERYONE,
    "remedies": EVERYONE,
    "step": EVERYONE,
    "escalation": EVERYONE,
    "campaigns": COORDINATORS,
    "run": COORDINATORS,
    "campaign": COORDINATORS,
    "members": EVERYONE,
    "member": EVERYONE,
}

# The buttons the documentation names: (page, label as the page shows it and the document quotes
# it, the roles that see it, the document). A label ending in "…" is the start of the button's
# text (the rest names an object). Every button here is shown in the state the objects below
# are in (a report whose reporter asked for deletion, an open case with a partner to refer to,
# a prepared remedy step, a held report, a finished run).
DOCUMENTED: list[tuple[str, str, frozenset[str], str]] = [
    ("queue", "Save view", WRITERS, "intake.md"),
    ("queue", "Apply", WRITERS, "intake.md"),
    ("report", "Acknowledge", WRITERS, "intake.md"),
    ("report", "Show identity", WRITERS, "intake.md"),
    ("report", "Send to the reporter's follow-up page", WRITERS, "intake.md"),
    ("report", "Erase this report for good", COORDINATORS, "intake.md"),
    ("report", "Open a case", WRITERS, "cases.md"),
    ("report", "Attach this report to C-…", WRITERS, "cases.md"),
    ("referred report", "Accept", WRITERS, "cases.md"),
    ("referred report", "Decline", WRITERS, "cases.md"),
    ("held", "Release into the queue", WRITERS, "intake.md"),
    ("held", "Discard (destroys them)", WRITERS, "intake.md"),
    ("case", "assign to me", WRITERS, "cases.md"),
    ("case", "Add task", WRITERS, "cases.md"),
    ("case", "Add note", WRITERS, "cases.md"),
    ("case", "Save tags", WRITERS, "cases.md"),
    ("case", "Merge into this case", WRITERS, "cases.md"),
    ("case", "Refer", WRITERS, "cases.md"),
    ("remedies", "Save the decision", WRITERS, "remedies.md"),
    ("remedies", "Generate document", WRITERS, "remedies.md"),
    ("remedies", "Generate the document with these texts", WRITERS, "remedies.md"),
    ("step", "Record as filed", WRITERS, "remedies.md"),
    ("step", "Withdraw: it will not be filed", WRITERS, "remedies.md"),
    ("campaigns", "Run detection", COORDINATORS, "campaigns.md"),
    ("campaigns", "Schedule", COORDINATORS, "campaigns.md"),
    ("campaign", "To review", COORDINATORS, "campaigns.md"),
    ("campaign", "Confirmed as coordinated", COORDINATORS, "campaigns.md"),
    ("campaign", "Dismissed", COORDINATORS, "campaigns.md"),
    ("campaign", "Link", COORDINATORS, "campaigns.md"),
]


# --- the page's forms, as a browser would send them --------------------------------------------


@dataclass
class Button:
    label: str
    name: str = ""
    value: str = ""
    formaction: str = ""


@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)


class Forms(HTMLParser):
    """The forms inside ``<main>`` (the menu's sign-out and language forms are not a page's)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.depth = 0  # inside <main> when > 0
        self.form: Form | None = None
        self.button: Button | None = None
        self.select: tuple[str, list[tuple[str, bool]]] | None = None
        self.option: list[Any] | None = None  # [value (None: its text), selected, text]
        self.textarea: list[str] | None = None  # [name, text]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "main":
            self.depth += 1
        if not self.depth:
            return
        if tag == "form":
            self.form = Form(a.get("method", "get").lower(), a.get("action", ""))
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "button" and a.get("type", "submit") == "submit":
            self.button = Button("", a.get("name", ""), a.get("value", ""), a.get("formaction", ""))
            self.form.buttons.append(self.button)
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "submit":
                self.form.buttons.append(
                    Button(a.get("value", ""), a.get("name", ""), a.get("value", ""))
                )
            elif kind in ("checkbox", "radio"):
                if "checked" in a and a.get("name"):
                    self.form.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("file", "image", "reset", "button") and a.get("name"):
                self.form.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self.select = (a["name"], [])
        elif tag == "option" and self.select is not None:
            self.option = [dict(attrs).get("value"), "selected" in a, ""]
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]

    def handle_data(self, data: str) -> None:
        if self.button is not None:
            self.button.label += data
        if self.option is not None:
            self.option[2] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.depth -= 1
        elif tag == "button" and self.button is not None:
            self.button.label = " ".join(self.button.label.split())
            self.button = None
        elif tag == "option" and self.option is not None and self.select is not None:
            value, selected, text = self.option
            self.select[1].append((text.strip() if value is None else value, selected))
            self.option = None
        elif tag == "select" and self.select is not None and self.form is not None:
            name, options = self.select
            chosen = [v for v, selected in options if selected] or [v for v, _s in options[:1]]
            self.form.fields += [(name, v) for v in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            self.form.fields.append((self.textarea[0], self.textarea[1].lstrip("\n")))
            self.textarea = None
        elif tag == "form":
            self.form = None


def forms_of(html: str) -> list[Form]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def shows(labels: list[str], documented: str) -> bool:
    """Whether a button reads as the documentation names it: the same words, or those words
    and more after them ("Show identity (recorded in the audit log)"); "…" ends a label whose
    rest names an object ("Attach this report to C-…")."""
    if documented.endswith("…"):
        return any(label.startswith(documented[:-1]) for label in labels)
    return any(label == documented or label.startswith(documented + " ") for label in labels)


def _posted(client: Any, url: str, data: dict[str, list[str]]) -> int:
    """Post as the page would, then undo what it did, so that every button of the page is tried
    on the objects as the page showed them."""
    with transaction.atomic():
        status = client.post(url, data).status_code
        transaction.set_rollback(True)
    return status


# --- the objects the pages show ------------------------------------------------------------------


def build(people: Any) -> dict[str, str]:
    """One of each object, in a state where its page shows all its documented buttons; the
    addresses of the pages."""
    from django.utils import timezone

    from amparo.accounts import services as accounts
    from amparo.accounts.models import User
    from amparo.accounts.roles import Role
    from amparo.campaigns.models import Campaign, DetectionRun, DetectionSchedule
    from amparo.cases.referrals import refer
    from amparo.cases.services import add_task, open_case
    from amparo.escalations import register
    from amparo.escalations.services import create as create_escalation
    from amparo.intake.models import Report
    from amparo.intake.services import request_deletion
    from amparo.keyring.services import organisation_key
    from amparo.remedies import services as remedies

    people.cora = User.objects.create_user("cora@defenders.example", PASSWORD, display_name="Cora")
    accounts.add_member(people.org, people.cora, Role.COORDINATOR, actor=None)
    people.by_role = {
        "admin": people.alice,
        "coordinator": people.cora,
        "caseworker": people.carlos,
        "viewer": people.vera,
    }
    org = people.org

    case = open_case(org, reports=[new_report(org)], title="Buttons", actor=people.carlos)
    case.country = "DE"  # an EU user, so the Art 20 complaint is open
    case.save(update_fields=["country"])
    add_task(case, "Call back", due_at=None, actor=people.carlos)
    # Same affected account as the case's report: "Attach this report to C-…" is offered.
    report = new_report(org)
    request_deletion(report)
    # A partner referred one of its cases here: its report offers Accept and Decline.
    partner_case = open_case(
        people.other_org, reports=[new_report(people.other_org)], title="x", actor=people.otto
    )
    referred = refer(partner_case, org, actor=people.otto, reporter_agreed=True).report
    held = new_report(org, narrative="Junk text held as a possible flood.")
    Report.objects.filter(pk=held.pk).update(held=True)

    channel = register.channels_for_case(case)[0]
    escalation = create_escalation(case, channel.code, actor=people.carlos)
    decision = remedies.record_decision(
        case,
        decision_type="account_suspended",
        informed_on=timezone.localdate(),
        decided_on=None,
        represented=False,
        actor=people.carlos,
    )
    step = remedies.prepare_step(
        decision,
        "art20_complaint",
        language="en",
        facts="x",
        arguments="",
        requested="",
        include_identity=False,
        actor=people.carlos,
    )

    run = DetectionRun.objects.create(
        organisation=org,
        data_key=organisation_key(org),
        created_by=people.alice,
        inputs=[],
        status=DetectionRun.Status.DONE,
    )
    campaign = Campaign(
        organisation=org,
        data_key=organisation_key(org),
        run=run,
        engine_id="x",
        kind="text",
        score=1.0,
        account_count=3,
        item_count=3,
        starts_at=timezone.now(),
        ends_at=timezone.now(),
    )
    campaign.detail = {"accounts": ["a", "b", "c"]}
    campaign.save()
    DetectionSchedule.objects.create(
        organisation=org,
        name="Weekly",
        created_by=people.alice,
        every_days=7,
        window_days=30,
        next_run_at=timezone.now(),
    )

    accounts.invite(org, email="new@defenders.example", role="caseworker", actor=people.alice)
    accounts.request_mfa_reset(people.vera.memberships.get(), actor=people.alice)

    o = f"/o/{org.slug}"
    return {
        "queue": f"{o}/reports/?status=received",  # a search: it may be saved as a view
        "report": f"{o}/reports/{report.pk}/",
        "referred report": f"{o}/reports/{referred.pk}/",
        "held": f"{o}/reports/held/",
        "case": f"{o}/cases/{case.pk}/",
        "remedies": f"{o}/cases/{case.pk}/remedies/",
        "step": f"{o}/remedies/{step.pk}/",
        "escalation": f"{o}/escalations/{escalation.pk}/",
        "campaigns": f"{o}/campaigns/",
        "run": f"{o}/campaigns/runs/{run.pk}/",
        "campaign": f"{o}/campaigns/{campaign.pk}/",
        "members": f"{o}/members/",
        "member": f"{o}/members/{people.carlos.memberships.get().pk}/",
    }


# --- the tests -------------------------------------------------------------------------------------


def test_every_documented_button_is_quoted_in_its_document():
    assert set(PAGES) >= {page for page, *_rest in DOCUMENTED}
    for _page, label, _roles, doc in DOCUMENTED:
        text = " ".join((DOCS / doc).read_text(encoding="utf-8").split())  # lines wrapped
        assert f'"{label}"' in text, (doc, label)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_shown_the_buttons_it_may_use(people, signed_in, role):
    pages = build(people)
    client = signed_in(people.by_role[role])
    failures: list[str] = []
    for page, url in pages.items():
        response = client.get(url)
        if role not in PAGES[page]:
            assert response.status_code == 404, (role, page, response.status_code)
            continue
        assert response.status_code == 200, (role, page, response.status_code)
        forms = [f for f in forms_of(response.content.decode()) if f.method == "post"]
        labels = [b.label for f in forms for b in f.buttons]
        for where, label, roles, _doc in DOCUMENTED:
            if where == page and shows(labels, label) != (role in roles):
                seen = "sees" if role not in roles else "does not see"
                failures.append(f"{role} {seen} {label!r} on the {page} page")
        for form in forms:
            for button in form.buttons:
                data: dict[str, list[str]] = {}
                for name, value in form.fields:
                    data.setdefault(name, []).append(value)
                if button.name:
                    data.setdefault(button.name, []).append(button.value)
                action = button.formaction or form.action or url
                status = _posted(client, action, data)
                if status in (403, 404, 405):
                    failures.append(
                        f"{role} is shown {button.label!r} on the {page} page, "
                        f"but posting it to {action} answers {status}"
                    )
    assert not failures, "\n".join(failures)


def test_the_form_reader_sends_what_a_browser_sends():
    html = """<nav><form method="post" action="/out/"><button>Sign out</button></form></nav>
    <main><form method="post" action="/a/"><input type="hidden" name="to" value="x">
    <input type="checkbox" name="c" value="1"><input type="checkbox" name="d" value="1" checked>
    <select name="s"><option value="p">P</option><option value="q" selected>Q</option></select>
    <select name="t"><option value="m">M</option><option value="n">N</option></select>
    <textarea name="body">
kept</textarea>
    <button type="submit" name="status" value="ok">  Accept
     it </button><button type="button">Not a submit</button>
    <button formaction="/b/">Other</button></form>
    <form method="get"><button>Search</button></form></main>"""
    first, second = forms_of(html)
    assert (first.method, first.action, second.method) == ("post", "/a/", "get")
    assert first.fields == [("to", "x"), ("d", "1"), ("s", "q"), ("t", "m"), ("body", "kept")]
    assert [(b.label, b.name, b.value, b.formaction) for b in first.buttons] == [
        ("Accept it", "status", "ok", ""),
        ("Other", "", "", "/b/"),
    ]
    assert shows(["Attach this report to C-X1"], "Attach this report to C-…")
    assert shows(["Accept it"], "Accept") and not shows(["Accepted"], "Accept")
