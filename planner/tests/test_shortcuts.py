"""The insertions' shortcuts find exactly what the full checks find, only sooner.

`_open_positions` looks at bounds without the drives before it looks the drives up,
`_combos` skips staff whose shift the visit cannot fit, travel times are dict lookups and
whether a route takes its break before the drive is remembered. Each is compared here with
the full check it replaces, mostly on a greedy plan of the 60-visit benchmark day."""

import importlib
import json
import math

import pytest

from planner import parse_problem, schedule
from planner.greedy import greedy
from planner.model import JSON, Problem, Staff, Visit
from planner.repair import (
    Draft,
    _Candidate,
    _combo_allowed,
    _latest_starts,
    _open_positions,
    _outside_shift,
    make_valid,
)
from planner.schedule import Item, Timing, time_routes, time_with_overlaps
from planner.tests.helpers import REPO, problem, staff, visit
from planner.travel import TravelTimes, travel_times

solve_module = importlib.import_module("planner.solve")  # `planner.solve` is also the function


def _positions_in_full(
    problem: Problem,
    travel: TravelTimes,
    staff: Staff,
    items: list[Item],
    v: Visit,
    timing: Timing,
    latest: dict[str, float] | None,
) -> list[tuple[int, float, float, float]]:
    """`_open_positions` as it was before its shortcuts: every drive looked up (numpy)."""

    def drive(a: str, b: str) -> float:
        return float(travel.times[travel.index[a], travel.index[b]])

    top = math.inf if v.late else v.window[1]
    if not any(isinstance(i, str) for i in items):
        alone = drive(staff.start, v.location) + drive(v.location, staff.end)
        earliest = max(v.window[0], staff.shift[0] + drive(staff.start, v.location))
        last = min(top, staff.shift[1] - v.duration - drive(v.location, staff.end))
        return [(pos, alone, earliest, last) for pos in range(len(items) + 1)]
    following: list[str | None] = [None] * (len(items) + 1)
    for pos in range(len(items) - 1, -1, -1):
        item = items[pos]
        following[pos] = item if isinstance(item, str) else following[pos + 1]
    breaks = timing.breaks.get(staff.id, [])
    found = []
    previous: Visit | None = None
    after_breaks = v.window[0]
    for pos in range(len(items) + 1):
        if pos > 0:
            item = items[pos - 1]
            if isinstance(item, str):
                previous, after_breaks = problem.visit(item), v.window[0]
            elif item < len(breaks):
                after_breaks = max(after_breaks, breaks[item] + staff.breaks[item].duration)
        earliest = after_breaks
        if previous is not None and previous.id in timing.starts:
            end = timing.starts[previous.id] + previous.duration
            earliest = max(earliest, end + drive(previous.location, v.location))
        if previous is None:
            earliest = max(earliest, staff.shift[0] + drive(staff.start, v.location))
        nxt = following[pos]
        if nxt is None:
            there, by = staff.end, staff.shift[1]
        else:
            u = problem.visit(nxt)
            there = u.location
            by = latest[nxt] if latest is not None else math.inf if u.late else u.window[1]
        last = min(top, by - v.duration - drive(v.location, there))
        if earliest > last + 1e-6:
            continue
        here = staff.start if previous is None else previous.location
        added = drive(here, v.location) + drive(v.location, there) - drive(here, there)
        found.append((pos, added, earliest, last))
    return found


@pytest.fixture(scope="module")
def day() -> tuple[Problem, TravelTimes, Draft, Timing]:
    path = REPO / "bench" / "planning" / "instances" / "bruksvik-060.json"
    p = parse_problem(json.loads(path.read_text(encoding="utf-8")))
    draft = solve_module._draft_from_plan(p, greedy(p))
    return p, travel_times(p), draft, make_valid(p, travel_times(p), draft)


def test_travel_lookups_give_the_matrix_times(
    day: tuple[Problem, TravelTimes, Draft, Timing],
) -> None:
    p, travel, _, _ = day
    pairs = [(a.id, b.id) for a in p.locations for b in p.locations]
    assert len(pairs) == len(p.locations) ** 2
    for a, b in pairs:
        assert travel(a, b) == float(travel.times[travel.index[a], travel.index[b]])


def test_open_positions_are_those_of_the_full_check(
    day: tuple[Problem, TravelTimes, Draft, Timing],
) -> None:
    p, travel, draft, timing = day
    compared = found = 0
    for s in p.staff:
        items = draft.routes[s.id]
        bounds = _latest_starts(p, travel, s, items, timing, pinned=True)
        for v in p.visits:
            for latest in (None, bounds):
                expected = _positions_in_full(p, travel, s, items, v, timing, latest)
                assert _open_positions(p, travel, s, items, v, timing, latest) == expected
                compared += 1
                found += len(expected)
    assert compared == 2 * len(p.staff) * len(p.visits)
    assert found > 0  # the comparison covers positions that fit, not only refusals


def test_a_visit_outside_a_shift_has_no_position_on_that_staff_members_route(
    day: tuple[Problem, TravelTimes, Draft, Timing],
) -> None:
    p, travel, draft, timing = day
    outside = 0
    for s in p.staff:
        items = draft.routes[s.id]
        if not any(isinstance(i, str) for i in items):
            continue
        bounds = _latest_starts(p, travel, s, items, timing, pinned=True)
        for v in p.visits:
            if _outside_shift(s, v):
                outside += 1
                assert _positions_in_full(p, travel, s, items, v, timing, bounds) == []
    assert outside > 0


def test_a_visit_in_a_shift_is_not_taken_for_outside_it() -> None:
    evening = staff("s1", shift=[300, 600])
    p = parse_problem(problem([visit("a", 1, [280, 320]), visit("b", 1, [100, 299])], [evening]))
    s = p.staff_member("s1")
    assert _outside_shift(s, p.visit("a")) is False
    assert _outside_shift(s, p.visit("b")) is True


def test_a_single_candidate_is_refused_for_its_load_or_starts_that_cannot_meet() -> None:
    p = parse_problem(
        problem(
            [visit("heavy", 1, [0, 100], load=5), visit("light", 2, [0, 100], load=1)],
            [staff("s1", capacity=2), staff("s2")],
        )
    )
    verdicts = []
    for visit_id in ("heavy", "light"):
        for staff_id in ("s1", "s2"):
            for earliest, latest in ((10.0, 20.0), (30.0, 20.0)):
                combo = (_Candidate(staff_id, 0, visit_id, 1.0, earliest, latest),)
                verdicts.append(_combo_allowed(p, combo))
    # Refused for the load on s1 and for starts that cannot meet; allowed otherwise.
    assert verdicts == [False, False, True, False, True, False, True, False]


def test_a_position_with_no_time_to_spare_is_still_found() -> None:
    # a is held at 50 in the same home; b (20 minutes, at 30 sharp) ends exactly as a starts.
    p = parse_problem(problem([visit("a", 5, [50, 50]), visit("b", 5, [30, 30], duration=20)]))
    travel = travel_times(p)
    s = p.staff_member("s1")
    timing = Timing(starts={"a": 50.0}, breaks={})
    latest = _latest_starts(p, travel, s, ["a"], timing, pinned=True)
    found = _open_positions(p, travel, s, ["a"], p.visit("b"), timing, latest)
    assert found == [(0, 0.0, 30.0, 30.0)]
    assert found == _positions_in_full(p, travel, s, ["a"], p.visit("b"), timing, latest)


def test_a_position_right_after_a_visit_that_ends_as_the_window_closes_is_found() -> None:
    # a ends at 20 in the same home; b may start until 20, so only after a, at 20 sharp.
    p = parse_problem(problem([visit("a", 5, [10, 10]), visit("b", 5, [0, 20])]))
    travel = travel_times(p)
    s = p.staff_member("s1")
    timing = Timing(starts={"a": 10.0}, breaks={})
    latest = _latest_starts(p, travel, s, ["a"], timing, pinned=True)
    found = _open_positions(p, travel, s, ["a"], p.visit("b"), timing, latest)
    assert found == [(1, 0.0, 20.0, 20.0)]
    assert found == _positions_in_full(p, travel, s, ["a"], p.visit("b"), timing, latest)


def _lunch_before_the_drive() -> Problem:
    """a at home 1, b at home 10 from 31: the break must start at 12, before the drive to b
    (9 minutes); after it, it would start at 20."""
    lunch: JSON = {"window": [12, 12], "duration": 10}
    return parse_problem(
        problem([visit("a", 1, [0, 100]), visit("b", 10, [31, 40])], [staff("s1", breaks=[lunch])])
    )


def test_whether_a_route_takes_its_break_before_the_drive_is_worked_out_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = _lunch_before_the_drive()
    travel = travel_times(p)
    routes: dict[str, list[Item]] = {"s1": ["a", 0, "b"]}
    calls: list[int] = []
    timed_in_full = schedule._time_routes

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return timed_in_full(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(schedule, "_time_routes", counted)
    first = time_routes(p, travel, routes)
    # All routes together, the route alone (its break cannot follow the drive), then again.
    assert len(calls) == 3
    assert travel.memo == {("break before drive", "s1", ("a", 0, "b")): True}
    second = time_routes(p, travel, routes)
    assert len(calls) == 5  # the route alone is not timed again
    for timing in (first, second):
        assert isinstance(timing, Timing)
        assert timing.starts == {"a": 1.0, "b": 31.0}
        assert timing.breaks == {"s1": [12.0]}


def test_a_timing_already_worked_out_is_the_first_one_used(
    day: tuple[Problem, TravelTimes, Draft, Timing],
) -> None:
    p, travel, draft, _ = day
    timed = time_routes(p, travel, draft.routes)
    assert isinstance(timed, Timing)
    again = time_with_overlaps(p, travel, draft.routes, timed=timed)
    assert again == time_with_overlaps(p, travel, draft.routes)
    assert isinstance(again, Timing)
    assert len(again.starts) == len(draft.staff_of())


def test_the_remembered_answers_are_forgotten_when_there_are_too_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = _lunch_before_the_drive()
    travel = travel_times(p)
    monkeypatch.setattr(schedule, "MEMO_LIMIT", 2)
    routes: list[list[Item]] = [["a", 0, "b"], ["a", 0], [0, "b"]]
    answers = [schedule._break_before_drive(p, travel, "s1", items) for items in routes]
    # The first needs its break before the drive; with a or b alone it can follow the drive.
    assert answers == [True, False, False]
    assert travel.memo == {("break before drive", "s1", (0, "b")): False}
