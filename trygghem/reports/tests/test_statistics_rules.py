import math

import pytest

from trygghem.reports.rules import (
    Interval,
    Summary,
    avoided_home_care_cost,
    mean_interval,
    share_difference,
    share_of,
    summary_of,
    summary_of_counts,
    t_quantile_975,
    too_few,
)


@pytest.mark.parametrize(
    ("df", "expected"), [(1, 12.7062), (2, 4.3027), (10, 2.2281), (30, 2.0423), (4.5, 2.6589)]
)
def test_the_t_quantile_matches_the_tables(df: float, expected: float) -> None:
    assert t_quantile_975(df) == pytest.approx(expected, abs=1e-4)


def test_the_t_quantile_refuses_zero_degrees_of_freedom() -> None:
    with pytest.raises(ValueError, match="degrees of freedom"):
        t_quantile_975(0)


def test_a_mean_of_one_to_five_has_a_t_interval_of_1_04_to_4_96() -> None:
    summary = summary_of([1, 2, 3, 4, 5])
    assert summary == Summary(5, 3.0, 2.5)

    interval = mean_interval(summary)

    assert interval is not None
    assert interval.estimate == 3.0
    assert interval.low == pytest.approx(1.0368, abs=1e-4)
    assert interval.high == pytest.approx(4.9632, abs=1e-4)


def test_the_difference_of_two_means_uses_welchs_interval() -> None:
    # a: mean 3, variance 2.5, n 5; b: mean 5, variance 6.667, n 4; Welch df 4.75.
    interval = mean_interval(Summary(5, 3.0, 2.5), Summary(4, 5.0, 20 / 3))

    assert interval is not None
    assert interval.estimate == -2.0
    assert interval.low == pytest.approx(-5.8446, abs=1e-3)
    assert interval.high == pytest.approx(1.8446, abs=1e-3)


def test_no_interval_under_two_values_and_a_point_when_both_groups_are_constant() -> None:
    assert mean_interval(Summary(1, 4.0, 0.0)) is None
    assert mean_interval(Summary(5, 1.0, 1.0), Summary(1, 1.0, 0.0)) is None
    assert mean_interval(Summary(3, 2.0, 0.0), Summary(3, 1.0, 0.0)) == Interval(1.0, 1.0, 1.0)


def test_the_difference_of_two_shares_matches_newcombes_worked_example() -> None:
    # Newcombe, Stat Med 1998;17:873-90, table II: 56/70 - 48/80 = 0.2000 (0.0524, 0.3339).
    first, second = share_of(56, 70), share_of(48, 80)
    assert first is not None and second is not None

    interval = share_difference(first, second)

    assert interval.estimate == pytest.approx(0.2)
    assert (round(interval.low, 4), round(interval.high, 4)) == (0.0524, 0.3339)


def test_summaries_from_counts_equal_summaries_from_values() -> None:
    assert summary_of_counts({1.0: 1, 2.0: 1, 3.0: 2}) == summary_of([1, 2, 3, 3])
    assert summary_of_counts({7.0: 1}) == Summary(1, 7.0, 0.0)
    assert summary_of_counts({}) is None
    assert summary_of([]) is None


def test_a_comparison_concludes_nothing_with_fewer_than_30_in_a_group() -> None:
    assert too_few(30, 29)
    assert not too_few(30, 30)


def test_five_hours_a_week_avoided_for_a_year_at_420_kr_is_109_200_kr() -> None:
    assert avoided_home_care_cost(hours_per_week=5, hourly_cost=420, weeks=52) == 109200
    assert math.isclose(
        avoided_home_care_cost(hours_per_week=0.5, hourly_cost=420, weeks=52), 10920
    )
