"""Working plans: make them obey every hard rule, insert visits, score them.

Both the greedy baseline and the PyVRP planner go through here, so every plan either returns
has been timed by `schedule.time_routes` and checked against the rules of format.md.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from planner.model import Plan, Problem, Route, SolverInfo, Staff, Stop, Visit
from planner.schedule import Conflict, Item, Timing, time_routes, time_with_overlaps
from planner.travel import TravelTimes

CANDIDATES_PER_COPY = 10
TIMINGS_PER_INSERTION = 60
POSITIONS_PER_ROUTE = 2


@dataclass
class Draft:
    """Visits and breaks in order per staff member, and the visits left out."""

    routes: dict[str, list[Item]]
    unassigned: set[str] = field(default_factory=set)

    def copy(self) -> Draft:
        return Draft({s: list(items) for s, items in self.routes.items()}, set(self.unassigned))

    def staff_of(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for staff_id, items in self.routes.items():
            for item in items:
                if isinstance(item, str):
                    found[item].append(staff_id)
        return found


def empty_draft(problem: Problem) -> Draft:
    routes: dict[str, list[Item]] = {}
    for s in problem.staff:
        order = sorted(range(len(s.breaks)), key=lambda k: s.breaks[k].window[0])
        routes[s.id] = list(order)
    return Draft(routes, set())


def unit_of(problem: Problem, visit_id: str) -> list[str]:
    """The visit and everything linked to it by sync (served together or not at all)."""
    seen = [visit_id]
    for v in seen:
        for p in problem.partners[v]:
            if p not in seen:
                seen.append(p)
    return seen


def is_coupled(problem: Problem, visit: Visit) -> bool:
    """A double-staffed visit or one of a synced pair: it moves only with its unit."""
    return visit.staff_count > 1 or bool(problem.partners[visit.id])


def is_single(problem: Problem, visit: Visit) -> bool:
    """One staff member's visit, synced to none and fixed to nobody: the moves shift it alone."""
    return not is_coupled(problem, visit) and visit.fixed_staff is None


def movable_units(problem: Problem) -> list[list[str]]:
    """The double-staffed visits and synced pairs (each with what it is synced to) that no
    staff member is fixed to: the units the moves shift as a whole."""
    units: list[list[str]] = []
    seen: set[str] = set()
    for v in problem.visits:
        if v.id in seen:
            continue
        unit = unit_of(problem, v.id)
        seen |= set(unit)
        coupled = len(unit) > 1 or v.staff_count > 1
        if coupled and all(problem.visit(u).fixed_staff is None for u in unit):
            units.append(unit)
    return units


def may_do(staff: Staff, visit: Visit, copy: int) -> bool:
    if not visit.skills <= staff.skills:
        return False
    if visit.fixed_staff is None:
        return True
    # Copy 0 of a visit with fixed staff is that staff member's; copy 1 is someone else's.
    return (staff.id == visit.fixed_staff) == (copy == 0)


def remove(draft: Draft, visit_ids: Iterable[str]) -> None:
    gone = set(visit_ids)
    for staff_id, items in draft.routes.items():
        draft.routes[staff_id] = [i for i in items if not (isinstance(i, str) and i in gone)]
    draft.unassigned |= gone


def _structural_faults(problem: Problem, draft: Draft) -> set[str]:
    faults: set[str] = set()
    staff_of = draft.staff_of()
    for visit_id, staff_ids in staff_of.items():
        v = problem.visit(visit_id)
        wrong_count = len(staff_ids) != v.staff_count or len(set(staff_ids)) != len(staff_ids)
        unskilled = not all(v.skills <= problem.staff_member(s).skills for s in staff_ids)
        unfixed = v.fixed_staff is not None and v.fixed_staff not in staff_ids
        if wrong_count or unskilled or unfixed:
            faults.add(visit_id)
        for partner in problem.partners[visit_id]:
            if partner not in staff_of:
                faults.add(visit_id)
            sync = v.sync
            if (
                sync is not None
                and sync.with_visit == partner
                and sync.distinct_staff
                and set(staff_ids) & set(staff_of.get(partner, []))
            ):
                faults.add(visit_id)
    for staff_id, items in draft.routes.items():
        cap = problem.staff_member(staff_id).capacity
        if cap is None:
            continue
        visits = sorted(
            (problem.visit(i) for i in items if isinstance(i, str)), key=lambda v: v.load
        )
        load = sum(v.load for v in visits)
        while visits and load > cap + 1e-9:
            v = visits.pop()
            load -= v.load
            faults.add(v.id)
    return faults


def make_valid(problem: Problem, travel: TravelTimes, draft: Draft) -> Timing:
    """Take visits out of `draft` until every hard rule holds; return the timing."""
    while True:
        faults = _structural_faults(problem, draft)
        if not faults:
            break
        remove(draft, {u for f in faults for u in unit_of(problem, f)})
    # Join double-staffed copies and sync pairs one unit at a time, in order of window start;
    # a unit that cannot be joined to what is already joined is taken out (alone).
    coupled = sorted(
        {
            u
            for v, _ in draft.staff_of().items()
            if is_coupled(problem, problem.visit(v))
            for u in unit_of(problem, v)
        },
        key=lambda v: (problem.visit(v).window[0], v),
    )
    # Where all units join at once, joining them one at a time would take nothing out either:
    # each step only relaxes the whole.
    joined = time_routes(problem, travel, draft.routes) if coupled else None
    if not isinstance(joined, Timing):
        _join_one_by_one(problem, travel, draft, coupled)
        joined = None
    while True:
        # `joined` is the timing of these routes as they are, without the client orders.
        timing = time_with_overlaps(problem, travel, draft.routes, timed=joined)
        if isinstance(timing, Timing):
            return timing
        culprit = _pick_culprit(problem, timing)
        remove(draft, unit_of(problem, culprit))
        joined = None


def _join_one_by_one(
    problem: Problem, travel: TravelTimes, draft: Draft, coupled: list[str]
) -> None:
    """`make_valid`'s units that cannot all be joined at once: each copy timed on its own,
    then the units joined in order, and a unit that cannot be is taken out (alone)."""
    split = set(coupled)
    while True:
        timing = time_routes(problem, travel, draft.routes, split=frozenset(split))
        if isinstance(timing, Timing):
            break
        culprit = _pick_culprit(problem, timing)
        remove(draft, unit_of(problem, culprit))
        split -= set(unit_of(problem, culprit))
    for visit_id in coupled:
        if visit_id not in split:
            continue
        unit = set(unit_of(problem, visit_id))
        trial = split - unit
        if isinstance(time_routes(problem, travel, draft.routes, split=frozenset(trial)), Timing):
            split = trial
        else:
            remove(draft, unit)
            split -= unit


def _pick_culprit(problem: Problem, conflict: Conflict) -> str:
    for visit_id in conflict.visits:
        v = problem.visit(visit_id)
        if is_coupled(problem, v):
            return visit_id
    return conflict.visits[0]


def _open_positions(
    problem: Problem,
    travel: TravelTimes,
    staff: Staff,
    items: list[Item],
    v: Visit,
    timing: Timing,
    latest: Mapping[str, float] | None = None,
) -> list[tuple[int, float, float, float]]:
    """The positions on a route where `v` may fit, each with the travel it adds and the
    earliest and latest start `v` could have there, in one pass.

    A necessary condition: the current starts are the earliest ones, so the visit cannot start
    before the previous visit's end plus the drive (or the end of a break after it), and must
    leave time to reach the next visit before that one's window closes, or with `latest`
    (`_latest_starts`) before the latest start the rest of the route leaves it. Positions that
    fail cannot be timed; skipping them leaves room for ones that can (on plans of the
    300-visit day, the bound cut the timings that fail from four in five to one in two)."""
    top = math.inf if v.late else v.window[1]
    if not any(isinstance(i, str) for i in items):
        alone = travel(staff.start, v.location) + travel(v.location, staff.end)
        earliest = max(v.window[0], staff.shift[0] + travel(staff.start, v.location))
        last = min(top, staff.shift[1] - v.duration - travel(v.location, staff.end))
        return [(pos, alone, earliest, last) for pos in range(len(items) + 1)]
    visits = problem.visits_by_id
    starts = timing.starts
    rows = travel.rows
    to_v = rows[v.location]  # from v to each place
    opening = v.window[0]
    following: list[str | None] = [None] * (len(items) + 1)
    for pos in range(len(items) - 1, -1, -1):
        item = items[pos]
        following[pos] = item if isinstance(item, str) else following[pos + 1]
    breaks = timing.breaks.get(staff.id, [])
    found: list[tuple[int, float, float, float]] = []
    previous: Visit | None = None
    after_breaks = opening  # the end of the breaks since the previous visit
    for pos in range(len(items) + 1):
        if pos > 0:
            item = items[pos - 1]
            if isinstance(item, str):
                previous, after_breaks = visits[item], opening
            elif item < len(breaks):
                after_breaks = max(after_breaks, breaks[item] + staff.breaks[item].duration)
        nxt = following[pos]
        if nxt is None:
            there = staff.end
            by = staff.shift[1]
        else:
            u = visits[nxt]
            there = u.location
            by = latest[nxt] if latest is not None else math.inf if u.late else u.window[1]
        # Bounds without the drives (never negative) first: most positions fail on them,
        # and the drives are looked up only where they may not.
        bound = min(top, by - v.duration)
        if after_breaks > bound + 1e-6:
            continue
        earliest = after_breaks
        if previous is not None and previous.id in starts:
            end = starts[previous.id] + previous.duration
            if end > bound + 1e-6:
                continue
            earliest = max(earliest, end + rows[previous.location][v.location])
        if previous is None:
            earliest = max(earliest, staff.shift[0] + rows[staff.start][v.location])
        last = min(top, by - v.duration - to_v[there])
        if earliest > last + 1e-6:
            continue
        here = staff.start if previous is None else previous.location
        from_here = rows[here]
        added = from_here[v.location] + to_v[there] - from_here[there]
        found.append((pos, added, earliest, last))
    return found


def _latest_starts(
    problem: Problem,
    travel: TravelTimes,
    staff: Staff,
    items: list[Item],
    timing: Timing,
    pinned: bool,
) -> dict[str, float]:
    """An upper bound on each visit's start on this route: its window, what the visits after
    it and the shift's end leave (breaks left out, so it stays a bound), and with `pinned`
    (the other routes keep their times) a double visit's start where it is and a synced
    visit's gap to its partner on another route."""
    visits = problem.visits_by_id
    starts = timing.starts
    rows = travel.rows
    latest: dict[str, float] = {}
    on_route = {i for i in items if isinstance(i, str)}
    bound, there = staff.shift[1], staff.end
    for item in reversed(items):
        if not isinstance(item, str):
            continue
        v = visits[item]
        top = math.inf if v.late else v.window[1]
        if pinned and item in starts:
            if v.staff_count > 1:
                top = min(top, starts[item])
            if v.sync is not None and v.sync.with_visit not in on_route:
                t = starts.get(v.sync.with_visit)
                if t is not None:
                    top = min(top, t + v.sync.max_gap)
            for partner in problem.partners[item]:
                their = visits[partner].sync
                if partner in on_route or their is None or their.with_visit != item:
                    continue
                t = starts.get(partner)
                if t is not None:
                    top = min(top, t - their.min_gap)
        top = min(top, bound - v.duration - rows[v.location][there])
        latest[item] = top
        bound, there = top, v.location
    return latest


@dataclass(frozen=True)
class _Candidate:
    staff: str
    pos: int
    visit: str
    cost: float
    earliest: float  # bounds on the visit's start there (`_open_positions`)
    latest: float


def assignment_cost(
    problem: Problem, visit: Visit, staff_id: str, previous: Mapping[str, set[str]]
) -> float:
    cost = 0.0
    if visit.preferred_staff and staff_id not in visit.preferred_staff:
        cost += problem.weights.non_preferred
    if visit.id in previous and staff_id not in previous[visit.id]:
        cost += KEEP_WEIGHT
    return cost


# Re-planning: moving a visit away from the staff member who had it costs this much (minutes of
# travel). It is not part of the objective; it keeps the plan the care workers already know.
KEEP_WEIGHT = 200.0


def insert_units(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    timing: Timing,
    visit_ids: Iterable[str],
    previous: Mapping[str, set[str]] | None = None,
) -> None:
    """Cheapest feasible insertion of each visit's unit, in order of window start."""
    previous = previous or {}
    done: set[str] = set()
    order = sorted(visit_ids, key=lambda v: (problem.visit(v).window[0], v))
    for visit_id in order:
        if visit_id in done:
            continue
        unit = unit_of(problem, visit_id)
        done |= set(unit)
        if all(u in draft.unassigned for u in unit):
            _insert_unit(problem, travel, draft, timing, unit, previous)


def _insert_unit(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    timing: Timing,
    unit: list[str],
    previous: Mapping[str, set[str]],
    allowed: set[str] | None = None,
) -> bool:
    """Cheapest feasible insertion of one unit. The routes it goes into are timed with the
    other routes as they are, so a double-staffed or synced visit on them keeps its start.
    Where that places it nowhere, once more with the routes that share such a visit with them
    timed too, so the visit may move where both routes allow."""
    single = len(unit) == 1 and is_single(problem, problem.visit(unit[0]))
    tried: set[tuple[_Candidate, ...]] = set()
    for linked in (False, True):
        holders = draft.staff_of() if linked else {}
        combos = _combos(
            problem, travel, draft, timing, unit, previous, allowed, single and not linked
        )
        for combo in itertools.islice(combos, TIMINGS_PER_INSERTION):
            changed = {c.staff for c in combo}
            timed = _linked(problem, draft, holders, changed) if linked else changed
            if linked and timed == changed and combo in tried:
                continue  # timed as before
            tried.add(combo)
            trial = {s: list(draft.routes[s]) for s in timed}
            for c in sorted(
                combo, key=lambda c: (c.pos, problem.visit(c.visit).window[0]), reverse=True
            ):
                trial[c.staff].insert(c.pos, c.visit)
            outside = _held_elsewhere(draft, timing, timed)
            result = time_with_overlaps(problem, travel, trial, outside=outside)
            if isinstance(result, Conflict):
                continue
            draft.routes.update(trial)
            draft.unassigned -= set(unit)
            timing.starts.update(result.starts)
            timing.breaks.update(result.breaks)
            return True
    return False


def _combos(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    timing: Timing,
    unit: list[str],
    previous: Mapping[str, set[str]],
    allowed: set[str] | None,
    pinned: bool,
) -> Iterator[tuple[_Candidate, ...]]:
    """Positions for each copy of the unit's visits that may fit (`_open_positions` with
    `_latest_starts`, `pinned`), the cheapest per route and overall, combined cheapest first.
    Combinations are checked (`_combo_allowed`) as the caller takes them: it times the first
    few, and a double visit has a hundred."""
    w = problem.weights
    per_copy: list[list[_Candidate]] = []
    latest: dict[str, dict[str, float]] = {}  # per staff member, shared by the unit's copies
    for visit_id in unit:
        v = problem.visit(visit_id)
        for copy in range(v.staff_count):
            options: list[_Candidate] = []
            for staff in problem.staff:
                if not may_do(staff, v, copy) or (allowed is not None and staff.id not in allowed):
                    continue
                items = draft.routes[staff.id]
                if _outside_shift(staff, v) and any(isinstance(i, str) for i in items):
                    continue  # no position there (`_open_positions`), and no bounds needed
                extra = assignment_cost(problem, v, staff.id, previous)
                if staff.id not in latest:
                    latest[staff.id] = _latest_starts(problem, travel, staff, items, timing, pinned)
                bounds = latest[staff.id]
                # A `late` visit's lateness at the earliest start there counts with the drive
                # (once per visit, not per copy). On the drive alone, a double-staffed morning
                # visit went to 16:00 for a shorter drive while the morning had room (300-visit
                # day: 550 minutes late in one plan).
                best = [
                    _Candidate(
                        staff.id,
                        pos,
                        visit_id,
                        w.travel * d + extra + _lateness_cost(problem, v, lo) / v.staff_count,
                        lo,
                        hi,
                    )
                    for pos, d, lo, hi in _open_positions(
                        problem, travel, staff, items, v, timing, bounds
                    )
                ]
                best.sort(key=lambda c: c.cost)
                options.extend(best[:POSITIONS_PER_ROUTE])
            options.sort(key=lambda c: c.cost)
            per_copy.append(options[: CANDIDATES_PER_COPY * (2 if len(unit) == 1 else 1)])
    ranked = sorted(itertools.product(*per_copy), key=lambda c: sum(x.cost for x in c))
    return (c for c in ranked if _combo_allowed(problem, c))


def _outside_shift(staff: Staff, v: Visit) -> bool:
    """Whether `v` cannot start in time on any route of `staff` that has visits: it would end
    after the shift, or its window closes before the shift starts (a route's visits start
    after its shift does, and the position before the first visit waits for the drive)."""
    if v.window[0] > staff.shift[1] - v.duration + 1e-6:
        return True
    return not v.late and v.window[1] < staff.shift[0] - 1e-6


def _lateness_cost(problem: Problem, visit: Visit, start: float) -> float:
    """What starting `visit` at `start` adds to the objective in lateness, at most (the
    largest lateness may already be another visit's)."""
    late = max(0.0, start - visit.window[1])
    return (problem.weights.tardiness + problem.weights.max_tardiness) * late


def _linked(
    problem: Problem, draft: Draft, holders: Mapping[str, list[str]], changed: set[str]
) -> set[str]:
    """`changed` and the routes that hold the other copy of a double-staffed visit on them, or
    the other visit of a synced pair (`holders`: `draft.staff_of()`)."""
    linked = set(changed)
    for staff_id in changed:
        for item in draft.routes[staff_id]:
            if isinstance(item, str) and is_coupled(problem, problem.visit(item)):
                for u in unit_of(problem, item):
                    linked.update(holders.get(u, []))
    return linked


def _held_elsewhere(draft: Draft, timing: Timing, changed: set[str]) -> dict[str, float]:
    """The starts of the visits on routes outside `changed`: fixed while those are timed (a
    double-staffed visit with a copy there included)."""
    return {
        i: timing.starts[i]
        for s, items in draft.routes.items()
        if s not in changed
        for i in items
        if isinstance(i, str) and i in timing.starts
    }


def _combo_allowed(problem: Problem, combo: tuple[_Candidate, ...]) -> bool:
    staff_by_visit: dict[str, set[str]] = defaultdict(set)
    for c in combo:
        if c.staff in staff_by_visit[c.visit]:
            return False
        staff_by_visit[c.visit].add(c.staff)
    for visit_id, staff_ids in staff_by_visit.items():
        v = problem.visit(visit_id)
        partner_staff = staff_by_visit.get(v.sync.with_visit, set()) if v.sync else set()
        if v.sync is not None and v.sync.distinct_staff and staff_ids & partner_staff:
            return False
        cap_ok = True
        for s in staff_ids:
            cap = problem.staff_member(s).capacity
            if cap is not None and v.load > cap:
                cap_ok = False
        if not cap_ok:
            return False
    return _combo_may_time(problem, combo)


def _combo_may_time(problem: Problem, combo: tuple[_Candidate, ...]) -> bool:
    """Whether the starts the positions allow (`_Candidate.earliest`/`latest`) leave room for
    one start per visit (both copies of a double visit) and for each sync gap in the unit.
    Combinations that fail cannot be timed; skipping them lets ones that can be among those
    timed."""
    room: dict[str, tuple[float, float]] = {}
    for c in combo:
        lo, hi = room.get(c.visit, (-math.inf, math.inf))
        room[c.visit] = (max(lo, c.earliest), min(hi, c.latest))
    if any(lo > hi + 1e-6 for lo, hi in room.values()):
        return False
    for visit_id, (lo, hi) in room.items():
        sync = problem.visit(visit_id).sync
        if sync is None or sync.with_visit not in room:
            continue
        w_lo, w_hi = room[sync.with_visit]
        if lo - w_hi > sync.max_gap + 1e-6 or hi - w_lo < sync.min_gap - 1e-6:
            return False
    return True


@dataclass(frozen=True)
class Score:
    objective: float
    travel: float
    tardiness: float
    non_preferred: int
    unassigned: int
    mandatory_unassigned: int


def score(problem: Problem, travel: TravelTimes, draft: Draft, timing: Timing) -> Score:
    total = 0.0
    non_preferred = 0
    for staff_id, items in draft.routes.items():
        staff = problem.staff_member(staff_id)
        visits = [problem.visit(i) for i in items if isinstance(i, str)]
        if not visits:
            continue
        here = staff.start
        for v in visits:
            total += travel(here, v.location)
            here = v.location
            if v.preferred_staff and staff_id not in v.preferred_staff:
                non_preferred += 1
        total += travel(here, staff.end)
    lateness = [max(0.0, t - problem.visit(v).window[1]) for v, t in timing.starts.items()]
    tardiness = sum(lateness)
    w = problem.weights
    objective = (
        w.travel * total
        + w.tardiness * tardiness
        + w.max_tardiness * max(lateness, default=0.0)
        + w.non_preferred * non_preferred
        + w.unassigned * len(draft.unassigned)
    )
    mandatory = sum(1 for v in draft.unassigned if not problem.visit(v).optional)
    return Score(objective, total, tardiness, non_preferred, len(draft.unassigned), mandatory)


def to_plan(problem: Problem, draft: Draft, timing: Timing, solver: SolverInfo) -> Plan:
    routes = []
    for staff in problem.staff:
        items = draft.routes.get(staff.id, [])
        stops = tuple(Stop(i, timing.starts[i]) for i in items if isinstance(i, str))
        if not stops:
            continue
        breaks = tuple(timing.breaks[staff.id])
        routes.append(Route(staff=staff.id, stops=stops, breaks=breaks))
    unassigned = tuple(v.id for v in problem.visits if v.id in draft.unassigned)
    return Plan(problem=problem.name, routes=tuple(routes), unassigned=unassigned, solver=solver)


EJECTION_CANDIDATES = 40
PAIR_VICTIMS = 12  # the nearest victims tried two at a time


def eject_and_insert(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    timing: Timing,
    previous: Mapping[str, set[str]] | None = None,
    deadline: float | None = None,
) -> int:
    """Place left-out double-staffed or synced units, and mandatory single visits, by
    ejecting one or two single visits.

    For each such unit (mandatory first), single visits near it in time and place on routes of
    staff who may serve it are tried one at a time, then the nearest two at a time: take them
    out, insert the unit (both copies at one start), then re-insert the ejected visits
    anywhere. A move is kept only if the plan's cost (travel, preferences, tardiness, and what
    is left out) goes down; otherwise everything is put back. Returns the number of units
    placed. `deadline` is a `time.perf_counter()` value.

    A single visit is left out where every staff member with its skills is busy through its
    window (on the 300-visit day a medication round at 07:30-09:30 with 15 of 28 staff able to
    give it): without room made for it, phase 2's rounds had to run to place it.
    """
    previous = previous or {}
    placed = 0
    units: list[list[str]] = []
    seen: set[str] = set()
    for visit_id in sorted(
        draft.unassigned,
        key=lambda v: (problem.visit(v).optional, problem.visit(v).window[0], v),
    ):
        if visit_id in seen:
            continue
        unit = unit_of(problem, visit_id)
        seen |= set(unit)
        coupled = len(unit) > 1 or problem.visit(visit_id).staff_count > 1
        if coupled:
            wanted = all(u in draft.unassigned for u in unit)
        else:
            wanted = not problem.visit(visit_id).optional
        if wanted:
            units.append(unit)
    for unit in units:
        if deadline is not None and time.perf_counter() > deadline:
            break
        if _eject_for(problem, travel, draft, timing, unit, previous, deadline):
            placed += 1
    return placed


def _victims(
    problem: Problem, draft: Draft, timing: Timing, unit: list[str], travel: TravelTimes
) -> list[tuple[str, str]]:
    """(staff, visit) pairs whose single visit overlaps the unit's windows, nearest first."""
    found: dict[tuple[str, str], float] = {}
    for visit_id in unit:
        v = problem.visit(visit_id)
        lo, hi = v.window[0] - 30.0, v.window[1] + v.duration + 30.0
        for staff in problem.staff:
            if not any(may_do(staff, v, k) for k in range(v.staff_count)):
                continue
            for item in draft.routes[staff.id]:
                if not isinstance(item, str) or item not in timing.starts:
                    continue
                u = problem.visit(item)
                if not is_single(problem, u):
                    continue
                start = timing.starts[item]
                if start + u.duration < lo or start > hi:
                    continue
                d = travel(u.location, v.location)
                key = (staff.id, item)
                found[key] = min(found.get(key, d), d)
    ranked = sorted(found, key=lambda k: (found[k], k))
    return ranked[:EJECTION_CANDIDATES]


def _eject_for(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    timing: Timing,
    unit: list[str],
    previous: Mapping[str, set[str]],
    deadline: float | None,
) -> bool:
    base = _cost(problem, travel, draft, timing, previous)
    victims = _victims(problem, draft, timing, unit, travel)
    # One visit out first; then two from different staff, for a unit whose copies need two
    # staff members who are both busy at every time it could start, or from one staff member
    # for a single visit that needs more room than one visit leaves.
    single = len(unit) == 1 and is_single(problem, problem.visit(unit[0]))
    tries = [[v] for v in victims]
    tries += [
        [a, b]
        for a, b in itertools.combinations(victims[:PAIR_VICTIMS], 2)
        if (a[0] == b[0]) == single
    ]
    for taken in tries:
        if deadline is not None and time.perf_counter() > deadline:
            return False
        trial, trial_timing = _taken_out(
            problem, travel, draft, timing, {victim for _, victim in taken}
        )
        if not _insert_unit(problem, travel, trial, trial_timing, unit, previous):
            continue
        for _, victim in taken:
            _insert_unit(problem, travel, trial, trial_timing, [victim], previous)
        kept = _kept_if_cheaper(problem, travel, draft, timing, trial, trial_timing, previous, base)
        if kept is not None:
            return True
    return False


def _taken_out(
    problem: Problem, travel: TravelTimes, draft: Draft, timing: Timing, visit_ids: set[str]
) -> tuple[Draft, Timing]:
    """Copies of the plan and its timing with these visits taken off every route, and the
    routes they left timed again."""
    trial = draft.copy()
    trial_timing = timing.copy()
    for staff_id, items in trial.routes.items():
        trial.routes[staff_id] = [i for i in items if i not in visit_ids]
    trial.unassigned |= visit_ids
    for visit_id in visit_ids:
        trial_timing.starts.pop(visit_id, None)
    # Those routes' other visits start as early as they now can: insertions take the starts
    # as the earliest ones.
    changed = {s for s, items in draft.routes.items() if any(i in visit_ids for i in items)}
    outside = _held_elsewhere(trial, trial_timing, changed)
    result = time_with_overlaps(
        problem, travel, {s: trial.routes[s] for s in changed}, outside=outside
    )
    if isinstance(result, Timing):
        trial_timing.starts.update(result.starts)
        trial_timing.breaks.update(result.breaks)
    return trial, trial_timing


def _kept_if_cheaper(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    timing: Timing,
    trial: Draft,
    trial_timing: Timing,
    previous: Mapping[str, set[str]],
    base: float,
) -> float | None:
    """A move timed route by route is kept only if it pays, then still pays with the whole plan
    timed again (taking out what cannot be joined there): `draft` and `timing` become the
    trial's, and its cost is returned. Otherwise they stay as they are (None)."""
    if _cost(problem, travel, trial, trial_timing, previous) >= base - 1e-6:
        return None
    checked = make_valid(problem, travel, trial)
    cost = _cost(problem, travel, trial, checked, previous)
    if cost >= base - 1e-6:
        return None
    draft.routes, draft.unassigned = trial.routes, trial.unassigned
    timing.starts, timing.breaks = checked.starts, checked.breaks
    return cost


def relocate_units(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    timing: Timing,
    previous: Mapping[str, set[str]] | None = None,
    deadline: float | None = None,
) -> int:
    """Each double-staffed visit and synced pair in the plan is taken out and inserted again
    where it is cheapest: other staff, another start. The search places single visits around
    starts these units got early; this moves the units themselves. A move is kept if the whole
    plan, timed again, costs less. Returns the number of units moved. `deadline` is a
    `time.perf_counter()` value."""
    previous = previous or {}
    base = _cost(problem, travel, draft, timing, previous)
    moved = 0
    for unit in movable_units(problem):
        if any(u in draft.unassigned for u in unit):
            continue
        if deadline is not None and time.perf_counter() > deadline:
            break
        trial, trial_timing = _taken_out(problem, travel, draft, timing, set(unit))
        if not _insert_unit(problem, travel, trial, trial_timing, unit, previous):
            continue
        cost = _kept_if_cheaper(problem, travel, draft, timing, trial, trial_timing, previous, base)
        if cost is not None:
            base = cost
            moved += 1
    return moved


NEARBY_MIN, NEARBY_MAX = 2, 5  # single visits taken out with each visit or unit (`reinsert_around`)
NEARBY_MINUTES = 3.0  # minutes apart in start time that count as one minute of travel
NEARBY_PLAY = 5.0  # minutes of chance in what counts as near, so repeated moves differ


def reinsert_around(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    timing: Timing,
    rng: random.Random,
    *,
    deadline: float | None = None,
    tries: int | None = None,
    previous: Mapping[str, set[str]] | None = None,
) -> int:
    """Large-neighbourhood moves on the exact plan, until `deadline` (a `time.perf_counter()`)
    or after `tries`: a double-staffed or synced unit (half the time) or a single visit is
    taken out with two to five single visits that lie near it in place and time, and all are
    inserted again where cheapest, the unit first; kept when the whole plan, timed again, costs
    less. While visits are left out, half the moves make room for one of them that way.
    PyVRP keeps each unit at the start it was given; here a unit takes a new start and staff
    with the visits around it re-placed in one step. Returns the number of moves kept. A
    re-plan passes `previous`: each assignment moved away from its staff member then costs
    KEEP_WEIGHT, in the insertions and in whether a move is kept.

    Measured on plans of single 24 s searches of the 300-visit day: 8 s of this took 20-58
    off (1,715 -> 1,656, 1,725 -> 1,672), where PyVRP's last 8 s take 10-50. Single 30 s
    searches with a quarter of the time for it (seeds 1-8): mean 1,692 and 1,701 in two sets
    against 1,727 without."""
    previous = previous or {}
    base = _cost(problem, travel, draft, timing, previous)
    units = movable_units(problem)
    singles = [v.id for v in problem.visits if is_single(problem, v)]
    if not singles:
        return 0
    visits = problem.visits_by_id
    kept = done = 0
    while (tries is None or done < tries) and (deadline is None or time.perf_counter() < deadline):
        done += 1
        left_out = sorted(draft.unassigned)
        if left_out and rng.random() < 0.5:
            centre = unit_of(problem, rng.choice(left_out))
        elif units and rng.random() < 0.5:
            centre = rng.choice(units)
        else:
            centre = [rng.choice(singles)]
        here = problem.visit(centre[0])
        at = timing.starts.get(here.id, sum(here.window) / 2)
        from_here = travel.rows[here.location]
        around = sorted(
            (s for s in singles if s in timing.starts and s not in centre),
            key=lambda s: (
                from_here[visits[s].location]
                + abs(timing.starts[s] - at) / NEARBY_MINUTES
                + rng.random() * NEARBY_PLAY
            ),
        )[: rng.randint(NEARBY_MIN, NEARBY_MAX)]
        trial, trial_timing = _taken_out(problem, travel, draft, timing, set(centre) | set(around))
        order = [centre, *([s] for s in rng.sample(around, len(around)))]
        if len(centre) == 1 and here.staff_count == 1 and here.id in timing.starts:
            order = order[1:] + order[:1]  # a placed single goes back last, after its neighbours
        if not all(_insert_unit(problem, travel, trial, trial_timing, u, previous) for u in order):
            continue
        cost = _kept_if_cheaper(problem, travel, draft, timing, trial, trial_timing, previous, base)
        if cost is not None:
            base = cost
            kept += 1
    return kept


def move_to_preferred(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    timing: Timing,
    previous: Mapping[str, set[str]] | None = None,
    deadline: float | None = None,
) -> int:
    """Continuity: a single visit done by someone other than its preferred staff is moved to
    one of them where that fits in time and the plan's cost (the preference weight against the
    extra travel) goes down. Returns the number of visits moved; the moves are timed route by
    route, so the caller times the whole plan again. `deadline` is a `time.perf_counter()`."""
    previous = previous or {}
    base = _cost(problem, travel, draft, timing, previous)
    moved = 0
    for staff_id in sorted(draft.routes):
        for item in list(draft.routes[staff_id]):
            if not isinstance(item, str) or item not in timing.starts:
                continue
            v = problem.visit(item)
            if not is_single(problem, v) or not v.preferred_staff or staff_id in v.preferred_staff:
                continue
            if deadline is not None and time.perf_counter() > deadline:
                return moved
            trial, trial_timing = _taken_out(problem, travel, draft, timing, {item})
            preferred = set(v.preferred_staff)
            if not _insert_unit(problem, travel, trial, trial_timing, [item], previous, preferred):
                continue
            cost = _cost(problem, travel, trial, trial_timing, previous)
            if cost < base - 1e-6:
                draft.routes, draft.unassigned = trial.routes, trial.unassigned
                timing.starts, timing.breaks = trial_timing.starts, trial_timing.breaks
                base = cost
                moved += 1
    return moved


def _cost(
    problem: Problem,
    travel: TravelTimes,
    draft: Draft,
    timing: Timing,
    previous: Mapping[str, set[str]],
) -> float:
    s = score(problem, travel, draft, timing)
    staff_of = draft.staff_of()
    moved = sum(1 for v, st in previous.items() for x in st if x not in staff_of.get(v, []))
    return (
        s.objective + 3 * problem.weights.unassigned * s.mandatory_unassigned + KEEP_WEIGHT * moved
    )
