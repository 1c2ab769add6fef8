"""Fixtures of the researcher pages: a tiny store, configured as the installation's, and a
researcher."""

from __future__ import annotations

from typing import Any

import pytest

from tests.tdb_app.store import build


@pytest.fixture(scope="session")
def tdb_store(tmp_path_factory: Any) -> Any:
    return build(tmp_path_factory.mktemp("tdb-research"))


@pytest.fixture
def configured(tdb_store: Any, monkeypatch: Any) -> Any:
    """The tiny store as the store this installation reads (``AMPARO_TDB_DIR``)."""
    monkeypatch.setenv("AMPARO_TDB_DIR", str(tdb_store.root))
    return tdb_store


@pytest.fixture
def rita(people: Any) -> Any:
    """Rita, a researcher at the Defenders Helpline."""
    from amparo.accounts import services
    from amparo.accounts.models import User
    from amparo.accounts.roles import Role
    from tests.conftest import PASSWORD

    user = User.objects.create_user("rita@defenders.example", PASSWORD, display_name="Rita")
    services.add_member(people.org, user, Role.RESEARCHER, actor=None)
    return user
