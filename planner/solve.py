"""The planner: PyVRP's iterated local search with home-care rules modelled on top.

PyVRP knows time windows, shifts, prizes and one routing profile per vehicle type. We add:
- one vehicle type and profile per staff member; arcs into visits the staff member may not do
  (skills, fixed staff) or into another staff member's break cost a prohibitive amount, arcs
  into visits whose preferred staff does not include them cost `weights.non_preferred`;
- double staffing and `sync`: one client per copy; phase 1 plans them independently (each
  copy of a unit on its own half of the eligible staff) for a share of the time
  (`PHASE1_SHARE`), and the insertion joins them, ejecting single visits to make room. Where
  that and a few seconds of our moves leave a visit out (`_place_by_moves`), phase 2 fixes
  the units' starts near where the plan has them and lets PyVRP re-plan everything around
  them. A double visit's copies get
  exactly that start as their window (so they need two routes, and the exact timing of
  `schedule.py` joins them as PyVRP placed them); a synced pair gets windows that keep the gap
  whatever start each takes. Phase 2 runs in rounds: units the plan could not join go on from
  where the insertion put them, or get a new start where staff are free (`_retarget`), and
  the search goes on;
- re-planning (`_replan`) starts from the previous plan, with each assignment moved away
  from its staff member weighed: our moves make room for what is left out, then PyVRP
  improves that plan with its units held where they are;
- breaks: a staff member's own required client, at their start location in phase 1 and
  afterwards at the home of the visit before it in the plan the search starts from (the exact
  timing takes it where the staff member is, without a detour);
- prize-collecting visits (never "infeasible"): mandatory visits have a larger prize;
- `late`: planned on time first; what cannot be gets inserted late afterwards;
- client non-overlap, capacity and all the rest are checked by `repair.make_valid`;
- a plan from scratch spends the rest of its time (a quarter, when phase 2 runs, and what
  its last round would take) in `_improve`: moves PyVRP cannot make, a unit (or a single
  visit) taken out with the visits near it and all inserted again where cheapest, so a unit
  gets a new start and staff (`repair.reinsert_around`), taking turns with PyVRP started from
  that plan with its units held where the moves put them.
"""

from __future__ import annotations

import contextlib
import functools
import math
import multiprocessing
import os
import random
import time
import warnings
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from typing import Any

import numpy as np
import pyvrp
from numpy.typing import NDArray
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.IteratedLocalSearch import IteratedLocalSearchParams
from pyvrp.search import NeighbourhoodParams
from pyvrp.stop import MaxIterations, MaxRuntime, StoppingCriterion

from planner.model import Plan, Problem, SolverInfo, Visit
from planner.repair import (
    KEEP_WEIGHT,
    Draft,
    assignment_cost,
    eject_and_insert,
    empty_draft,
    insert_units,
    is_coupled,
    is_single,
    make_valid,
    may_do,
    move_to_preferred,
    reinsert_around,
    relocate_units,
    score,
    to_plan,
    unit_of,
)
from planner.schedule import Item, Timing
from planner.travel import TravelTimes, travel_times

NEIGHBOURS = 50  # PyVRP's default neighbourhood size, the least we use
NEIGHBOUR_SHARE = 0.4  # of the clients, as each one's neighbourhood
HISTORY = 15  # iterations late acceptance looks back
SCALE = 100  # integer units per time unit in PyVRP (0.01 minute)
DEFAULT_TIME_LIMIT = 10.0
FIXED_SLACK = 5.0  # minutes either side of a fixed start (phase 2)


@dataclass(frozen=True)
class _VisitCopy:
    visit: str
    copy: int


@dataclass(frozen=True)
class _BreakOf:
    staff: str
    index: int


_Ref = _VisitCopy | _BreakOf


@dataclass(frozen=True)
class _Model:
    data: pyvrp.ProblemData
    refs: list[_Ref]
    index: dict[_Ref, int]


def _ceil(x: float) -> int:
    return math.ceil(x * SCALE - 1e-9)


def _floor(x: float) -> int:
    return math.floor(x * SCALE + 1e-9)


def _halves(problem: Problem) -> dict[tuple[str, int], set[str]]:
    """Staff allowed per copy so that two copies (or a distinct-staff sync pair) never share a
    route in PyVRP: the eligible staff are dealt alternately, preferred staff first, so each
    half keeps some of the preferred ones."""
    halves: dict[tuple[str, int], set[str]] = {}
    for v in problem.visits:
        if v.staff_count == 2 and v.fixed_staff is None:
            eligible = sorted(
                (s.id for s in problem.staff if v.skills <= s.skills),
                key=lambda x: (x not in v.preferred_staff, x),
            )
            halves[(v.id, 0)] = set(eligible[0::2])
            halves[(v.id, 1)] = set(eligible[1::2])
        if v.sync is not None and v.sync.distinct_staff and v.staff_count == 1:
            w = problem.visit(v.sync.with_visit)
            if w.staff_count == 1 and v.fixed_staff is None and w.fixed_staff is None:
                # Staff who can do only one of the two go to it; the others are dealt to the
                # side with fewer so far (preferred first), so a visit needing a skill keeps
                # most of those who hold it.
                mine: set[str] = set()
                theirs: set[str] = set()
                shared: list[str] = []
                for s in sorted(problem.staff, key=lambda x: (x.id not in v.preferred_staff, x.id)):
                    can_v, can_w = v.skills <= s.skills, w.skills <= s.skills
                    if can_v and can_w:
                        shared.append(s.id)
                    elif can_v:
                        mine.add(s.id)
                    elif can_w:
                        theirs.add(s.id)
                for staff_id in shared:
                    (mine if len(mine) <= len(theirs) else theirs).add(staff_id)
                halves[(v.id, 0)] = mine
                halves[(w.id, 0)] = theirs
    return halves


def _build(
    problem: Problem,
    travel: TravelTimes,
    *,
    fixed: dict[str, float],
    previous: dict[str, set[str]],
    around: Draft | None = None,
    timed: bool = False,
) -> _Model:
    """PyVRP's model of the day (see the module's docstring).

    `around` is the plan the search starts from: each break lies at the home of the visit
    before it there, so a break kept in its place costs no detour (at the start location, a
    break in the middle of the day drove the staff member back to the office and back out, which
    the exact timing never does). `timed` says `around` is a valid plan, timed exactly: drives
    are then rounded down, not up, to PyVRP's unit, so PyVRP sees that plan as on time (rounded
    up, the 0.01 minutes per drive add up to a few tenths of a minute of lateness on a full
    route, and PyVRP starts from a plan it counts as infeasible), and a distinct-staff sync
    pair may stay with the staff who do it there."""
    w = problem.weights
    places = {} if around is None else _break_places(problem, around)
    refs: list[_Ref] = []
    for v in problem.visits:
        refs.extend(_VisitCopy(v.id, k) for k in range(v.staff_count))
    for s in problem.staff:
        refs.extend(_BreakOf(s.id, k) for k in range(len(s.breaks)))
    depot_locs = list(dict.fromkeys([x for s in problem.staff for x in (s.start, s.end)]))
    loc_ids = depot_locs + [
        problem.visit(r.visit).location
        if isinstance(r, _VisitCopy)
        else places.get((r.staff, r.index), problem.staff_member(r.staff).start)
        for r in refs
    ]
    by_id = {loc.id: loc for loc in problem.locations}
    locations = [
        pyvrp.Location(
            x=(by_id[i].x if by_id[i].x is not None else by_id[i].lon) or 0.0,
            y=(by_id[i].y if by_id[i].y is not None else by_id[i].lat) or 0.0,
        )
        for i in loc_ids
    ]
    idx = np.array([travel.index[i] for i in loc_ids], dtype=np.int64)
    base: NDArray[np.float64] = travel.times[np.ix_(idx, idx)]
    if timed:
        duration = np.floor(base * SCALE + 1e-9).astype(np.int64)
    else:
        duration = np.ceil(base * SCALE - 1e-9).astype(np.int64)
    distance = np.rint(base * SCALE * w.travel).astype(np.int64)
    n_depots = len(depot_locs)
    halves = _halves(problem)
    if timed and around is not None:
        _keep_sync_staff(problem, around, halves)
    windows = _fixed_windows(problem, fixed)
    unit_size = {v.id: len(unit_of(problem, v.id)) for v in problem.visits}

    any_capacity = any(s.capacity is not None for s in problem.staff)
    prize_optional = max(1, round(w.unassigned * SCALE))
    prize_mandatory = 4 * prize_optional
    forbidden = 20 * prize_mandatory
    clients = []
    for n, r in enumerate(refs):
        loc = n_depots + n
        if isinstance(r, _VisitCopy):
            v = problem.visit(r.visit)
            lo, hi = windows.get(v.id, v.window)
            clients.append(
                pyvrp.Client(
                    location=loc,
                    delivery=[_ceil(v.load)] if any_capacity else [],
                    service_duration=_ceil(v.duration),
                    tw_early=_ceil(lo),
                    tw_late=max(_floor(hi), _ceil(lo)),
                    # Leaving out one copy of a unit loses all of it: each copy is worth as
                    # much as the unit's visits together (a double visit is one visit, a synced
                    # pair two). Counting copies instead made a double visit worth four single
                    # ones, and an over-full day kept double visits at the cost of more visits
                    # left out (150-visit day, six seeds: 7.0 out on average against 5.2).
                    prize=(prize_optional if v.optional else prize_mandatory) * unit_size[v.id],
                    required=False,
                    name=f"{v.id}#{r.copy}",
                )
            )
        else:
            b = problem.staff_member(r.staff).breaks[r.index]
            clients.append(
                pyvrp.Client(
                    location=loc,
                    delivery=[0] if any_capacity else [],
                    service_duration=_ceil(b.duration),
                    tw_early=_ceil(b.window[0]),
                    tw_late=_floor(b.window[1]),
                    required=True,
                    name=f"{r.staff} break {r.index}",
                )
            )
    depots = [pyvrp.Depot(location=i) for i in range(n_depots)]
    vehicle_types = []
    distances = []
    for n, s in enumerate(problem.staff):
        extra = np.zeros(len(loc_ids), dtype=np.int64)
        for m, r in enumerate(refs):
            if isinstance(r, _VisitCopy):
                v = problem.visit(r.visit)
                half = halves.get((v.id, r.copy))
                # Once its start is fixed, a double visit's two copies cannot share a route (the
                # window is shorter than the visit), so either copy may go to anyone eligible.
                if v.id in fixed and v.staff_count > 1:
                    half = None
                if not may_do(s, v, r.copy) or (half is not None and s.id not in half):
                    extra[n_depots + m] = forbidden
                else:
                    cost = assignment_cost(problem, v, s.id, previous)
                    extra[n_depots + m] = round(cost * SCALE)
            elif r.staff != s.id:
                extra[n_depots + m] = forbidden
        matrix = distance + extra[np.newaxis, :]
        np.fill_diagonal(matrix, 0)
        distances.append(matrix)
        cap = [] if not any_capacity else [_floor(s.capacity) if s.capacity is not None else 10**12]
        vehicle_types.append(
            pyvrp.VehicleType(
                num_available=1,
                capacity=cap,
                start_depot=depot_locs.index(s.start),
                end_depot=depot_locs.index(s.end),
                tw_early=_ceil(s.shift[0]),
                tw_late=_floor(s.shift[1]),
                profile=n,
                name=s.id,
            )
        )
    data = pyvrp.ProblemData(
        locations=locations,
        clients=clients,
        depots=depots,
        vehicle_types=vehicle_types,
        # PyVRP's stub spells the matrix type np.ndarray[int], which numpy's own types never match.
        distance_matrices=distances,  # type: ignore[arg-type]
        duration_matrices=[duration] * len(problem.staff),  # type: ignore[list-item]
    )
    return _Model(data=data, refs=refs, index={r: i for i, r in enumerate(refs)})


def _break_places(problem: Problem, draft: Draft) -> dict[tuple[str, int], str]:
    """Where each break is taken in `draft`: the home of the visit before it, or of the one
    after it when it comes first (a route without visits keeps its breaks at the start)."""
    places: dict[tuple[str, int], str] = {}
    for staff_id, items in draft.routes.items():
        last: str | None = None
        waiting: list[int] = []
        for item in items:
            if isinstance(item, str):
                location = problem.visit(item).location
                places.update({(staff_id, k): location for k in waiting})
                waiting = []
                last = location
            elif last is not None:
                places[(staff_id, item)] = last
            else:
                waiting.append(item)
    return places


def _keep_sync_staff(
    problem: Problem, draft: Draft, halves: dict[tuple[str, int], set[str]]
) -> None:
    """Each visit of a distinct-staff sync pair may go to the staff who do it in `draft` (and
    its partner not): PyVRP keeps the two apart by the halves of `_halves`, which a plan whose
    visits were moved by our own moves need not follow."""
    staff_of = draft.staff_of()
    for v in problem.visits:
        if v.sync is None or (v.id, 0) not in halves or (v.sync.with_visit, 0) not in halves:
            continue
        mine = set(staff_of.get(v.id, []))
        theirs = set(staff_of.get(v.sync.with_visit, []))
        halves[(v.id, 0)] = (halves[(v.id, 0)] | mine) - theirs
        halves[(v.sync.with_visit, 0)] = (halves[(v.sync.with_visit, 0)] | theirs) - mine


def _fixed_windows(problem: Problem, fixed: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Windows for the visits whose start phase 2 fixes.

    A double-staffed visit's copies get exactly its start, so PyVRP plans both at one start
    (and never in one route) and the exact timing joins them as they are. With a few minutes'
    play each copy's route took its own start, and joining them made one route wait until
    whole units were lost (measured on the 300-visit day: 3 of 8 searches ended incomplete).
    A visit synced to an earlier one gets a window that keeps the gap whatever start each gets
    inside its own: the earlier one +-a, the later one from a + min_gap to max_gap - a after
    the earlier one's fixed start (a a quarter of the gap's range, 0 for a double visit), so
    the pair needs no joining at all."""
    windows: dict[str, tuple[float, float]] = {}
    for v in problem.visits:
        if v.id not in fixed:
            continue
        a = FIXED_SLACK if v.staff_count == 1 else 0.0
        windows[v.id] = _clip(v, fixed[v.id] - a, fixed[v.id] + a)
    for v in problem.visits:
        sync = v.sync
        if sync is None or v.id not in fixed or sync.with_visit not in fixed:
            continue
        w = problem.visit(sync.with_visit)
        t = fixed[w.id]
        a = (sync.max_gap - sync.min_gap) / 4
        gap = fixed[v.id] - t
        if sync.min_gap <= gap <= sync.max_gap:
            # Both windows hold the starts they have now, so a plan timed at them stays valid.
            a = min(a, gap - sync.min_gap, sync.max_gap - gap)
        if w.staff_count > 1 or v.staff_count > 1:
            a = 0.0
        anchor = _clip(w, t - a, t + a)
        later = _clip(v, anchor[1] + sync.min_gap, anchor[0] + sync.max_gap)
        if v.staff_count > 1:
            start = min(max(fixed[v.id], later[0]), later[1])
            later = (start, start)
        if anchor[0] <= anchor[1] and later[0] <= later[1]:
            windows[w.id] = anchor
            windows[v.id] = later
        else:
            windows[w.id] = (t, t)
            windows[v.id] = (fixed[v.id], fixed[v.id])
    return windows


def _clip(v: Visit, lo: float, hi: float) -> tuple[float, float]:
    top = math.inf if v.late else v.window[1]
    return max(lo, v.window[0]), min(hi, top)


def _to_draft(problem: Problem, model: _Model, solution: pyvrp.Solution) -> Draft:
    draft = empty_draft(problem)
    for s in problem.staff:
        draft.routes[s.id] = []
    served: set[str] = set()
    for route in solution.routes():
        staff = problem.staff[route.vehicle_type()]
        items: list[Item] = []
        for activity in route:
            if not activity.is_client():
                continue
            ref = model.refs[activity.idx]
            if isinstance(ref, _VisitCopy):
                items.append(ref.visit)
                served.add(ref.visit)
            elif ref.staff == staff.id:
                items.append(ref.index)
        draft.routes[staff.id] = items
    for s in problem.staff:
        missing = [k for k in range(len(s.breaks)) if k not in draft.routes[s.id]]
        draft.routes[s.id].extend(missing)
    draft.unassigned = {v.id for v in problem.visits} - served
    return draft


def _to_solution(problem: Problem, model: _Model, draft: Draft) -> pyvrp.Solution:
    routes = []
    for n, s in enumerate(problem.staff):
        seen: dict[str, int] = {}
        clients = []
        for item in draft.routes[s.id]:
            if isinstance(item, str):
                copy = seen.get(item, 0)
                seen[item] = copy + 1
                clients.append(model.index[_VisitCopy(item, _copy_for(problem, draft, item, s.id))])
            else:
                clients.append(model.index[_BreakOf(s.id, item)])
        if clients:
            routes.append(pyvrp.Route(model.data, clients, n))
    return pyvrp.Solution(model.data, routes)


def _copy_for(problem: Problem, draft: Draft, visit_id: str, staff_id: str) -> int:
    v = problem.visit(visit_id)
    if v.staff_count == 1:
        return 0
    if v.fixed_staff is not None:
        return 0 if staff_id == v.fixed_staff else 1
    holders = sorted(s for s, items in draft.routes.items() if visit_id in items)
    if len(holders) == 2 and staff_id in holders:
        halves = _halves(problem)
        first = next((h for h in holders if h in halves.get((visit_id, 0), set())), holders[0])
        return 0 if staff_id == first else 1
    return 0


def _params(data: pyvrp.ProblemData) -> pyvrp.SolveParams:
    """PyVRP's search tuned for a day's plan, which gets a few thousand iterations, not the
    hundreds of thousands PyVRP's defaults are made for (measured on the 300-visit day, 30 s,
    six seeds each; docs/benchmarks.md):
    - a wider neighbourhood, 40 % of the clients instead of the nearest 50: PyVRP pairs a visit
      with its nearest others, but here what a move gains is often who does a visit (preferred
      staff, skills), not where it lies, and every break sits at its staff member's start, near
      every visit, crowding the nearest 50;
    - late acceptance that looks back 15 iterations instead of 300 (a search of a few thousand
      iterations wanders with 300), and no exhaustive search on each new best (it costs
      iterations the short search needs more)."""
    size = max(NEIGHBOURS, round(NEIGHBOUR_SHARE * data.num_clients))
    ils = IteratedLocalSearchParams(history_length=HISTORY, exhaustive_on_best=False)
    return pyvrp.SolveParams(neighbourhood=NeighbourhoodParams(num_neighbours=size), ils=ils)


def _kept_targets(problem: Problem, kept: dict[str, float]) -> dict[str, float]:
    """Re-planning: the start each double-staffed or synced visit had; those that were left
    out start as early as their window (and sync gap) allows."""
    targets: dict[str, float] = {}
    for v in problem.visits:
        if is_coupled(problem, v):
            targets[v.id] = kept.get(v.id, v.window[0])
    for v in problem.visits:
        if v.sync is not None and v.id not in kept and v.sync.with_visit in targets:
            wanted = targets[v.sync.with_visit] + v.sync.min_gap
            targets[v.id] = min(max(wanted, v.window[0]), v.window[1])
    return targets


def _room_in_routes(model: _Model, solution: pyvrp.Solution) -> dict[int, tuple[float, float]]:
    """Per placed client: the earliest and latest start its route allows without moving
    anything else (PyVRP's own travel times; empty when the route is already late there)."""
    data = model.data
    duration = data.duration_matrix(0)
    room: dict[int, tuple[float, float]] = {}
    for route in solution.routes():
        vehicle = data.vehicle_type(route.vehicle_type())
        stops = [a.idx for a in route if a.is_client()]
        clients = [data.client(c) for c in stops]
        earliest: list[int] = []
        at, end = data.depot(vehicle.start_depot).location, vehicle.tw_early
        for c in clients:
            start = max(end + int(duration[at, c.location]), c.tw_early)
            earliest.append(start)
            at, end = c.location, min(start, c.tw_late) + c.service_duration
        at, begin = data.depot(vehicle.end_depot).location, vehicle.tw_late
        latest: list[int] = [0] * len(clients)
        for n in range(len(clients) - 1, -1, -1):
            c = clients[n]
            latest[n] = min(begin - int(duration[c.location, at]) - c.service_duration, c.tw_late)
            at, begin = c.location, max(latest[n], c.tw_early)
        for idx, lo, hi in zip(stops, earliest, latest, strict=True):
            room[idx] = (lo / SCALE, hi / SCALE)
    return room


def _targets(problem: Problem, model: _Model, solution: pyvrp.Solution) -> dict[str, float]:
    """A start time for every double-staffed or synced visit, from a plan where their copies
    were placed independently: where the copies' routes all have room for it (closest to the
    copies' mean start), else the middle of the tightest ends; a synced pair likewise keeps
    its gap inside both routes' room where it can, else takes the gap's middle."""
    seen: dict[str, list[float]] = {}
    for route in solution.routes():
        for activity in route.schedule():
            if activity.is_client():
                ref = model.refs[activity.idx]
                if isinstance(ref, _VisitCopy):
                    seen.setdefault(ref.visit, []).append(activity.start_time / SCALE)
    room: dict[str, tuple[float, float]] = {}
    for c, (lo, hi) in _room_in_routes(model, solution).items():
        ref = model.refs[c]
        if isinstance(ref, _VisitCopy):
            before = room.get(ref.visit, (-math.inf, math.inf))
            room[ref.visit] = (max(before[0], lo), min(before[1], hi))
    targets: dict[str, float] = {}
    for v in problem.visits:
        if is_coupled(problem, v):
            times = seen.get(v.id, [v.window[0]])
            mean = sum(times) / len(times)
            lo, hi = room.get(v.id, v.window)
            wanted = min(max(mean, lo), hi) if lo <= hi else (lo + hi) / 2
            targets[v.id] = min(max(wanted, v.window[0]), v.window[1])
    for v in problem.visits:
        if v.sync is not None and v.id in targets and v.sync.with_visit in targets:
            w = v.sync.with_visit
            other = targets[w]
            gap = targets[v.id] - other
            if v.sync.min_gap <= gap <= v.sync.max_gap:
                continue
            # Both starts inside their routes' room with the gap held, the earlier one as
            # close as can be to where it is.
            lo_v, hi_v = room.get(v.id, v.window)
            lo_w, hi_w = room.get(w, problem.visit(w).window)
            lo = max(lo_w, lo_v - v.sync.max_gap)
            hi = min(hi_w, hi_v - v.sync.min_gap)
            if lo <= hi:
                t = min(max(other, lo), hi)
                tv = min(max(targets[v.id], t + v.sync.min_gap, lo_v), t + v.sync.max_gap, hi_v)
                targets[w], targets[v.id] = t, tv
                continue
            wanted = other + (v.sync.min_gap + v.sync.max_gap) / 2
            targets[v.id] = min(max(wanted, v.window[0]), v.window[1])
    return targets


def _same_routes(model: _Model, solution: pyvrp.Solution) -> pyvrp.Solution:
    routes = [
        pyvrp.Route(model.data, [a.idx for a in route if a.is_client()], route.vehicle_type())
        for route in solution.routes()
    ]
    return pyvrp.Solution(model.data, routes)


# A plan from scratch with units to join: phase 1 gets this share of the time, at most
# PHASE1_SECONDS; the insertion joins its units and `_improve` has the rest. Measured on the
# 300-visit day (one worker, docs/benchmarks.md): at 30 s a share of 0.2 / 0.3 / 0.45 / 0.6
# gave means of 1,663 / 1,634 / 1,607 / 1,646; at 60 s 15 s gave 1,588, 27 s 1,618 (same seeds).
PHASE1_SHARE = 0.45
PHASE1_SECONDS = 15.0
FINISH_RESERVE = 1.5  # seconds kept for the insertions after the search
RESTART_SECONDS = 60.0  # a longer search from scratch runs as independent ones of about this
MAX_ROUNDS = 4  # rounds of phase 2 when stopping on iterations (tests)
ROUND_SHARE = 0.5  # of the time left, for a round that may end with units to re-time
RETARGET_STEP = 5.0  # minutes between the start times tried for a unit
IMPROVE_SHARE = 0.25  # of the time, for `_improve` after phase 2 or a plan without units
CYCLE_MOVES = 3.0  # seconds of `reinsert_around` in a cycle of `_improve`
CYCLE_SEARCH = 7.0  # seconds of PyVRP in a cycle of `_improve`
MIN_SEARCH = 3.0  # seconds: the shortest turn of PyVRP `_improve` runs before its last moves


def _round_stop(
    deadline: float | None, iterations: int | None, rounds: int, final: bool
) -> StoppingCriterion:
    """A round of phase 2: half of what is left, or all of it once every unit is joined."""
    if iterations is not None:
        return MaxIterations(max(1, iterations // (2 if rounds == 1 else 4)))
    if deadline is None:  # pragma: no cover - solve() always sets one of the two
        return MaxRuntime(DEFAULT_TIME_LIMIT)
    left = deadline - time.perf_counter()
    return MaxRuntime(max(0.05, left if final else max(1.0, ROUND_SHARE * left)))


def _next_round(
    problem: Problem,
    travel: TravelTimes,
    joined: tuple[Draft, Timing],
    filled: tuple[Draft, Timing],
    fixed: dict[str, float],
    tried: dict[str, list[float]],
) -> tuple[Draft, bool]:
    """Where the next round of phase 2 starts and whether it is the last, after a round that
    found `joined` (`filled`: the same with what it left out inserted); updates `fixed`.

    - Every unit joined: the rest of the time improves this plan with the windows it was
      found in. (Re-centring them on the exact timing would not do: it takes breaks without
      the detour to the office that PyVRP's routes make, so PyVRP would start from a plan it
      sees as late.)
    - The units it could not join fit where the insertion put them: the filled plan, with
      those units fixed where they now are, is improved for the rest of the time.
    - Otherwise those units get a new start where staff are free (or hold only visits that
      can move); the joined ones keep theirs."""
    plan, timing = joined
    lost = _lost_units(problem, plan, fixed)
    if not lost:
        return plan, True
    if all(v not in filled[0].unassigned for unit in lost for v in unit):
        fixed.update({v: filled[1].starts[v] for unit in lost for v in unit})
        return filled[0], True
    spans = _busy(problem, plan, timing)
    for unit in lost:
        for v in unit:
            tried.setdefault(v, []).append(fixed[v])
        fixed.update(_retarget(problem, travel, timing, unit, tried, spans))
    return plan, False


def _lost_units(problem: Problem, draft: Draft, fixed: dict[str, float]) -> list[list[str]]:
    """The double-staffed and synced units with a fixed start that `draft` leaves out."""
    units: list[list[str]] = []
    seen: set[str] = set()
    for v in sorted(draft.unassigned):
        if v in seen or v not in fixed:
            continue
        unit = unit_of(problem, v)
        seen |= set(unit)
        if all(u in fixed for u in unit):
            units.append(unit)
    return units


def _retarget(
    problem: Problem,
    travel: TravelTimes,
    timing: Timing,
    unit: list[str],
    tried: dict[str, list[float]],
    spans: dict[str, list[_Span]],
) -> dict[str, float]:
    """New fixed starts for a unit the plan could not join: the times (on a 5-minute grid,
    sync gaps held) where most eligible staff are free, then most could be freed by moving
    single visits elsewhere; times near those already tried count as taken. `spans`: what
    each staff member is busy with in the plan (`_busy`)."""
    anchor = next((v for v in unit if problem.visit(v).sync is None), unit[0])
    a = problem.visit(anchor)
    best: tuple[float, dict[str, float]] | None = None
    for t in _grid(a.window):
        starts = {anchor: t}
        ok = True
        for v_id in unit:
            if v_id == anchor:
                continue
            v = problem.visit(v_id)
            if v.sync is None or v.sync.with_visit != anchor:
                return {}  # a longer chain of syncs: keep the starts it has
            gap = (v.sync.min_gap + v.sync.max_gap) / 2
            tv = min(max(t + gap, v.window[0], t + v.sync.min_gap), v.window[1], t + v.sync.max_gap)
            if not (v.sync.min_gap - 1e-6 <= tv - t <= v.sync.max_gap + 1e-6):
                ok = False
            starts[v_id] = tv
        if not ok or any(_client_busy(problem, timing, v, t) for v, t in starts.items()):
            continue
        value = min(
            _room(problem, travel, spans, problem.visit(v), t) / problem.visit(v).staff_count
            for v, t in starts.items()
        )
        if any(abs(t - old) < RETARGET_STEP * 2 for old in tried.get(anchor, [])):
            value -= 100.0
        if best is None or value > best[0] + 1e-9:
            best = (value, starts)
    return {} if best is None else best[1]


def _grid(window: tuple[float, float]) -> list[float]:
    lo, hi = window
    n = int((hi - lo) // RETARGET_STEP)
    return [lo + k * RETARGET_STEP for k in range(n + 1)] + (
        [hi] if hi > lo + n * RETARGET_STEP else []
    )


@dataclass(frozen=True)
class _Span:
    start: float
    end: float
    location: str | None  # None for a break
    movable: bool


def _busy(problem: Problem, draft: Draft, timing: Timing) -> dict[str, list[_Span]]:
    spans: dict[str, list[_Span]] = {}
    for s in problem.staff:
        found: list[_Span] = []
        for item in draft.routes[s.id]:
            if isinstance(item, str):
                if item not in timing.starts:
                    continue
                v = problem.visit(item)
                start = timing.starts[item]
                found.append(_Span(start, start + v.duration, v.location, is_single(problem, v)))
            else:
                starts = timing.breaks.get(s.id, [])
                if item < len(starts):
                    found.append(
                        _Span(starts[item], starts[item] + s.breaks[item].duration, None, False)
                    )
        spans[s.id] = found
    return spans


def _client_busy(problem: Problem, timing: Timing, visit_id: str, t: float) -> bool:
    v = problem.visit(visit_id)
    for other, start in timing.starts.items():
        u = problem.visit(other)
        same_client = other != visit_id and u.client == v.client
        if same_client and other not in problem.partners[visit_id]:  # noqa: SIM102
            if start < t + v.duration and t < start + u.duration:
                return True
    return False


def _room(
    problem: Problem,
    travel: TravelTimes,
    spans: dict[str, list[_Span]],
    v: Visit,
    t: float,
) -> float:
    """How many eligible staff could take `v` at `t`: free ones count 1, those whose way is
    blocked only by single visits (which the search can move) count a third."""
    room = 0.0
    for s in problem.staff:
        if not any(may_do(s, v, k) for k in range(v.staff_count)):
            continue
        if t - travel(s.start, v.location) < s.shift[0] - 1e-6:
            continue
        if t + v.duration + travel(v.location, s.end) > s.shift[1] + 1e-6:
            continue
        free, movable = True, True
        for span in spans[s.id]:
            if span.location is None:
                clash = span.start < t + v.duration and t < span.end
            else:
                clash = (
                    span.end + travel(span.location, v.location) > t + 1e-6
                    and t + v.duration + travel(v.location, span.location) > span.start + 1e-6
                )
            if clash:
                free = False
                movable = movable and span.movable
        room += 1.0 if free else (1 / 3 if movable else 0.0)
    return room


def _stop(deadline: float | None, iterations: int | None) -> StoppingCriterion:
    if iterations is not None:
        return MaxIterations(iterations)
    if deadline is None:  # pragma: no cover - solve() always sets one of the two
        return MaxRuntime(DEFAULT_TIME_LIMIT)
    return MaxRuntime(max(0.05, deadline - time.perf_counter()))


def _previous_assignments(problem: Problem, plan: Plan) -> dict[str, set[str]]:
    staff = {s.id for s in problem.staff}
    visits = {v.id for v in problem.visits}
    found: dict[str, set[str]] = {}
    for route in plan.routes:
        if route.staff not in staff:
            continue
        for stop in route.stops:
            if stop.visit in visits:
                found.setdefault(stop.visit, set()).add(route.staff)
    return found


def _draft_from_plan(problem: Problem, plan: Plan) -> Draft:
    draft = empty_draft(problem)
    staff_ids = {s.id for s in problem.staff}
    visits = {v.id for v in problem.visits}
    served: set[str] = set()
    for route in plan.routes:
        if route.staff not in staff_ids:
            continue
        staff = problem.staff_member(route.staff)
        stops = sorted((s for s in route.stops if s.visit in visits), key=lambda s: s.start)
        starts = (
            list(route.breaks)
            if len(route.breaks) == len(staff.breaks)
            else [b.window[0] for b in staff.breaks]
        )
        items: list[Item] = [s.visit for s in stops]
        for k in sorted(range(len(staff.breaks)), key=lambda k: starts[k], reverse=True):
            pos = sum(1 for s in stops if s.start <= starts[k])
            items.insert(pos, k)
        draft.routes[staff.id] = items
        served |= {s.visit for s in stops}
    draft.unassigned = visits - served
    return draft


def _kept_share(previous: dict[str, set[str]], draft: Draft) -> float:
    now = draft.staff_of()
    pairs = [(v, s) for v, staff in previous.items() for s in staff]
    if not pairs:
        return 1.0
    return sum(1 for v, s in pairs if s in now.get(v, [])) / len(pairs)


def _moved(previous: dict[str, set[str]], draft: Draft) -> int:
    now = draft.staff_of()
    return sum(1 for v, staff in previous.items() for s in staff if s not in now.get(v, []))


def _finish(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    previous: dict[str, set[str]],
    *,
    until: float | None = None,
) -> tuple[Draft, Timing, float]:
    """Make `draft` valid, insert what is left out (ejecting single visits to make room for
    double-staffed and synced units until `until`, a perf_counter value), and return it with
    its internal cost. A re-plan (`previous`) ejects only for a mandatory visit left out."""
    timing = make_valid(problem, travel, draft)
    insert_units(problem, travel, draft, timing, sorted(draft.unassigned), previous)
    # Insertions were timed route by route; ejection needs the whole plan's timing. A
    # complete plan comes first.
    timing = make_valid(problem, travel, draft)
    # Re-planning keeps assignments, but a visit nobody makes costs more than one or two
    # others moved to other staff (weighed with KEEP_WEIGHT): the 300-visit day's re-plan
    # after a sick call left one visit out before, now none, keeping as much.
    if draft.unassigned and (
        not previous or score(problem, travel, draft, timing).mandatory_unassigned
    ):
        before = draft.copy()
        if eject_and_insert(problem, travel, draft, timing, previous, until):
            draft, timing = _cheaper(problem, travel, draft, before, previous)
    if not previous:
        # Then the double-staffed and synced units move where they cost less (kept
        # whole-timed); a re-plan keeps their staff.
        relocate_units(problem, travel, draft, timing, previous, until)
        # Re-planning keeps assignments instead; a plan from scratch gives visits to their
        # preferred staff where it pays.
        before = draft.copy()
        if move_to_preferred(problem, travel, draft, timing, previous, until):
            draft, timing = _cheaper(problem, travel, draft, before, previous)
    timing = make_valid(problem, travel, draft)
    return draft, timing, _cost(problem, travel, draft, timing, previous)


def _cheaper(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    before: Draft,
    previous: dict[str, set[str]],
) -> tuple[Draft, Timing]:
    """`draft` after moves timed route by route, or `before` them: whichever costs less when
    the whole plan is timed again."""
    checked = make_valid(problem, travel, draft)
    plain = make_valid(problem, travel, before)
    if _cost(problem, travel, draft, checked, previous) > _cost(
        problem, travel, before, plain, previous
    ):
        return before, plain
    return draft, checked


def _filled(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    timing: Timing,
    previous: dict[str, set[str]],
) -> tuple[Draft, Timing]:
    """A copy of `draft` with what it leaves out inserted where that fits (no ejections)."""
    filled = draft.copy()
    if not filled.unassigned:
        return filled, timing
    insert_units(problem, travel, filled, timing, sorted(filled.unassigned), previous)
    return filled, make_valid(problem, travel, filled)


def _cost(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    timing: Timing,
    previous: dict[str, set[str]],
) -> float:
    s = score(problem, travel, draft, timing)
    return (
        s.objective
        + 3 * problem.weights.unassigned * s.mandatory_unassigned
        + KEEP_WEIGHT * _moved(previous, draft)
    )


def solve(
    problem: Problem,
    *,
    time_limit: float | None = None,
    max_iterations: int | None = None,
    seed: int = 0,
    warm_start: Plan | None = None,
    workers: int | None = None,
) -> Plan:
    """Plan the day: every hard rule of format.md holds; what cannot be placed is unassigned.

    Stops after `max_iterations` of PyVRP's search (reproducible with `seed`) or, when only
    `time_limit` is given, after about that many seconds. With `warm_start`, the previous plan
    is kept where possible and the kept share of its assignments is reported. `workers` > 1
    runs that many searches with different seeds in parallel processes (PyVRP uses one core
    each) and keeps the best; by default two on a machine with two or more cores when a time
    limit is given, one otherwise (tests stay single-process and reproducible). On a plan from
    scratch they go on from the better plan after phase 1 (`_begin`), each improving it with
    its own seed (`_go_on`); with a limit above about 90 s each worker's time runs instead as
    independent searches of about 60 s (`RESTART_SECONDS`).
    """
    started = time.perf_counter()
    if time_limit is None and max_iterations is None:
        time_limit = DEFAULT_TIME_LIMIT
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if max_iterations is None else 1
    wall_deadline = None if time_limit is None else time.time() + time_limit
    args = [
        (problem, wall_deadline, max_iterations, seed + 1000 * k, warm_start)
        for k in range(workers)
    ]
    limit = None if time_limit is None else 30 + time_limit
    # Workers on a plan from scratch of one search each (below RESTART_SECONDS' restarts) go on
    # from the better plan after phase 1 (`_begin`), each with its own seed: its cost then
    # says much of where a search ends. Measured on the 300-visit day (docs/benchmarks.md).
    staged = workers > 1 and warm_start is None and _restarts(wall_deadline) == 1
    pool: ProcessPoolExecutor | None = None
    done: Event | None = None
    begun: list[_Result] = []
    if workers > 1:
        try:
            context = multiprocessing.get_context("spawn")
            if staged and wall_deadline is not None:
                # Set when a worker's plan after phase 1 leaves no mandatory visit out: the
                # others stop theirs (phase 2's rounds) and wait no longer than it takes.
                done = context.Event()
            pool = ProcessPoolExecutor(
                max_workers=workers - 1, mp_context=context, initializer=_share, initargs=(done,)
            )
        except (OSError, RuntimeError, AssertionError):
            # E.g. inside a daemonic worker process, which may not start children: plan alone.
            pool = None
    try:
        if staged:
            begun = _gather(pool, functools.partial(_begin, done=done), _begin_shared, args, limit)
            chosen = min(begun, key=lambda r: r.cost)
            results = _gather(
                pool,
                _go_on,
                _go_on,
                [(problem, chosen, wall_deadline, max_iterations, a[3]) for a in args],
                limit,
            )
        else:
            results = _gather(pool, _search, _search, args, limit)
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
    best = min(results, key=lambda r: r.cost)
    previous = {} if warm_start is None else _previous_assignments(problem, warm_start)
    info = SolverInfo(
        name="trygghem-planner (PyVRP 0.14.1)",
        seconds=time.perf_counter() - started,
        iterations=sum(r.iterations for r in begun + results),
        kept_share=None if warm_start is None else _kept_share(previous, best.draft),
    )
    return to_plan(problem, best.draft, best.timing, info)


def _gather(
    pool: ProcessPoolExecutor | None,
    here: Callable[..., _Result],
    there: Callable[..., _Result],
    args: list[tuple[Any, ...]],
    limit: float | None,
) -> list[_Result]:
    """`here` on the first of `args`, `there` (the same work, picklable) on the others in
    `pool`'s helper processes (none without a pool). A helper that fails or hangs (beyond
    `limit` seconds) only loses its seed."""
    futures: list[Future[_Result]] = []
    if pool is not None:
        with contextlib.suppress(RuntimeError):
            futures = [pool.submit(there, *a) for a in args[1:]]
    results = [here(*args[0])]
    for future in futures:
        with contextlib.suppress(Exception):
            results.append(future.result(timeout=limit))
    return results


_HELPER: dict[str, Event | None] = {}  # in a helper process of one `solve`: its `done`


def _share(done: Event | None) -> None:
    """A helper process's start: keep `solve`'s `done` for `_begin_shared`."""
    _HELPER["done"] = done


def _begin_shared(
    problem: Problem,
    wall_deadline: float | None,
    max_iterations: int | None,
    seed: int,
    warm_start: Plan | None,
) -> _Result:
    """`_begin` in a helper process, with the `done` its `solve` shared (an Event is not sent
    with the work; it is inherited)."""
    return _begin(problem, wall_deadline, max_iterations, seed, warm_start, _HELPER.get("done"))


def _is_set(done: Event | None) -> bool:
    return done is not None and done.is_set()


class _UntilDone:
    """PyVRP's stop `stop`, or at once where `done` is set (another worker's plan is complete)."""

    def __init__(self, stop: StoppingCriterion, done: Event | None) -> None:
        self.stop = stop
        self.done = done

    def __call__(self, best_cost: int) -> bool:
        return _is_set(self.done) or self.stop(best_cost)


@dataclass
class _Result:
    cost: float
    draft: Draft
    timing: Timing
    iterations: int


def _run(
    model: _Model, *, stop: StoppingCriterion, seed: int, initial: pyvrp.Solution | None
) -> pyvrp.Result:
    """PyVRP's search on `model` with our neighbourhood (`_params`)."""
    with warnings.catch_warnings():
        # Visits that cannot be placed are left out by their prize, never "infeasible": PyVRP's
        # warning that its penalties hit their bound says nothing the plan does not.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        return pyvrp.solve(
            model.data,
            stop=stop,
            seed=seed,
            collect_stats=False,
            params=_params(model.data),
            initial_solution=initial,
        )


def _search(
    problem: Problem,
    wall_deadline: float | None,
    max_iterations: int | None,
    seed: int,
    warm_start: Plan | None,
) -> _Result:
    """One worker's share (also run in a helper process): a plan from scratch with more than
    about RESTART_SECONDS runs as that many independent searches, each with its own seed, and
    the best is kept. A search set for short runs settles in one valley. Measured on the
    300-visit day (one worker, seeds 1-8): one search of 60 s, mean 1,639, against the best of
    two of 30 s, 1,675 (until the large-neighbourhood moves got faster it was the other way)."""
    count = _restarts(wall_deadline)
    if wall_deadline is None or warm_start is not None or count == 1:
        return _search_once(problem, wall_deadline, max_iterations, seed, warm_start)
    results: list[_Result] = []
    for k in range(count):
        end = time.time() + (wall_deadline - time.time()) / (count - k)
        results.append(_search_once(problem, end, None, seed + 100 * k, None))
    best = min(results, key=lambda r: r.cost)
    return _Result(best.cost, best.draft, best.timing, sum(r.iterations for r in results))


def _restarts(wall_deadline: float | None) -> int:
    """How many independent searches a worker's plan from scratch runs until `wall_deadline`
    (a time.time() value; None: stopping on iterations, one)."""
    if wall_deadline is None:
        return 1
    return max(1, round((wall_deadline - time.time()) / RESTART_SECONDS))


def _search_once(
    problem: Problem,
    wall_deadline: float | None,
    max_iterations: int | None,
    seed: int,
    warm_start: Plan | None,
) -> _Result:
    """One search with one seed: the best candidate found."""
    begun = _begin(problem, wall_deadline, max_iterations, seed, warm_start)
    if warm_start is not None:
        return begun
    more = _go_on(problem, begun, wall_deadline, max_iterations, seed)
    return _Result(more.cost, more.draft, more.timing, begun.iterations + more.iterations)


def _go_on(
    problem: Problem,
    begun: _Result,
    wall_deadline: float | None,
    max_iterations: int | None,
    seed: int,
) -> _Result:
    """A plan from scratch after `_begin` made better (`_improve`, with `seed`) on a copy of it
    until `wall_deadline` (a time.time() value) or in one cycle of `max_iterations`. Returns
    the best plan seen, with `_improve`'s iterations only (also run in a helper process). The
    copy matters: the pool pickles the helper's work in a thread, while this one runs."""
    until = None
    if wall_deadline is not None:
        until = time.perf_counter() + (wall_deadline - time.time()) - FINISH_RESERVE / 2
    cost, draft, timing, more = _improve(
        problem,
        travel_times(problem),
        begun.draft.copy(),
        begun.timing.copy(),
        seed=seed,
        until=until,
        iterations=max_iterations,
    )
    return _Result(cost, draft, timing, more)


def _begin(
    problem: Problem,
    wall_deadline: float | None,
    max_iterations: int | None,
    seed: int,
    warm_start: Plan | None,
    done: Event | None = None,
) -> _Result:
    """A search up to `_improve`: phase 1, the insertion and, where needed, our moves and phase
    2's rounds; for a re-plan the whole search (`_replan`). Returns the best candidate. Its
    cost says much of where a search ends: 0.77-0.79 correlation with the final cost on the
    300-visit day (30 s and 60 s searches). With `done` (workers choosing after this), a plan
    leaving no mandatory visit out sets it, and one that does stops trying to place it where it
    is set."""
    started = time.perf_counter()
    deadline = None if wall_deadline is None else started + (wall_deadline - time.time())
    travel = travel_times(problem)
    if warm_start is not None:
        return _replan(
            problem, travel, warm_start, seed=seed, deadline=deadline, tries=max_iterations
        )
    has_sync = any(v.staff_count > 1 or v.sync is not None for v in problem.visits)

    candidates: list[tuple[float, Draft, Timing]] = []
    iterations = max_iterations
    total_iterations = 0
    # What is left out is inserted (with ejections) once, after the last phase: keep time for it.
    # It takes well under a second; the rest of the time goes to the search.
    reserve = None if deadline is None else max(FINISH_RESERVE, 0.03 * (deadline - started))
    until = None if deadline is None else deadline - FINISH_RESERVE / 2
    # A plan from scratch keeps IMPROVE_SHARE of the time for `_improve` on its best plan:
    # PyVRP's searches from scratch end that much earlier. With double-staffed or synced
    # visits it gets all the time after phase 1 (PHASE1_SHARE), unless phase 2 has to run.
    search_end = deadline
    if deadline is not None:
        search_end = deadline - IMPROVE_SHARE * (deadline - started)
    if search_end is None or deadline is None:
        phase_deadline = None
    elif has_sync:
        phase_deadline = started + min(PHASE1_SHARE * (deadline - started), PHASE1_SECONDS)
    else:
        phase_deadline = started + 0.85 * (search_end - started)
    model = _build(problem, travel, fixed={}, previous={})
    result = _run(model, stop=_stop(phase_deadline, iterations), seed=seed, initial=None)
    total_iterations = result.num_iterations
    # What phase 1 left out, its units planned apart among them, is inserted with ejections to
    # make room.
    draft, timing, cost = _finish(
        problem, travel, _to_draft(problem, model, result.best), {}, until=until
    )
    if (
        has_sync
        and score(problem, travel, draft, timing).mandatory_unassigned
        and not _is_set(done)
    ):
        # Before phase 2's rounds, our moves try to make room for what is left out, for at
        # most CYCLE_MOVES seconds or a quarter of the iterations.
        rng = random.Random(seed + 7)  # noqa: S311  (reproducible moves, not a secret)
        end = None if until is None else min(until, time.perf_counter() + CYCLE_MOVES)
        tries = max(1, (iterations or 4) // 4)
        _place_by_moves(problem, travel, draft, timing, rng, end=end, tries=tries, done=done)
        cost = _cost(problem, travel, draft, timing, {})
    candidates.append((cost, draft, timing))
    solution = result.best
    fixed = _targets(problem, model, solution)

    if (
        has_sync
        and score(problem, travel, draft, timing).mandatory_unassigned
        and not _is_set(done)
    ):
        # The insertion and moves left a mandatory visit out: phase 2 fixes the units near where
        # the plan it starts from has them, in rounds.
        phase_deadline = None if search_end is None or reserve is None else search_end - reserve
        tried: dict[str, list[float]] = {}
        rounds = 0
        final = False
        best: tuple[float, Draft] | None = None
        while True:
            rounds += 1
            # Breaks where the round starts from has them.
            around = _to_draft(problem, model, solution)
            model = _build(problem, travel, fixed=fixed, previous={}, around=around)
            round_stop = _UntilDone(_round_stop(phase_deadline, iterations, rounds, final), done)
            result = _run(
                model, stop=round_stop, seed=seed + rounds, initial=_same_routes(model, solution)
            )
            total_iterations += result.num_iterations
            joined = _to_draft(problem, model, result.best)
            joined_timing = make_valid(problem, travel, joined)
            # A later round may join less than an earlier one: the best joined plan is kept,
            # judged with what it left out inserted where that fits.
            filled, filled_timing = _filled(problem, travel, joined, joined_timing, {})
            cost = _cost(problem, travel, filled, filled_timing, {})
            if best is None or cost < best[0]:
                best = (cost, filled)
            out_of_time = phase_deadline is not None and time.perf_counter() >= phase_deadline
            if _is_set(done):
                # Another worker's plan is complete: this one's is not chosen.
                break
            if final or out_of_time or (iterations is not None and rounds >= MAX_ROUNDS):
                break
            start, final = _next_round(
                problem, travel, (joined, joined_timing), (filled, filled_timing), fixed, tried
            )
            if final and iterations is None:
                # What the last round would do, PyVRP with the units where they are, the
                # improvement below does from a better plan (`_improve`).
                break
            solution = _to_solution(problem, model, start)
        if not _is_set(done):
            draft, timing, cost = _finish(problem, travel, best[1], {}, until=until)
            candidates.append((cost, draft, timing))

    cost, draft, timing = min(candidates, key=lambda c: c[0])
    if done is not None and not score(problem, travel, draft, timing).mandatory_unassigned:
        done.set()
    return _Result(cost, draft, timing, total_iterations)


# A re-plan's time: our moves first while a mandatory visit is left out (at most
# REPLAN_MOVES seconds), then PyVRP, then the moves again for the last REPLAN_TAIL seconds
# where PyVRP's plan leaves one out. Chosen in session 12 on the re-plans of the 300-visit day
# that had left a visit out; a re-plan stops on the clock, so such a selection flatters any
# change. Over all 60 re-plans of session 13, a REPLAN_TAIL of 3 s left as many out
# (docs/benchmarks.md).
REPLAN_MOVES = 1.0
REPLAN_TAIL = 1.5
REPLAN_SEED = 51  # added to the seed for a re-plan's PyVRP search


def _replan(
    problem: Problem,
    travel: TravelTimes,
    warm_start: Plan,
    *,
    seed: int,
    deadline: float | None,
    tries: int | None,
) -> _Result:
    """A re-plan from `warm_start` (a staff member called in sick, visits changed) until
    `deadline` (a perf_counter value), or on `tries` iterations of each step: every assignment
    moved away from its staff member costs KEEP_WEIGHT throughout.

    1. The previous plan without what no longer fits, what is left out inserted, with
       ejections where a mandatory visit is still out (`_finish`).
    2. While a mandatory visit is out, our moves (`_place_by_moves`): a unit or visit taken
       out with its neighbours and all inserted again, which makes room where one ejection
       does not (lunch visits for two at 11:00-13:00, morning medication rounds).
    3. PyVRP from that plan as it is (`_build` with `timed`, breaks where they are), units
       held at the starts they now have; a unit still left out at the start it had before.
    4. Its plan finished as in 1, and where a mandatory visit is out the moves again.
    The cheapest of these plans is returned.

    Measured in pairs on 60 re-plans of the 300-visit day, two workers (docs/benchmarks.md,
    session 12), against phase 2's rounds from the previous plan: 97.4-97.5 % of the other
    assignments kept against 93.9-94.7 %, a lower objective, 10 left a mandatory visit out
    against 16."""
    previous = _previous_assignments(problem, warm_start)
    until = None if deadline is None else deadline - FINISH_RESERVE / 2
    rng = random.Random(seed + 7)  # noqa: S311  (reproducible moves, not a secret)
    moves = None if tries is None else max(1, tries // 4)

    draft, timing, cost = _finish(
        problem, travel, _draft_from_plan(problem, warm_start), previous, until=until
    )
    candidates = [(cost, draft.copy(), timing.copy())]
    end = None if until is None else min(until, time.perf_counter() + REPLAN_MOVES)
    _place_by_moves(problem, travel, draft, timing, rng, end=end, tries=moves, previous=previous)
    candidates.append(
        (_cost(problem, travel, draft, timing, previous), draft.copy(), timing.copy())
    )

    units = {
        v.id: timing.starts[v.id]
        for v in problem.visits
        if is_coupled(problem, v) and v.id in timing.starts
    }
    before = {st.visit: st.start for r in warm_start.routes for st in r.stops}
    for visit_id, start in _kept_targets(problem, before).items():
        units.setdefault(visit_id, start)
    model = _build(problem, travel, fixed=units, previous=previous, around=draft, timed=True)
    stop: StoppingCriterion = MaxIterations(tries or 1)
    if deadline is not None:
        stop = MaxRuntime(max(0.05, deadline - FINISH_RESERVE - REPLAN_TAIL - time.perf_counter()))
    result = _run(
        model, stop=stop, seed=seed + REPLAN_SEED, initial=_to_solution(problem, model, draft)
    )
    joined = _to_draft(problem, model, result.best)
    filled, _ = _filled(problem, travel, joined, make_valid(problem, travel, joined), previous)
    draft, timing, cost = _finish(problem, travel, filled, previous, until=until)
    candidates.append((cost, draft.copy(), timing.copy()))
    _place_by_moves(problem, travel, draft, timing, rng, end=until, tries=moves, previous=previous)
    candidates.append((_cost(problem, travel, draft, timing, previous), draft, timing))
    cost, draft, timing = min(candidates, key=lambda c: c[0])
    return _Result(cost, draft, timing, result.num_iterations)


PLACE_STEP = 0.25  # seconds of moves between checks for what `_place_by_moves` still leaves out


def _place_by_moves(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    timing: Timing,
    rng: random.Random,
    *,
    end: float | None,
    tries: int | None,
    previous: dict[str, set[str]] | None = None,
    done: Event | None = None,
) -> None:
    """Our moves (`reinsert_around`, which makes room for a left-out visit in half of them)
    while the plan leaves a mandatory visit out: until `end` (a perf_counter value) and until
    `done` is set, or `tries` moves when stopping on iterations. A re-plan passes `previous`:
    its kept assignments are weighed in the moves.

    The insertion leaves a visit out where every staff member who may do it is busy through
    its window and one or two visits taken out do not make room; the moves take out a visit
    with its neighbours, which mostly does. On a plan from scratch phase 2's rounds placed it
    too, but at the cost of 4-8 s of the time, so that a 30 s search then had no turn of PyVRP
    left."""
    if not score(problem, travel, draft, timing).mandatory_unassigned:
        return
    if end is None:
        reinsert_around(problem, travel, draft, timing, rng, tries=tries, previous=previous)
        return
    while (
        time.perf_counter() < end
        and score(problem, travel, draft, timing).mandatory_unassigned
        and not _is_set(done)
    ):
        step = min(end, time.perf_counter() + PLACE_STEP)
        reinsert_around(problem, travel, draft, timing, rng, deadline=step, previous=previous)


def _snapshot(
    problem: Problem, travel: TravelTimes, draft: Draft, timing: Timing
) -> tuple[float, Draft, Timing]:
    """The plan's cost with copies of it and its timing, which later moves leave as they are."""
    return _cost(problem, travel, draft, timing, {}), draft.copy(), timing.copy()


def _turn(left: float | None) -> float | None:
    """Seconds for PyVRP's next turn in `_improve` with `left` seconds to go (None: no time
    limit), or None when it would have less than MIN_SEARCH before the moves' last CYCLE_MOVES.

    A turn shortened to fit gains where moves alone do not: they settle within seconds. With
    whole turns only, a 60 s search on the 300-visit day ran its last 10 s on the moves alone
    (about 3 gained), and a search whose phase 2 ran had no turn at all at 30 s."""
    if left is None:
        return CYCLE_SEARCH
    span = min(CYCLE_SEARCH, left - CYCLE_MOVES)
    return span if span >= MIN_SEARCH else None


def _improve(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    timing: Timing,
    *,
    seed: int,
    until: float | None,
    iterations: int | None,
) -> tuple[float, Draft, Timing, int]:
    """A plan from scratch made better until `until` (a perf_counter value), or in one cycle
    of `iterations` // 4 moves and PyVRP iterations: our large-neighbourhood moves
    (`reinsert_around`) for CYCLE_MOVES seconds, then PyVRP for CYCLE_SEARCH seconds from that
    plan with its units held at the starts they now have (`_build` with the plan `timed`), its
    result finished as after phase 2; again while PyVRP has at least MIN_SEARCH seconds before
    the last CYCLE_MOVES (its turn shortened to fit), then the moves to the end. Returns the
    best plan seen, its cost and PyVRP's iterations.

    Each side stops improving where the other can go on: the moves settle after a few thousand
    tries (about 10 s on the 300-visit day), PyVRP after about 15 s, and PyVRP cannot move a
    unit to a new start. Measured on the 300-visit day (one worker, seeds 1-8; docs/benchmarks.md):
    60 s searches mean 1,605 against 1,650 with the moves alone, 30 s 1,644 against 1,665."""
    rng = random.Random(seed)  # noqa: S311  (reproducible moves, not a secret)
    tries = None if iterations is None else max(1, iterations // 4)
    best = (math.inf, draft, timing)
    done = 0
    cycle = 0
    while True:
        cycle += 1
        end = None if until is None else min(until, time.perf_counter() + CYCLE_MOVES)
        reinsert_around(problem, travel, draft, timing, rng, deadline=end, tries=tries)
        best = min(best, _snapshot(problem, travel, draft, timing), key=lambda b: b[0])
        span = _turn(None if until is None else until - time.perf_counter())
        if span is None:
            # Too little time for PyVRP and the moves after it: the moves go on to the end.
            reinsert_around(problem, travel, draft, timing, rng, deadline=until)
            best = min(best, _snapshot(problem, travel, draft, timing), key=lambda b: b[0])
            break
        if until is None and cycle > 1:
            break
        units = {
            v.id: timing.starts[v.id]
            for v in problem.visits
            if is_coupled(problem, v) and v.id in timing.starts
        }
        model = _build(problem, travel, fixed=units, previous={}, around=draft, timed=True)
        stop: StoppingCriterion = (
            MaxRuntime(span) if iterations is None else MaxIterations(tries or 1)
        )
        start = _to_solution(problem, model, draft)
        # (seed + 50 + cycle: a seed no round of phase 2 has used)
        result = _run(model, stop=stop, seed=seed + 50 + cycle, initial=start)
        done += result.num_iterations
        joined = _to_draft(problem, model, result.best)
        filled, _ = _filled(problem, travel, joined, make_valid(problem, travel, joined), {})
        draft, timing, _ = _finish(problem, travel, filled, {}, until=until)
    return *best, done
