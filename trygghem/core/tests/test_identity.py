import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import identity_number, luhn_check_digit
from trygghem.core.identity import IdentityNumber, parse_identity_number

TODAY = datetime.date(2026, 3, 10)


@pytest.mark.parametrize(
    "typed",
    ["19121212-1212", "191212121212", "19121212+1212", " 19121212-1212 ", "1912 1212-1212"],
)
def test_a_12_digit_personnummer_is_accepted_and_stored_as_12_digits(typed: str) -> None:
    assert parse_identity_number(typed, today=TODAY) == IdentityNumber(
        digits="191212121212", is_coordination_number=False, birth_date=datetime.date(1912, 12, 12)
    )


@pytest.mark.parametrize("typed", ["121212-1212", "1212121212"])
def test_a_10_digit_personnummer_gets_the_latest_century_that_is_not_in_the_future(
    typed: str, today: datetime.date
) -> None:
    assert parse_identity_number(typed, today=today) == IdentityNumber(
        digits="201212121212", is_coordination_number=False, birth_date=datetime.date(2012, 12, 12)
    )


def test_a_10_digit_personnummer_with_plus_belongs_to_someone_aged_100_or_more(
    today: datetime.date,
) -> None:
    assert parse_identity_number("121212+1212", today=today) == IdentityNumber(
        digits="191212121212", is_coordination_number=False, birth_date=datetime.date(1912, 12, 12)
    )


def test_the_formatted_number_has_a_dash_before_the_last_four_digits() -> None:
    assert parse_identity_number("191212121212", today=TODAY).formatted == "19121212-1212"


def test_a_samordningsnummer_is_accepted_flagged_and_keeps_day_plus_60() -> None:
    assert parse_identity_number("19121272-1219", today=TODAY) == IdentityNumber(
        digits="191212721219", is_coordination_number=True, birth_date=datetime.date(1912, 12, 12)
    )


def test_a_personnummer_born_today_is_accepted() -> None:
    digits = identity_number(TODAY, 123)

    assert parse_identity_number(digits, today=TODAY).birth_date == TODAY


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        pytest.param("19121212-1213", "identity_invalid", id="wrong check digit"),
        pytest.param(
            f"19121312-121{luhn_check_digit('121312121')}", "identity_invalid", id="month 13"
        ),
        pytest.param(
            f"19230229-121{luhn_check_digit('230229121')}", "identity_invalid", id="29 Feb 1923"
        ),
        pytest.param(
            f"19121292-121{luhn_check_digit('121292121')}", "identity_invalid", id="day 32 + 60"
        ),
        pytest.param(
            f"19121212-000{luhn_check_digit('121212000')}", "identity_invalid", id="serial 000"
        ),
        pytest.param("", "identity_format", id="empty"),
        pytest.param("Astrid Lind", "identity_format", id="letters"),
        pytest.param("19121212-121", "identity_format", id="too short"),
        pytest.param("1912121212121", "identity_format", id="too long"),
        pytest.param("19121212--1212", "identity_format", id="two dashes"),
        pytest.param("1912-1212-1212", "identity_format", id="dash inside the date"),
        pytest.param("19121212/1212", "identity_format", id="slash"),
    ],
)
def test_an_invalid_personnummer_is_refused_with_a_code(typed: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_identity_number(typed, today=TODAY)

    assert error.value.code == code


def test_a_leap_day_personnummer_is_accepted_in_a_leap_year() -> None:
    typed = f"19240229-121{luhn_check_digit('240229121')}"

    assert parse_identity_number(typed, today=TODAY).birth_date == datetime.date(1924, 2, 29)


def test_a_personnummer_born_in_the_future_is_refused() -> None:
    tomorrow = TODAY + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        parse_identity_number(identity_number(tomorrow, 123), today=TODAY)

    assert error.value.code == "identity_future"
