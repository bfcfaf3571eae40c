"""Phase 2 of the planner: fixed starts, their windows, and re-timing units it cannot join."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from pyvrp.stop import StoppingCriterion

from planner import parse_problem, solve
from planner.model import JSON, Problem
from planner.repair import Draft, empty_draft, insert_units, make_valid
from planner.schedule import Item, Timing
from planner.solve import (
    _build,
    _busy,
    _filled,
    _finish,
    _fixed_windows,
    _halves,
    _kept_targets,
    _next_round,
    _params,
    _Result,
    _retarget,
    _round_stop,
    _search,
    _targets,
    _to_solution,
)
from planner.tests.helpers import check, problem, staff, visit
from planner.travel import TravelTimes, travel_times

solve_module = sys.modules["planner.solve"]  # `planner.solve` is also the function

SYNC: JSON = {"with": "help", "min_gap": 45, "max_gap": 90, "distinct_staff": True}


def test_a_synced_pair_gets_windows_that_keep_the_gap_whatever_starts_the_search_picks() -> None:
    doc = problem(
        [visit("help", 2, [0, 300], duration=30), visit("train", 2, [0, 400], sync=SYNC)],
        [staff("s1"), staff("s2")],
    )
    windows = _fixed_windows(parse_problem(doc), {"help": 100.0, "train": 170.0})
    # A quarter of the gap's range (45) either side of the earlier visit's fixed start.
    assert windows == {"help": (88.75, 111.25), "train": (156.25, 178.75)}
    (a_lo, a_hi), (b_lo, b_hi) = windows["help"], windows["train"]
    assert b_lo - a_hi >= 45 and b_hi - a_lo <= 90


def test_a_synced_pair_s_windows_hold_the_starts_it_has_when_its_gap_is_near_an_edge() -> None:
    doc = problem(
        [visit("help", 2, [0, 300], duration=30), visit("train", 2, [0, 400], sync=SYNC)],
        [staff("s1"), staff("s2")],
    )
    windows = _fixed_windows(parse_problem(doc), {"help": 100.0, "train": 150.0})
    # The gap is 50, 5 above its least: 5 either side instead of 11.25, so 100 and 150 stay
    # inside the windows (a plan timed at them is not late in the search's eyes).
    assert windows == {"help": (95.0, 105.0), "train": (150.0, 185.0)}


def test_a_double_visit_s_start_is_taken_where_both_copies_routes_have_room() -> None:
    doc = problem(
        [
            visit("lift", 5, [0, 200], duration=20, staff_count=2),
            visit("then", 6, [66, 66]),
            visit("first", 4, [9, 9]),
            visit("after", 7, [52, 52]),
        ],
        [staff("s1"), staff("s2")],
    )
    p = parse_problem(doc)
    model = _build(p, travel_times(p), fixed={}, previous={})
    draft = empty_draft(p)
    draft.routes = {"s1": ["lift", "then"], "s2": ["first", "lift", "after"]}
    solution = _to_solution(p, model, draft)
    starts = sorted(
        a.start_time / 100 for r in solution.routes() for a in r.schedule() if a.idx in (0, 1)
    )
    # s1 can start the lift from 5 to 45 (then "then" at 66), s2 from 20 (after "first") to
    # 30 (then "after" at 52). The copies' mean would make s2 late; 30 is the start nearest to
    # it that both routes allow.
    assert sum(starts) / 2 > 30
    assert _targets(p, model, solution) == {"lift": 30.0}


def test_a_round_s_plan_is_judged_with_what_it_left_out_inserted() -> None:
    doc = problem([visit("a", 3, [0, 10]), visit("b", 4, [50, 100])])
    p = parse_problem(doc)
    travel = travel_times(p)
    draft = empty_draft(p)
    draft.routes = {"s1": ["a"]}
    draft.unassigned = {"b"}
    timing = make_valid(p, travel, draft)

    filled, filled_timing = _filled(p, travel, draft, timing, {})
    assert (filled.routes, filled.unassigned) == ({"s1": ["a", "b"]}, set())
    assert filled_timing.starts == {"a": 3.0, "b": 50.0}
    assert (draft.routes, draft.unassigned) == ({"s1": ["a"]}, {"b"})  # the round's own plan


def test_a_double_visit_s_copies_get_exactly_its_start() -> None:
    doc = problem(
        [
            visit("lift", 2, [0, 300], duration=8, staff_count=2),
            visit("edge", 4, [100, 300], duration=60, staff_count=2),
            visit("help", 3, [0, 300], duration=30),
            visit("train", 3, [0, 400], duration=30, sync=SYNC),
        ],
        [staff("s1"), staff("s2")],
    )
    fixed = {"lift": 50.0, "edge": 102.0, "help": 100.0, "train": 170.0}
    windows = _fixed_windows(parse_problem(doc), fixed)
    assert windows == {
        "lift": (50.0, 50.0),
        "edge": (102.0, 102.0),
        "help": (88.75, 111.25),  # a synced pair of single visits keeps its play
        "train": (156.25, 178.75),
    }


def test_a_double_visit_synced_to_another_gets_one_start_that_keeps_the_gap() -> None:
    later: JSON = {"with": "lift", "min_gap": 45, "max_gap": 90, "distinct_staff": True}
    doc = problem(
        [
            visit("lift", 2, [0, 300], duration=20, staff_count=2),
            visit("shower", 2, [0, 400], duration=40, staff_count=2, sync=later),
        ],
        [staff("s1"), staff("s2")],
    )
    p = parse_problem(doc)
    assert _fixed_windows(p, {"lift": 100.0, "shower": 160.0}) == {
        "lift": (100.0, 100.0),
        "shower": (160.0, 160.0),
    }
    # A start too close to its partner moves to the gap's least.
    assert _fixed_windows(p, {"lift": 100.0, "shower": 120.0}) == {
        "lift": (100.0, 100.0),
        "shower": (145.0, 145.0),
    }


def test_each_copy_of_a_unit_is_worth_the_unit_s_visits_together() -> None:
    doc = problem(
        [
            visit("lift", 2, [0, 300], duration=20, staff_count=2),
            visit("help", 3, [0, 300], duration=30),
            visit("train", 3, [0, 400], duration=30, sync=SYNC),
            visit("call", 4, [0, 300], optional=True),
        ],
        [staff("s1"), staff("s2")],
    )
    p = parse_problem(doc)
    model = _build(p, travel_times(p), fixed={}, previous={})
    prizes = {model.data.client(i).name: model.data.client(i).prize for i in range(len(model.refs))}
    mandatory = 4 * 10_000 * 100  # 4 x weights.unassigned, in PyVRP's units
    assert prizes == {
        "lift#0": mandatory,  # one visit, though two copies
        "lift#1": mandatory,
        "help#0": 2 * mandatory,  # a synced pair: two visits
        "train#0": 2 * mandatory,
        "call#0": mandatory // 4,
    }


def test_a_sync_pair_s_staff_are_split_so_the_visit_needing_a_skill_keeps_most_holders() -> None:
    doc = problem(
        [
            visit("help", 2, [0, 300], skills=["medication"]),
            visit("train", 2, [0, 400], sync=SYNC),
        ],
        [
            staff("m1", skills=["medication"]),
            staff("m2", skills=["medication"]),
            staff("m3", skills=["medication"]),
            staff("n1"),
            staff("n2"),
        ],
    )
    halves = _halves(parse_problem(doc))
    # n1 and n2 cannot give medication: they go to the training, and the three who can are
    # dealt to the side with fewer, so the medication visit keeps two of them.
    assert halves[("help", 0)] == {"m1", "m2"}
    assert halves[("train", 0)] == {"m3", "n1", "n2"}


def test_a_unit_that_could_not_be_joined_moves_to_a_time_when_two_staff_are_free() -> None:
    doc = problem(
        [
            visit("lift", 5, [0, 200], duration=20, staff_count=2),
            visit("busy1", 1, [1, 1], duration=60),
            visit("busy2", 9, [9, 9], duration=60),
        ],
        [staff("s1"), staff("s2")],
    )
    p = parse_problem(doc)
    travel = travel_times(p)
    draft = empty_draft(p)
    draft.routes = {"s1": ["busy1"], "s2": ["busy2"]}
    draft.unassigned = {"lift"}
    timing = make_valid(p, travel, draft)
    moved = _retarget(p, travel, timing, ["lift"], {"lift": [0.0]}, _busy(p, draft, timing))
    # s1 is busy at home 1 until 61 and s2 at home 9 until 69; both then drive 4 minutes to
    # home 5: 75 is the first 5-minute step when both are free.
    assert moved == {"lift": 75.0}


def _after_round(
    doc: dict[str, JSON], routes: dict[str, list[Item]]
) -> tuple[Problem, TravelTimes, tuple[Draft, Timing], tuple[Draft, Timing]]:
    """A round's plan with these routes (what they leave out unassigned), timed, and the same
    plan with what it left out inserted where that fits."""
    p = parse_problem(doc)
    travel = travel_times(p)
    joined = empty_draft(p)
    joined.routes = routes
    joined.unassigned = {v.id for v in p.visits} - {
        i for r in routes.values() for i in r if isinstance(i, str)
    }
    timing = make_valid(p, travel, joined)
    return p, travel, (joined, timing), _filled(p, travel, joined, timing, {})


def test_a_unit_the_round_could_not_join_but_the_insertion_placed_is_fixed_where_it_went() -> None:
    doc = problem(
        [
            visit("lift", 5, [0, 200], duration=20, staff_count=2),
            visit("busy1", 1, [1, 1], duration=60),
        ],
        [staff("s1"), staff("s2")],
    )
    p, travel, joined, filled = _after_round(doc, {"s1": ["busy1"], "s2": []})
    fixed: dict[str, float] = {"lift": 30.0}
    tried: dict[str, list[float]] = {}

    start, final = _next_round(p, travel, joined, filled, fixed, tried)
    # s1 is at home 1 until 61, then drives 4 minutes: the insertion put the lift at 65, and
    # the last round goes on from that plan with the lift fixed there.
    assert filled[1].starts["lift"] == 65.0
    assert (start, final) == (filled[0], True)
    assert (fixed, tried) == ({"lift": 65.0}, {})


def test_a_unit_neither_the_round_nor_the_insertion_placed_gets_a_new_start() -> None:
    doc = problem(
        [
            visit("lift", 5, [0, 200], duration=20, staff_count=2),
            visit("busy1", 1, [1, 1], duration=60),
            visit("busy2", 9, [9, 9], duration=60),
        ],
        [staff("s1"), staff("s2", shift=[0, 80])],
    )
    p, travel, joined, filled = _after_round(doc, {"s1": ["busy1"], "s2": ["busy2"]})
    assert filled[0].unassigned == {"lift"}  # s2 goes home at 80: no room for 20 minutes
    fixed: dict[str, float] = {"lift": 30.0}
    tried: dict[str, list[float]] = {}

    start, final = _next_round(p, travel, joined, filled, fixed, tried)
    assert (start, final) == (joined[0], False)
    assert tried == {"lift": [30.0]}
    # s1 is free from 65 (home 1 until 61, 4 minutes' drive); s2 has no room at any time.
    assert fixed == {"lift": 65.0}


def test_a_round_that_joined_every_unit_is_followed_by_the_last_one_from_its_plan() -> None:
    doc = problem(
        [visit("lift", 5, [0, 200], duration=20, staff_count=2)], [staff("s1"), staff("s2")]
    )
    p, travel, joined, filled = _after_round(doc, {"s1": ["lift"], "s2": ["lift"]})
    fixed: dict[str, float] = {"lift": 5.0}

    start, final = _next_round(p, travel, joined, filled, fixed, {})
    assert (start, final, fixed) == (joined[0], True, {"lift": 5.0})


def test_re_planning_keeps_the_starts_of_double_visits_and_starts_new_sync_partners_early() -> None:
    doc = problem(
        [
            visit("lift", 5, [0, 200], duration=20, staff_count=2),
            visit("help", 2, [100, 300], duration=30),
            visit("train", 2, [0, 400], sync=SYNC),
        ],
        [staff("s1"), staff("s2")],
    )
    targets = _kept_targets(parse_problem(doc), {"lift": 42.0})
    assert targets == {"lift": 42.0, "help": 100.0, "train": 145.0}


def test_a_crowded_day_with_double_and_synced_visits_is_planned_complete(tmp_path: Path) -> None:
    # Four staff, six double visits in one morning window and two synced pairs: the insertion
    # after phase 1 (or phase 2, where it leaves one out) has to give the copies one start.
    visits = [visit(f"d{i}", 1 + i % 10, [0, 120], duration=30, staff_count=2) for i in range(6)]
    visits += [
        visit("help", 3, [0, 60], duration=20),
        visit("train", 3, [0, 400], duration=20, sync=SYNC),
        visit("help2", 7, [0, 60], duration=20),
        visit(
            "train2",
            7,
            [0, 400],
            duration=20,
            sync={"with": "help2", "min_gap": 45, "max_gap": 90, "distinct_staff": True},
        ),
    ]
    doc = problem(visits, [staff(f"s{i}", [0, 300]) for i in range(1, 5)])
    plan = solve(parse_problem(doc), max_iterations=400, seed=3)
    summary = check(doc, plan, tmp_path)
    assert (summary["unassigned"], summary["valid"]) == (0, True)


def test_a_plan_from_scratch_whose_units_the_insertion_joins_skips_phase_2_as_a_re_plan_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One double visit and room for it: after phase 1 the insertion joins its copies, so the
    # rounds of phase 2 (each sets its stop with `_round_stop`) never start. Re-planning the
    # day from that plan runs no rounds either (`_replan`) and keeps the visit where it was.
    doc = problem(
        [visit("lift", 4, [0, 200], duration=30, staff_count=2), visit("a", 2, [0, 300])],
        [staff("s1"), staff("s2")],
    )
    p = parse_problem(doc)
    rounds: list[bool] = []

    def round_stop(
        deadline: float | None, iterations: int | None, n: int, final: bool
    ) -> StoppingCriterion:
        rounds.append(final)
        return _round_stop(deadline, iterations, n, final)

    monkeypatch.setattr(solve_module, "_round_stop", round_stop)
    plan = solve(p, max_iterations=200, seed=1)
    summary = check(doc, plan, tmp_path)
    assert (summary["unassigned"], summary["valid"], rounds) == (0, True, [])
    again = solve(p, max_iterations=200, seed=1, warm_start=plan)
    assert check(doc, again, tmp_path)["unassigned"] == 0
    lifts = {
        (r.staff, s.start)
        for x in (plan, again)
        for r in x.routes
        for s in r.stops
        if s.visit == "lift"
    }
    assert (len(lifts), rounds) == (2, [])


def test_the_search_looks_at_40_per_cent_of_the_visits_of_a_large_day_and_at_least_fifty() -> None:
    small = problem([visit(f"v{i}", 1 + i % 10, [0, 500]) for i in range(20)])
    large = problem([visit(f"v{i}", 1 + i % 10, [0, 5000]) for i in range(300)])
    sizes = []
    for doc in (small, large):
        p = parse_problem(doc)
        data = _build(p, travel_times(p), fixed={}, previous={}).data
        sizes.append(_params(data).neighbourhood.num_neighbours)
    # 300 visits and one break-free staff member: 300 clients, 40 % of them.
    assert sizes == [50, 120]


def test_a_long_search_from_scratch_runs_as_independent_searches_and_keeps_the_best(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Only the split is tested here (no search runs): 190 s from now is three searches of about
    # 60 s, each with its own seed and an equal share of what is left when it starts (these
    # return at once, so the second gets half of the 190 s and the third the rest).
    p = parse_problem(problem([visit("a", 3, [0, 100])]))
    calls: list[tuple[float, int]] = []
    draft = empty_draft(p)
    costs = {1: 30.0, 101: 10.0, 201: 20.0}

    def search_once(
        problem: Problem, deadline: float | None, iterations: int | None, seed: int, warm: None
    ) -> _Result:
        assert deadline is not None
        calls.append((deadline, seed))
        return _Result(costs[seed], draft, Timing({}, {}), 7)

    monkeypatch.setattr(solve_module, "_search_once", search_once)
    start = time.time()
    result = _search(p, start + 190.0, None, 1, None)
    assert [seed for _, seed in calls] == [1, 101, 201]
    ends = [deadline - start for deadline, _ in calls]
    assert [round(e) for e in ends] == [63, 95, 190]
    assert (result.cost, result.iterations) == (10.0, 21)


def test_a_search_of_60_seconds_or_less_or_a_re_plan_runs_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = parse_problem(problem([visit("a", 3, [0, 100])]))
    seeds: list[int] = []

    def search_once(
        problem: Problem, deadline: float | None, iterations: int | None, seed: int, warm: None
    ) -> _Result:
        seeds.append(seed)
        return _Result(1.0, empty_draft(p), Timing({}, {}), 1)

    monkeypatch.setattr(solve_module, "_search_once", search_once)
    _search(p, time.time() + 60.0, None, 5, None)
    _search(p, None, 100, 6, None)
    assert seeds == [5, 6]


def test_a_re_plan_moves_another_visit_to_place_a_mandatory_one_it_would_leave_out() -> None:
    # s3, who gave the medication at 100-120, called in sick; s1 may give it but has "a" at
    # 95-105, which s2 can take. A re-plan keeps assignments where it can, but not at the cost
    # of a visit nobody makes.
    med: JSON = ["medication"]
    doc = problem(
        [visit("med", 5, [100, 100], duration=20, skills=med), visit("a", 4, [95, 95])],
        [staff("s1", skills=med), staff("s2")],
    )
    p = parse_problem(doc)
    travel = travel_times(p)
    previous = {"med": {"s3"}, "a": {"s1"}}
    draft = empty_draft(p)
    draft.routes = {"s1": ["a"], "s2": []}
    draft.unassigned = {"med"}

    # The insertion alone finds no room.
    plain = draft.copy()
    insert_units(p, travel, plain, make_valid(p, travel, plain), ["med"], previous)
    assert (plain.routes, plain.unassigned) == ({"s1": ["a"], "s2": []}, {"med"})

    placed, timing, _ = _finish(p, travel, draft.copy(), previous)
    assert (placed.routes, placed.unassigned) == ({"s1": ["med"], "s2": ["a"]}, set())
    assert (timing.starts["med"], timing.starts["a"]) == (100, 95)
