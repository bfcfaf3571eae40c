import datetime
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.assertions import skip_unless_ci
from trygghem.episodes.models import Episode
from trygghem.planning import services
from trygghem.planning.models import Visit
from trygghem.planning.problem import build_problem, current_plan
from trygghem.planning.tests.helpers import HOME, delegation, shift, visit
from trygghem.staff.models import Staff, Team

pytestmark = pytest.mark.django_db

VALIDATOR = Path("/work/shared/planning/validate.py")


def _validator() -> ModuleType:
    if not VALIDATOR.exists():
        skip_unless_ci("the shared validator is not on this machine")
    spec = importlib.util.spec_from_file_location("planning_validate", VALIDATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def day_of_team(
    at_home: Episode,
    coordinator: Staff,
    care_worker: Staff,
    nurse: Staff,
    reablement_team: Team,
    today: datetime.date,
) -> dict[str, Any]:
    yesterday = today - datetime.timedelta(days=1)
    shift(care_worker, reablement_team, today, coordinator)
    shift(care_worker, reablement_team, yesterday, coordinator)
    delegation(care_worker, nurse, yesterday, today)
    before = visit(at_home, reablement_team, yesterday)
    services.assign_visit(
        visit=before, staff=[care_worker], planned_start_minute=480, override_reason="",
        by=coordinator,
    )  # fmt: skip
    visit(at_home, reablement_team, today, skills=["medication"])
    return build_problem(reablement_team, today)


def test_build_problem_writes_the_teams_day_in_the_planners_format(
    day_of_team: dict[str, Any], at_home: Episode, care_worker: Staff, reablement_team: Team
) -> None:
    person = str(at_home.person.external_id)
    worker = str(care_worker.external_id)
    visit_id = day_of_team["visits"][0]["id"]
    assert day_of_team == {
        "format": "trygghem-problem/1",
        "name": f"{reablement_team.external_id} 2026-03-10",
        "travel": {"kind": "haversine", "speed_kmh": 30.0, "detour": 1.3},
        "locations": [
            {"id": "office", "lat": HOME[0], "lon": HOME[1]},
            {"id": f"home-{person}", "lat": HOME[0], "lon": HOME[1]},
        ],
        "staff": [
            {
                "id": worker,
                "start": "office",
                "end": "office",
                "shift": [420, 930],
                "skills": ["medication"],
            }
        ],
        "visits": [
            {
                "id": visit_id,
                "client": person,
                "location": f"home-{person}",
                "window": [480, 540],
                "duration": 30,
                "skills": ["medication"],
                "staff_count": 1,
                "preferred_staff": [worker],
                "optional": False,
            }
        ],
        "weights": {"travel": 1, "non_preferred": 10, "unassigned": 10000},
    }


def test_the_problem_and_the_current_plan_pass_the_shared_validator(
    day_of_team: dict[str, Any],
    coordinator: Staff,
    care_worker: Staff,
    reablement_team: Team,
    today: datetime.date,
) -> None:
    validate = _validator()
    unplanned = current_plan(reablement_team, today)
    errors, summary = validate.check(day_of_team, unplanned)
    assert (errors, summary["unassigned"]) == ([], 1)

    today_visit = Visit.objects.get(team=reablement_team, day=today)
    services.assign_visit(
        visit=today_visit, staff=[care_worker], planned_start_minute=490, override_reason="",
        by=coordinator,
    )  # fmt: skip
    errors, summary = validate.check(day_of_team, current_plan(reablement_team, today))
    assert (errors, summary["unassigned"], summary["complete"]) == ([], 0, True)


def test_an_empty_day_is_an_empty_problem(reablement_team: Team, today: datetime.date) -> None:
    problem = build_problem(reablement_team, today)
    assert (problem["locations"], problem["staff"], problem["visits"]) == (
        [{"id": "office", "lat": 0.0, "lon": 0.0}],
        [],
        [],
    )


def test_rounds_start_at_the_teams_office_when_it_has_one(
    at_home: Episode, care_worker: Staff, coordinator: Staff, reablement_team: Team,
    today: datetime.date,
) -> None:  # fmt: skip
    shift(care_worker, reablement_team, today, coordinator)
    visit(at_home, reablement_team, today)
    reablement_team.office_latitude, reablement_team.office_longitude = 60.553, 16.284
    reablement_team.save()

    problem = build_problem(reablement_team, today)

    assert problem["locations"][0] == {"id": "office", "lat": 60.553, "lon": 16.284}
    assert [(s["start"], s["end"]) for s in problem["staff"]] == [("office", "office")]
