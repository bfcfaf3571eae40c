"""Capacity and statistics for the follow-up of reablement. Pure: no ORM.

Capacity follows the SKL guide 'Trygg hemgång' (figure 6: a medium team of 10-15 concurrent
places with about two-week episodes takes 260-390 people a year). Turn-aways use the Erlang
loss formula: Poisson arrivals, any length distribution, no queue (a referral that finds the
team full goes elsewhere).
"""

import datetime
import math
import random
from dataclasses import dataclass


def annual_capacity(concurrent_places: float, mean_length_days: float) -> float:
    """People a year the team can take: concurrent places x 365 / mean episode length."""
    if concurrent_places < 0 or mean_length_days <= 0:
        raise ValueError("places must be >= 0 and the mean length > 0")
    return concurrent_places * 365 / mean_length_days


def erlang_b(servers: int, offered_load: float) -> float:
    """Probability that an arrival finds all `servers` busy (Erlang B), by the stable recursion
    B(0) = 1, B(n) = A B(n-1) / (n + A B(n-1))."""
    if servers < 0 or offered_load < 0:
        raise ValueError("servers and load must be >= 0")
    blocking = 1.0
    for n in range(1, servers + 1):
        blocking = offered_load * blocking / (n + offered_load * blocking)
    return blocking


@dataclass(frozen=True)
class CapacityForecast:
    offered_load: float  # expected people wanting a place at once (arrivals/day x mean length)
    turn_away_probability: float
    expected_occupied: float
    occupancy: float  # share of places in use
    annual_capacity: float
    enrolments_per_year: float


def forecast(
    *, places: int, arrivals_per_month: float, mean_length_days: float
) -> CapacityForecast:
    """What a team of `places` concurrent places can expect with this inflow."""
    arrivals_per_day = arrivals_per_month * 12 / 365
    load = arrivals_per_day * mean_length_days
    blocking = erlang_b(places, load)
    occupied = load * (1 - blocking)
    return CapacityForecast(
        offered_load=load,
        turn_away_probability=blocking,
        expected_occupied=occupied,
        occupancy=occupied / places if places else 0.0,
        annual_capacity=annual_capacity(places, mean_length_days),
        enrolments_per_year=arrivals_per_day * 365 * (1 - blocking),
    )


def simulate_turn_aways(
    *, places: int, arrivals_per_day: float, mean_length_days: float, days: int, seed: int
) -> float:
    """The share of referrals turned away in a simulated team (exponential gaps between
    arrivals, gamma-distributed lengths with the given mean), to check the Erlang figure."""
    rng = random.Random(seed)  # noqa: S311 - a simulation, not security
    busy_until: list[float] = []
    clock = 0.0
    arrived = turned_away = 0
    while True:
        clock += rng.expovariate(arrivals_per_day)
        if clock > days:
            break
        arrived += 1
        busy_until = [end for end in busy_until if end > clock]
        if len(busy_until) >= places:
            turned_away += 1
            continue
        busy_until.append(clock + rng.gammavariate(4.0, mean_length_days / 4.0))
    return turned_away / arrived if arrived else 0.0


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float


Z_95 = 1.959963984540054


def proportion_interval(successes: int, trials: int) -> Interval:
    """Wilson 95 % interval for a share (readmissions, needing no home care after)."""
    if trials <= 0 or not 0 <= successes <= trials:
        raise ValueError("need 0 <= successes <= trials and trials > 0")
    share = successes / trials
    denominator = 1 + Z_95**2 / trials
    centre = (share + Z_95**2 / (2 * trials)) / denominator
    half = Z_95 * math.sqrt(share * (1 - share) / trials + Z_95**2 / (4 * trials**2)) / denominator
    return Interval(share, centre - half, centre + half)


def break_even_enrolments(*, monthly_team_cost: float, saving_per_enrolment: float) -> float:
    """Enrolments a month at which the team pays for itself: its cost over the saving each
    enrolment brings (seed 002: the closed team needed 30 a month and had 15)."""
    if saving_per_enrolment <= 0:
        return math.inf
    return monthly_team_cost / saving_per_enrolment


MIN_GROUP = 30  # below this many, a share is shown but not used to conclude anything


@dataclass(frozen=True)
class Share:
    """A share with its Wilson 95 % interval; `too_small` when fewer than MIN_GROUP trials."""

    successes: int
    trials: int
    interval: Interval

    @property
    def too_small(self) -> bool:
        return self.trials < MIN_GROUP


def share_of(successes: int, trials: int) -> Share | None:
    """The share with its interval, or None when there is nothing to divide by."""
    if trials <= 0:
        return None
    return Share(successes, trials, proportion_interval(successes, trials))


def median_of_counts(counts: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}: the middle value, or the mean of the
    two middle values for an even number."""
    total = sum(counts.values())
    if total == 0:
        return None
    ordered = sorted(counts.items())

    def value_at(position: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if position < seen:
                return value
        raise AssertionError(position)  # pragma: no cover - position < total

    if total % 2:
        return float(value_at(total // 2))
    return (value_at(total // 2 - 1) + value_at(total // 2)) / 2


def mean_of_counts(counts: dict[int, int]) -> float | None:
    total = sum(counts.values())
    if total == 0:
        return None
    return sum(value * count for value, count in counts.items()) / total


@dataclass(frozen=True)
class Bin:
    label: str
    low: int
    high: int | None  # None: no upper bound


LENGTH_BINS = (
    Bin("0-7", 0, 7),
    Bin("8-14", 8, 14),
    Bin("15-21", 15, 21),
    Bin("22-28", 22, 28),
    Bin("29+", 29, None),
)
LEAD_TIME_BINS = (
    Bin("0", 0, 0),
    Bin("1-2", 1, 2),
    Bin("3-5", 3, 5),
    Bin("6-10", 6, 10),
    Bin("11+", 11, None),
)


def binned(counts: dict[int, int], bins: tuple[Bin, ...]) -> list[tuple[str, int]]:
    """How many values fall in each bin; values below the first bin count in the first."""
    result = []
    for index, bin_ in enumerate(bins):
        low = None if index == 0 else bin_.low
        result.append(
            (
                bin_.label,
                sum(
                    count
                    for value, count in counts.items()
                    if (low is None or value >= low) and (bin_.high is None or value <= bin_.high)
                ),
            )
        )
    return result


def payment_liability_days(*, lead_days: int, from_day: int) -> int:
    """Days the municipality pays the region for a person ready for discharge `lead_days`
    before coming home: from the `from_day`-th calendar day after the ready-for-discharge
    notice (3 by law, unless a regional agreement says otherwise) up to, not including, the
    day of homecoming. Ready on Monday, home on Friday: Thursday is one day of liability."""
    return max(0, lead_days - from_day)


def occupancy_by_day(
    *,
    first_day: datetime.date,
    last_day: datetime.date,
    enrolled_before: int,
    starts: dict[datetime.date, int],
    ends: dict[datetime.date, int],
) -> list[tuple[datetime.date, int]]:
    """People enrolled on each day: those enrolled before the first day, plus those who came
    home on or before the day, minus those whose episode ended before it (an episode counts on
    its last day)."""
    days = []
    enrolled = enrolled_before
    day = first_day
    while day <= last_day:
        enrolled += starts.get(day, 0)
        days.append((day, enrolled))
        enrolled -= ends.get(day, 0)
        day += datetime.timedelta(days=1)
    return days


def fee_days(
    *,
    month_start: datetime.date,
    month_end: datetime.date,
    home_on: datetime.date,
    start_on: datetime.date,
    end_on: datetime.date,
) -> int:
    """Days charged in a month: the days of the running decision from homecoming to its end
    (or the episode's end) that fall within the month, both ends counted."""
    first = max(month_start, home_on, start_on)
    last = min(month_end, end_on)
    return max(0, (last - first).days + 1)


def month_starts(first_day: datetime.date, last_day: datetime.date) -> list[datetime.date]:
    """The first day of every month from the one holding `first_day` to the one holding
    `last_day`."""
    months = []
    month = first_day.replace(day=1)
    while month <= last_day:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def share_of_month(
    month: datetime.date, first_day: datetime.date, last_day: datetime.date
) -> float:
    """The part of `month` (its days) that lies from `first_day` to `last_day`: a period that
    starts or ends inside a month carries only that part of the month's fixed cost."""
    start, end = max(month.replace(day=1), first_day), min(month_end(month), last_day)
    days_in_month = month_end(month).day
    return max(0, (end - start).days + 1) / days_in_month


def month_end(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(
        days=1
    )


# Means, differences and their 95 % intervals (outcomes and comparisons)


@dataclass(frozen=True)
class Summary:
    """A group's values as count, mean and sample variance (what a database aggregates)."""

    n: int
    mean: float
    variance: float  # sample variance (n - 1 in the denominator); 0 for one value


def summary_of(values: list[float]) -> Summary | None:
    if not values:
        return None
    n = len(values)
    mean = sum(values) / n
    variance = sum((value - mean) ** 2 for value in values) / (n - 1) if n > 1 else 0.0
    return Summary(n, mean, variance)


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularised incomplete beta (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return result


def _incomplete_beta(a: float, b: float, x: float) -> float:
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


def t_quantile_975(df: float) -> float:
    """The 97.5 % quantile of Student's t with `df` degrees of freedom (any real df > 0), by
    bisection on the distribution function: 12.706 for 1, 2.228 for 10, 1.960 as df grows."""
    if df <= 0:
        raise ValueError("degrees of freedom must be > 0")
    low, high = 0.0, 1000.0
    for _step in range(200):
        t = (low + high) / 2
        upper_tail = _incomplete_beta(df / 2, 0.5, df / (df + t * t)) / 2
        if upper_tail > 0.025:
            low = t
        else:
            high = t
    return (low + high) / 2


def mean_interval(group: Summary, other: Summary | None = None) -> Interval | None:
    """The mean with its t-based 95 % interval; with `other`, the difference of the means
    (group - other) with Welch's interval (unequal variances, Welch-Satterthwaite df).
    None when a group has fewer than two values."""
    if group.n < 2 or (other is not None and other.n < 2):
        return None
    if other is None:
        estimate, variance_of_mean, df = group.mean, group.variance / group.n, group.n - 1.0
    else:
        a, b = group.variance / group.n, other.variance / other.n
        estimate, variance_of_mean = group.mean - other.mean, a + b
        if variance_of_mean == 0:
            return Interval(estimate, estimate, estimate)
        df = variance_of_mean**2 / (a**2 / (group.n - 1) + b**2 / (other.n - 1))
    half = t_quantile_975(df) * math.sqrt(variance_of_mean)
    return Interval(estimate, estimate - half, estimate + half)


def share_difference(first: Share, second: Share) -> Interval:
    """The difference of two shares (first - second) with Newcombe's 95 % interval built from
    the two Wilson intervals (Newcombe 1998, method 10)."""
    p1, p2 = first.interval, second.interval
    difference = p1.estimate - p2.estimate
    low = difference - math.sqrt((p1.estimate - p1.low) ** 2 + (p2.high - p2.estimate) ** 2)
    high = difference + math.sqrt((p1.high - p1.estimate) ** 2 + (p2.estimate - p2.low) ** 2)
    return Interval(difference, low, high)


def too_few(*groups: int) -> bool:
    """A comparison concludes nothing when either group has fewer than MIN_GROUP."""
    return any(n < MIN_GROUP for n in groups)


# Economics


def cost_per_hour(minutes: float, hourly_cost: float) -> float:
    return minutes / 60 * hourly_cost


def avoided_home_care_cost(*, hours_per_week: float, hourly_cost: float, weeks: float) -> float:
    """Ordinary home care not needed after reablement: the hours a week avoided (measured: before
    admission minus after the end; assumed: all hours before of a person who needed none
    afterwards), over `weeks` (52: twelve months), at the care worker's hourly cost."""
    return hours_per_week * weeks * hourly_cost


def summary_of_counts(counts: dict[float, int]) -> Summary | None:
    """The summary of values given as {value: how many}."""
    n = sum(counts.values())
    if n == 0:
        return None
    mean = sum(value * count for value, count in counts.items()) / n
    squares = sum((value - mean) ** 2 * count for value, count in counts.items())
    return Summary(n, mean, squares / (n - 1) if n > 1 else 0.0)


STAFF_BINS = (
    Bin("1-2", 1, 2),
    Bin("3-4", 3, 4),
    Bin("5-6", 5, 6),
    Bin("7-9", 7, 9),
    Bin("10+", 10, None),
)
