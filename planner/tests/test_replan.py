"""Re-planning after a sick call (`solve._replan`): the previous plan kept where it can be,
never at the cost of a mandatory visit nobody makes."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest

from planner import parse_problem, solve
from planner.model import JSON, Plan, Route, SolverInfo, Stop
from planner.repair import Draft, empty_draft
from planner.solve import _finish, _place_by_moves
from planner.tests.helpers import check, problem, staff, visit
from planner.travel import travel_times

LIFT: JSON = ["lift"]


def _day(lift_window: list[JSON], *, can_lift: tuple[str, ...]) -> dict[str, JSON]:
    """s3 (who lifts) called in sick. The lift at home 5 needs two staff with the skill; s1 has
    two visits pinned at 100 and 120 that s4 (without it) may do."""
    return problem(
        [
            visit("lift", 5, lift_window, duration=30, staff_count=2, skills=LIFT),
            visit("a", 4, [100, 100], duration=15),
            visit("b", 6, [120, 120], duration=15),
        ],
        [staff(s, skills=LIFT if s in can_lift else []) for s in ("s1", "s2", "s4")],
    )


def _before() -> Plan:
    """The morning's plan: s2 and s3 lift at 100, s1 does a and b."""
    routes = (
        Route("s1", (Stop("a", 100.0), Stop("b", 120.0))),
        Route("s2", (Stop("lift", 100.0),)),
        Route("s3", (Stop("lift", 100.0),)),
    )
    return Plan("test", routes, (), SolverInfo("test", 1.0))


def _without_s3() -> Draft:
    draft = empty_draft(parse_problem(_day([100, 100], can_lift=("s1", "s2"))))
    draft.routes = {"s1": ["a", "b"], "s2": [], "s4": []}
    draft.unassigned = {"lift"}
    return draft


def test_a_re_plans_moves_make_room_where_ejecting_one_visit_per_staff_member_does_not() -> None:
    p = parse_problem(_day([100, 100], can_lift=("s1", "s2")))
    travel = travel_times(p)
    previous = {"lift": {"s2"}, "a": {"s1"}, "b": {"s1"}}
    # s1 must give up both a and b for the lift: the insertion with ejections leaves it out.
    draft, timing, _ = _finish(p, travel, _without_s3(), previous)
    assert (draft.routes, draft.unassigned) == ({"s1": ["a", "b"], "s2": [], "s4": []}, {"lift"})

    rng = random.Random(1)  # noqa: S311  (reproducible moves, not a secret)
    _place_by_moves(p, travel, draft, timing, rng, end=None, tries=50, previous=previous)
    assert (draft.routes, draft.unassigned) == (
        {"s1": ["lift"], "s2": ["lift"], "s4": ["a", "b"]},
        set(),
    )
    assert (timing.starts["lift"], timing.starts["a"], timing.starts["b"]) == (100, 100, 120)


def test_a_re_plan_after_a_sick_call_places_the_double_visit_and_keeps_what_it_can(
    tmp_path: Path,
) -> None:
    doc = _day([100, 100], can_lift=("s1", "s2"))
    again = solve(parse_problem(doc), max_iterations=100, seed=1, warm_start=_before())
    summary = check(doc, again, tmp_path)
    assert (summary["unassigned"], summary["valid"]) == (0, True)
    routes = {r.staff: [(s.visit, s.start) for s in r.stops] for r in again.routes}
    assert routes == {
        "s1": [("lift", 100.0)],
        "s2": [("lift", 100.0)],
        "s4": [("a", 100.0), ("b", 120.0)],
    }
    # Of s1's a and b and s2's lift, only the lift stays where it was.
    assert again.solver.kept_share == pytest.approx(1 / 3)


def test_a_unit_a_re_plan_leaves_out_keeps_its_earlier_start_in_pyvrps_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Only s1 may lift now: the lift cannot be placed. PyVRP's model still holds it at the
    # start it had (100), not anywhere in its window (60-160).
    fixed: list[dict[str, float]] = []
    solve_module = sys.modules["planner.solve"]  # `planner.solve` is also the function
    build = solve_module._build

    def recording_build(*args: Any, **kwargs: Any) -> Any:
        fixed.append(dict(kwargs["fixed"]))
        return build(*args, **kwargs)

    monkeypatch.setattr(solve_module, "_build", recording_build)
    doc = _day([60, 160], can_lift=("s1",))
    again = solve(parse_problem(doc), max_iterations=50, seed=1, warm_start=_before())
    assert again.unassigned == ("lift",)
    assert fixed == [{"lift": 100.0}]
