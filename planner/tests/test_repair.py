"""The repair moves: time-aware insertion positions, joint insertion of double visits."""

import random
from pathlib import Path

from planner import parse_problem
from planner.model import JSON, Problem, Visit
from planner.repair import (
    Draft,
    _Candidate,
    _combo_may_time,
    _insert_unit,
    _latest_starts,
    _open_positions,
    _taken_out,
    eject_and_insert,
    empty_draft,
    insert_units,
    make_valid,
    move_to_preferred,
    reinsert_around,
    relocate_units,
    score,
)
from planner.schedule import Timing
from planner.tests.helpers import problem, staff, visit
from planner.travel import travel_times


def _fits(
    p: Problem,
    items: list[str],
    pos: int,
    v: Visit,
    timing: Timing,
    latest: dict[str, float] | None = None,
) -> bool:
    """Whether `_open_positions` lets `v` in at `pos` on s1's route."""
    found = _open_positions(
        p, travel_times(p), p.staff_member("s1"), list(items), v, timing, latest
    )
    return pos in [at for at, *_ in found]


def test_a_position_after_a_visit_that_ends_too_late_is_skipped() -> None:
    p = parse_problem(problem([visit("a", 5, [100, 110], duration=30), visit("b", 6, [0, 50])]))
    timing = Timing(starts={"a": 100.0}, breaks={})
    # b after a: a ends at 130, b's window closes at 50 -> cannot fit; before a it can.
    assert _fits(p, ["a"], 1, p.visit("b"), timing) is False
    assert _fits(p, ["a"], 0, p.visit("b"), timing) is True


def test_a_position_that_would_make_the_next_visit_miss_its_window_is_skipped() -> None:
    p = parse_problem(
        problem([visit("a", 5, [0, 20], duration=10), visit("b", 9, [15, 100], duration=30)])
    )
    timing = Timing(starts={"a": 5.0}, breaks={})
    # b before a: b starts at 15 earliest, ends 45, +4 travel > a's latest start 20.
    assert _fits(p, ["a"], 0, p.visit("b"), timing) is False
    assert _fits(p, ["a"], 1, p.visit("b"), timing) is True


def test_a_position_after_a_break_that_ends_too_late_is_skipped() -> None:
    lunch: JSON = {"window": [30, 60], "duration": 20}
    p = parse_problem(
        problem(
            [visit("a", 5, [0, 100]), visit("c", 3, [0, 45])],
            [staff("s1", breaks=[lunch])],
        )
    )
    timing = Timing(starts={"a": 5.0}, breaks={"s1": [30.0]})
    found = _open_positions(
        p, travel_times(p), p.staff_member("s1"), ["a", 0], p.visit("c"), timing
    )
    # Before a (from 3, the drive from the office) or between a and the break (from 17, a's
    # end and the drive), with no extra travel on the line, until c's window closes at 45;
    # after the break (it ends at 50) c's window has closed.
    assert found == [(0, 0.0, 3.0, 45.0), (1, 0.0, 17.0, 45.0)]


def test_a_position_that_pushes_a_later_visit_past_its_window_is_skipped() -> None:
    p = parse_problem(
        problem(
            [
                visit("a", 5, [0, 100]),
                visit("b", 6, [20, 30]),
                visit("c", 4, [0, 100], duration=20),
            ]
        )
    )
    timing = Timing(starts={"a": 5.0, "b": 20.0}, breaks={})
    latest = _latest_starts(
        p, travel_times(p), p.staff_member("s1"), ["a", "b"], timing, pinned=True
    )
    assert latest == {"a": 19.0, "b": 30.0}
    # c first: a starts at 25 at the earliest, so b at 36, after its window closes. The next
    # visit's own window (a's closes at 100) would let it through.
    assert _fits(p, ["a", "b"], 0, p.visit("c"), timing) is True
    assert _fits(p, ["a", "b"], 0, p.visit("c"), timing, latest) is False
    assert _fits(p, ["a", "b"], 2, p.visit("c"), timing, latest) is True


def _lift_after_busy(then: list[str]) -> tuple[Problem, Draft]:
    """The lift waits until s2 is done with "busy" (40); x fits on s1 only before the lift,
    which then starts at 61. `then`: what s2 does after the lift."""
    doc = problem(
        [
            visit("busy", 2, [0, 10], duration=35),
            visit("lift", 5, [0, 100], staff_count=2),
            visit("x", 4, [30, 45], duration=30, fixed_staff="s1"),
            visit("next", 6, [50, 60]),
        ],
        [staff("s1"), staff("s2")],
    )
    p = parse_problem(doc)
    draft = empty_draft(p)
    draft.routes = {"s1": ["lift"], "s2": ["busy", "lift", *then]}
    draft.unassigned = {"x"} | ({"next"} - set(then))
    return p, draft


def test_an_insertion_moves_a_double_visit_on_both_its_routes() -> None:
    p, draft = _lift_after_busy([])
    travel = travel_times(p)
    timing = make_valid(p, travel, draft)
    assert timing.starts == {"busy": 2.0, "lift": 40.0}

    assert _insert_unit(p, travel, draft, timing, ["x"], {}) is True
    assert draft.routes == {"s1": ["x", "lift"], "s2": ["busy", "lift"]}
    assert timing.starts == {"busy": 2.0, "x": 30.0, "lift": 61.0}
    assert timing == make_valid(p, travel, draft)


def test_an_insertion_that_would_move_a_double_visit_the_other_route_cannot_follow_fails() -> None:
    p, draft = _lift_after_busy(["next"])
    travel = travel_times(p)
    timing = make_valid(p, travel, draft)
    assert timing.starts == {"busy": 2.0, "lift": 40.0, "next": 51.0}

    assert _insert_unit(p, travel, draft, timing, ["x"], {}) is False
    assert draft.routes == {"s1": ["lift"], "s2": ["busy", "lift", "next"]}
    assert draft.unassigned == {"x"}
    assert timing.starts == {"busy": 2.0, "lift": 40.0, "next": 51.0}


def test_visits_taken_out_leave_the_rest_of_their_route_timed_as_early_as_it_can() -> None:
    p = parse_problem(problem([visit("a", 5, [0, 100], duration=30), visit("b", 6, [0, 100])]))
    travel = travel_times(p)
    draft = empty_draft(p)
    draft.routes = {"s1": ["a", "b"]}
    draft.unassigned = set()
    timing = make_valid(p, travel, draft)
    assert timing.starts == {"a": 5.0, "b": 36.0}

    trial, trial_timing = _taken_out(p, travel, draft, timing, {"a"})
    assert (trial.routes, trial.unassigned) == ({"s1": ["b"]}, {"a"})
    assert trial_timing.starts == {"b": 6.0}
    assert timing.starts == {"a": 5.0, "b": 36.0}  # the plan itself is untouched


def test_positions_whose_starts_cannot_meet_are_not_combined() -> None:
    doc = problem(
        [
            visit("lift", 2, [0, 100], staff_count=2),
            visit("med", 5, [0, 100]),
            visit(
                "train",
                5,
                [0, 200],
                sync={"with": "med", "min_gap": 30, "max_gap": 40, "distinct_staff": True},
            ),
        ],
        [staff("s1"), staff("s2")],
    )
    p = parse_problem(doc)

    def at(staff_id: str, visit_id: str, earliest: float, latest: float) -> _Candidate:
        return _Candidate(staff_id, 0, visit_id, 0.0, earliest, latest)

    # Both copies of a double visit need one start.
    assert _combo_may_time(p, (at("s1", "lift", 10, 30), at("s2", "lift", 25, 40))) is True
    assert _combo_may_time(p, (at("s1", "lift", 10, 20), at("s2", "lift", 25, 40))) is False
    # train starts 30-40 minutes after med.
    assert _combo_may_time(p, (at("s1", "med", 0, 10), at("s2", "train", 50, 60))) is True
    assert _combo_may_time(p, (at("s1", "med", 0, 10), at("s2", "train", 51, 60))) is False
    assert _combo_may_time(p, (at("s1", "med", 0, 10), at("s2", "train", 0, 25))) is False


def test_insertion_places_both_copies_of_a_double_visit_at_one_shifted_start(
    tmp_path: Path,
) -> None:
    # s1 is busy until 40, s2 free: the lift can only start when both are free, so s2 waits.
    doc = problem(
        [
            visit("busy", 2, [0, 10], duration=35),
            visit("lift", 4, [0, 100], staff_count=2),
        ],
        [staff("s1"), staff("s2")],
    )
    p = parse_problem(doc)
    travel = travel_times(p)
    draft = empty_draft(p)
    draft.routes["s1"] = ["busy"]
    draft.unassigned = {"lift"}
    timing = make_valid(p, travel, draft)
    insert_units(p, travel, draft, timing, ["lift"])
    assert draft.unassigned == set()
    timing = make_valid(p, travel, draft)
    assert draft.staff_of()["lift"] == ["s1", "s2"]
    assert timing.starts["lift"] >= timing.starts["busy"] + 35 + 2


def test_a_synced_pair_is_inserted_together_with_its_gap_and_distinct_staff() -> None:
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
            visit("other", 8, [0, 300]),
        ],
        [staff("s1"), staff("s2")],
    )
    p = parse_problem(doc)
    travel = travel_times(p)
    draft = empty_draft(p)
    draft.routes["s1"] = ["other"]
    draft.unassigned = {"med", "train"}
    timing = make_valid(p, travel, draft)
    insert_units(p, travel, draft, timing, ["med", "train"])
    timing = make_valid(p, travel, draft)
    assert draft.unassigned == set()
    staff_of = draft.staff_of()
    assert staff_of["med"] != staff_of["train"]
    assert 30 <= timing.starts["train"] - timing.starts["med"] <= 40


def test_a_single_visit_is_ejected_to_make_room_for_a_double_visit() -> None:
    # Only s1 and s2 may lift; s2's "blocker" fills 90-130 and cannot move out of the lift's
    # time on s2, so the lift fits only if the blocker goes to s3 (who cannot lift).
    doc = problem(
        [
            visit("lift", 3, [100, 110], duration=30, staff_count=2, skills=["medication"]),
            visit("blocker", 4, [90, 90], duration=40),
        ],
        [staff("s1", skills=["medication"]), staff("s2", skills=["medication"]), staff("s3")],
    )
    p = parse_problem(doc)
    travel = travel_times(p)
    draft = empty_draft(p)
    draft.routes["s2"] = ["blocker"]
    draft.unassigned = {"lift"}
    timing = make_valid(p, travel, draft)
    insert_units(p, travel, draft, timing, ["lift"])
    assert draft.unassigned == {"lift"}  # plain insertion cannot place it
    assert eject_and_insert(p, travel, draft, timing) == 1
    timing = make_valid(p, travel, draft)
    assert draft.unassigned == set()
    assert sorted(draft.staff_of()["lift"]) == ["s1", "s2"]
    assert draft.staff_of()["blocker"] == ["s3"]
    assert timing.starts["lift"] == 100


def test_an_ejection_that_leaves_a_plan_costing_nothing_counts_as_placed() -> None:
    # Everyone lives at the office: no travel, so the plan with the lift in costs 0.
    here: list[JSON] = [{"id": "office", "x": 0, "y": 0}, {"id": "h0", "x": 0, "y": 0}]
    doc = problem(
        [
            visit("lift", 0, [0, 0], duration=50, staff_count=2),
            visit("tea", 0, [0, 60], duration=10),
        ],
        [staff("s1", shift=[0, 100]), staff("s2", shift=[0, 100])],
        locations=here,
    )
    p = parse_problem(doc)
    travel = travel_times(p)
    draft = empty_draft(p)
    draft.routes["s1"] = ["tea"]
    draft.unassigned = {"lift"}
    timing = make_valid(p, travel, draft)

    assert eject_and_insert(p, travel, draft, timing) == 1
    assert draft.unassigned == set()
    assert sorted(draft.staff_of()["lift"]) == ["s1", "s2"]
    assert (timing.starts["lift"], timing.starts["tea"]) == (0.0, 50.0)


def test_a_visit_moves_to_its_preferred_staff_member_when_that_costs_less() -> None:
    # "visit" is on s2 although s1 is preferred and free: moving it saves the preference
    # weight (10) and drives no further.
    doc = problem(
        [visit("visit", 3, [0, 100], preferred_staff=["s1"]), visit("full", 9, [300, 310])],
        [staff("s1"), staff("s2")],
    )
    p = parse_problem(doc)
    travel = travel_times(p)
    draft = empty_draft(p)
    draft.routes = {"s1": [], "s2": ["visit", "full"]}
    timing = make_valid(p, travel, draft)

    assert move_to_preferred(p, travel, draft, timing) == 1
    assert draft.staff_of() == {"visit": ["s1"], "full": ["s2"]}


def test_a_visit_stays_when_its_preferred_staff_member_has_no_time() -> None:
    doc = problem(
        [
            visit("visit", 3, [50, 60], duration=30, preferred_staff=["s1"]),
            visit("busy", 4, [40, 40], duration=60),
        ],
        [staff("s1"), staff("s2")],
    )
    p = parse_problem(doc)
    travel = travel_times(p)
    draft = empty_draft(p)
    draft.routes = {"s1": ["busy"], "s2": ["visit"]}
    timing = make_valid(p, travel, draft)

    assert move_to_preferred(p, travel, draft, timing) == 0
    assert draft.staff_of() == {"busy": ["s1"], "visit": ["s2"]}


def _lift_on_the_far_pair() -> tuple[Problem, Draft]:
    # s1 and s2 go past home 9 (their visits at 8 and 10); s3 and s4 drive out only for the
    # lift at 9. Taking it from s3 and s4 to s1 and s2 saves 36 - 2 = 34 minutes.
    doc = problem(
        [
            visit("lift", 9, [0, 200], duration=20, staff_count=2),
            visit("x1", 8, [100, 100]),
            visit("x2", 10, [100, 100]),
        ],
        [staff("s1"), staff("s2"), staff("s3"), staff("s4")],
    )
    p = parse_problem(doc)
    draft = empty_draft(p)
    draft.routes = {"s1": ["x1"], "s2": ["x2"], "s3": ["lift"], "s4": ["lift"]}
    return p, draft


def test_a_double_visit_moves_to_the_pair_of_staff_who_pass_by_anyway() -> None:
    p, draft = _lift_on_the_far_pair()
    travel = travel_times(p)
    timing = make_valid(p, travel, draft)
    assert score(p, travel, draft, timing).travel == 72.0

    assert relocate_units(p, travel, draft, timing) == 1
    assert {v: sorted(s) for v, s in draft.staff_of().items()} == {
        "lift": ["s1", "s2"],
        "x1": ["s1"],
        "x2": ["s2"],
    }
    assert score(p, travel, draft, timing).travel == 38.0
    assert timing == make_valid(p, travel, draft)  # the timing returned is the whole plan's


def test_a_double_visit_already_where_it_costs_least_stays() -> None:
    p, draft = _lift_on_the_far_pair()
    draft.routes = {"s1": ["lift", "x1"], "s2": ["lift", "x2"], "s3": [], "s4": []}
    travel = travel_times(p)
    timing = make_valid(p, travel, draft)
    before = (draft.copy(), dict(timing.starts))

    assert relocate_units(p, travel, draft, timing) == 0
    assert (draft.routes, draft.unassigned, timing.starts) == (
        before[0].routes,
        before[0].unassigned,
        before[1],
    )


def test_two_single_visits_are_ejected_when_both_staff_of_a_double_visit_are_busy() -> None:
    # Only s1 and s2 have the hoist skill, and "a" and "b" keep them busy through the lift's
    # whole window; taking out one of them is not enough. s3 and s4 can take them.
    hoist: JSON = ["hoist"]
    doc = problem(
        [
            visit("lift", 5, [0, 30], duration=30, staff_count=2, skills=hoist),
            visit("a", 4, [0, 10], duration=40),
            visit("b", 6, [0, 10], duration=40),
        ],
        [staff("s1", skills=hoist), staff("s2", skills=hoist), staff("s3"), staff("s4")],
    )
    p = parse_problem(doc)
    travel = travel_times(p)
    draft = empty_draft(p)
    draft.routes = {"s1": ["a"], "s2": ["b"], "s3": [], "s4": []}
    draft.unassigned = {"lift"}
    timing = make_valid(p, travel, draft)

    assert eject_and_insert(p, travel, draft, timing) == 1
    assert draft.unassigned == set()
    assert {v: sorted(s) for v, s in draft.staff_of().items()} == {
        "lift": ["s1", "s2"],
        "a": ["s3"],
        "b": ["s4"],
    }
    assert timing == make_valid(p, travel, draft)


def test_a_single_visit_left_out_gets_in_when_two_visits_of_one_staff_member_go_elsewhere() -> None:
    # Only s1 may give medication; "a" and "b" on s1 overlap the round at 100-120 before and
    # after it, so taking out one of them is not enough. s2 can take both.
    med: JSON = ["medication"]
    doc = problem(
        [
            visit("med", 5, [100, 100], duration=20, skills=med),
            visit("a", 4, [95, 95]),
            visit("b", 6, [112, 112]),
        ],
        [staff("s1", skills=med), staff("s2")],
    )
    p = parse_problem(doc)
    travel = travel_times(p)
    draft = empty_draft(p)
    draft.routes = {"s1": ["a", "b"], "s2": []}
    draft.unassigned = {"med"}
    timing = make_valid(p, travel, draft)
    insert_units(p, travel, draft, timing, ["med"])
    assert draft.unassigned == {"med"}  # plain insertion cannot place it

    assert eject_and_insert(p, travel, draft, timing) == 1
    assert draft.unassigned == set()
    assert draft.routes == {"s1": ["med"], "s2": ["a", "b"]}
    assert (timing.starts["med"], timing.starts["a"], timing.starts["b"]) == (100, 95, 112)
    assert timing == make_valid(p, travel, draft)


def test_an_optional_single_visit_left_out_is_not_given_room() -> None:
    med: JSON = ["medication"]
    doc = problem(
        [
            visit("med", 5, [100, 100], duration=20, skills=med, optional=True),
            visit("a", 4, [95, 95]),
        ],
        [staff("s1", skills=med), staff("s2")],
    )
    p = parse_problem(doc)
    travel = travel_times(p)
    draft = empty_draft(p)
    draft.routes = {"s1": ["a"], "s2": []}
    draft.unassigned = {"med"}
    timing = make_valid(p, travel, draft)

    assert eject_and_insert(p, travel, draft, timing) == 0
    assert (draft.routes, draft.unassigned) == ({"s1": ["a"], "s2": []}, {"med"})


def _seeded(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311  (reproducible moves, not a secret)


def _two_morning_visits_and_a_fixed_one() -> tuple[Problem, Draft]:
    # "u" (20-60) cannot share a route with "f" or "x", which must start by 30 and 40; s2 can
    # do f (4-34) and then x (36-66). The draft has f and x apart and u left out.
    doc = problem(
        [
            visit("u", 5, [20, 20], duration=40),
            visit("f", 4, [0, 30], duration=30),
            visit("x", 6, [0, 40], duration=30),
        ],
        [staff("s1", [0, 100]), staff("s2", [0, 100])],
    )
    p = parse_problem(doc)
    draft = empty_draft(p)
    draft.routes = {"s1": ["f"], "s2": ["x"]}
    draft.unassigned = {"u"}
    return p, draft


def test_a_left_out_visit_gets_in_when_the_visits_near_it_are_placed_again() -> None:
    p, draft = _two_morning_visits_and_a_fixed_one()
    travel = travel_times(p)
    timing = make_valid(p, travel, draft)
    alone = draft.copy()
    insert_units(p, travel, alone, make_valid(p, travel, alone), ["u"])
    assert alone.unassigned == {"u"}  # inserted alone, it fits nowhere

    assert reinsert_around(p, travel, draft, timing, _seeded(1), tries=20) == 1
    staff_of = draft.staff_of()
    assert draft.unassigned == set()
    assert staff_of["f"] == staff_of["x"] != staff_of["u"]
    assert (timing.starts["u"], timing.starts["f"], timing.starts["x"]) == (20.0, 4.0, 36.0)
    assert timing == make_valid(p, travel, draft)


def test_a_plan_no_move_makes_cheaper_stays_as_it_is() -> None:
    p, draft = _two_morning_visits_and_a_fixed_one()
    draft.routes, draft.unassigned = {"s1": ["u"], "s2": ["f", "x"]}, set()
    travel = travel_times(p)
    timing = make_valid(p, travel, draft)
    before = (draft.copy(), dict(timing.starts))

    assert reinsert_around(p, travel, draft, timing, _seeded(1), tries=50) == 0
    assert (draft.routes, draft.unassigned, timing.starts) == (
        before[0].routes,
        before[0].unassigned,
        before[1],
    )


def test_a_double_visit_and_the_visits_near_it_move_together_where_they_cost_less() -> None:
    p, draft = _lift_on_the_far_pair()
    travel = travel_times(p)
    timing = make_valid(p, travel, draft)

    assert reinsert_around(p, travel, draft, timing, _seeded(3), tries=30) >= 1
    staff_of = draft.staff_of()
    assert sorted(staff_of["x1"] + staff_of["x2"]) == sorted(staff_of["lift"])
    assert score(p, travel, draft, timing).travel == 38.0
    assert timing == make_valid(p, travel, draft)


def test_a_late_visit_goes_where_it_is_on_time_before_a_shorter_drive_where_it_is_late() -> None:
    # x may be late, at a minute of travel per minute late. After s1's long visit a it adds no
    # drive (h3 -> h2 -> office is as long as h3 -> office) but starts at 104, 84 minutes late;
    # s2 drives 4 minutes more and is on time.
    visits = [visit("a", 3, [0, 5], duration=100), visit("x", 2, [0, 20], late=True)]
    weights: JSON = {"tardiness": 1}
    p = parse_problem(problem(visits, [staff("s1"), staff("s2")], weights=weights))
    travel = travel_times(p)
    draft = Draft({"s1": ["a"], "s2": []}, {"x"})
    timing = make_valid(p, travel, draft)
    insert_units(p, travel, draft, timing, ["x"])
    assert draft.routes == {"s1": ["a"], "s2": ["x"]}
    assert timing.starts["x"] == 2.0
    assert score(p, travel, draft, timing).tardiness == 0.0
    # With no one else, it still goes in, late.
    alone = parse_problem(problem(visits, weights=weights))
    draft = Draft({"s1": ["a"]}, {"x"})
    timing = make_valid(alone, travel_times(alone), draft)
    insert_units(alone, travel_times(alone), draft, timing, ["x"])
    assert draft.routes == {"s1": ["a", "x"]}
    assert timing.starts["x"] == 104.0
