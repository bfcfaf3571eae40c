"""Figures of a plan in the planner's format, so the proposal and the current plan can be
compared on the same terms: travel, unassigned visits, continuity (different staff per person)
and one objective. Pure: JSON in, numbers out."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from planner import parse_plan, parse_problem
from planner.travel import travel_times


@dataclass(frozen=True)
class Figures:
    travel_minutes: float
    unassigned: int
    distinct_staff_mean: float
    objective: float


def figures(problem_json: dict[str, Any], plan_json: dict[str, Any]) -> Figures:
    """Travel from start to end of every route in start order; the mean number of different
    staff among the people visited; the objective with the problem's weights (travel, visits
    not done by a preferred staff member, unassigned visits)."""
    problem = parse_problem(problem_json)
    plan = parse_plan(plan_json)
    travel = travel_times(problem)
    known_staff = {staff.id for staff in problem.staff}
    known_visits = {visit.id for visit in problem.visits}
    total = 0.0
    non_preferred = 0
    served: set[str] = set()
    staff_of_client: dict[str, set[str]] = defaultdict(set)
    for route in plan.routes:
        stops = sorted((s for s in route.stops if s.visit in known_visits), key=lambda s: s.start)
        if not stops:
            continue
        if route.staff in known_staff:
            member = problem.staff_member(route.staff)
            here = member.start
            end = member.end
        else:
            here = end = problem.visit(stops[0].visit).location
        for stop in stops:
            visit = problem.visit(stop.visit)
            total += travel(here, visit.location)
            here = visit.location
            if visit.preferred_staff and route.staff not in visit.preferred_staff:
                non_preferred += 1
            served.add(visit.id)
            staff_of_client[visit.client].add(route.staff)
        total += travel(here, end)
    unassigned = len(known_visits - served)
    counts = [len(staff) for staff in staff_of_client.values()]
    mean = sum(counts) / len(counts) if counts else 0.0
    weights = problem.weights
    objective = (
        weights.travel * total
        + weights.non_preferred * non_preferred
        + weights.unassigned * unassigned
    )
    return Figures(round(total, 1), unassigned, round(mean, 2), round(objective, 1))


def assignments(plan_json: dict[str, Any]) -> dict[str, tuple[list[str], float]]:
    """Visit id -> (staff ids, start) of every visit the plan assigns."""
    plan = parse_plan(plan_json)
    found: dict[str, tuple[list[str], float]] = {}
    for route in plan.routes:
        for stop in route.stops:
            staff, start = found.get(stop.visit, ([], stop.start))
            found[stop.visit] = ([*staff, route.staff], min(start, stop.start))
    return found


def without_staff(plan_json: dict[str, Any], staff_ids: set[str]) -> dict[str, Any]:
    """The plan without the given staff: their visits (both copies of a double-staffed one)
    become unassigned, everything else is kept."""
    lost = {
        stop["visit"]
        for route in plan_json["routes"]
        if route["staff"] in staff_ids
        for stop in route["stops"]
    }
    routes = [
        {**route, "stops": [stop for stop in route["stops"] if stop["visit"] not in lost]}
        for route in plan_json["routes"]
        if route["staff"] not in staff_ids
    ]
    return {**plan_json, "routes": routes, "unassigned": sorted({*plan_json["unassigned"], *lost})}
