"""`make demo` shows a filled dashboard and one published report."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_dashboard_and_publishes_one_report(signed_in):
    from amparo.accountability.models import PublishedReport
    from amparo.accountability.reports import tables_of
    from amparo.accounts.models import User
    from amparo.demo.accountability import seed_accountability
    from amparo.demo.seed import seed
    from amparo.engines.figures.attacker import recovered

    seed()
    seed_accountability()
    report = PublishedReport.objects.get(organisation__slug="linea-segura")
    assert report.public and report.language == "es"
    assert recovered(tables_of(report.tables)) == []
    coordinator = User.objects.get(email="coordinator@linea-segura.example.org")
    html = signed_in(coordinator).get("/o/linea-segura/accountability/").content.decode()
    assert "incidents counted" in html and "Incidents by gender" in html
    assert "No escalation sent in this selection." not in html
    assert 'fill="#f3d9a4"' in html  # the demo election shaded
