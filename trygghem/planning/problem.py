"""The seam to the planner package: a team's day as a `trygghem-problem/1` document, and the
current plan as a `trygghem-plan/1` document (/work/shared/planning/format.md). Reads only;
the caller has passed the team gate. Identifiers are UUIDs, never names or personnummer."""

import datetime
from collections import defaultdict
from typing import Any

from trygghem.planning import rules, selectors
from trygghem.planning.models import Visit, VisitAssignment
from trygghem.staff.models import Team

OFFICE = "office"


def _home(visit: Visit) -> str:
    return f"home-{visit.person.external_id}"


def _team_visits(team: Team, day: datetime.date) -> list[Visit]:
    return list(selectors.visits_on(day=day).filter(team=team, status=Visit.Status.PLANNED))


def _preferred_staff(
    visits: list[Visit], staff_ids: set[str], day: datetime.date
) -> dict[int, list[str]]:
    """Per episode: the staff on the row who came before (continuity), most visits first."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    earlier = VisitAssignment.objects.filter(
        visit__episode_id__in={visit.episode_id for visit in visits}, visit__day__lt=day
    ).values_list("visit__episode_id", "staff__external_id")
    for episode_id, staff_id in earlier:
        if str(staff_id) in staff_ids:
            counts[episode_id][str(staff_id)] += 1
    return {
        episode_id: sorted(per_staff, key=lambda s: (-per_staff[s], s))
        for episode_id, per_staff in counts.items()
    }


def build_problem(team: Team, day: datetime.date) -> dict[str, Any]:
    """The team's planned visits of the day and the staff with a row in its plan, for the
    planner. Routes start and end at the team's office, or at the middle of the day's homes
    when the team has no office position; a home without coordinates is placed there too."""
    visits = _team_visits(team, day)
    shifts = selectors.shifts_in_plan(team=team, day=day)
    staff_days = selectors.staff_days(day=day, staff=[shift.staff for shift in shifts])
    homes = {
        _home(v): (v.person.latitude, v.person.longitude)
        for v in visits
        if v.person.latitude is not None and v.person.longitude is not None
    }
    if team.office_latitude is not None and team.office_longitude is not None:
        office = (team.office_latitude, team.office_longitude)
    elif homes:
        office = (
            sum(lat for lat, _ in homes.values()) / len(homes),
            sum(lon for _, lon in homes.values()) / len(homes),
        )
    else:
        office = (0.0, 0.0)
    locations = [{"id": OFFICE, "lat": office[0], "lon": office[1]}]
    locations += [{"id": key, "lat": lat, "lon": lon} for key, (lat, lon) in sorted(homes.items())]
    preferred = _preferred_staff(visits, set(staff_days), day)
    return {
        "format": "trygghem-problem/1",
        "name": f"{team.external_id} {day.isoformat()}",
        "travel": {"kind": "haversine", "speed_kmh": rules.SPEED_KMH, "detour": rules.DETOUR},
        "locations": locations,
        "staff": [
            {
                "id": str(shift.staff.external_id),
                "start": OFFICE,
                "end": OFFICE,
                "shift": [shift.start_minute, shift.end_minute],
                "skills": sorted(staff_days[str(shift.staff.external_id)].skills),
            }
            for shift in shifts
        ],
        "visits": [
            {
                "id": str(visit.external_id),
                "client": str(visit.person.external_id),
                "location": _home(visit) if _home(visit) in homes else OFFICE,
                "window": [visit.window_start_minute, visit.window_end_minute],
                "duration": visit.duration_minutes,
                "skills": sorted(visit.skills),
                "staff_count": visit.staff_count,
                "preferred_staff": preferred.get(visit.episode_id, []),
                "optional": False,
            }
            for visit in visits
        ],
        "weights": {"travel": 1, "non_preferred": 10, "unassigned": 10000},
    }


def current_plan(team: Team, day: datetime.date) -> dict[str, Any]:
    """The plan as the coordinator has it now, in the planner's plan format, so a proposal
    can be compared with it."""
    visits = _team_visits(team, day)
    routes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    unassigned = []
    for visit in visits:
        staff = selectors.staff_ids(visit)
        if visit.planned_start_minute is None or len(staff) != visit.staff_count:
            unassigned.append(str(visit.external_id))
            continue
        for staff_id in staff:
            routes[staff_id].append(
                {"visit": str(visit.external_id), "start": visit.planned_start_minute}
            )
    return {
        "format": "trygghem-plan/1",
        "problem": f"{team.external_id} {day.isoformat()}",
        "routes": [
            {
                "staff": staff_id,
                "stops": sorted(stops, key=lambda stop: stop["start"]),
                "breaks": [],
            }
            for staff_id, stops in sorted(routes.items())
        ],
        "unassigned": unassigned,
        "solver": {"name": "coordinator", "seconds": 0},
    }
