"""The improvement of a plan from scratch: our moves and PyVRP taking turns (`_improve`)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from planner import parse_problem
from planner.model import JSON, Problem
from planner.repair import Draft, eject_and_insert, empty_draft, make_valid, score, to_plan
from planner.schedule import Item
from planner.solve import (
    _break_places,
    _BreakOf,
    _build,
    _cost,
    _halves,
    _improve,
    _place_by_moves,
    _to_solution,
    _turn,
)
from planner.tests.helpers import check, problem, staff, visit
from planner.travel import travel_times

solve_module = sys.modules["planner.solve"]  # `planner.solve` is also the function

# Two homes on the diagonal: every drive is 1.41421... minutes, which PyVRP counts in 0.01 min.
DIAGONAL: list[JSON] = [
    {"id": "office", "x": 0, "y": 0},
    {"id": "h1", "x": 1, "y": 1},
    {"id": "h2", "x": 2, "y": 2},
]
SYNC: JSON = {"with": "help", "min_gap": 30, "max_gap": 60, "distinct_staff": True}


def _draft(p: Problem, routes: dict[str, list[Item]]) -> Draft:
    draft = empty_draft(p)
    draft.routes = routes
    placed = {i for items in routes.values() for i in items if isinstance(i, str)}
    draft.unassigned = {v.id for v in p.visits} - placed
    return draft


def test_a_break_lies_at_the_home_of_the_visit_before_it_or_after_it_when_it_comes_first() -> None:
    breaks: JSON = [{"window": [0, 600], "duration": 30}]
    doc = problem(
        [visit("a", 3, [0, 500]), visit("b", 7, [0, 500]), visit("c", 9, [0, 500])],
        [staff(s, breaks=breaks) for s in ("s1", "s2", "s3")],
    )
    p = parse_problem(doc)
    draft = _draft(p, {"s1": ["a", 0, "b"], "s2": [0, "c"], "s3": [0]})

    assert _break_places(p, draft) == {("s1", 0): "h3", ("s2", 0): "h9"}
    model = _build(p, travel_times(p), fixed={}, previous={}, around=draft)
    clients = [model.data.client(model.index[_BreakOf(s, 0)]) for s in ("s1", "s2", "s3")]
    at = [model.data.location(c.location).x for c in clients]
    assert at == [3.0, 9.0, 0.0]


def test_a_valid_plan_timed_to_the_minute_is_on_time_in_pyvrp_s_eyes_when_built_around_it(
    tmp_path: Path,
) -> None:
    # a starts at 1.414 and ends at 11.414; b can start at 12.828, and must by 12.83.
    doc = problem([visit("a", 1, [0, 100]), visit("b", 2, [0, 12.83])], locations=DIAGONAL)
    p = parse_problem(doc)
    travel = travel_times(p)
    draft = _draft(p, {"s1": ["a", "b"]})
    timing = make_valid(p, travel, draft)
    assert check(doc, to_plan(p, draft, timing, solve_module.SolverInfo("t", 0.0)), tmp_path)[
        "valid"
    ]

    late = _to_solution(p, _build(p, travel, fixed={}, previous={}, around=draft), draft)
    timed = _build(p, travel, fixed={}, previous={}, around=draft, timed=True)
    on_time = _to_solution(p, timed, draft)
    # Rounded up, the two drives make b 0.01 minutes late; rounded down, it is on time.
    assert (late.time_warp(), late.is_feasible()) == (1, False)
    assert (on_time.time_warp(), on_time.is_feasible()) == (0, True)


def test_a_distinct_staff_sync_pair_may_stay_with_the_staff_who_do_it_in_the_plan() -> None:
    doc = problem(
        [visit("help", 2, [0, 300], duration=30), visit("train", 2, [0, 400], sync=SYNC)],
        [staff("s1"), staff("s2"), staff("s3"), staff("s4")],
    )
    p = parse_problem(doc)
    travel = travel_times(p)
    halves = _halves(p)
    # Dealt alternately to the side with fewer: train s1, s3; help s2, s4. The plan has them
    # the other way round for s1 and s2.
    assert (halves[("train", 0)], halves[("help", 0)]) == ({"s1", "s3"}, {"s2", "s4"})
    draft = _draft(p, {"s1": ["help"], "s2": ["train"], "s3": [], "s4": []})
    plain = _to_solution(p, _build(p, travel, fixed={}, previous={}, around=draft), draft)
    kept = _build(p, travel, fixed={}, previous={}, around=draft, timed=True)
    # Built for the split, the plan's two arcs into the pair are forbidden; around the plan,
    # each staff member may do the visit they have there, and the pair still needs two staff.
    assert plain.distance_cost() > 10**6
    assert _to_solution(p, kept, draft).distance_cost() < 10**6
    allowed = {
        (s.id, v)
        for n, s in enumerate(p.staff)
        for v, idx in (("help", 0), ("train", 1))
        if kept.data.distance_matrix(n)[0, 1 + idx] < 10**6
    }
    assert allowed == {("s1", "help"), ("s4", "help"), ("s2", "train"), ("s3", "train")}


def test_the_improvement_returns_a_valid_plan_no_worse_than_it_got_after_a_turn_of_pyvrp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    visits = [visit(f"v{i}", 1 + (7 * i) % 10, [0, 400], duration=15) for i in range(14)]
    visits += [
        visit("lift", 4, [60, 200], duration=20, staff_count=2),
        visit("help", 8, [0, 150], duration=20),
        visit("train", 8, [0, 400], duration=20, sync=SYNC),
    ]
    doc = problem(visits, [staff(f"s{i}", [0, 500]) for i in range(1, 4)])
    p = parse_problem(doc)
    travel = travel_times(p)
    # A poor plan to start from: everything in the order of the list, dealt round the staff.
    routes: dict[str, list[Item]] = {"s1": [], "s2": [], "s3": []}
    for n, v in enumerate(x for x in visits if x["id"] not in ("lift", "help", "train")):
        routes[f"s{1 + n % 3}"].append(str(v["id"]))
    routes["s1"] += ["lift", "help"]
    routes["s2"] += ["lift", "train"]
    draft = _draft(p, routes)
    timing = make_valid(p, travel, draft)
    before = _cost(p, travel, draft, timing, {})
    runs: list[int] = []
    run = solve_module._run

    def counted(*args: object, **kwargs: object) -> object:
        result = run(*args, **kwargs)
        runs.append(result.num_iterations)
        return result

    monkeypatch.setattr(solve_module, "_run", counted)
    cost, best, best_timing, iterations = _improve(
        p, travel, draft, timing, seed=1, until=None, iterations=200
    )

    assert runs == [50] and iterations == 50
    assert cost <= before
    assert cost == _cost(p, travel, best, best_timing, {})
    plan = to_plan(p, best, best_timing, solve_module.SolverInfo("t", 0.0))
    summary = check(doc, plan, tmp_path)
    assert (summary["valid"], summary["unassigned"]) == (True, 0)
    assert summary["objective"] == pytest.approx(score(p, travel, best, best_timing).objective)


def test_pyvrp_s_last_turn_is_shortened_to_fit_before_the_moves_last_seconds() -> None:
    moves = solve_module.CYCLE_MOVES
    whole = solve_module.CYCLE_SEARCH
    least = solve_module.MIN_SEARCH
    assert _turn(None) == whole
    assert _turn(whole + moves + 5) == whole
    assert _turn(whole + moves) == whole
    # Less than a whole turn and the moves after it: the turn gets what is left before them.
    assert _turn(whole + moves - 1.5) == pytest.approx(whole - 1.5)
    assert _turn(least + moves) == pytest.approx(least)
    # Too little for even the shortest turn: the moves go on to the end.
    assert _turn(least + moves - 0.01) is None
    assert _turn(0.0) is None


def test_the_moves_place_a_visit_that_needs_three_others_out_of_its_way(tmp_path: Path) -> None:
    # Only s1 may give medication; "a", "b" and "c" on s1 each overlap the round at 100-130,
    # more than the insertion's ejections (one or two visits) can clear. s2 can take all three.
    med: JSON = ["medication"]
    doc = problem(
        [
            visit("med", 5, [100, 100], duration=30, skills=med),
            visit("a", 4, [90, 95]),
            visit("b", 3, [105, 110]),
            visit("c", 6, [118, 122]),
        ],
        [staff("s1", skills=med), staff("s2")],
    )
    p = parse_problem(doc)
    travel = travel_times(p)
    draft = _draft(p, {"s1": ["a", "b", "c"], "s2": []})
    timing = make_valid(p, travel, draft)
    ejected = draft.copy()
    assert eject_and_insert(p, travel, ejected, make_valid(p, travel, ejected)) == 0

    _place_by_moves(p, travel, draft, timing, random.Random(8), end=None, tries=50)  # noqa: S311
    assert draft.unassigned == set()
    assert draft.routes == {"s1": ["med"], "s2": ["a", "b", "c"]}
    assert timing == make_valid(p, travel, draft)
    check(doc, to_plan(p, draft, timing, solve_module.SolverInfo("t", 0.0)), tmp_path)


def test_the_moves_leave_a_complete_plan_as_it_is_when_stopping_on_time() -> None:
    doc = problem([visit("a", 4, [90, 95]), visit("b", 6, [0, 300])], [staff("s1"), staff("s2")])
    p = parse_problem(doc)
    travel = travel_times(p)
    draft = _draft(p, {"s1": ["b"], "s2": ["a"]})  # b costs more travel on s1 than on s2
    timing = make_valid(p, travel, draft)
    before = (draft.copy(), timing.copy())

    _place_by_moves(p, travel, draft, timing, random.Random(8), end=1e18, tries=None)  # noqa: S311
    assert (draft.routes, draft.unassigned, timing) == (
        before[0].routes,
        before[0].unassigned,
        before[1],
    )
