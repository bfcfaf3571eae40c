import datetime
from dataclasses import dataclass

import pytest

from trygghem.people.rules import overlapping_ranges, range_for_birth_day


@dataclass
class Range:
    first_day: int
    last_day: int


# The source municipality's ranges (people/migrations/0002).
HOFORS = [Range(1, 11), Range(12, 21), Range(22, 31)]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (1, Range(1, 11)),
        (11, Range(1, 11)),
        (12, Range(12, 21)),
        (21, Range(12, 21)),
        (22, Range(22, 31)),
        (31, Range(22, 31)),
    ],
)
def test_the_case_officer_range_is_chosen_by_the_day_of_birth(day: int, expected: Range) -> None:
    assert range_for_birth_day(datetime.date(1940, 1, day), HOFORS) == expected


def test_a_day_outside_every_range_has_no_case_officer() -> None:
    assert range_for_birth_day(datetime.date(1940, 1, 31), [Range(1, 15), Range(16, 30)]) is None


def test_the_hofors_ranges_do_not_overlap() -> None:
    assert overlapping_ranges(HOFORS) is False


def test_ranges_sharing_a_day_overlap() -> None:
    assert overlapping_ranges([Range(1, 11), Range(11, 21)]) is True


@pytest.mark.django_db
def test_the_shipped_birth_day_ranges_are_the_hofors_ones() -> None:
    from trygghem.people.models import BirthDayRange

    ranges = list(BirthDayRange.objects.order_by("first_day"))

    assert [(r.first_day, r.last_day) for r in ranges] == [(1, 11), (12, 21), (22, 31)]
    assert overlapping_ranges(ranges) is False
