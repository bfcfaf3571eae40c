import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.assertions import error_codes
from trygghem.decisions.rules import Period, check_decision_period, check_no_overlap


def _day(day: int) -> datetime.date:
    return datetime.date(2026, 3, day)


def _check(start: int, end: int, follow_up: int) -> None:
    """A Trygg hemgång decision (at most 14 days) from/to/followed up on days of March 2026."""
    check_decision_period(
        start_on=_day(start),
        end_on=_day(end),
        follow_up_on=_day(follow_up),
        program_name="Trygg hemgång",
        max_days=14,
    )


def test_a_trygg_hemgang_decision_of_14_days_counted_inclusive_is_accepted() -> None:
    _check(1, 14, 6)


def test_a_one_day_decision_is_accepted() -> None:
    _check(1, 1, 1)


def test_a_trygg_hemgang_decision_of_15_days_is_refused_naming_the_days_and_the_program() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _check(1, 15, 6)

    assert error_codes(error.value) == {"end_on": ["too_long"]}
    assert error.value.message_dict == {
        "end_on": ["The decision is 15 days long; Trygg hemgång allows at most 14 days."]
    }


def test_a_decision_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        _check(10, 9, 9)

    assert error_codes(error.value) == {"end_on": ["ends_before_start"]}


@pytest.mark.parametrize("follow_up", [1, 14])
def test_a_follow_up_on_the_first_or_last_day_is_accepted(follow_up: int) -> None:
    _check(1, 14, follow_up)


@pytest.mark.parametrize(("start", "end", "follow_up"), [(2, 14, 1), (1, 14, 15)])
def test_a_follow_up_outside_the_decision_period_is_refused(
    start: int, end: int, follow_up: int
) -> None:
    with pytest.raises(ValidationError) as error:
        _check(start, end, follow_up)

    assert error_codes(error.value) == {"follow_up_on": ["follow_up_outside"]}


def test_a_period_counts_its_days_inclusive() -> None:
    assert Period(_day(1), _day(14)).days == 14


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        pytest.param((1, 14), (14, 27), True, id="touching: one ends the day the other starts"),
        pytest.param((14, 27), (1, 14), True, id="touching the other way round"),
        pytest.param((1, 14), (5, 6), True, id="inside"),
        pytest.param((5, 6), (1, 14), True, id="around"),
        pytest.param((1, 14), (1, 14), True, id="the same"),
        pytest.param((1, 14), (15, 28), False, id="adjacent: the next day"),
        pytest.param((15, 28), (1, 14), False, id="adjacent the other way round"),
        pytest.param((1, 5), (20, 25), False, id="apart"),
    ],
)
def test_periods_overlap_when_they_share_a_day(
    first: tuple[int, int], second: tuple[int, int], overlap: bool
) -> None:
    assert (
        Period(_day(first[0]), _day(first[1])).overlaps(Period(_day(second[0]), _day(second[1])))
        is overlap
    )


def test_a_new_period_next_to_the_running_decisions_is_accepted() -> None:
    check_no_overlap(
        Period(_day(15), _day(28)),
        [("Trygg hemgång", Period(_day(1), _day(14))), ("IHR", Period(_day(29), _day(31)))],
    )


def test_a_new_period_without_running_decisions_is_accepted() -> None:
    check_no_overlap(Period(_day(1), _day(14)), [])


def test_a_new_period_touching_a_running_decision_is_refused_naming_it() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        check_no_overlap(Period(_day(14), _day(27)), [("Trygg hemma", Period(_day(1), _day(14)))])

    assert error.value.code == "overlapping_decision"
    assert error.value.messages == [
        "The person already has a running decision (Trygg hemma, 03/01/2026 – 03/14/2026) "
        "that overlaps this period."
    ]
