"""The caseworkers' case list: work views, search, and pages that stay fast at any depth.

The list's order is urgency rank, then most recently updated, then id (``ORDER``). Two indexes
follow it, ``case_list_idx`` (organisation, urgency_rank, updated_at DESC, id) and, for the
views of open or closed cases, ``case_open_list_idx`` on the stored ``is_open`` flag. A page is
one statement: the page's ids are chosen in a subquery that reads only the index, then only
those rows are read with their data key and assignee (``pk IN (SELECT id ... LIMIT n OFFSET m)``),
so a deep page walks index entries instead of sorting wide rows with encrypted columns.

"Next" links carry the last row of the page in a signed cursor (``after``): the next page is the
rows beyond it in the list's order, with no OFFSET at all, and rows added or closed in the
meantime do not shift it. Numbered pages (``page``) keep working; a cursor that does not verify
falls back to the first page.

"Next due" and the "Overdue" view read ``Case.next_due_at``: the earliest running clock of the
case — an open task, the answer to a sent escalation, a remedy step's filing window or decision
due, each deadline counted in its own time zone — stored by ``cases/clocks.py`` whenever a clock
starts, moves or stops, so that "Overdue" is decided from the index.

Search works on fields that are not encrypted and is targeted: what the text can be decides
which field is matched, each an equality that an index serves, instead of one OR over every
field and a join to the tags.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core import signing
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.text import slugify

from amparo.cases import states
from amparo.cases.models import Case, CaseTag, Tag
from amparo.core.countries import country_choices, is_country
from amparo.core.platforms import platforms

ORDER = ("urgency_rank", "-updated_at", "pk")
PAGE_SIZES = (25, 50, 100)
DEFAULT_SIZE = 50

# ``is_open__in=[True]``, not ``is_open=True``: Django writes the latter as a bare ``WHERE
# is_open``, which SQLite cannot match to an index column; ``IN (1)`` is an equality it can.
OPEN_ONLY = Q(is_open__in=[True])
CLOSED_ONLY = Q(is_open__in=[False])

VIEWS: dict[str, Callable[[QuerySet[Case], Any], QuerySet[Case]]] = {
    "open": lambda qs, user: qs.filter(OPEN_ONLY),
    "mine": lambda qs, user: qs.filter(OPEN_ONLY, assignee=user),
    "urgent": lambda qs, user: qs.filter(OPEN_ONLY, urgency_rank__lte=1),
    "overdue": lambda qs, user: qs.filter(OPEN_ONLY, next_due_at__lt=timezone.now()),
    "awaiting": lambda qs, user: qs.filter(status=states.Status.AWAITING_PLATFORM),
    "closed": lambda qs, user: qs.filter(CLOSED_ONLY),
    "all": lambda qs, user: qs,
}

# What a row of the list shows, and what opening its title needs (data key, organisation).
LIST_FIELDS = (
    "organisation",
    "data_key",
    "reference",
    "title",
    "status",
    "platform",
    "urgency_level",
    "urgency_rank",
    "updated_at",
    "next_due_at",
    "assignee",
    "assignee__email",
    "assignee__display_name",
    "data_key__organisation",
    "data_key__wrapped",
    "data_key__kek_id",
    "data_key__shredded_at",
)

_CURSOR_SALT = "amparo.cases.list.cursor"
_CURSOR_MAX = 300
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
REFERENCE = re.compile(r"C-[A-Z0-9]{7}", re.IGNORECASE)


def work_view(cases: QuerySet[Case], view: str, user: Any) -> QuerySet[Case]:
    return VIEWS.get(view, VIEWS["open"])(cases, user)


# ----------------------------------------------------------------------------------- search


def platform_slug(text: str) -> str:
    """The platform the text names, by slug or name in any case ("tiktok", "TikTok"), or ""."""
    folded = text.strip().casefold()
    for p in platforms():
        if folded in (p["slug"], p["name"].casefold()):
            return p["slug"]
    return ""


def country_code(text: str) -> str:
    """The country the text names, by ISO code ("mx") or name in the current language or in
    English ("México", "Mexico"), or ""."""
    text = text.strip()
    if len(text) == 2 and is_country(text.upper()):
        return text.upper()
    folded = text.casefold()
    for names in (country_choices, _english_country_choices):
        for code, name in names():
            if name.casefold() == folded:
                return code
    return ""


def _english_country_choices() -> list[tuple[str, str]]:
    with translation.override("en"):
        return country_choices()


def search(cases: QuerySet[Case], organisation: Any, text: str) -> QuerySet[Case]:
    """Cases whose reference, platform, country or tag is the text (case-insensitive).

    Only the fields the text can be are matched: a case reference ``C-XXXXXXX``, a platform
    (slug or name), a country (code or name), a tag of the organisation (its slug); several when
    the text is more than one of them. Text that is none of these is compared with the platform
    as written, which finds nothing unless a case keeps a platform no longer in the list."""
    text = text.strip()
    arms: list[Q] = []
    if REFERENCE.fullmatch(text):
        arms.append(Q(reference=text.upper()))
    if platform := platform_slug(text):
        arms.append(Q(platform=platform))
    if country := country_code(text):
        arms.append(Q(country=country))
    slug = slugify(text)[:40]
    tag = (
        Tag.objects.filter(organisation=organisation, name=slug).values_list("pk", flat=True)[:1]
        if slug
        else []
    )
    for tag_id in tag:
        tagged = CaseTag.objects.filter(tag_id=tag_id).values("case_id")
        arms.append(Q(pk__in=Subquery(tagged)))
    if not arms:
        arms.append(Q(platform=text.lower()))
    condition = arms[0]
    for arm in arms[1:]:
        condition |= arm
    return cases.filter(condition)


def with_tag(cases: QuerySet[Case], organisation: Any, name: str) -> QuerySet[Case]:
    """Cases carrying the organisation's tag ``name``: the tag's rows first, no join to repeat
    cases."""
    tagged = CaseTag.objects.filter(tag__organisation=organisation, tag__name=name).values(
        "case_id"
    )
    return cases.filter(pk__in=Subquery(tagged))


# ----------------------------------------------------------------------------------- paging


def make_cursor(case: Case, number: int) -> str:
    """A signed, opaque position: the rows after ``case`` in the list's order, shown as page
    ``number``."""
    micros = (case.updated_at - _EPOCH) // timedelta(microseconds=1)
    return signing.dumps([case.urgency_rank, micros, case.pk.hex, number], salt=_CURSOR_SALT)


def read_cursor(text: str) -> tuple[int, datetime, uuid.UUID, int] | None:
    """The position a cursor carries, or None when it does not verify or make sense."""
    if not text or len(text) > _CURSOR_MAX:
        return None
    try:
        rank, micros, pk, number = signing.loads(text, salt=_CURSOR_SALT)
        return (
            int(rank),
            _EPOCH + timedelta(microseconds=int(micros)),
            uuid.UUID(hex=str(pk)),
            max(1, int(number)),
        )
    except (signing.BadSignature, ValueError, TypeError, OverflowError):
        return None


def beyond(rank: int, updated_at: datetime, pk: uuid.UUID) -> Q:
    """Rows after (rank, updated_at, pk) in the list's order (rank up, updated_at down, id up)."""
    return Q(urgency_rank__gte=rank) & (
        Q(urgency_rank__gt=rank)
        | Q(updated_at__lt=updated_at)
        | Q(updated_at=updated_at, pk__gt=pk)
    )


class CasePage(Page):
    """A page of the list. ``next_cursor`` is the "Next" link's position (the last row)."""

    def __init__(
        self, rows: list[Case], number: int, paginator: Paginator, *, more: bool | None = None
    ) -> None:
        super().__init__(rows, number, paginator)
        self._more = more

    def has_next(self) -> bool:
        return super().has_next() if self._more is None else self._more

    @property
    def next_cursor(self) -> str:
        if not self.has_next() or not self.object_list:
            return ""
        return make_cursor(self.object_list[-1], self.number + 1)


def _rows(ids: QuerySet[Any]) -> list[Case]:
    """The rows of the page whose ids the subquery chooses, in one statement, and their tags."""
    return list(
        Case.objects.filter(pk__in=ids)
        .select_related("assignee", "data_key")
        .only(*LIST_FIELDS)
        .prefetch_related("tags")
        .order_by(*ORDER)
    )


def paginate(cases: QuerySet[Case], *, size: int, number: Any = None, after: str = "") -> CasePage:
    """One page of ``cases``: by the ``after`` cursor when it verifies, else by page number
    (bad numbers as Django's ``get_page``: the first page, or the last when past it)."""
    ordered = cases.order_by(*ORDER)
    paginator = Paginator(ordered, size)
    cursor = read_cursor(after) if after else None
    if cursor is None:
        numbered = paginator.get_page(number)
        offset = (numbered.number - 1) * size
        rows = _rows(ordered.values("pk")[offset : offset + size])
        return CasePage(rows, numbered.number, paginator)
    rank, updated_at, pk, shown_as = cursor
    rows = _rows(ordered.filter(beyond(rank, updated_at, pk)).values("pk")[: size + 1])
    more = len(rows) > size
    return CasePage(rows[:size], max(1, min(shown_as, paginator.num_pages)), paginator, more=more)
