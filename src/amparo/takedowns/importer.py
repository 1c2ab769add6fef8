"""CSV import of takedown demands: every valid row is kept, every invalid one is reported with
its line number and what is wrong, in words; a bad row never stops the others.

The columns are those of :data:`COLUMNS` (the template offered for download); the header
decides their order. Comma or semicolon separated, UTF-8 (with or without a byte-order mark).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from amparo.accounts.access import require_capability
from amparo.accounts.roles import Capability
from amparo.audit.services import record
from amparo.takedowns import services
from amparo.takedowns.forms import DemandForm

if TYPE_CHECKING:
    from amparo.accounts.types import Actor

COLUMNS = (
    "platform",
    "authority_country",
    "authority",
    "legal_basis",
    "demanded_on",
    "country",
    "scope",
    "source",
    "targets",
    "source_reference",
    "response",
    "responded_on",
    "case_reference",
    "notes",
)
REQUIRED = ("platform", "authority_country", "authority", "demanded_on", "scope", "source")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

EXAMPLE = {
    "platform": "x",
    "authority_country": "TR",
    "authority": "Information and Communication Technologies Authority (BTK)",
    "legal_basis": "Law No. 5651, Art 8/A",
    "demanded_on": "2023-05-12",
    "country": "TR",
    "scope": "geo_blocked",
    "source": "transparency_report",
    "targets": "https://x.com/example/status/1; @example_account",
    "source_reference": "https://lumendatabase.org/notices/000000",
    "response": "geo_blocked",
    "responded_on": "2023-05-13",
    "case_reference": "",
    "notes": "",
}


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerow(EXAMPLE)
    return out.getvalue()


@dataclass
class Result:
    created: list[Any] = field(default_factory=list)
    errors: list[tuple[int, list[str]]] = field(default_factory=list)  # (line, problems)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The file is not UTF-8 text (byte %(at)d). Save it as “CSV UTF-8” and try again.")
            % {"at": exc.start}
        ) from None


def _problems(form: DemandForm) -> list[str]:
    out = []
    for name, errors in form.errors.items():
        for message in errors:
            out.append(str(message) if name == "__all__" else f"{name}: {message}")
    return out


def import_csv(organisation: Any, raw: bytes, *, actor: Actor) -> Result:
    """Import ``raw`` (the uploaded bytes). Each valid row is saved on its own (one audit event
    each, through ``services.record_demand``); the import itself is one more audit event with
    the counts."""
    require_capability(actor, organisation.pk, Capability.WRITE_CASES)
    result = Result()
    try:
        if len(raw) > MAX_BYTES:
            raise ValidationError(_("The file is larger than 2 MB: split it."))
        text = _decode(raw)
        if not text.strip():
            raise ValidationError(_("The file is empty."))
        first = text.splitlines()[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ValidationError(
                _("Columns missing from the first line: %(cols)s. Download the template.")
                % {"cols": ", ".join(missing)}
            )
        unknown = [h for h in header if h not in COLUMNS]
        if unknown:
            raise ValidationError(
                _("Unknown columns: %(cols)s. Use the columns of the template.")
                % {"cols": ", ".join(unknown)}
            )
        for number, row in enumerate(reader, start=2):
            line = reader.line_num
            if number - 1 > MAX_ROWS:
                result.errors.append(
                    (line, [_("More than %(n)d rows: the rest was not read.") % {"n": MAX_ROWS}])
                )
                break
            if None in row:
                result.errors.append((line, [_("This row has more cells than the header.")]))
                continue
            values = {k: (v or "").strip() for k, v in row.items()}
            if not any(values.values()):
                continue
            form = DemandForm(values)
            if not form.is_valid():
                result.errors.append((line, _problems(form)))
                continue
            try:
                result.created.append(
                    services.record_demand(organisation, data=form.cleaned_data, actor=actor)
                )
            except ValidationError as exc:
                result.errors.append((line, list(exc.messages)))
    except ValidationError as exc:
        result.file_error = " ".join(exc.messages)
    except csv.Error as exc:
        result.file_error = _("The file could not be read as CSV: %(problem)s") % {"problem": exc}
    except PermissionDenied:
        raise
    record(
        "takedown.imported",
        actor=actor,
        organisation=organisation,
        new={
            "created": len(result.created),
            "rejected_lines": [line for line, _p in result.errors],
            "file_error": bool(result.file_error),
        },
    )
    return result
