"""Writes for the shared plan: planning rows, visits generated and assigned, visits recorded,
delegations issued and withdrawn."""

import datetime
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from trygghem.audit.services import record_change
from trygghem.core.time import local_today
from trygghem.decisions.models import Decision
from trygghem.decisions.selectors import current_decision
from trygghem.episodes.models import Episode
from trygghem.episodes.services import lock_episode
from trygghem.planning import rules, selectors
from trygghem.planning.models import (
    Delegation,
    EpisodeStaffWork,
    EpisodeVisitDay,
    Law,
    MorningMeeting,
    PlanningRun,
    ServiceTemplate,
    Shift,
    Visit,
    VisitAssignment,
)
from trygghem.planning.problem import build_problem, current_plan
from trygghem.planning.proposal import assignments as proposal_assignments
from trygghem.planning.proposal import without_staff
from trygghem.planning.tasks import plan_the_day
from trygghem.rehab.models import PlanAction
from trygghem.staff.models import Staff, Team
from trygghem.staff.rules import Action, check_may

AT_HOME = [Episode.Status.ACTIVE, Episode.Status.FOLLOW_UP_HELD]
DELEGABLE_ROLES = {Staff.Role.REHAB_ASSISTANT, Staff.Role.CARE_WORKER}
DAY_MINUTES = 24 * 60
SKILLS = ["hsl", "rehab", "medication", "insulin", "wound_care"]


def _spec(template: ServiceTemplate) -> rules.TemplateSpec:
    return rules.TemplateSpec(
        weekdays=tuple(template.weekdays),
        starts_on=template.starts_on,
        ends_on=template.ends_on,
        window_start=template.window_start_minute,
        window_end=template.window_end_minute,
        duration=template.duration_minutes,
        taper_after_days=template.taper_after_days,
        taper_to=template.taper_to_minutes,
    )


def _reablement_team(episode: Episode) -> Team | None:
    """The team that does the episode's daytime visits: its reablement team, else its rehab unit
    (intensive home rehabilitation has no reablement team)."""
    teams = {team.kind: team for team in episode.teams.all()}
    return teams.get(Team.Kind.REABLEMENT) or teams.get(Team.Kind.REHAB)


def _team_for(template: ServiceTemplate, spec: rules.VisitSpec) -> tuple[Team | None, bool]:
    """(team, with the person) of a generated visit; home care falls back to the daytime team
    for a person without a home-care group."""
    if template.team is not None:
        return template.team, False
    daytime = _reablement_team(template.episode)
    if spec.goes_to == rules.GoesTo.HOME_CARE and template.episode.person.home_care_team:
        return template.episode.person.home_care_team, spec.with_the_person
    return daytime, False


def _insert_from(table: str, columns: list[str], rows: "QuerySet[Any, Any]") -> None:
    """INSERT INTO table (columns) SELECT ...: the grouped query runs in the database."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) {sql}", params)


@transaction.atomic
def rebuild_visit_summaries(*, episode_ids: Sequence[int] | None) -> None:
    """Make the visit summaries of the episodes (all episodes with None) equal to their visits
    again: per staff member the visits done and their minutes, per day the visits and those
    kept despite a conflict. Every service that creates visits or changes their status, times,
    staff or override calls it in its transaction; the episodes are locked so that two
    recordings at once do not rebuild from each other's stale reads. One grouped INSERT ...
    SELECT per summary, so it also fills millions of visits (migration, demo, benchmark)."""
    visits = Visit.objects.all()
    assignments = VisitAssignment.objects.filter(visit__status=Visit.Status.DONE)
    work = EpisodeStaffWork.objects.all()
    days = EpisodeVisitDay.objects.all()
    if episode_ids is not None:
        ids = sorted(set(episode_ids))
        if not ids:
            return
        list(Episode.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
        visits = visits.filter(episode_id__in=ids)
        assignments = assignments.filter(visit__episode_id__in=ids)
        work = work.filter(episode_id__in=ids)
        days = days.filter(episode_id__in=ids)
    work.delete()
    days.delete()
    _insert_from(
        EpisodeStaffWork._meta.db_table,
        ["episode_id", "staff_id", "visits_done", "minutes_done"],
        assignments.values_list("visit__episode_id", "staff_id")
        .annotate(
            visits_done=Count("pk"),
            # Done visits have both times (record_visit); a missing one counts no minutes.
            minutes_done=Coalesce(
                Sum(F("visit__actual_end_minute") - F("visit__actual_start_minute")), 0
            ),
        )
        .order_by(),
    )
    _insert_from(
        EpisodeVisitDay._meta.db_table,
        ["episode_id", "day", "visits", "overridden"],
        visits.values_list("episode_id", "day")
        .annotate(visits=Count("pk"), overridden=Count("pk", filter=~Q(override_reason="")))
        .order_by(),
    )


@transaction.atomic
def generate_visits(*, day: datetime.date, team: Team, by: Staff) -> list[Visit]:
    """Create the day's visits of a team from the service templates of people at home. A
    template gives at most one visit a day, so generating twice adds nothing."""
    check_may(by, Action.PLAN_VISITS)
    templates = (
        ServiceTemplate.objects.filter(active=True, episode__status__in=AT_HOME)
        .exclude(visits__day=day)
        .select_related("episode__person__home_care_team", "team")
        .prefetch_related("episode__teams")
        .order_by("window_start_minute", "id")
    )
    created: list[Visit] = []
    for template in templates:
        spec = rules.visit_on(_spec(template), day)
        if spec is None:
            continue
        visit_team, with_the_person = _team_for(template, spec)
        if visit_team != team:
            continue
        created.append(
            Visit.objects.create(
                episode=template.episode,
                person=template.episode.person,
                template=template,
                team=team,
                day=day,
                what=template.what,
                law=template.law,
                goal_text=template.goal_text,
                window_start_minute=spec.window_start,
                window_end_minute=spec.window_end,
                duration_minutes=spec.duration,
                skills=list(template.skills),
                staff_count=template.staff_count,
                with_the_person=with_the_person,
            )
        )
    rebuild_visit_summaries(episode_ids=[visit.episode_id for visit in created])
    by_person: dict[int, list[Visit]] = defaultdict(list)
    for visit in created:
        by_person[visit.person_id].append(visit)
    for visits in by_person.values():
        record_change(
            by=by,
            person=visits[0].person,
            action="visits.generated",
            detail={
                "day": day.isoformat(),
                "team": str(team.external_id),
                "visits": [str(visit.external_id) for visit in visits],
            },
        )
    return created


@transaction.atomic
def add_shift(
    *, staff: Staff, team: Team, day: datetime.date, start_minute: int, end_minute: int, by: Staff
) -> Shift:
    """Give a staff member a row in a team's day plan (a planning row). A staff member works
    one shift a day. Not part of a person's record, so no access-log row."""
    check_may(by, Action.PLAN_VISITS)
    if not selectors.plannable_staff(team=team).filter(pk=staff.pk).exists():
        raise ValidationError(
            {
                "staff": ValidationError(
                    _("Choose a member of the team or a rehab assistant."), code="not_plannable"
                )
            }
        )
    if not 0 <= start_minute < end_minute <= DAY_MINUTES:
        raise ValidationError(
            {
                "end": ValidationError(
                    _("The shift must end after it starts."), code="ends_before_start"
                )
            }
        )
    if Shift.objects.filter(staff=staff, day=day).exists():
        raise ValidationError(
            {
                "staff": ValidationError(
                    _("This staff member already has a shift this day."), code="shift_exists"
                )
            }
        )
    return Shift.objects.create(
        staff=staff,
        team=team,
        day=day,
        start_minute=start_minute,
        end_minute=end_minute,
        created_by=by,
    )


@transaction.atomic
def assign_visit(
    *,
    visit: Visit,
    staff: Sequence[Staff],
    planned_start_minute: int,
    override_reason: str,
    by: Staff,
) -> list[rules.Conflict]:
    """Place a visit in time with its staff, or move it. A plan with conflicts (double booking,
    travel, two visits to the person at once, missing delegation, outside the shift, window
    missed) is refused unless the coordinator gives a reason to override; returns them."""
    conflicts = _place_visit(
        visit=visit,
        staff=staff,
        planned_start_minute=planned_start_minute,
        override_reason=override_reason,
        by=by,
    )
    rebuild_visit_summaries(episode_ids=[visit.episode_id])
    return conflicts


def _place_visit(
    *,
    visit: Visit,
    staff: Sequence[Staff],
    planned_start_minute: int,
    override_reason: str,
    by: Staff,
) -> list[rules.Conflict]:
    """assign_visit without rebuilding the visit summaries: for a caller that places many
    visits and rebuilds once (accept_proposal)."""
    check_may(by, Action.PLAN_VISITS)
    visit = Visit.objects.select_for_update().select_related("person", "team").get(pk=visit.pk)
    if visit.status != Visit.Status.PLANNED:
        raise ValidationError(_("A recorded visit can no longer be moved."), code="visit_recorded")
    distinct = {member.pk: member for member in staff}
    if len(distinct) != visit.staff_count or len(distinct) != len(staff):
        raise ValidationError(
            {
                "staff": ValidationError(
                    _("Choose %(count)d different staff for this visit.")
                    % {"count": visit.staff_count},
                    code="staff_count",
                )
            }
        )
    if not 0 <= planned_start_minute <= DAY_MINUTES - visit.duration_minutes:
        raise ValidationError(
            {
                "start": ValidationError(
                    _("The visit must end the same day."), code="start_out_of_day"
                )
            }
        )
    conflicts = selectors.conflicts_if_assigned(
        visit=visit, staff=list(distinct.values()), start=planned_start_minute
    )
    reason = override_reason.strip()
    if conflicts and not reason:
        raise ValidationError(
            {
                "override_reason": ValidationError(
                    _("The plan has conflicts: resolve them, or give a reason to save it anyway."),
                    code="conflicts",
                )
            }
        )
    visit.planned_start_minute = planned_start_minute
    visit.override_reason = reason if conflicts else ""
    visit.save(update_fields=["planned_start_minute", "override_reason"])
    VisitAssignment.objects.filter(visit=visit).delete()
    VisitAssignment.objects.bulk_create(
        VisitAssignment(visit=visit, staff=member) for member in distinct.values()
    )
    record_change(
        by=by,
        person=visit.person,
        action="visit.assigned",
        detail={
            "visit": str(visit.external_id),
            "staff": [str(member.external_id) for member in distinct.values()],
            "start": planned_start_minute,
            "overridden": sorted({str(conflict.kind) for conflict in conflicts}),
        },
    )
    return conflicts


@transaction.atomic
def record_visit(
    *,
    visit: Visit,
    status: str,
    actual_start_minute: int | None,
    actual_end_minute: int | None,
    independence: str,
    note: str,
    deterioration: bool,
    today: datetime.date,
    by: Staff,
) -> Visit:
    """Record what happened at a visit: done or not done, when, and how independently the
    person did it ("with hands behind the back"). Only the staff on the visit record it."""
    check_may(by, Action.RECORD_VISIT)
    visit = Visit.objects.select_for_update().select_related("person").get(pk=visit.pk)
    if not VisitAssignment.objects.filter(visit=visit, staff=by).exists():
        raise ValidationError(_("Only the staff on the visit record it."), code="not_assigned")
    if visit.status != Visit.Status.PLANNED:
        raise ValidationError(_("The visit is already recorded."), code="already_recorded")
    if visit.day > today:
        raise ValidationError(_("A visit is recorded on its day or later."), code="not_yet")
    if status == Visit.Status.DONE:
        errors = {}
        if actual_start_minute is None or actual_end_minute is None:
            errors["actual_end"] = ValidationError(
                _("Give the times of a visit that was done."), code="times_required"
            )
        elif actual_end_minute <= actual_start_minute:
            errors["actual_end"] = ValidationError(
                _("The visit must end after it starts."), code="ends_before_start"
            )
        if not independence:
            errors["independence"] = ValidationError(
                _("Say how independently the person did it."), code="required"
            )
        if errors:
            raise ValidationError(errors)
    elif status == Visit.Status.NOT_DONE:
        if not note.strip():
            raise ValidationError(
                {"note": ValidationError(_("Say why the visit was not done."), code="required")}
            )
        actual_start_minute = actual_end_minute = None
        independence = ""
    else:
        raise ValidationError(
            {"status": ValidationError(_("Choose done or not done."), code="invalid")}
        )
    visit.status = status
    visit.actual_start_minute = actual_start_minute
    visit.actual_end_minute = actual_end_minute
    visit.independence = independence
    visit.note = note.strip()
    visit.deterioration = deterioration
    visit.recorded_by = by
    visit.save(
        update_fields=[
            "status",
            "actual_start_minute",
            "actual_end_minute",
            "independence",
            "note",
            "deterioration",
            "recorded_by",
        ]
    )
    rebuild_visit_summaries(episode_ids=[visit.episode_id])
    record_change(
        by=by,
        person=visit.person,
        action="visit.recorded",
        detail={
            "visit": str(visit.external_id),
            "status": status,
            "independence": independence,
            "deterioration": deterioration,
        },
    )
    return visit


@transaction.atomic
def issue_delegation(
    *, staff: Staff, task: str, valid_from: datetime.date, valid_to: datetime.date, by: Staff
) -> Delegation:
    """A nurse delegates a task to a rehab assistant or care worker for at most a year. Not part
    of a person's record: `changed_by` keeps who did it."""
    check_may(by, Action.ISSUE_DELEGATION)
    if staff.role not in DELEGABLE_ROLES:
        raise ValidationError(
            {
                "staff": ValidationError(
                    _("Tasks are delegated to rehab assistants and care workers."),
                    code="not_delegable",
                )
            }
        )
    if task not in Delegation.Task.values:
        raise ValidationError({"task": ValidationError(_("Choose a listed task."), code="invalid")})
    if valid_to < valid_from:
        raise ValidationError(
            {
                "valid_to": ValidationError(
                    _("The delegation must end after it starts."), code="ends_before_start"
                )
            }
        )
    if (valid_to - valid_from).days >= rules.DELEGATION_MAX_DAYS:
        raise ValidationError(
            {
                "valid_to": ValidationError(
                    _("A delegation is valid for at most a year."), code="too_long"
                )
            }
        )
    return Delegation.objects.create(
        task=task,
        issued_by=by,
        staff=staff,
        valid_from=valid_from,
        valid_to=valid_to,
        changed_by=by,
    )


@transaction.atomic
def withdraw_delegation(
    *, delegation: Delegation, withdrawn_on: datetime.date, by: Staff
) -> Delegation:
    """Withdraw a delegation from a day on; it no longer counts from that day."""
    check_may(by, Action.ISSUE_DELEGATION)
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if delegation.withdrawn_on is not None:
        raise ValidationError(_("The delegation is already withdrawn."), code="already_withdrawn")
    delegation.withdrawn_on = withdrawn_on
    delegation.changed_by = by
    delegation.save(update_fields=["withdrawn_on", "changed_by"])
    return delegation


@transaction.atomic
def record_morning_meeting(
    *, team: Team, day: datetime.date, notes: str, today: datetime.date, by: Staff
) -> MorningMeeting:
    """Write down what the team decided at its morning meeting; the team's own staff may, on
    the day itself (later it is a record of what was decided then). Team data, not a person's
    record: `recorded_by` keeps who wrote it, and the notes never reach a log."""
    check_may(by, Action.RECORD_MORNING_MEETING)
    if not by.teams.filter(pk=team.pk).exists():
        raise ValidationError(
            _("Only the team's own staff write its morning meeting."), code="not_in_team"
        )
    if day != today:
        raise ValidationError(
            _("A morning meeting is written down on its own day."), code="not_today"
        )
    meeting = MorningMeeting.objects.select_for_update().filter(team=team, day=day).first()
    if meeting is None:
        return MorningMeeting.objects.create(
            team=team, day=day, notes=notes.strip(), recorded_by=by
        )
    meeting.notes = notes.strip()
    meeting.recorded_by = by
    meeting.save(update_fields=["notes", "recorded_by"])
    return meeting


@dataclass(frozen=True)
class TemplateDetails:
    """A recurring service as granted in the decision."""

    what: str
    law: str
    weekdays: list[int]
    starts_on: datetime.date
    ends_on: datetime.date | None
    window_start_minute: int
    window_end_minute: int
    duration_minutes: int
    skills: list[str]
    staff_count: int
    taper_after_days: int | None = None
    taper_to_minutes: int | None = None
    goal_text: str = ""


def _check_template(details: TemplateDetails, decision: Decision | None) -> None:
    errors: dict[str, ValidationError] = {}
    if decision is None:
        raise ValidationError(
            _("The episode has no running decision to plan from."), code="no_decision"
        )
    if not details.weekdays or not set(details.weekdays) <= set(range(7)):
        errors["weekdays"] = ValidationError(_("Choose at least one weekday."), code="required")
    if details.law not in Law.values:
        errors["law"] = ValidationError(_("Choose SoL or HSL."), code="invalid")
    if not set(details.skills) <= set(SKILLS):
        errors["skills"] = ValidationError(_("Choose listed skills."), code="invalid")
    if details.staff_count not in (1, 2):
        errors["staff_count"] = ValidationError(_("One or two staff."), code="invalid")
    ends_on = details.ends_on or decision.end_on
    if details.starts_on < decision.start_on or ends_on > decision.end_on:
        errors["starts_on"] = ValidationError(
            _("The service must lie within the decision, %(start)s to %(end)s.")
            % {"start": decision.start_on, "end": decision.end_on},
            code="outside_decision",
        )
    elif ends_on < details.starts_on:
        errors["ends_on"] = ValidationError(
            _("The service must end after it starts."), code="ends_before_start"
        )
    if details.window_end_minute < details.window_start_minute:
        errors["window_end"] = ValidationError(
            _("The latest start must not be before the earliest."), code="window_reversed"
        )
    elif details.window_end_minute + details.duration_minutes > DAY_MINUTES:
        errors["window_end"] = ValidationError(
            _("The visit must end the same day."), code="window_out_of_day"
        )
    if not 5 <= details.duration_minutes <= 240:
        errors["duration_minutes"] = ValidationError(
            _("A visit lasts 5 to 240 minutes."), code="invalid_duration"
        )
    if (details.taper_after_days is None) != (details.taper_to_minutes is None):
        errors["taper_to_minutes"] = ValidationError(
            _("Give both when the visit gets shorter and how short, or neither."),
            code="taper_incomplete",
        )
    elif details.taper_to_minutes is not None and not (
        5 <= details.taper_to_minutes < details.duration_minutes
    ):
        errors["taper_to_minutes"] = ValidationError(
            _("The shorter duration must be shorter than the visit, and at least 5 minutes."),
            code="taper_not_shorter",
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_service_template(
    *, episode: Episode, details: TemplateDetails, by: Staff
) -> ServiceTemplate:
    """Turn a service of the decision into a recurring visit (what, SoL or HSL, weekdays,
    window, duration, skills, one or two staff, tapering), within the decision's period
    (SoL 4 kap. 1 §). Visits are then generated from it per day."""
    check_may(by, Action.MANAGE_SERVICE_TEMPLATES)
    episode = lock_episode(episode)
    if episode.status not in [*AT_HOME, Episode.Status.DECIDED]:
        raise ValidationError(
            _("Services are planned while the person is enrolled."), code="not_enrolled"
        )
    decision = current_decision(episode=episode)
    _check_template(details, decision)
    assert decision is not None  # noqa: S101  (checked above)
    template = ServiceTemplate.objects.create(
        episode=episode,
        what=details.what.strip(),
        law=details.law,
        weekdays=sorted(set(details.weekdays)),
        starts_on=details.starts_on,
        ends_on=details.ends_on or decision.end_on,
        window_start_minute=details.window_start_minute,
        window_end_minute=details.window_end_minute,
        duration_minutes=details.duration_minutes,
        taper_after_days=details.taper_after_days,
        taper_to_minutes=details.taper_to_minutes,
        skills=sorted(set(details.skills)),
        staff_count=details.staff_count,
        goal_text=details.goal_text.strip(),
    )
    _record_template(template, by)
    return template


def _record_template(template: ServiceTemplate, by: Staff) -> None:
    detail: dict[str, object] = {
        "template": str(template.external_id),
        "law": template.law,
        "weekdays": template.weekdays,
        "window": [template.window_start_minute, template.window_end_minute],
        "duration": template.duration_minutes,
        "staff": template.staff_count,
    }
    if template.plan_action is not None:
        detail["plan_action"] = str(template.plan_action.external_id)
    record_change(
        by=by, person=template.episode.person, action="service_template.created", detail=detail
    )


@transaction.atomic
def template_from_training_action(*, action: PlanAction, by: Staff) -> ServiceTemplate:
    """Schedule a prescribed training action of the rehab plan: its window and duration, its
    times per week spread over the week, a rehab assistant's visit needing the skill "rehab";
    HSL, until the action ends. Keeps goal -> action -> template -> visits (issue 3)."""
    check_may(by, Action.MANAGE_SERVICE_TEMPLATES)
    action = (
        PlanAction.objects.select_related("goal", "plan__episode")
        .select_for_update(of=("self",))
        .get(pk=action.pk)
    )
    episode = lock_episode(action.plan.episode)
    if not action.is_training:
        raise ValidationError(
            _("Only prescribed training is planned as visits."), code="not_training"
        )
    if ServiceTemplate.objects.filter(plan_action=action).exists():
        raise ValidationError(_("This training is already in the plan."), code="already_planned")
    if action.plan.is_closed:
        raise ValidationError(_("The rehab plan is closed."), code="plan_closed")
    if episode.status not in AT_HOME:
        raise ValidationError(
            _("Training is planned while the person is at home."), code="not_at_home"
        )
    decision = current_decision(episode=episode)
    if decision is None or decision.terminated_on is not None:
        raise ValidationError(
            _("The episode has no running decision to plan from."), code="no_decision"
        )
    assert action.window_start is not None  # noqa: S101  (a database constraint)
    assert action.window_end is not None  # noqa: S101
    assert action.duration_minutes is not None  # noqa: S101
    today = local_today()
    starts_on = max(today, decision.start_on)
    ends_on = min(action.until_on, decision.end_on)
    if ends_on < starts_on:
        raise ValidationError(_("The training has already ended."), code="ended")
    template = ServiceTemplate.objects.create(
        episode=episode,
        what=action.what,
        law=Law.HSL,
        weekdays=rules.spread_weekdays(action.times_per_week),
        starts_on=starts_on,
        ends_on=ends_on,
        window_start_minute=action.window_start.hour * 60 + action.window_start.minute,
        window_end_minute=action.window_end.hour * 60 + action.window_end.minute,
        duration_minutes=action.duration_minutes,
        skills=["rehab"] if action.performed_by == PlanAction.Performer.REHAB_ASSISTANT else [],
        staff_count=1,
        goal_text=action.goal.own_words[:300],
        plan_action=action,
    )
    _record_template(template, by)
    return template


# Plan the day: the automatic planner in the background worker


@transaction.atomic
def request_plan(
    *, team: Team, day: datetime.date, by: Staff, sick_staff: Sequence[Staff] = ()
) -> PlanningRun:
    """Ask the planner for a proposal for a team's day. Staff called in sick lose their rows
    in the problem; then the current plan is the warm start, so the other assignments are kept
    where possible. The worker starts once this transaction commits."""
    check_may(by, Action.PLAN_VISITS)
    if PlanningRun.objects.filter(
        team=team, day=day, status__in=[PlanningRun.Status.QUEUED, PlanningRun.Status.RUNNING]
    ).exists():
        raise ValidationError(
            _("The planner is already working on this day."), code="run_in_progress"
        )
    problem = build_problem(team, day)
    sick = {str(member.external_id) for member in sick_staff}
    problem["staff"] = [member for member in problem["staff"] if member["id"] not in sick]
    if not problem["visits"]:
        raise ValidationError(_("There are no visits to plan on this day."), code="no_visits")
    if not problem["staff"]:
        raise ValidationError(_("Nobody has a row in this plan."), code="no_staff")
    current = current_plan(team, day)
    run = PlanningRun.objects.create(
        team=team,
        day=day,
        requested_by=by,
        sick_staff=sorted(sick),
        problem=problem,
        current=current,
        warm_start=without_staff(current, sick) if sick else None,
        progress=gettext_noop("Waiting for the planner to start."),
    )
    run_id = run.pk
    transaction.on_commit(lambda: plan_the_day(run_id))
    return run


def accept_conflicts(run: PlanningRun) -> list[rules.Conflict]:
    """The conflicts the day's shared plan would have with the proposal in it, checked now:
    the plan may have changed since the planner ran (another team, a recorded visit)."""
    if run.proposal is None:
        return []
    proposed = proposal_assignments(run.proposal)
    visits = list(selectors.visits_on(day=run.day))
    wanted = {str(member["id"]) for member in run.problem["staff"]}
    members = {str(m.external_id): m for m in Staff.objects.filter(external_id__in=wanted)}
    in_problem = {v["id"] for v in run.problem["visits"]}
    planned = []
    for visit in visits:
        visit_id = str(visit.external_id)
        if visit_id in proposed and visit.status == Visit.Status.PLANNED:
            staff_ids, start = proposed[visit_id]
            chosen = [members[s] for s in staff_ids if s in members]
            planned.append(selectors.planned_visit(visit, staff=chosen, start=math.ceil(start)))
        elif visit_id in in_problem:
            planned.append(selectors.planned_visit(visit, staff=[], start=None))
        else:
            planned.append(selectors.planned_visit(visit))
    assigned = [a.staff for visit in visits for a in visit.assignments.all()]
    everyone = selectors.staff_days(day=run.day, staff=[*members.values(), *assigned])
    conflicts = rules.find_conflicts(planned, everyone)
    return [c for c in conflicts if any(v in proposed for v in c.visits)]


@transaction.atomic
def accept_proposal(*, run: PlanningRun, override_reason: str, by: Staff) -> None:
    """Make the proposal the team's plan: every visit of the problem gets the proposal's staff
    and start (placed as assign_visit does), or is taken off the plan when the proposal leaves it
    unassigned. Conflicts with the day as it is now need a reason, as a manual assignment does."""
    check_may(by, Action.PLAN_VISITS)
    run = PlanningRun.objects.select_for_update().get(pk=run.pk)
    if run.status != PlanningRun.Status.DONE or run.proposal is None:
        raise ValidationError(_("There is no proposal to accept."), code="no_proposal")
    if run.accepted_at is not None:
        raise ValidationError(_("This proposal is already accepted."), code="already_accepted")
    reason = override_reason.strip()
    if accept_conflicts(run) and not reason:
        raise ValidationError(
            {
                "override_reason": ValidationError(
                    _("The plan has conflicts: resolve them, or give a reason to save it anyway."),
                    code="conflicts",
                )
            }
        )
    proposed = proposal_assignments(run.proposal)
    ids = [visit["id"] for visit in run.problem["visits"]]
    visits = list(
        Visit.objects.select_for_update()
        .filter(external_id__in=ids, team=run.team, day=run.day, status=Visit.Status.PLANNED)
        .select_related("person", "team")
        .order_by("id")
    )
    members = {
        str(m.external_id): m
        for m in Staff.objects.filter(external_id__in=[m["id"] for m in run.problem["staff"]])
    }
    for visit in visits:
        if visit.planned_start_minute is not None or visit.assignments.exists():
            VisitAssignment.objects.filter(visit=visit).delete()
            visit.planned_start_minute = None
            visit.override_reason = ""
            visit.save(update_fields=["planned_start_minute", "override_reason"])
            if str(visit.external_id) not in proposed:
                record_change(
                    by=by,
                    person=visit.person,
                    action="visit.unassigned",
                    detail={"visit": str(visit.external_id), "run": str(run.external_id)},
                )
    ordered = sorted(
        (v for v in visits if str(v.external_id) in proposed),
        key=lambda v: proposed[str(v.external_id)][1],
    )
    for visit in ordered:
        staff_ids, start = proposed[str(visit.external_id)]
        _place_visit(
            visit=visit,
            staff=[members[s] for s in staff_ids],
            planned_start_minute=math.ceil(start),
            override_reason=reason,
            by=by,
        )
    rebuild_visit_summaries(episode_ids=[visit.episode_id for visit in visits])
    run.accepted_at = timezone.now()
    run.accepted_by = by
    run.save(update_fields=["accepted_at", "accepted_by"])
