import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.assertions import error_codes
from trygghem.referrals.rules import check_home_care_hours, check_referral_dates

TODAY = datetime.date(2026, 3, 10)


def _day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def _check(
    *,
    received_on: int = 0,
    admitted_on: int | None = -3,
    ready_for_discharge_on: int | None = -1,
    planned_home_on: int | None = 1,
) -> None:
    """check_referral_dates with the dates given as days from today."""
    check_referral_dates(
        received_on=_day(received_on),
        admitted_on=None if admitted_on is None else _day(admitted_on),
        ready_for_discharge_on=None
        if ready_for_discharge_on is None
        else _day(ready_for_discharge_on),
        planned_home_on=None if planned_home_on is None else _day(planned_home_on),
        today=TODAY,
    )


def _codes(**dates: Any) -> dict[str, list[str]] | list[str]:
    with pytest.raises(ValidationError) as error:
        _check(**dates)
    return error_codes(error.value)


def test_a_referral_with_dates_in_order_is_accepted() -> None:
    _check()


def test_a_referral_with_every_date_today_is_accepted() -> None:
    _check(received_on=0, admitted_on=0, ready_for_discharge_on=0, planned_home_on=0)


def test_a_referral_without_hospital_dates_is_accepted() -> None:
    _check(admitted_on=None, ready_for_discharge_on=None, planned_home_on=None)


def test_ready_for_discharge_and_homecoming_may_lie_in_the_future() -> None:
    _check(ready_for_discharge_on=2, planned_home_on=3)


def test_a_referral_received_in_the_future_is_refused() -> None:
    assert _codes(received_on=1, planned_home_on=2) == {"received_on": ["future_date"]}


def test_an_admission_in_the_future_is_refused() -> None:
    assert _codes(admitted_on=1, ready_for_discharge_on=2, planned_home_on=3) == {
        "admitted_on": ["future_date"]
    }


def test_ready_for_discharge_before_the_admission_is_refused() -> None:
    assert _codes(admitted_on=-3, ready_for_discharge_on=-4, planned_home_on=1) == {
        "ready_for_discharge_on": ["discharge_before_admission"]
    }


def test_a_planned_homecoming_before_the_admission_is_refused() -> None:
    assert _codes(admitted_on=-3, ready_for_discharge_on=None, planned_home_on=-4) == {
        "planned_home_on": ["home_before_admission"]
    }


def test_a_planned_homecoming_before_ready_for_discharge_is_refused() -> None:
    assert _codes(admitted_on=-3, ready_for_discharge_on=-1, planned_home_on=-2) == {
        "planned_home_on": ["home_before_discharge"]
    }


def test_a_planned_homecoming_before_ready_for_discharge_is_refused_without_an_admission() -> None:
    assert _codes(admitted_on=None, ready_for_discharge_on=-1, planned_home_on=-2) == {
        "planned_home_on": ["home_before_discharge"]
    }


def test_every_wrong_date_is_reported_at_once() -> None:
    assert _codes(received_on=1, admitted_on=2, ready_for_discharge_on=1, planned_home_on=0) == {
        "received_on": ["future_date"],
        "admitted_on": ["future_date"],
        "ready_for_discharge_on": ["discharge_before_admission"],
        "planned_home_on": ["home_before_admission"],
    }


@pytest.mark.parametrize("hours", ["0", "0.5", "37.5", "168"])
def test_home_care_hours_within_a_week_are_accepted(hours: str) -> None:
    check_home_care_hours(Decimal(hours))


@pytest.mark.parametrize("hours", ["-0.1", "-1", "168.1", "169"])
def test_home_care_hours_outside_a_week_are_refused(hours: str) -> None:
    with pytest.raises(ValidationError) as error:
        check_home_care_hours(Decimal(hours))

    assert error_codes(error.value) == {"home_care_hours_before": ["hours_out_of_range"]}
