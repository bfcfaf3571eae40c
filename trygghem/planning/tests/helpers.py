"""Planning rows for tests: templates and shifts made directly (smallest valid rows), visits
through the real services."""

import datetime
from typing import Any

from django.db.models import Model

from tests.assertions import database_state
from trygghem.episodes.models import Episode
from trygghem.planning.models import (
    Delegation,
    EpisodeStaffWork,
    EpisodeVisitDay,
    MorningMeeting,
    ServiceTemplate,
    Shift,
    Visit,
    VisitAssignment,
)
from trygghem.staff.models import Staff, Team

HOME = (60.5460, 16.2830)
NEIGHBOUR = (60.5510, 16.3010)


def template(episode: Episode, **overrides: Any) -> ServiceTemplate:
    """Morning help every day 08:00-09:00 for 30 minutes, from the episode's first day."""
    values: dict[str, Any] = {
        "episode": episode,
        "what": "Morgonhjälp",
        "weekdays": [0, 1, 2, 3, 4, 5, 6],
        "starts_on": datetime.date(2026, 3, 1),
        "window_start_minute": 8 * 60,
        "window_end_minute": 9 * 60,
        "duration_minutes": 30,
    }
    values.update(overrides)
    return ServiceTemplate.objects.create(**values)


def shift(
    staff: Staff, team: Team, day: datetime.date, by: Staff, start: int = 420, end: int = 930
) -> Shift:
    return Shift.objects.create(
        staff=staff, team=team, day=day, start_minute=start, end_minute=end, created_by=by
    )


def visit(episode: Episode, team: Team, day: datetime.date, **overrides: Any) -> Visit:
    values: dict[str, Any] = {
        "episode": episode,
        "person": episode.person,
        "team": team,
        "day": day,
        "what": "Träning",
        "window_start_minute": 8 * 60,
        "window_end_minute": 9 * 60,
        "duration_minutes": 30,
    }
    values.update(overrides)
    return Visit.objects.create(**values)


def delegation(
    staff: Staff, by: Staff, start: datetime.date, end: datetime.date, task: str = "medication"
) -> Delegation:
    return Delegation.objects.create(
        task=task, issued_by=by, staff=staff, valid_from=start, valid_to=end, changed_by=by
    )


_PLANNING: list[type[Model]] = [
    Shift,
    Delegation,
    ServiceTemplate,
    Visit,
    VisitAssignment,
    EpisodeStaffWork,
    EpisodeVisitDay,
    MorningMeeting,
]


def planning_state() -> dict[str, list[dict[str, Any]]]:
    """The record tables and the planning tables, to assert a refusal changed nothing."""
    return database_state() | {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in _PLANNING
    }
