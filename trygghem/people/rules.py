"""Pure rules about people: no ORM."""

import datetime
from collections.abc import Sequence
from typing import Protocol, TypeVar


class DayRange(Protocol):
    first_day: int
    last_day: int


R = TypeVar("R", bound=DayRange)


def range_for_birth_day(birth_date: datetime.date, ranges: Sequence[R]) -> R | None:
    """The case officer is chosen by the day of the month the person was born (Hofors brochure)."""
    for day_range in ranges:
        if day_range.first_day <= birth_date.day <= day_range.last_day:
            return day_range
    return None


def overlapping_ranges(ranges: Sequence[DayRange]) -> bool:
    days: set[int] = set()
    for day_range in ranges:
        span = set(range(day_range.first_day, day_range.last_day + 1))
        if days & span:
            return True
        days |= span
    return False
