import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner import ProblemError, greedy, parse_plan, parse_problem, plan_to_json, solve
from planner.model import JSON
from planner.tests.helpers import REPO, check, plan_and_check, problem, route_of, staff, visit
from planner.travel import haversine_minutes


def test_visits_start_inside_their_windows_in_the_only_feasible_order(tmp_path: Path) -> None:
    doc = problem([visit("a", 5, [100, 110]), visit("b", 3, [20, 30])])
    plan, summary = plan_and_check(doc, tmp_path)
    assert route_of(plan, "s1") == [("b", 20.0), ("a", 100.0)]
    assert summary["objective"] == 10.0


def test_a_late_visit_starts_after_its_window_and_pays_tardiness(tmp_path: Path) -> None:
    doc = problem([visit("a", 10, [0, 4], late=True)], weights={"tardiness": 2})
    plan, summary = plan_and_check(doc, tmp_path)
    assert route_of(plan, "s1") == [("a", 10.0)]
    assert summary["tardiness"] == 6.0
    assert summary["objective"] == 20.0 + 12.0


def test_a_visit_that_is_not_late_is_never_started_after_its_window(tmp_path: Path) -> None:
    doc = problem([visit("a", 10, [0, 4])])
    plan, summary = plan_and_check(doc, tmp_path)
    assert plan.unassigned == ("a",)
    assert summary["complete"] is False


def test_a_visit_needing_a_skill_goes_to_the_staff_member_who_holds_it(tmp_path: Path) -> None:
    doc = problem(
        [visit("a", 1, [0, 100], skills=["medication"])],
        [staff("s1"), staff("s2", skills=["medication"])],
    )
    plan, _ = plan_and_check(doc, tmp_path)
    assert [r.staff for r in plan.routes] == ["s2"]


def test_fixed_staff_does_the_visit_even_when_another_is_preferred(tmp_path: Path) -> None:
    doc = problem(
        [visit("a", 1, [0, 100], fixed_staff="s1", preferred_staff=["s2"])],
        [staff("s1"), staff("s2")],
    )
    plan, summary = plan_and_check(doc, tmp_path)
    assert [r.staff for r in plan.routes] == ["s1"]
    assert summary["non_preferred"] == 1


def test_a_double_staffed_visit_starts_at_the_same_time_in_two_routes(tmp_path: Path) -> None:
    doc = problem(
        [visit("lift", 4, [0, 100], staff_count=2), visit("a", 2, [0, 100])],
        [staff("s1"), staff("s2")],
    )
    plan, summary = plan_and_check(doc, tmp_path)
    lifts = [s for r in plan.routes for s in r.stops if s.visit == "lift"]
    assert len(lifts) == 2
    assert lifts[0].start == lifts[1].start
    assert summary["travel"] == 16.0


def test_a_sync_gap_and_distinct_staff_hold(tmp_path: Path) -> None:
    doc = problem(
        [
            visit("med", 2, [10, 20]),
            visit(
                "train",
                2,
                [0, 200],
                duration=30,
                sync={"with": "med", "min_gap": 30, "max_gap": 40, "distinct_staff": True},
            ),
        ],
        [staff("s1"), staff("s2")],
    )
    plan, _ = plan_and_check(doc, tmp_path)
    starts = {s.visit: (r.staff, s.start) for r in plan.routes for s in r.stops}
    assert starts["med"][0] != starts["train"][0]
    assert 30 <= starts["train"][1] - starts["med"][1] <= 40


def test_synced_visits_are_both_left_out_when_one_cannot_be_served(tmp_path: Path) -> None:
    doc = problem(
        [
            visit("a", 1, [0, 50]),
            visit("b", 9, [0, 5], sync={"with": "a", "min_gap": 0, "max_gap": 0}),
        ]
    )
    plan, _ = plan_and_check(doc, tmp_path)
    assert sorted(plan.unassigned) == ["a", "b"]


def test_a_break_is_taken_whole_inside_its_window_between_visits(tmp_path: Path) -> None:
    doc = problem(
        [visit("a", 2, [50, 60]), visit("b", 2, [100, 110])],
        [staff("s1", breaks=[{"window": [60, 90], "duration": 30}])],
    )
    plan, summary = plan_and_check(doc, tmp_path)
    (route,) = plan.routes
    assert len(route.breaks) == 1
    assert 60 <= route.breaks[0] <= 90
    assert summary["travel"] == 4.0


def test_visits_outside_a_shift_go_to_the_staff_member_on_duty(tmp_path: Path) -> None:
    doc = problem(
        [visit("evening", 1, [400, 420])], [staff("day", [0, 300]), staff("late", [300, 600])]
    )
    plan, _ = plan_and_check(doc, tmp_path)
    assert [r.staff for r in plan.routes] == ["late"]


def test_preferred_staff_get_the_visit_when_it_costs_no_more(tmp_path: Path) -> None:
    doc = problem([visit("a", 3, [0, 100], preferred_staff=["s2"])], [staff("s1"), staff("s2")])
    plan, summary = plan_and_check(doc, tmp_path)
    assert [r.staff for r in plan.routes] == ["s2"]
    assert summary["non_preferred"] == 0


def test_an_optional_visit_that_does_not_fit_leaves_the_plan_complete(tmp_path: Path) -> None:
    doc = problem([visit("a", 2, [0, 100]), visit("extra", 9, [0, 1], optional=True)])
    plan, summary = plan_and_check(doc, tmp_path)
    assert plan.unassigned == ("extra",)
    assert summary["complete"] is True


def test_a_mandatory_visit_that_cannot_be_placed_is_unassigned_not_infeasible(
    tmp_path: Path,
) -> None:
    doc = problem([visit("a", 1, [0, 100], skills=["hsl"])])
    plan, summary = plan_and_check(doc, tmp_path)
    assert plan.unassigned == ("a",)
    assert summary["objective"] == 10000.0


def test_matrix_travel_is_used_as_given(tmp_path: Path) -> None:
    times: JSON = {
        "office": {"h1": 7, "h2": 9},
        "h1": {"office": 7, "h2": 3},
        "h2": {"office": 9, "h1": 3},
    }
    doc = problem(
        [visit("a", 1, [0, 100]), visit("b", 2, [0, 100])],
        travel={"kind": "matrix", "times": times},
        locations=[{"id": "office"}, {"id": "h1"}, {"id": "h2"}],
    )
    _, summary = plan_and_check(doc, tmp_path)
    assert summary["travel"] == 19.0


def test_haversine_travel_matches_the_checker(tmp_path: Path) -> None:
    doc = problem(
        [visit("a", 1, [0, 100])],
        travel={"kind": "haversine", "speed_kmh": 30, "detour": 1.3},
        locations=[
            {"id": "office", "lat": 60.546, "lon": 16.283},
            {"id": "h1", "lat": 60.551, "lon": 16.301},
        ],
    )
    _, summary = plan_and_check(doc, tmp_path)
    one_way = haversine_minutes(60.546, 16.283, 60.551, 16.301, speed_kmh=30, detour=1.3)
    assert summary["travel"] == pytest.approx(2 * one_way, abs=1e-4)
    assert one_way == pytest.approx(2.9388, abs=1e-4)


def test_capacity_splits_loads_over_two_routes(tmp_path: Path) -> None:
    doc = problem(
        [visit("a", 1, [0, 100], load=3), visit("b", 2, [0, 100], load=3)],
        [staff("s1", capacity=4), staff("s2", capacity=4)],
    )
    plan, _ = plan_and_check(doc, tmp_path)
    assert len(plan.routes) == 2


def test_two_visits_of_one_client_never_overlap(tmp_path: Path) -> None:
    doc = problem(
        [
            visit("a", 1, [0, 10], duration=30),
            {**visit("b", 2, [0, 10], duration=30), "client": "c1"},
        ],
        [staff("s1"), staff("s2")],
    )
    plan, _ = plan_and_check(doc, tmp_path)
    starts = sorted(s.start for r in plan.routes for s in r.stops)
    assert len(starts) == 1 or starts[1] >= starts[0] + 30


def test_replanning_after_a_sick_call_keeps_the_other_assignments(tmp_path: Path) -> None:
    visits = [visit(f"v{i}", i, [0, 300]) for i in range(1, 9)]
    doc = problem(visits, [staff("s1"), staff("s2"), staff("s3")])
    first = solve(parse_problem(doc), max_iterations=200, seed=1)
    doc["staff"] = [staff("s1"), staff("s3")]
    again = solve(parse_problem(doc), max_iterations=200, seed=1, warm_start=first)
    check(doc, again, tmp_path)
    assert again.unassigned == ()
    assert again.solver.kept_share is not None
    assert again.solver.kept_share >= 0.9


def test_the_greedy_baseline_plans_are_valid(tmp_path: Path) -> None:
    doc = problem(
        [visit(f"v{i}", i, [0, 300]) for i in range(1, 9)]
        + [visit("lift", 5, [50, 60], staff_count=2)],
        [staff("s1", breaks=[{"window": [100, 200], "duration": 30}]), staff("s2")],
    )
    plan = greedy(parse_problem(doc))
    summary = check(doc, plan, tmp_path)
    assert summary["complete"] is True


def test_a_bench_instance_plans_valid_within_an_iteration_limit(tmp_path: Path) -> None:
    path = REPO / "bench" / "planning" / "instances" / "bruksvik-060.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    plan = solve(parse_problem(doc), max_iterations=100, seed=1)
    summary = check(doc, plan, tmp_path)
    assert summary["valid"] is True


def test_parse_problem_names_the_first_fault() -> None:
    doc = problem([visit("a", 1, [10, 0])])
    with pytest.raises(ProblemError, match=r"visits\[0\].window: latest 0 is before earliest 10"):
        parse_problem(doc)
    with pytest.raises(ProblemError, match="unknown location 'nowhere'"):
        parse_problem(problem([{**visit("a", 1, [0, 1]), "location": "nowhere"}]))
    with pytest.raises(ProblemError, match="travel matrix has no time"):
        solve(
            parse_problem(
                problem(
                    [visit("a", 1, [0, 9])],
                    travel={"kind": "matrix", "times": {}},
                    locations=[{"id": "office"}, {"id": "h1"}],
                )
            ),
            max_iterations=1,
        )


def test_the_command_line_writes_a_valid_plan(tmp_path: Path) -> None:
    doc = problem([visit("a", 2, [0, 100]), visit("b", 4, [0, 100])])
    p, out = tmp_path / "p.json", tmp_path / "plan.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    run = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "planner", str(p), "-o", str(out), "--max-iterations", "100"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stderr
    plan = parse_plan(json.loads(out.read_text(encoding="utf-8")))
    assert check(doc, plan, tmp_path)["objective"] == 8.0
    assert plan_to_json(plan)["unassigned"] == []
