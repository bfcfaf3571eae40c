"""Reads for planning: a day's visits and staff as the pure rules see them, conflicts,
continuity, delegations. Access to people is decided by the gates in access.py."""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from trygghem.core.time import local_date
from trygghem.decisions.models import Decision
from trygghem.episodes.access import episodes_visible_to
from trygghem.episodes.models import Episode
from trygghem.people.models import Person
from trygghem.planning import rules
from trygghem.planning.models import (
    Delegation,
    MorningMeeting,
    PlanningRun,
    ServiceTemplate,
    Shift,
    Visit,
    VisitAssignment,
)
from trygghem.planning.proposal import Figures, figures
from trygghem.rehab.models import Goal, PlanAction
from trygghem.staff.models import Staff, Team
from trygghem.worklists import selectors as worklist_selectors


def visits_on(*, day: datetime.date) -> QuerySet[Visit]:
    """Every visit of a day, across all teams, with what the plan shows."""
    return (
        Visit.objects.filter(day=day)
        .select_related("person", "team", "episode")
        .prefetch_related(
            Prefetch("assignments", queryset=VisitAssignment.objects.select_related("staff__user"))
        )
        .order_by("planned_start_minute", "window_start_minute", "id")
    )


def staff_ids(visit: Visit) -> tuple[str, ...]:
    return tuple(str(a.staff.external_id) for a in visit.assignments.all())


def planned_visit(
    visit: Visit, *, staff: Sequence[Staff] | None = None, start: int | None = None
) -> rules.PlannedVisit:
    """A visit as the rules see it; `staff`/`start` propose another assignment."""
    location = None
    if visit.person.latitude is not None and visit.person.longitude is not None:
        location = (visit.person.latitude, visit.person.longitude)
    return rules.PlannedVisit(
        id=str(visit.external_id),
        client=str(visit.person.external_id),
        team=visit.team.name,
        window=(visit.window_start_minute, visit.window_end_minute),
        duration=visit.duration_minutes,
        start=visit.planned_start_minute if staff is None else start,
        staff=staff_ids(visit) if staff is None else tuple(str(s.external_id) for s in staff),
        skills=tuple(visit.skills),
        location=location,
    )


def delegation_spans(delegations: Iterable[Delegation]) -> list[rules.DelegationSpan]:
    return [
        rules.DelegationSpan(d.task, d.valid_from, d.valid_to, d.withdrawn_on) for d in delegations
    ]


def staff_days(*, day: datetime.date, staff: Iterable[Staff]) -> dict[str, rules.StaffDay]:
    """Shift and skills (role and delegations valid that day) of each staff member."""
    members = {member.pk: member for member in staff}
    shifts = {s.staff_id: s for s in Shift.objects.filter(day=day, staff_id__in=members)}
    delegations: dict[int, list[Delegation]] = defaultdict(list)
    for delegation in Delegation.objects.filter(staff_id__in=members):
        delegations[delegation.staff_id].append(delegation)
    result = {}
    for pk, member in members.items():
        shift = shifts.get(pk)
        result[str(member.external_id)] = rules.StaffDay(
            id=str(member.external_id),
            name=member.full_name,
            shift=(shift.start_minute, shift.end_minute) if shift is not None else None,
            skills=rules.skills_on(member.role, delegation_spans(delegations[pk]), day),
        )
    return result


def _staff_of(visits: Iterable[Visit], extra: Iterable[Staff] = ()) -> list[Staff]:
    found = {a.staff.pk: a.staff for visit in visits for a in visit.assignments.all()}
    found |= {member.pk: member for member in extra}
    return list(found.values())


def day_conflicts(*, day: datetime.date) -> list[rules.Conflict]:
    """Every conflict in the day's shared plan, all teams together."""
    visits = list(visits_on(day=day))
    staff = staff_days(day=day, staff=_staff_of(visits))
    return rules.find_conflicts([planned_visit(v) for v in visits], staff)


def conflicts_if_assigned(
    *, visit: Visit, staff: Sequence[Staff], start: int
) -> list[rules.Conflict]:
    """The conflicts the visit would take part in if done by `staff` starting at `start`,
    checked against the whole day's shared plan."""
    visits = list(visits_on(day=visit.day))
    proposed = planned_visit(visit, staff=staff, start=start)
    planned = rules.replace_visit([planned_visit(v) for v in visits], proposed)
    members = staff_days(day=visit.day, staff=_staff_of(visits, staff))
    return rules.conflicts_of(rules.find_conflicts(planned, members), proposed.id)


def shifts_in_plan(*, team: Team, day: datetime.date) -> list[Shift]:
    """The planning rows of a team's plan, in order of start."""
    return list(
        Shift.objects.filter(team=team, day=day)
        .select_related("staff__user")
        .order_by("start_minute", "staff__user__last_name", "staff__user__first_name")
    )


def plannable_staff(*, team: Team) -> QuerySet[Staff]:
    """Who may get a row in a team's plan: its members and every rehab assistant (seed 000:
    the coordinator creates a planning row for a rehab assistant)."""
    return (
        Staff.objects.filter(Q(teams=team) | Q(role=Staff.Role.REHAB_ASSISTANT))
        .exclude(role__in=[Staff.Role.MAS, Staff.Role.ADMIN, Staff.Role.MANAGER])
        .select_related("user")
        .distinct()
        .order_by("user__last_name", "user__first_name")
    )


def continuity(*, episode_ids: Iterable[int], day: datetime.date) -> dict[int, tuple[int, int]]:
    """Per episode: (distinct staff over its visits up to `day`, distinct staff over the last
    14 days), the national continuity measure. Visits not done do not count."""
    since = day - datetime.timedelta(days=13)
    rows = VisitAssignment.objects.filter(
        visit__episode_id__in=list(episode_ids), visit__day__lte=day
    ).exclude(visit__status=Visit.Status.NOT_DONE)
    assignments: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
    for episode_id, visit_day, staff_id in rows.values_list(
        "visit__episode_id", "visit__day", "staff_id"
    ):
        assignments[episode_id].append((visit_day, str(staff_id)))
    return {
        episode_id: (
            rules.distinct_staff(visits, None),
            rules.distinct_staff(visits, since),
        )
        for episode_id, visits in assignments.items()
    }


def delegations_register() -> QuerySet[Delegation]:
    return Delegation.objects.select_related("staff__user", "issued_by__user").order_by(
        "valid_to", "staff__user__last_name", "staff__user__first_name", "task"
    )


def expiring_delegations(*, today: datetime.date) -> list[Delegation]:
    """Delegations still valid that end within 30 days: the nurse renews them in time."""
    until = today + datetime.timedelta(days=rules.DELEGATION_EXPIRING_WITHIN_DAYS)
    return list(
        delegations_register().filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today),
            valid_from__lte=today,
            valid_to__gte=today,
            valid_to__lte=until,
        )
    )


# The day plan page


@dataclass(frozen=True)
class Block:
    """A visit on the timeline. `visible` False: a person the viewer may not see by name."""

    visit: Visit
    column: int
    span: int
    visible: bool
    conflicted: bool

    @property
    def start(self) -> str:
        return rules.clock(self.visit.planned_start_minute or 0)

    @property
    def end(self) -> str:
        return rules.clock((self.visit.planned_start_minute or 0) + self.visit.duration_minutes)


@dataclass(frozen=True)
class Row:
    staff: Staff
    shift: Shift | None
    blocks: list[Block]

    @property
    def shift_text(self) -> str:
        if self.shift is None:
            return ""
        return f"{rules.clock(self.shift.start_minute)}–{rules.clock(self.shift.end_minute)}"


@dataclass(frozen=True)
class Continuity:
    person_name: str
    episode_staff: int
    last_14_days_staff: int


@dataclass(frozen=True)
class DayPlan:
    rows: list[Row]
    unassigned: list[Visit]
    conflicts: list[rules.Conflict]
    continuity: list[Continuity]
    people: list[Person]


def _block(visit: Visit, visible: set[int], conflicted: set[str]) -> Block:
    column, span = rules.timeline_columns(visit.planned_start_minute or 0, visit.duration_minutes)
    return Block(
        visit=visit,
        column=column,
        span=span,
        visible=visit.person_id in visible,
        conflicted=str(visit.external_id) in conflicted,
    )


def day_plan(*, team: Team, day: datetime.date, visible: set[int]) -> DayPlan:
    """A team's plan for a day: a row per staff member with a shift in it or a visit of the
    team, each row showing all the staff member's visits that day whatever the team; the team's
    visits not yet assigned; the conflicts they take part in; continuity per person."""
    visits = list(visits_on(day=day))
    shifts = {shift.staff_id: shift for shift in shifts_in_plan(team=team, day=day)}
    members: dict[int, Staff] = {shift.staff_id: shift.staff for shift in shifts.values()}
    for visit in visits:
        if visit.team_id == team.pk:
            members |= {a.staff_id: a.staff for a in visit.assignments.all()}
    # A row shows the staff member's shift whichever plan it is in.
    shifts |= {
        shift.staff_id: shift
        for shift in Shift.objects.filter(day=day, staff_id__in=members).exclude(
            staff_id__in=shifts
        )
    }
    staff = staff_days(day=day, staff=_staff_of(visits, members.values()))
    conflicts = rules.find_conflicts([planned_visit(v) for v in visits], staff)
    conflicted = {visit_id for conflict in conflicts for visit_id in conflict.visits}
    rows = []
    for pk, member in sorted(
        members.items(),
        key=lambda item: (
            shifts[item[0]].start_minute if item[0] in shifts else 24 * 60,
            item[1].full_name,
        ),
    ):
        own = [
            v for v in visits
            if v.planned_start_minute is not None
            and any(a.staff_id == pk for a in v.assignments.all())
        ]  # fmt: skip
        rows.append(Row(member, shifts.get(pk), [_block(v, visible, conflicted) for v in own]))
    unassigned = [
        v for v in visits
        if v.team_id == team.pk and (v.planned_start_minute is None or not v.assignments.all())
    ]  # fmt: skip
    shown = [block.visit for row in rows for block in row.blocks] + unassigned
    shown_ids = {str(v.external_id) for v in shown}
    people = {v.person_id: v.person for v in shown if v.person_id in visible}
    return DayPlan(
        rows=rows,
        unassigned=unassigned,
        conflicts=[c for c in conflicts if shown_ids & set(c.visits)],
        continuity=_continuity_rows(
            {v.episode_id: v.person for v in shown if v.person_id in visible}, day
        ),
        people=list(people.values()),
    )


def _continuity_rows(episodes: dict[int, Person], day: datetime.date) -> list[Continuity]:
    counts = continuity(episode_ids=episodes, day=day)
    return sorted(
        (
            Continuity(person.full_name, *counts.get(episode_id, (0, 0)))
            for episode_id, person in episodes.items()
        ),
        key=lambda row: row.person_name,
    )


def person_day(*, person: Person, day: datetime.date) -> list[Visit]:
    """All of a person's visits on a day, across every team."""
    return list(visits_on(day=day).filter(person=person))


def person_continuity(*, person: Person, day: datetime.date) -> list[Continuity]:
    episode_ids = Visit.objects.filter(person=person, day__lte=day).values_list(
        "episode_id", flat=True
    )
    return _continuity_rows(dict.fromkeys(set(episode_ids), person), day)


def my_day(*, staff: Staff, day: datetime.date) -> list[Visit]:
    """The staff member's own visits of a day, in order."""
    return list(
        visits_on(day=day)
        .filter(assignments__staff=staff)
        .select_related("template__plan_action__goal__parent")
    )


# The morning meeting board

ENROLLED = [Episode.Status.DECIDED, Episode.Status.ACTIVE, Episode.Status.FOLLOW_UP_HELD]


@dataclass(frozen=True)
class PersonVisits:
    person: Person
    visits: list[Visit]


@dataclass(frozen=True)
class MorningBoard:
    """What a team goes through at its morning meeting (morgonmöte): who is new, who ends,
    each person's visits of the day in every team, and what needs attention."""

    new: list[Episode]
    ending: list[Episode]
    visits: list[PersonVisits]
    deteriorations: list[Visit]
    follow_ups: list[Decision]
    delegations: list[Delegation]
    unassigned: list[Visit]
    meeting: MorningMeeting | None

    @property
    def people(self) -> list[Person]:
        """Everyone named on the board: each one is a read of their record."""
        shown = [e.person for e in self.new + self.ending] + [p.person for p in self.visits]
        shown += [v.person for v in self.deteriorations + self.unassigned]
        shown += [d.person for d in self.follow_ups]
        return list({person.pk: person for person in shown}.values())


def _running_decisions(episodes: list[Episode]) -> dict[int, Decision]:
    decisions = Decision.objects.filter(
        episode__in=episodes, is_current=True, terminated_on__isnull=True
    ).order_by("start_on")
    return {decision.episode_id: decision for decision in decisions}


def morning_board(*, team: Team, day: datetime.date, staff: Staff) -> MorningBoard:
    """The team's board for a day, limited to the people `staff` may see. New: home since
    yesterday, or the decision starts today. Ending: the decision or the episode ends today or
    tomorrow. Follow-ups due or overdue as on the case officer's worklist (worklists.selectors);
    delegations of the team's staff ending within 30 days; the team's visits not yet planned."""
    yesterday, tomorrow = day - datetime.timedelta(days=1), day + datetime.timedelta(days=1)
    episodes = list(
        episodes_visible_to(staff)
        .filter(teams=team)
        .filter(
            Q(status__in=ENROLLED)
            | Q(status=Episode.Status.ENDED, ended_on__gte=day, ended_on__lte=tomorrow)
        )
        .select_related("person", "program")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    decisions = _running_decisions(episodes)

    def is_new(episode: Episode) -> bool:
        decision = decisions.get(episode.pk)
        home_on = local_date(episode.home_at) if episode.home_at is not None else None
        starts_today = decision is not None and decision.start_on == day
        return home_on in (yesterday, day) or starts_today

    def ends(episode: Episode) -> bool:
        decision = decisions.get(episode.pk)
        return episode.ended_on in (day, tomorrow) or (
            decision is not None and decision.end_on in (day, tomorrow)
        )

    person_ids = {episode.person_id for episode in episodes}
    visits = list(visits_on(day=day).filter(person_id__in=person_ids))
    by_person: dict[int, list[Visit]] = defaultdict(list)
    for visit in visits:
        by_person[visit.person_id].append(visit)
    people = {episode.person_id: episode.person for episode in episodes}
    episode_ids = {episode.pk for episode in episodes}
    follow_ups = worklist_selectors.overdue_follow_ups(staff=staff, today=day)
    follow_ups += worklist_selectors.due_follow_ups(staff=staff, today=day)
    team_staff = set(
        Staff.objects.filter(Q(teams=team) | Q(shifts__team=team, shifts__day=day)).values_list(
            "pk", flat=True
        )
    )
    return MorningBoard(
        new=[episode for episode in episodes if is_new(episode)],
        ending=[episode for episode in episodes if ends(episode)],
        visits=[
            PersonVisits(person, by_person[pk]) for pk, person in people.items() if by_person[pk]
        ],
        deteriorations=list(
            Visit.objects.filter(day=yesterday, deterioration=True, person_id__in=person_ids)
            .select_related("person", "team", "recorded_by__user")
            .order_by("person__last_name", "actual_start_minute", "pk")
        ),
        follow_ups=[decision for decision in follow_ups if decision.episode_id in episode_ids],
        delegations=[
            delegation
            for delegation in expiring_delegations(today=day)
            if delegation.staff_id in team_staff
        ],
        unassigned=[
            visit
            for visit in visits
            if visit.team_id == team.pk
            and (visit.planned_start_minute is None or not visit.assignments.all())
        ],
        meeting=MorningMeeting.objects.filter(team=team, day=day)
        .select_related("recorded_by__user")
        .first(),
    )


# Service templates and the goals behind visits


def service_templates(*, episode: Episode) -> list[ServiceTemplate]:
    return list(
        ServiceTemplate.objects.filter(episode=episode)
        .select_related("plan_action__goal", "team")
        .order_by("-active", "window_start_minute", "pk")
    )


def training_actions_to_plan(*, episode: Episode) -> list[PlanAction]:
    """The episode's prescribed training actions that no service template carries out yet."""
    return list(
        PlanAction.objects.filter(plan__episode=episode, is_training=True)
        .exclude(Exists(ServiceTemplate.objects.filter(plan_action=OuterRef("pk"))))
        .select_related("goal")
        .order_by("created_at", "pk")
    )


def goals_of_visits(visits: Sequence[Visit]) -> dict[int, list[str]]:
    """Per visit, the person's goals in their own words: the goal of the training action the
    visit carries out (and its main goal), else the main goals of the person's rehab plan."""
    main_goals: dict[int, list[str]] = defaultdict(list)
    for episode_id, words in Goal.objects.filter(
        plan__episode_id__in={visit.episode_id for visit in visits}, is_main=True
    ).values_list("plan__episode_id", "own_words"):
        main_goals[episode_id].append(words)
    result = {}
    for visit in visits:
        action = visit.template.plan_action if visit.template is not None else None
        if action is not None:
            goal = action.goal
            result[visit.pk] = [goal.own_words] + (
                [goal.parent.own_words] if goal.parent is not None else []
            )
        else:
            result[visit.pk] = main_goals[visit.episode_id]
    return result


# Plan the day: a planning run's proposal beside the plan it started from


@dataclass(frozen=True)
class PlanStop:
    start: str
    visit: Visit
    visible: bool


@dataclass(frozen=True)
class PlanRoute:
    staff_name: str
    stops: list[PlanStop]


@dataclass(frozen=True)
class PlanColumn:
    """One plan as the run page shows it: routes per staff member, unassigned visits, figures."""

    routes: list[PlanRoute]
    unassigned: list[PlanStop]
    figures: Figures


@dataclass(frozen=True)
class RunComparison:
    current: PlanColumn
    proposal: PlanColumn
    people: list[Person]


def _column(
    problem: dict[str, Any], plan: dict[str, Any], visits: dict[str, Visit], visible: set[int]
) -> PlanColumn:
    names = {
        str(member.external_id): member.full_name
        for member in Staff.objects.filter(
            external_id__in=[route["staff"] for route in plan["routes"]]
        ).select_related("user")
    }
    routes = []
    for route in plan["routes"]:
        stops = [
            PlanStop(rules.clock(math.ceil(stop["start"])), visits[stop["visit"]], False)
            for stop in sorted(route["stops"], key=lambda stop: stop["start"])
            if stop["visit"] in visits
        ]
        if stops:
            stops = [PlanStop(s.start, s.visit, s.visit.person_id in visible) for s in stops]
            routes.append(PlanRoute(names.get(route["staff"], ""), stops))
    unassigned = [
        PlanStop("", visits[visit_id], visits[visit_id].person_id in visible)
        for visit_id in plan["unassigned"]
        if visit_id in visits
    ]
    return PlanColumn(
        sorted(routes, key=lambda r: r.staff_name), unassigned, figures(problem, plan)
    )


def run_comparison(*, run: PlanningRun, visible: set[int]) -> RunComparison | None:
    """The proposal beside the plan as it was when the run was asked for; None until the
    planner is done. Visits recorded or removed since are left out."""
    if run.proposal is None:
        return None
    ids = [visit["id"] for visit in run.problem["visits"]]
    visits = {
        str(v.external_id): v
        for v in Visit.objects.filter(external_id__in=ids).select_related("person")
    }
    current = _column(run.problem, run.current, visits, visible)
    proposal = _column(run.problem, run.proposal, visits, visible)
    people = {v.person_id: v.person for v in visits.values() if v.person_id in visible}
    return RunComparison(current, proposal, list(people.values()))
