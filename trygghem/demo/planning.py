"""The demo's shared plan for today and tomorrow: shifts (the rehab assistants with planning
rows in Hemtjänst Centrum's plan), medication delegations (some expiring, one expired),
service templates for the people at home, and their visits placed by a simple greedy pass.

Tomorrow holds the collision of seed 002 on purpose: a rehab assistant's training and a
home-care visit to the same person at the same time, for the coordinator to see and resolve.
Like the rest of the demo, seed data writes no access-log rows."""

import datetime
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from trygghem.demo.generate import HOME_CARE_1, LOGINS, REABLEMENT, REHAB, TEAM_NAMES
from trygghem.episodes.models import Episode
from trygghem.planning import rules
from trygghem.planning.models import Delegation, ServiceTemplate, Shift, Visit, VisitAssignment
from trygghem.planning.services import rebuild_visit_summaries
from trygghem.staff.models import Staff, Team

Progress = Callable[[str], None]
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
COLLISION_WHAT = "Städning (ordinarie hemtjänst)"


@dataclass
class _Route:
    staff: Staff
    shift: tuple[int, int]
    skills: frozenset[str]
    free_at: int
    at: tuple[float, float] | None = None
    visits: list[Visit] = field(default_factory=list)


def write_planning(*, seed: int, today: datetime.date, progress: Progress) -> dict[str, int]:
    progress("Sparar pass, delegeringar och dagens planering …")
    rng = random.Random(seed + 4)  # noqa: S311  (a reproducible demo, not a secret)
    teams = {team.name: team for team in Team.objects.all()}
    staff = list(Staff.objects.select_related("user").prefetch_related("teams"))
    days = [today, today + datetime.timedelta(days=1)]
    coordinator = next(s for s in staff if s.user.username == "samordnare")
    nurse = next(s for s in staff if s.user.username == "sjukskoterska")
    shifts = _shifts(staff, teams, days, coordinator)
    delegations = _delegations(staff, nurse, today, rng)
    episodes = list(
        Episode.objects.filter(status__in=[Episode.Status.ACTIVE, Episode.Status.FOLLOW_UP_HELD])
        .select_related("person__home_care_team")
        .prefetch_related("teams")
        .order_by("pk")
    )
    templates = _templates(episodes, today, rng)
    visits = 0
    for day in days:
        visits += _plan_day(day, templates, shifts, delegations, teams)
    visits += _collision(days[1], episodes, teams)
    # The visits were written directly, so their summaries are built here, as the services
    # would have kept them (all planned: no work done yet, only visits per day).
    rebuild_visit_summaries(episode_ids=[episode.pk for episode in episodes])
    return {
        "pass": Shift.objects.count(),
        "delegeringar": Delegation.objects.count(),
        "insatsmallar": len(templates),
        "besök": visits,
    }


def _members(staff: list[Staff], key: str, role: str) -> list[Staff]:
    name = TEAM_NAMES[key]
    return [s for s in staff if s.role == role and any(t.name == name for t in s.teams.all())]


def _shifts(
    staff: list[Staff], teams: dict[str, Team], days: list[datetime.date], by: Staff
) -> list[Shift]:
    """The reablement team 07:00-15:30; the rehab assistants 08:00-16:00 in Hemtjänst
    Centrum's plan (their planning rows); home-care groups in a day and an evening shift."""
    rows: list[Shift] = []
    reablement = teams[TEAM_NAMES[REABLEMENT]]
    centrum = teams[TEAM_NAMES[HOME_CARE_1]]
    for day in days:
        for member in _members(staff, REABLEMENT, Staff.Role.CARE_WORKER):
            rows.append(
                Shift(
                    staff=member,
                    team=reablement,
                    day=day,
                    start_minute=420,
                    end_minute=930,
                    created_by=by,
                )
            )
        for member in _members(staff, REHAB, Staff.Role.REHAB_ASSISTANT):
            rows.append(
                Shift(
                    staff=member,
                    team=centrum,
                    day=day,
                    start_minute=480,
                    end_minute=960,
                    created_by=by,
                )
            )
        for key in (HOME_CARE_1, "home_care_2"):
            for index, member in enumerate(_members(staff, key, Staff.Role.CARE_WORKER)):
                start, end = (420, 930) if index % 2 == 0 else (780, 1290)
                rows.append(
                    Shift(
                        staff=member,
                        team=teams[TEAM_NAMES[key]],
                        day=day,
                        start_minute=start,
                        end_minute=end,
                        created_by=by,
                    )
                )
    return Shift.objects.bulk_create(rows)


def _delegations(
    staff: list[Staff], nurse: Staff, today: datetime.date, rng: random.Random
) -> list[Delegation]:
    """Medication delegations for most care workers and rehab assistants: a year long, three
    ending within 30 days, one expired last week."""
    day = datetime.timedelta(days=1)
    receivers = [s for s in staff if s.role in (Staff.Role.CARE_WORKER, Staff.Role.REHAB_ASSISTANT)]
    rows = []
    for index, member in enumerate(receivers):
        if index % 5 == 4:
            continue  # no delegation
        if index in (1, 6, 11):
            valid_to = today + day * (8 + index)
        elif index == 3:
            valid_to = today - 5 * day
        else:
            valid_to = today + day * rng.randint(60, 300)
        valid_from = max(valid_to - 364 * day, today - 300 * day)
        rows.append(
            Delegation(
                task=Delegation.Task.MEDICATION,
                issued_by=nurse,
                staff=member,
                valid_from=valid_from,
                valid_to=valid_to,
                changed_by=nurse,
            )
        )
    return Delegation.objects.bulk_create(rows)


def _templates(
    episodes: list[Episode], today: datetime.date, rng: random.Random
) -> list[ServiceTemplate]:
    """Morning help with medication (shorter after a week), daily training, and evening
    help for people with a home-care group."""
    rows = []
    for episode in episodes:
        starts_on = today - datetime.timedelta(days=rng.randint(1, 8))
        morning = rng.choice([420, 450, 480, 510])
        rows.append(
            ServiceTemplate(
                episode=episode,
                what="Morgonhjälp och läkemedel",
                weekdays=EVERY_DAY,
                starts_on=starts_on,
                window_start_minute=morning,
                window_end_minute=morning + 60,
                duration_minutes=40,
                taper_after_days=7,
                taper_to_minutes=25,
                skills=["medication"],
                goal_text="Klä på mig själv",
            )
        )
        training = rng.choice([600, 630, 660, 780])
        rows.append(
            ServiceTemplate(
                episode=episode,
                what="Träning enligt rehabplan",
                law="HSL",
                weekdays=EVERY_DAY,
                starts_on=starts_on,
                window_start_minute=training,
                window_end_minute=training + 60,
                duration_minutes=45,
                skills=["rehab"],
                goal_text="Gå till affären med rollator",
            )
        )
        if episode.person.home_care_team_id is not None:
            evening = rng.choice([1110, 1140, 1170])
            rows.append(
                ServiceTemplate(
                    episode=episode,
                    what="Kvällshjälp",
                    weekdays=EVERY_DAY,
                    starts_on=starts_on,
                    window_start_minute=evening,
                    window_end_minute=evening + 60,
                    duration_minutes=25,
                )
            )
    return ServiceTemplate.objects.bulk_create(rows)


def _team_of(template: ServiceTemplate, spec: rules.VisitSpec) -> Team | None:
    episode = template.episode
    home_care = episode.person.home_care_team
    if spec.goes_to == rules.GoesTo.HOME_CARE and home_care is not None:
        return home_care
    kinds = {team.kind: team for team in episode.teams.all()}
    return kinds.get(Team.Kind.REABLEMENT) or kinds.get(Team.Kind.REHAB)


def _plan_day(
    day: datetime.date,
    templates: list[ServiceTemplate],
    shifts: list[Shift],
    delegations: list[Delegation],
    teams: dict[str, Team],
) -> int:
    """Generate the day's visits and place each with the first free staff member who may do
    it, in order of window (a coordinator's greedy first plan)."""
    visits = []
    for template in templates:
        spec = rules.visit_on(_spec(template), day)
        team = None if spec is None else _team_of(template, spec)
        if spec is None or team is None:
            continue
        person = template.episode.person
        visits.append(
            Visit(
                episode=template.episode,
                person=person,
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
                with_the_person=spec.with_the_person,
            )
        )
    spans: dict[int, list[rules.DelegationSpan]] = defaultdict(list)
    for d in delegations:
        spans[d.staff_id].append(
            rules.DelegationSpan(d.task, d.valid_from, d.valid_to, d.withdrawn_on)
        )
    routes = [
        _Route(
            s.staff,
            (s.start_minute, s.end_minute),
            rules.skills_on(s.staff.role, spans[s.staff_id], day),
            s.start_minute,
        )
        for s in shifts
        if s.day == day
    ]
    # The demo's log-ins come first, so each of them has visits to show and record.
    logins = {login.username for login in LOGINS}
    routes.sort(key=lambda route: route.staff.user.get_username() not in logins)
    reablement = teams[TEAM_NAMES[REABLEMENT]]
    client_busy: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for visit in sorted(visits, key=lambda v: (v.window_start_minute, v.person_id)):
        _place(visit, routes, reablement, client_busy)
    Visit.objects.bulk_create(visits)
    VisitAssignment.objects.bulk_create(
        VisitAssignment(visit=visit, staff=route.staff)
        for route in routes
        for visit in route.visits
    )
    return len(visits)


def _spec(template: ServiceTemplate) -> rules.TemplateSpec:
    return rules.TemplateSpec(
        tuple(template.weekdays),
        template.starts_on,
        template.ends_on,
        template.window_start_minute,
        template.window_end_minute,
        template.duration_minutes,
        template.taper_after_days,
        template.taper_to_minutes,
    )


def _eligible(route: _Route, visit: Visit, reablement: Team) -> bool:
    """Home-care visits by the group's own staff; daytime visits by the reablement team or,
    for training, a rehab assistant."""
    if not set(visit.skills) <= route.skills:
        return False
    teams = {team.pk for team in route.staff.teams.all()}
    if visit.team_id == reablement.pk:
        return reablement.pk in teams or route.staff.role == Staff.Role.REHAB_ASSISTANT
    return visit.team_id in teams


def _place(
    visit: Visit,
    routes: list[_Route],
    reablement: Team,
    client_busy: dict[int, list[tuple[int, int]]],
) -> None:
    home = (visit.person.latitude, visit.person.longitude)
    location = home if None not in home else None
    for route in routes:
        if not _eligible(route, visit, reablement):
            continue
        arrive = route.free_at + math.ceil(rules.travel_minutes(route.at, location))  # type: ignore[arg-type]
        start = max(visit.window_start_minute, arrive)
        while any(
            start < end and begin < start + visit.duration_minutes
            for begin, end in client_busy[visit.person_id]
        ):
            start += 15
        if start > visit.window_end_minute or start + visit.duration_minutes > route.shift[1]:
            continue
        visit.planned_start_minute = start
        route.free_at = start + visit.duration_minutes
        route.at = location  # type: ignore[assignment]
        route.visits.append(visit)
        client_busy[visit.person_id].append((start, route.free_at))
        return


def _collision(day: datetime.date, episodes: list[Episode], teams: dict[str, Team]) -> int:
    """Seed 002: ordinary home care books the person's weekly cleaning on top of the rehab
    assistant's training. Returns the number of visits added (0 or 1)."""
    centrum = teams[TEAM_NAMES[HOME_CARE_1]]
    training = (
        Visit.objects.filter(
            day=day,
            person__home_care_team=centrum,
            assignments__staff__role=Staff.Role.REHAB_ASSISTANT,
            planned_start_minute__isnull=False,
        )
        .select_related("episode", "person")
        .order_by("planned_start_minute", "pk")
        .first()
    )
    worker = (
        Shift.objects.filter(
            day=day, team=centrum, staff__role=Staff.Role.CARE_WORKER, start_minute__lte=420
        )
        .exclude(
            staff__visit_assignments__visit__day=day,
            staff__visit_assignments__visit__planned_start_minute__lt=960,
        )
        .select_related("staff")
        .order_by("pk")
        .first()
    )
    if training is None or worker is None or training.planned_start_minute is None:
        return 0
    start = training.planned_start_minute
    template = ServiceTemplate.objects.create(
        episode=training.episode,
        what=COLLISION_WHAT,
        weekdays=[day.weekday()],
        starts_on=day,
        window_start_minute=start,
        window_end_minute=start + 120,
        duration_minutes=45,
        team=centrum,
    )
    cleaning = Visit.objects.create(
        episode=training.episode,
        person=training.person,
        template=template,
        team=centrum,
        day=day,
        what=COLLISION_WHAT,
        window_start_minute=start,
        window_end_minute=start + 120,
        duration_minutes=45,
        planned_start_minute=start,
    )
    VisitAssignment.objects.create(visit=cleaning, staff=worker.staff)
    return 1
