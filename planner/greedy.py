"""The baseline: what a coordinator does by hand.

Visits in order of their window's start, each given to the staff member and place in the route
where it adds least (travel, plus the weight for a non-preferred staff member), if the route
can still be timed. No later changes.
"""

from __future__ import annotations

import time

from planner.model import Plan, Problem, SolverInfo
from planner.repair import empty_draft, insert_units, make_valid, to_plan
from planner.schedule import Timing
from planner.travel import travel_times


def greedy(problem: Problem) -> Plan:
    started = time.perf_counter()
    travel = travel_times(problem)
    draft = empty_draft(problem)
    draft.unassigned = {v.id for v in problem.visits}
    timing = Timing(starts={}, breaks={})
    insert_units(problem, travel, draft, timing, [v.id for v in problem.visits])
    timing = make_valid(problem, travel, draft)
    info = SolverInfo(name="greedy insertion", seconds=time.perf_counter() - started)
    return to_plan(problem, draft, timing, info)
