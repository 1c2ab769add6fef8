"""Date arithmetic for remedy deadlines, and a clock for chasing platforms.

Deadlines are *dates* in the member state of the user. The rule for periods expressed in
months follows Article 3(2)(c) of Regulation (EEC, Euratom) No 1182/71 (periods, dates and
time limits): the period ends on the day of the last month that bears the same number as the
day from which it runs; if that month has no such day (31 August + 6 months), it ends on the
last day of that month (28 or 29 February). Periods in days count calendar days after the
starting day. We do *not* move a deadline that falls on a weekend or holiday to the next
working day (Article 3(4) of that Regulation): an earlier deadline is the safe one to
diary, and holidays differ by member state.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "MEMBER_STATE_TIMEZONES",
    "Clock",
    "DeadlineStatus",
    "add_months",
    "days_left",
    "deadline_at",
    "deadline_status",
    "deadline_zone",
    "member_state_timezone",
]

# The capital's zone; Portugal (Azores) and Spain (Canaries) have other zones too: pass the
# user's own zone to deadline_at where it differs.
MEMBER_STATE_TIMEZONES: dict[str, str] = {
    "AT": "Europe/Vienna",
    "BE": "Europe/Brussels",
    "BG": "Europe/Sofia",
    "CY": "Asia/Nicosia",
    "CZ": "Europe/Prague",
    "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen",
    "EE": "Europe/Tallinn",
    "ES": "Europe/Madrid",
    "FI": "Europe/Helsinki",
    "FR": "Europe/Paris",
    "GR": "Europe/Athens",
    "HR": "Europe/Zagreb",
    "HU": "Europe/Budapest",
    "IE": "Europe/Dublin",
    "IS": "Atlantic/Reykjavik",
    "IT": "Europe/Rome",
    "LI": "Europe/Vaduz",
    "LT": "Europe/Vilnius",
    "LU": "Europe/Luxembourg",
    "LV": "Europe/Riga",
    "MT": "Europe/Malta",
    "NL": "Europe/Amsterdam",
    "NO": "Europe/Oslo",
    "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon",
    "RO": "Europe/Bucharest",
    "SE": "Europe/Stockholm",
    "SI": "Europe/Ljubljana",
    "SK": "Europe/Bratislava",
}


def member_state_timezone(member_state: str) -> ZoneInfo:
    """The zone of a member state's capital (``EL`` is accepted for Greece).

    Iceland, Liechtenstein and Norway are listed for their zones only: whether the DSA applies
    there is the escalation register's to say (``Register.dsa_applies``), not this table's.
    """
    code = member_state.upper()
    code = "GR" if code == "EL" else code
    try:
        return ZoneInfo(MEMBER_STATE_TIMEZONES[code])
    except KeyError:
        raise ValueError(f"not an EEA member state: {member_state!r}") from None


def deadline_zone(member_state: str | None, default: str = "UTC") -> str:
    """The IANA zone a deadline is counted in: the capital's zone of ``member_state`` (where
    the person who must act is located or established), else ``default``."""
    if member_state:
        code = member_state.upper()
        code = "GR" if code == "EL" else code
        if code in MEMBER_STATE_TIMEZONES:
            return MEMBER_STATE_TIMEZONES[code]
    return default


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, clamped to the month's last day.

    31 August + 6 months = 28 February (29 in a leap year); 15 March + 6 = 15 September.
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def deadline_at(day: date, tz: str | ZoneInfo) -> datetime:
    """The last moment of ``day`` (23:59:59 local time) in ``tz``, as an aware datetime.

    Convert it with ``.astimezone(UTC)`` to store or compare; the UTC offset follows the
    zone's rules on that day (summer time included).
    """
    return datetime.combine(day, time(23, 59, 59), tzinfo=_zone(tz))


def days_left(deadline: date, today: date | None = None, *, tz: str | ZoneInfo = "UTC") -> int:
    """Whole days from ``today`` to ``deadline``: 0 on the last day, negative once past.

    ``today`` defaults to the current date in ``tz`` (use the user's zone: near midnight the
    date differs between Lisbon and Helsinki).
    """
    if today is None:
        today = datetime.now(_zone(tz)).date()
    return (deadline - today).days


@dataclass(frozen=True)
class DeadlineStatus:
    """Where a deadline stands on a given day, counted in the deadline's own zone.

    ``closed`` once the last day has passed there; ``minimum`` when the law sets only a
    minimum period (Art 20(1) DSA: "at least six months"), so a late filing is not excluded.
    """

    deadline: date
    time_zone: str
    today: date
    days_left: int
    closes_at: datetime
    minimum: bool = False

    @property
    def closed(self) -> bool:
        return self.days_left < 0

    @property
    def last_day(self) -> bool:
        return self.days_left == 0


def deadline_status(
    deadline: date,
    *,
    tz: str | ZoneInfo,
    today: date | None = None,
    minimum: bool = False,
) -> DeadlineStatus:
    """``deadline`` seen from ``today`` (default: the current date in ``tz``, the deadline's
    own zone, not the server's): days left, whether it closed, and the instant it closes."""
    zone = _zone(tz)
    if today is None:
        today = datetime.now(zone).date()
    return DeadlineStatus(
        deadline=deadline,
        time_zone=zone.key,
        today=today,
        days_left=(deadline - today).days,
        closes_at=deadline_at(deadline, zone),
        minimum=minimum,
    )


@dataclass(frozen=True)
class Clock:
    """Reminder and chase times for an escalation waiting on a platform.

    ``expected_hours`` is the expected response time of the channel (practice, from the
    escalation register, not law). The reminder falls at ``reminder_fraction`` of it (before
    the time runs out); the first chase when it has passed, and a further chase every
    ``expected_hours`` after that.
    """

    started_at: datetime
    expected_hours: float
    reminder_fraction: float = 0.75

    def __post_init__(self) -> None:
        if self.started_at.tzinfo is None or self.started_at.utcoffset() is None:
            raise ValueError("started_at must be an aware datetime")
        if not self.expected_hours > 0:
            raise ValueError("expected_hours must be positive")
        if not 0 < self.reminder_fraction < 1:
            raise ValueError("reminder_fraction must lie between 0 and 1 (exclusive)")

    @property
    def expected(self) -> timedelta:
        return timedelta(hours=self.expected_hours)

    # Arithmetic on aware datetimes that share a tzinfo is wall-clock arithmetic in Python
    # (09:00 + 24 h = 09:00 the next day even when summer time starts in between): count
    # elapsed time in UTC and show the result in the zone the clock was started in.
    def _at(self, elapsed: timedelta) -> datetime:
        moment = self.started_at.astimezone(UTC) + elapsed
        return moment.astimezone(self.started_at.tzinfo)

    @staticmethod
    def _utc(moment: datetime) -> datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("now must be an aware datetime")
        return moment.astimezone(UTC)

    @property
    def reminder_at(self) -> datetime:
        """When to remind the caseworker that the expected response time is running out."""
        return self._at(self.expected * self.reminder_fraction)

    @property
    def chase_at(self) -> datetime:
        """When the expected response time has passed and the platform is to be chased."""
        return self._at(self.expected)

    def chase_times(self, count: int) -> list[datetime]:
        """The first ``count`` chase times (at 1x, 2x, ... the expected response time)."""
        return [self._at(self.expected * (n + 1)) for n in range(count)]

    def state(self, now: datetime) -> str:
        """``"waiting"``, ``"remind"`` (reminder due) or ``"chase"`` (overdue) at ``now``."""
        now_utc = self._utc(now)
        if now_utc >= self.chase_at.astimezone(UTC):
            return "chase"
        if now_utc >= self.reminder_at.astimezone(UTC):
            return "remind"
        return "waiting"

    def next_action_at(self, now: datetime) -> datetime:
        """The next reminder or chase after ``now``."""
        now_utc = self._utc(now)
        if now_utc < self.reminder_at.astimezone(UTC):
            return self.reminder_at
        if now_utc < self.chase_at.astimezone(UTC):
            return self.chase_at
        overdue = (now_utc - self.started_at.astimezone(UTC)) // self.expected
        return self._at(self.expected * (overdue + 1))

    @classmethod
    def starting_now(cls, expected_hours: float, reminder_fraction: float = 0.75) -> Clock:
        return cls(datetime.now(UTC), expected_hours, reminder_fraction)
