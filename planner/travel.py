"""Travel times between the problem's locations, exactly as validate.py computes them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from planner.model import Problem, ProblemError

EARTH_RADIUS_KM = 6371.0088
MEMO_LIMIT = 100_000  # entries of `TravelTimes.memo`: a few tens of MB at most


def haversine_minutes(
    lat1: float, lon1: float, lat2: float, lon2: float, *, speed_kmh: float, detour: float
) -> float:
    p1, l1, p2, l2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
    return km * detour / speed_kmh * 60.0


@dataclass(frozen=True)
class TravelTimes:
    """Time from location to location, indexed by position in `problem.locations`. `rows`
    holds the same times by location id: a call is a dict lookup, not a numpy index (the
    insertions make millions of calls; a numpy scalar costs about three times as much)."""

    index: dict[str, int]
    times: NDArray[np.float64]
    rows: dict[str, dict[str, float]] = field(init=False, repr=False, compare=False)
    # Results the planner works out from these times and the problem alone and asks for
    # again and again (`schedule._break_before_drive`); they live as long as this table, and
    # are forgotten all at once when there are MEMO_LIMIT of them.
    memo: dict[tuple[object, ...], object] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        ids = sorted(self.index, key=self.index.__getitem__)
        table = self.times.tolist()
        rows = {a: dict(zip(ids, table[self.index[a]], strict=True)) for a in ids}
        object.__setattr__(self, "rows", rows)

    def __call__(self, a: str, b: str) -> float:
        return self.rows[a][b]


def travel_times(problem: Problem) -> TravelTimes:
    locations = problem.locations
    index = {loc.id: i for i, loc in enumerate(locations)}
    n = len(locations)
    times = np.zeros((n, n), dtype=np.float64)
    travel = problem.travel
    for i, a in enumerate(locations):
        for j, b in enumerate(locations):
            if i == j:
                continue
            if travel.kind == "matrix":
                try:
                    times[i, j] = travel.times[a.id][b.id]
                except KeyError:
                    raise ProblemError(f"travel matrix has no time {a.id} -> {b.id}") from None
            elif travel.kind == "euclidean":
                if a.x is None or a.y is None or b.x is None or b.y is None:
                    raise ProblemError("euclidean travel needs x and y on every location")
                times[i, j] = math.hypot(a.x - b.x, a.y - b.y) / travel.speed
            else:
                if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
                    raise ProblemError("haversine travel needs lat and lon on every location")
                times[i, j] = haversine_minutes(
                    a.lat, a.lon, b.lat, b.lon, speed_kmh=travel.speed_kmh, detour=travel.detour
                )
    return TravelTimes(index=index, times=times)
