from __future__ import annotations

import pytest

from amparo.intake.forms import ReportForm
from amparo.intake.services import submit_report
from tests.intake.conftest import valid_report


def new_report(org, **overrides):
    form = ReportForm(valid_report(**overrides))
    assert form.is_valid(), form.errors
    return submit_report(
        org, form.report_fields(), channel="web_form", language="en", with_followup=False
    ).report


@pytest.fixture
def case(people):
    from amparo.cases.services import open_case

    return open_case(
        people.org,
        reports=[new_report(people.org)],
        title="Page of Noticias Libres suspended",
        actor=people.carlos,
    )
