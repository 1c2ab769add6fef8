"""Publishing a transparency report: the only write of this app."""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.accountability import pdf, reports
from amparo.accountability.models import PublishedReport
from amparo.accounts.access import require_capability
from amparo.accounts.models import Organisation
from amparo.accounts.roles import Capability
from amparo.audit.services import record

if TYPE_CHECKING:
    from amparo.accounts.types import Actor


def rendered(
    organisation: Any, composed: reports.Composed, *, report_id: Any, when: Any
) -> dict[str, Any]:
    """The report's HTML, CSV and PDF, in the current language."""
    tables = reports.shown_tables(organisation, composed)
    method = reports.method_text(composed)
    context = {
        "organisation": organisation,
        "spec": composed.spec,
        "tables": tables,
        "method": method,
        "report_id": report_id,
        "published_at": when,
        "LANGUAGE_CODE": translation.get_language(),
        "LANGUAGE_BIDI": translation.get_language_bidi(),
    }
    html = render_to_string("accountability/published.html", context)
    period = _("Period: %(start)s to %(end)s") % {
        "start": composed.spec.start.isoformat(),
        "end": composed.spec.end.isoformat(),
    }
    lines = [organisation.name, period, method]
    document = pdf.render(
        title=composed.spec.title,
        lines=lines,
        tables=[(t.title, t.columns, t.rows) for t in tables],
        language=translation.get_language() or "en",
        created=timezone.localdate(when),
    )
    return {"html": html, "csv": reports.render_csv(organisation, composed), "pdf": document}


def publish(organisation: Organisation, spec: reports.Spec, *, actor: Actor) -> PublishedReport:
    """Compose, suppress against everything published before, render and keep the report.

    The organisation's row is locked first, so two reports published at once are checked
    against each other (the second waits for the first)."""
    require_capability(actor, organisation.pk, Capability.COORDINATE)
    report_id = uuid.uuid4()
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        composed = reports.compose(organisation, spec, name=str(report_id))
        when = timezone.now()
        out = rendered(organisation, composed, report_id=report_id, when=when)
        digest = hashlib.sha256(out["html"].encode() + out["csv"].encode() + out["pdf"]).hexdigest()
        report = PublishedReport(
            id=report_id,
            organisation=organisation,
            title=spec.title,
            period_start=spec.start,
            period_end=spec.end,
            language=translation.get_language() or "en",
            method=spec.method,
            threshold=spec.threshold,
            epsilon=spec.epsilon if spec.method == "dp" else None,
            spec=spec.as_json(),
            tables=reports.stored(composed.tables, composed.kinds),
            html=out["html"],
            csv=out["csv"],
            pdf=out["pdf"],
            sha256=digest,
            public=spec.public,
            published_by=actor,
            published_at=when,
        )
        report.save()
        record(
            "accountability.report_published",
            actor=actor,
            obj=report,
            organisation=organisation,
            new={
                "method": spec.method,
                "threshold": spec.threshold,
                "epsilon": report.epsilon,
                "public": spec.public,
                "suppressed": composed.suppressed_count(),
                "sha256": digest,
            },
        )
    return report
