"""Capacity and statistics for the follow-up of reablement. Pure: no ORM.

Capacity follows the SKL guide 'Trygg hemgång' (figure 6: a medium team of 10-15 concurrent
places with about two-week episodes takes 260-390 people a year). Turn-aways use the Erlang
loss formula: Poisson arrivals, any length distribution, no queue (a referral that finds the
team full goes elsewhere).
"""

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
