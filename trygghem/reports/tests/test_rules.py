import datetime
import math

import pytest

from trygghem.reports.rules import (
    annual_capacity,
    break_even_enrolments,
    erlang_b,
    forecast,
    proportion_interval,
    share_of_month,
    simulate_turn_aways,
)


def test_a_medium_team_takes_260_to_390_people_a_year_as_in_the_guides_figure_6() -> None:
    # SKL 'Trygg hemgång', figure 6: 10-15 concurrent places, episodes of about two weeks.
    assert round(annual_capacity(10, 14), -1) == 260
    assert round(annual_capacity(15, 14), -1) == 390


def test_annual_capacity_refuses_a_length_of_zero() -> None:
    with pytest.raises(ValueError, match="mean length > 0"):
        annual_capacity(10, 0)


@pytest.mark.parametrize(
    ("servers", "load", "expected"),
    [(0, 3.0, 1.0), (1, 1.0, 0.5), (2, 1.0, 0.2), (10, 5.0, 0.018385), (15, 10.0, 0.036496)],
)
def test_erlang_b_matches_the_tables(servers: int, load: float, expected: float) -> None:
    assert erlang_b(servers, load) == pytest.approx(expected, abs=5e-6)


def test_the_erlang_turn_away_probability_agrees_with_a_simulated_team() -> None:
    expected = forecast(places=12, arrivals_per_month=30, mean_length_days=14)

    simulated = simulate_turn_aways(
        places=12, arrivals_per_day=30 * 12 / 365, mean_length_days=14, days=40_000, seed=7
    )

    assert simulated == pytest.approx(expected.turn_away_probability, abs=0.01)


def test_fifteen_enrolments_a_month_fill_a_twelve_place_team_a_little_over_half() -> None:
    result = forecast(places=12, arrivals_per_month=15, mean_length_days=14)

    assert result.offered_load == pytest.approx(15 * 12 / 365 * 14)
    assert result.turn_away_probability == pytest.approx(erlang_b(12, result.offered_load))
    assert result.turn_away_probability == pytest.approx(0.0252, abs=1e-4)
    assert result.occupancy == pytest.approx(0.5608, abs=1e-4)
    assert result.enrolments_per_year == pytest.approx(180 * (1 - result.turn_away_probability))


def test_the_wilson_interval_of_five_in_ten() -> None:
    interval = proportion_interval(5, 10)

    assert (interval.estimate, round(interval.low, 4), round(interval.high, 4)) == (
        0.5,
        0.2366,
        0.7634,
    )


def test_a_share_needs_trials() -> None:
    with pytest.raises(ValueError, match="trials > 0"):
        proportion_interval(0, 0)


def test_break_even_is_the_team_cost_over_the_saving_per_enrolment() -> None:
    assert break_even_enrolments(monthly_team_cost=600_000, saving_per_enrolment=20_000) == 30
    assert break_even_enrolments(monthly_team_cost=600_000, saving_per_enrolment=0) == math.inf


def test_the_share_of_a_month_inside_a_period_counts_its_days() -> None:
    march = datetime.date(2026, 3, 1)
    assert share_of_month(march, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)) == 1.0
    assert share_of_month(march, datetime.date(2026, 3, 10), datetime.date(2026, 3, 31)) == 22 / 31
    assert share_of_month(march, datetime.date(2026, 1, 1), datetime.date(2026, 3, 10)) == 10 / 31
    assert share_of_month(march, datetime.date(2026, 4, 1), datetime.date(2026, 4, 30)) == 0.0
