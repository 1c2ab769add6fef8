"""The demo data of seed 002's Turkey and Vietnam cases load, and read as the seed tells it."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.django_db


def test_the_turkey_and_vietnam_demo_reads_as_the_seed_tells_it():
    from amparo.accounts.models import Organisation
    from amparo.demo.scorecards import seed_scorecards
    from amparo.demo.seed import seed
    from amparo.scorecards.card import build
    from amparo.scorecards.indicators import Period
    from amparo.takedowns import figures

    seed()
    seed_scorecards()
    seed_scorecards()  # twice changes nothing
    org = Organisation.objects.get(slug="schutzraum")
    rows = figures.compliance_rows(org, date(2023, 1, 1), date(2023, 12, 31))
    assert sum(r["count"] for r in rows) == 13
    period = {
        r["key"]: r
        for r in figures.exact(org, date(2023, 1, 1), date(2023, 12, 31), "period")["rows"]
    }
    assert period["risk"]["rate"] == 1.0  # on the eve of the election, every known demand met
    countries = {
        r["key"]: r
        for r in figures.exact(org, date(2023, 1, 1), date(2023, 12, 31), "authority_country")[
            "rows"
        ]
    }
    assert countries["VN"]["rate"] == 0.8
    card = build(org, "facebook", Period(date(2023, 1, 1), date(2023, 12, 31)))
    assessed = {c.action.number: c.current for c in card.actions if c.current}
    assert set(assessed) == {1, 2, 4}
