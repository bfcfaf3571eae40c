"""Gates for planning. A visit is part of its person's record: it is visible when its episode
is, and every read is logged. A team's day plan opens for the team's own staff; the people on
it are shown by name only to those who may see them."""

import uuid
from dataclasses import dataclass

from django.http import Http404

from trygghem.audit.services import log_read
from trygghem.episodes.access import episodes_visible_to
from trygghem.people.access import people_visible_to
from trygghem.planning.models import Delegation, PlanningRun, Visit
from trygghem.rehab.models import PlanAction
from trygghem.staff.models import Staff, Team
from trygghem.staff.rules import Action, may, sees_records

PLANNED_KINDS = [Team.Kind.REABLEMENT, Team.Kind.REHAB, Team.Kind.HOME_CARE]


def get_plan_team_for_user(*, staff: Staff, external_id: uuid.UUID) -> Team:
    """A team whose day plan the staff member may open: one of their own teams that does
    visits. Opening the plan reads no record by itself; the people listed are logged."""
    if not sees_records(staff.role):
        raise Http404
    team = staff.teams.filter(external_id=external_id, kind__in=PLANNED_KINDS).first()
    if team is None:
        raise Http404
    return team


def visible_person_ids(staff: Staff) -> set[int]:
    """The people the staff member may see by name (a selector: logs nothing)."""
    return set(people_visible_to(staff).values_list("pk", flat=True))


def get_visit_for_user(
    *,
    staff: Staff,
    external_id: uuid.UUID,
    what: str,
    action: Action | None = None,
    assigned_only: bool = False,
) -> Visit:
    """A visit the staff member may see (with `action`, may change; with `assigned_only`, is
    on); 404 otherwise. Logs the read of the person's record."""
    if action is not None and not may(staff.role, action):
        raise Http404
    visits = Visit.objects.filter(episode__in=episodes_visible_to(staff), external_id=external_id)
    if assigned_only:
        visits = visits.filter(assignments__staff=staff)
    visit = visits.select_related("person", "team", "episode").first()
    if visit is None:
        raise Http404
    log_read(by=staff, person=visit.person, what=what)
    return visit


def get_delegation_for_user(*, staff: Staff, external_id: uuid.UUID, action: Action) -> Delegation:
    """Delegations are staff data, not a person's record: the role decides, nothing is logged."""
    if not may(staff.role, action):
        raise Http404
    delegation = (
        Delegation.objects.filter(external_id=external_id)
        .select_related("staff__user", "issued_by__user")
        .first()
    )
    if delegation is None:
        raise Http404
    return delegation


@dataclass(frozen=True)
class PlanningLinks:
    """What the start page links to: the day plans of the staff member's teams, their own
    day, the delegations register, the morning meetings of their teams."""

    teams: list[Team]
    my_day: bool
    delegations: bool
    morning_meetings: list[Team]


def planning_links(staff: Staff) -> PlanningLinks:
    teams = []
    if sees_records(staff.role):
        teams = [team for team in staff.teams.all() if team.kind in PLANNED_KINDS]
    return PlanningLinks(
        teams=teams,
        my_day=may(staff.role, Action.RECORD_VISIT),
        delegations=may(staff.role, Action.VIEW_DELEGATIONS),
        morning_meetings=teams if may(staff.role, Action.RECORD_MORNING_MEETING) else [],
    )


def get_plan_action_for_user(
    *, staff: Staff, external_id: uuid.UUID, what: str, action: Action
) -> PlanAction:
    """A rehab plan's action whose episode the staff member sees and may plan; logs the read."""
    if not may(staff.role, action):
        raise Http404
    plan_action = (
        PlanAction.objects.filter(
            plan__episode__in=episodes_visible_to(staff), external_id=external_id
        )
        .select_related("goal", "plan__episode__person")
        .first()
    )
    if plan_action is None:
        raise Http404
    log_read(by=staff, person=plan_action.plan.episode.person, what=what)
    return plan_action


def get_planning_run_for_user(*, staff: Staff, external_id: uuid.UUID) -> PlanningRun:
    """A planning run of one of the coordinator's own teams; 404 otherwise. The people the run
    page shows are logged by the view, as on the day plan."""
    if not may(staff.role, Action.PLAN_VISITS):
        raise Http404
    run = (
        PlanningRun.objects.filter(external_id=external_id, team__in=staff.teams.all())
        .select_related("team")
        .first()
    )
    if run is None:
        raise Http404
    return run
