import datetime

import pytest
from django.utils import translation

from trygghem.reports.charts import bar_chart
from trygghem.reports.rules import (
    LEAD_TIME_BINS,
    LENGTH_BINS,
    binned,
    fee_days,
    mean_of_counts,
    median_of_counts,
    month_end,
    month_starts,
    occupancy_by_day,
    payment_liability_days,
    share_of,
)

D = datetime.date


def test_the_median_of_an_odd_number_is_the_middle_value() -> None:
    assert median_of_counts({14: 2, 9: 1, 30: 2}) == 14.0


def test_the_median_of_an_even_number_is_the_mean_of_the_two_middle_values() -> None:
    assert median_of_counts({9: 1, 14: 1}) == 11.5
    assert median_of_counts({3: 2, 10: 2}) == 6.5


def test_median_and_mean_of_nothing_are_none() -> None:
    assert (median_of_counts({}), mean_of_counts({})) == (None, None)


def test_the_mean_weighs_each_value_by_its_count() -> None:
    assert mean_of_counts({10: 3, 20: 1}) == 12.5


def test_lengths_fall_in_the_weekly_bins() -> None:
    counts = {1: 1, 7: 2, 8: 1, 14: 3, 15: 1, 28: 1, 29: 2, 90: 1}
    assert binned(counts, LENGTH_BINS) == [
        ("0-7", 3),
        ("8-14", 4),
        ("15-21", 1),
        ("22-28", 1),
        ("29+", 3),
    ]


def test_a_value_below_the_first_bin_counts_in_the_first() -> None:
    assert binned({-2: 1, 0: 1, 2: 1, 11: 1}, LEAD_TIME_BINS) == [
        ("0", 2),
        ("1-2", 1),
        ("3-5", 0),
        ("6-10", 0),
        ("11+", 1),
    ]


@pytest.mark.parametrize(
    ("lead_days", "from_day", "expected"),
    [(0, 3, 0), (3, 3, 0), (4, 3, 1), (10, 3, 7), (10, 5, 5), (-1, 3, 0)],
)
def test_payment_liability_starts_on_the_third_calendar_day_after_the_notice(
    lead_days: int, from_day: int, expected: int
) -> None:
    # Ready on Monday, home on Friday (4 days): Thursday is the one day of liability.
    assert payment_liability_days(lead_days=lead_days, from_day=from_day) == expected


def test_occupancy_counts_an_episode_from_homecoming_to_its_last_day() -> None:
    days = occupancy_by_day(
        first_day=D(2026, 1, 1),
        last_day=D(2026, 1, 5),
        enrolled_before=1,
        starts={D(2026, 1, 2): 2, D(2026, 1, 4): 1},
        ends={D(2026, 1, 1): 1, D(2026, 1, 3): 1},
    )
    assert [count for _day, count in days] == [1, 2, 2, 2, 2]
    assert days[0][0] == D(2026, 1, 1)


def test_fee_days_are_the_decisions_days_at_home_within_the_month() -> None:
    march = {"month_start": D(2024, 3, 1), "month_end": D(2024, 3, 31)}
    assert (
        fee_days(**march, home_on=D(2024, 3, 4), start_on=D(2024, 3, 4), end_on=D(2024, 3, 17))
        == 14
    )
    assert (
        fee_days(**march, home_on=D(2024, 3, 26), start_on=D(2024, 3, 25), end_on=D(2024, 4, 21))
        == 6
    )
    assert (
        fee_days(**march, home_on=D(2024, 2, 20), start_on=D(2024, 2, 20), end_on=D(2024, 3, 4))
        == 4
    )
    assert (
        fee_days(**march, home_on=D(2024, 4, 2), start_on=D(2024, 4, 1), end_on=D(2024, 4, 14)) == 0
    )


def test_months_run_from_the_first_days_month_to_the_last_days_month() -> None:
    assert month_starts(D(2025, 11, 20), D(2026, 2, 1)) == [
        D(2025, 11, 1),
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
    ]
    assert [month_end(D(2024, 2, 10)), month_end(D(2025, 12, 1))] == [
        D(2024, 2, 29),
        D(2025, 12, 31),
    ]


def test_a_share_of_fewer_than_thirty_is_too_small_to_conclude() -> None:
    small, enough, none = share_of(1, 2), share_of(15, 30), share_of(0, 0)
    assert small is not None and enough is not None
    assert (small.too_small, enough.too_small, none) == (True, False, None)
    assert round(enough.interval.low, 4) == 0.3315


def test_a_bar_chart_scales_to_the_largest_value_or_the_reference_line() -> None:
    chart = bar_chart(
        title="Inflow",
        labels=["2026-01", "2026-02"],
        series=[("Referrals", [10, 15]), ("Enrolments", [5, 7.5])],
        reference=("Break-even", 30),
    )
    widths = [[bar.width for bar in group.bars] for group in chart.groups]
    assert widths == [[140.0, 70.0], [210.0, 105.0]]
    assert [bar.value_label for bar in chart.groups[1].bars] == ["15", "7.5"]
    assert chart.reference is not None
    # The line is at the right edge of the bars: its label stands to its left.
    assert (chart.reference.label, chart.reference.x, chart.reference.anchor) == (
        "Break-even: 30",
        96 + 420.0,
        "end",
    )
    assert [item.name for item in chart.legend] == ["Referrals", "Enrolments"]


def test_long_labels_widen_the_label_column_and_values_are_written_as_the_language_does() -> None:
    label = "COPM: satisfaction (1-10)"
    with translation.override("sv"):
        chart = bar_chart(title="Change", labels=[label], series=[("Baseline", [3.5])])
    assert (chart.label_width, chart.width) == (8 * len(label) + 12, 8 * len(label) + 12 + 484)
    assert (chart.groups[0].bars[0].x, chart.groups[0].bars[0].value_label) == (
        8 * len(label) + 12,
        "3,5",
    )
