"""Deadline arithmetic: calendar months, month ends, leap years, time zones, chase clocks."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from amparo.engines.remedies import (
    Clock,
    add_months,
    days_left,
    deadline_at,
    member_state_timezone,
)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 3, 15), 6, date(2025, 9, 15)),  # same day number
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # no 31 February: last day of February
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2027, 8, 29), 6, date(2028, 2, 29)),
        (date(2025, 8, 29), 6, date(2026, 2, 28)),
        (date(2024, 12, 31), 6, date(2025, 6, 30)),  # 30-day month, across the year
        (date(2025, 7, 31), 6, date(2026, 1, 31)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
    ],
)
def test_months_keep_the_day_number_or_end_at_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 36))
def test_add_months_lands_in_the_right_month_on_the_right_day(start, months):
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, last_day)


def test_a_deadline_ends_at_the_last_second_of_the_local_day():
    moment = deadline_at(date(2026, 2, 28), "Europe/Lisbon")
    assert (moment.hour, moment.minute, moment.second) == (23, 59, 59)
    assert moment.tzinfo == ZoneInfo("Europe/Lisbon")
    assert moment.astimezone(UTC) == datetime(2026, 2, 28, 23, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "winter_hours", "summer_hours"),
    [("Europe/Lisbon", 0, 1), ("Europe/Berlin", 1, 2), ("Europe/Helsinki", 2, 3)],
)
def test_deadlines_follow_summer_time_in_each_zone(zone, winter_hours, summer_hours):
    # Summer time starts on 30 March 2025 and ends on 26 October 2025 across the EU.
    before = deadline_at(date(2025, 3, 29), zone)
    after = deadline_at(date(2025, 3, 30), zone)
    autumn = deadline_at(date(2025, 10, 26), zone)
    assert before.utcoffset() == timedelta(hours=winter_hours)
    assert after.utcoffset() == timedelta(hours=summer_hours)
    assert autumn.utcoffset() == timedelta(hours=winter_hours)
    # The day the clocks go forward has 23 hours.
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(hours=23)


def test_the_same_deadline_date_falls_at_different_instants_across_the_union():
    lisbon = deadline_at(date(2025, 7, 1), "Europe/Lisbon").astimezone(UTC)
    helsinki = deadline_at(date(2025, 7, 1), "Europe/Helsinki").astimezone(UTC)
    assert lisbon - helsinki == timedelta(hours=2)


def test_member_states_map_to_zones():
    assert member_state_timezone("pt") == ZoneInfo("Europe/Lisbon")
    assert member_state_timezone("EL") == ZoneInfo("Europe/Athens")
    with pytest.raises(ValueError, match="not an EEA member state"):
        member_state_timezone("US")


def test_days_left_counts_whole_days_and_goes_negative():
    assert days_left(date(2026, 2, 28), date(2026, 2, 28)) == 0
    assert days_left(date(2026, 2, 28), date(2026, 2, 1)) == 27
    assert days_left(date(2026, 2, 28), date(2026, 3, 2)) == -2


@time_machine.travel(datetime(2025, 2, 28, 22, 30, tzinfo=UTC), tick=False)
def test_today_depends_on_where_the_user_is():
    # 22:30 in Lisbon is already 00:30 on 1 March in Helsinki.
    assert days_left(date(2025, 3, 1), tz="Europe/Lisbon") == 1
    assert days_left(date(2025, 3, 1), tz="Europe/Helsinki") == 0
    assert days_left(date(2025, 3, 1), tz=ZoneInfo("Europe/Berlin")) == 1


@time_machine.travel(datetime(2024, 2, 29, 12, 0, tzinfo=UTC), tick=False)
def test_a_frozen_leap_day():
    assert days_left(add_months(date(2023, 8, 31), 6), tz="Europe/Berlin") == 0


BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2025, 3, 29, 9, 0, tzinfo=BERLIN)  # the eve of the change to summer time


def after(hours: float) -> datetime:
    """``hours`` of elapsed time after START (Python's ``+`` on START would add wall time)."""
    return (START.astimezone(UTC) + timedelta(hours=hours)).astimezone(BERLIN)


def test_a_clock_reminds_before_and_chases_after_the_expected_time():
    clock = Clock(START, expected_hours=72)
    assert clock.reminder_at == after(54)
    assert clock.chase_at == after(72)
    assert clock.state(after(1)) == "waiting"
    assert clock.state(after(54)) == "remind"
    assert clock.state(after(72)) == "chase"
    assert clock.chase_times(3) == [after(h) for h in (72, 144, 216)]


def test_a_clock_counts_elapsed_hours_across_a_summer_time_change():
    clock = Clock(START, expected_hours=24)
    # 24 elapsed hours after 09:00 on the eve of the change is 10:00 local time.
    assert clock.chase_at.astimezone(ZoneInfo("Europe/Berlin")).hour == 10


def test_the_next_action_after_the_deadline_is_the_next_chase():
    clock = Clock(START, expected_hours=10, reminder_fraction=0.5)
    assert clock.next_action_at(START) == after(5)
    assert clock.next_action_at(after(6)) == after(10)
    assert clock.next_action_at(after(25)) == after(30)


def test_a_clock_refuses_naive_times_and_bad_fractions():
    with pytest.raises(ValueError, match="aware"):
        Clock(datetime(2025, 1, 1), 24)
    with pytest.raises(ValueError, match="reminder_fraction"):
        Clock(START, 24, reminder_fraction=1.0)
    with pytest.raises(ValueError, match="positive"):
        Clock(START, 0)
    with pytest.raises(ValueError, match="aware"):
        Clock(START, 24).state(datetime(2025, 1, 1))


@time_machine.travel(datetime(2025, 6, 1, 8, 0, tzinfo=UTC), tick=False)
def test_a_clock_can_start_now():
    assert Clock.starting_now(4).chase_at == datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
