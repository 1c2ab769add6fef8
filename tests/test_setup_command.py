"""`amparo setup` as an operator runs it at a terminal: asked question by question (a real
pseudo-terminal on standard input), and run again when the first invitation was lost."""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from amparo.accounts.models import Invitation, Membership, Organisation, User
from amparo.audit.models import AuditEvent

LINK = re.compile(r"http://\S+(/invite/\S+/)")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Standard input is a terminal; what the test writes to the returned fd is typed."""
    typed, tty = os.openpty()
    stdin = os.fdopen(tty, "r", encoding="utf-8")
    assert stdin.isatty()
    monkeypatch.setattr(sys, "stdin", stdin)
    try:
        yield typed
    finally:
        stdin.close()
        os.close(typed)


def run_setup(*args: str) -> str:
    out = io.StringIO()
    call_command("setup", *args, stdout=out)
    return out.getvalue()


def test_setup_asks_each_answer_at_a_terminal(transactional_db, terminal, capsys):
    # Name, the short name (Enter: the suggested one), e-mail, country, language.
    os.write(terminal, "Línea Segura\n\nFirst.Admin@Casa.example\nke\nfr\n".encode())
    out = run_setup()
    questions = capsys.readouterr().out
    for question in ("Organisation name", "Short name for addresses [linea-segura]", "e-mail"):
        assert question in questions
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.slug) == ("Línea Segura", "linea-segura")
    assert (organisation.country, organisation.default_language) == ("KE", "fr")
    invitation = Invitation.objects.get(organisation=organisation)
    assert invitation.email == "first.admin@casa.example" and invitation.role == "admin"
    assert "Created the organisation Línea Segura (linea-segura)." in out
    assert LINK.search(out)


def test_a_wrong_answer_at_the_terminal_is_one_clear_error_and_creates_nothing(
    transactional_db, terminal
):
    os.write(terminal, b"Casa Segura\n\nadmin@casa.example\n-\nklingon\n")
    with pytest.raises(CommandError, match="--language 'klingon': choose one of"):
        run_setup()
    assert not Organisation.objects.exists()


def test_without_a_terminal_a_missing_answer_names_its_flag(transactional_db):
    with pytest.raises(CommandError, match="--admin-email is required with --no-input"):
        run_setup("--organisation", "Casa Segura", "--no-input")
    assert not Organisation.objects.exists()


def test_run_again_before_anyone_accepted_it_replaces_the_link(transactional_db):
    flags = ["--organisation", "Casa Segura", "--admin-email", "admin@casa.example", "--no-input"]
    first = LINK.search(run_setup(*flags))
    second_out = run_setup(*flags)
    second = LINK.search(second_out)
    assert first and second and first.group(1) != second.group(1)
    assert "has no administrator yet" in second_out
    assert Organisation.objects.count() == 1
    assert AuditEvent.objects.filter(action="invitation.revoked").count() == 1

    # The first link is dead, the second makes the administrator.
    assert Client().get(first.group(1)).status_code == 404
    response = Client().post(
        second.group(1),
        {
            "display_name": "Admin",
            "password1": "a long first passphrase 2026",
            "password2": "a long first passphrase 2026",
        },
    )
    assert response.status_code == 302
    admin = User.objects.get(email="admin@casa.example")
    assert Membership.objects.get(user=admin).role == "admin"

    # Now the organisation has an administrator: setup refuses, and issues nothing.
    with pytest.raises(CommandError, match="already has an administrator"):
        run_setup(*flags)
    assert Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).count() == 0
