"""Two workers on one plan: they go on from the better plan after phase 1, and a worker whose
plan leaves a mandatory visit out stops trying once another's is complete."""

from __future__ import annotations

import json
import multiprocessing
import sys
from pathlib import Path

import pytest
from pyvrp.stop import MaxIterations, StoppingCriterion

from planner import parse_problem, plan_to_json, solve
from planner.model import JSON, Plan, SolverInfo
from planner.repair import to_plan
from planner.solve import _begin, _go_on, _round_stop, _search_once, _UntilDone
from planner.tests.helpers import REPO, check, problem, staff, visit

solve_module = sys.modules["planner.solve"]  # `planner.solve` is also the function
INFO = SolverInfo(name="test", seconds=0.0, iterations=0)


def _routes(plan: Plan) -> JSON:
    doc = plan_to_json(plan)
    return [doc["routes"], doc["unassigned"]]


def test_two_workers_go_on_from_the_better_plan_after_phase_1_each_with_its_own_seed(
    tmp_path: Path,
) -> None:
    # The second worker has seed + 1000. Both run phase 1 and the insertion (`_begin`), then
    # both improve the cheaper of the two plans (`_go_on`), and the cheaper result is the plan.
    path = REPO / "bench" / "planning" / "instances" / "bruksvik-060.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    p = parse_problem(doc)
    begun = [_begin(p, None, 60, seed, None) for seed in (1, 1001)]
    chosen = min(begun, key=lambda r: r.cost)
    ends = [_go_on(p, chosen, None, 60, seed) for seed in (1, 1001)]
    expected = min(ends, key=lambda r: r.cost)
    # Each worker alone (how two workers planned before) ends elsewhere: this test tells them
    # apart.
    alone = min((_search_once(p, None, 60, seed, None) for seed in (1, 1001)), key=lambda r: r.cost)

    plan = solve(p, max_iterations=60, seed=1, workers=2)

    assert begun[0].cost != begun[1].cost
    assert _routes(plan) == _routes(to_plan(p, expected.draft, expected.timing, INFO))
    assert _routes(plan) != _routes(to_plan(p, alone.draft, alone.timing, INFO))
    assert plan.solver.iterations == sum(r.iterations for r in begun + ends)
    assert check(doc, plan, tmp_path)["valid"] is True


# One double visit (so phase 2 may run) and a medication visit nobody may give: the insertion
# after phase 1 leaves it out, so the moves and phase 2's rounds try to place it.
LEFT_OUT: dict[str, JSON] = problem(
    [
        visit("lift", 4, [0, 200], duration=30, staff_count=2),
        visit("med", 2, [0, 300], skills=["medication"]),
    ],
    [staff("s1"), staff("s2")],
)


def _spied(monkeypatch: pytest.MonkeyPatch) -> tuple[list[bool], list[int]]:
    """The rounds of phase 2 that start (each sets its stop with `_round_stop`) and the calls
    of `_place_by_moves`."""
    rounds: list[bool] = []
    moves: list[int] = []
    place_by_moves = solve_module._place_by_moves

    def round_stop(
        deadline: float | None, iterations: int | None, n: int, final: bool
    ) -> StoppingCriterion:
        rounds.append(final)
        return _round_stop(deadline, iterations, n, final)

    def spy(*args: object, **kwargs: object) -> None:
        moves.append(1)
        place_by_moves(*args, **kwargs)

    monkeypatch.setattr(solve_module, "_round_stop", round_stop)
    monkeypatch.setattr(solve_module, "_place_by_moves", spy)
    return rounds, moves


@pytest.mark.parametrize(
    ("other_complete", "tried"),
    [
        (True, ([], [])),
        # The moves, then a round and the last one from its plan.
        (False, ([1], [False, True])),
    ],
)
def test_a_plan_leaving_a_visit_out_tries_to_place_it_until_another_worker_s_is_complete(
    monkeypatch: pytest.MonkeyPatch,
    other_complete: bool,
    tried: tuple[list[int], list[bool]],
) -> None:
    p = parse_problem(LEFT_OUT)
    rounds, moves = _spied(monkeypatch)
    done = multiprocessing.get_context("spawn").Event()
    if other_complete:
        done.set()

    result = _begin(p, None, 100, 1, None, done)

    assert (moves, rounds) == tried
    assert (result.draft.unassigned, sorted(result.draft.staff_of()["lift"])) == (
        {"med"},
        ["s1", "s2"],
    )
    # Still not complete: a plan leaving a visit out never tells the other workers to stop.
    assert done.is_set() is other_complete


def test_a_complete_plan_after_phase_1_tells_the_other_workers() -> None:
    p = parse_problem(
        problem([visit("lift", 4, [0, 200], staff_count=2)], [staff("s1"), staff("s2")])
    )
    done = multiprocessing.get_context("spawn").Event()

    result = _begin(p, None, 100, 1, None, done)

    assert (result.draft.unassigned, done.is_set()) == (set(), True)


def test_a_round_of_phase_2_stops_at_once_when_another_worker_s_plan_is_complete() -> None:
    done = multiprocessing.get_context("spawn").Event()
    stop = _UntilDone(MaxIterations(1000), done)
    before = [stop(0) for _ in range(3)]
    done.set()
    assert (before, stop(0)) == ([False, False, False], True)
    # Without another worker there is nothing to wait for: the round's own stop decides.
    alone = _UntilDone(MaxIterations(2), None)
    assert [alone(0) for _ in range(3)] == [False, False, True]
