"""Database side of the intake benchmark, run in its own process with the benchmark's settings.

    prepare.py create             -> prints JSON: organisation slug and an API token
    prepare.py count ACCEPTED     -> prints JSON: what the database holds against what the
                                     clients were told (ACCEPTED: JSON written by run.py)

``create`` goes through Amparo's services, as an administrator would: an organisation, a user
and an API token with the submit and status scopes. ``count`` checks that every report a client
was told about (201, or 200 "replayed" after a retried failure) is in the database exactly once,
and that no Idempotency-Key produced two reports.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections import Counter
from pathlib import Path


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.intake.settings")
    import django

    django.setup()


def create() -> dict:
    from amparo.accounts.models import User
    from amparo.accounts.services import create_organisation
    from amparo.intake import tokens
    from amparo.intake.models import ApiToken

    slug = "bench-helpline"
    organisation = create_organisation(name="Bench Helpline", slug=slug, actor=None)
    user = User.objects.create_user(
        email="bench-admin@example.org", password=secrets.token_urlsafe(24)
    )
    _token, secret = tokens.create(
        organisation,
        name="intake benchmark",
        scopes=[ApiToken.Scope.SUBMIT, ApiToken.Scope.READ_STATUS],
        actor=user,
    )
    return {"slug": slug, "token": secret}


def count(accepted_path: Path) -> dict:
    from django.db.models import Count

    from amparo.intake.choices import Channel
    from amparo.intake.models import IdempotencyKey, Report

    accepted = json.loads(accepted_path.read_text(encoding="utf-8"))
    api_told: dict[str, str] = accepted["api"]  # Idempotency-Key -> report id told to the client
    form_told: list[str] = accepted["form"]  # references shown on the "received" page

    reports = Report.objects.all()
    api_ids = set(
        str(pk) for pk in reports.filter(channel=Channel.API).values_list("pk", flat=True)
    )
    form_refs = list(reports.filter(channel=Channel.WEB_FORM).values_list("reference", flat=True))
    keys = IdempotencyKey.objects.all()
    key_rows = Counter(keys.values_list("key", flat=True))
    per_report = (
        keys.exclude(report=None).values("report").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    key_to_report = {k: str(r) for k, r in keys.values_list("key", "report_id")}

    told_ids = set(api_told.values())
    api_lost = sum(1 for rid in told_ids if rid not in api_ids)
    # Two reports for one key, or two keys pointing to one report, or one key told two ids.
    api_dup = (
        sum(n - 1 for n in key_rows.values() if n > 1)
        + per_report
        + (len(api_told) - len(told_ids))
    )
    mismatched = sum(1 for k, rid in api_told.items() if key_to_report.get(k) != rid)
    # Reports created for a request whose client never heard back (a timeout, a dropped
    # connection) and never retried: not lost and not duplicated, but not acknowledged either.
    api_unacknowledged = len(api_ids - told_ids)
    api_without_key = (
        reports.filter(channel=Channel.API).count() - keys.exclude(report=None).count()
    )

    form_db = Counter(form_refs)
    form_told_c = Counter(form_told)
    form_lost = sum(1 for ref in form_told_c if ref not in form_db)
    form_dup = sum(n - 1 for n in form_told_c.values() if n > 1) + sum(
        n - 1 for n in form_db.values() if n > 1
    )
    return {
        "reports_total": reports.count(),
        "api": {
            "told": len(api_told),
            "in_db": len(api_ids),
            "lost": api_lost,
            "duplicated": api_dup,
            "key_mismatch": mismatched,
            "unacknowledged": api_unacknowledged,
            "without_key": api_without_key,
        },
        "form": {
            "told": len(form_told),
            "in_db": len(form_refs),
            "lost": form_lost,
            "duplicated": form_dup,
            "unacknowledged": len(set(form_db) - set(form_told_c)),
        },
    }


def main() -> None:
    _django()
    if sys.argv[1] == "create":
        out = create()
    elif sys.argv[1] == "count":
        out = count(Path(sys.argv[2]))
    else:
        raise SystemExit(__doc__)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
