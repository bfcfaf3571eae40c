"""Writes the demo plan to the database: one transaction, bulk inserts, historical timestamps.

Seed data is not a user's read or write, so no access-log rows are written. Reference data
(programs, end reasons, exclusion criteria, birth-day ranges) comes from the migrations; the
demo only adds the teams that work in each program and the case officer of each range.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef

from trygghem.decisions.models import Decision, HomeCareDecision
from trygghem.demo import assessments as demo_assessments
from trygghem.demo import history as demo_history
from trygghem.demo import home_care as demo_home_care
from trygghem.demo import planning as demo_planning
from trygghem.demo import rehab as demo_rehab
from trygghem.demo.generate import (
    DEMO_PASSWORD,
    LOGINS,
    MARKER_TEAM_NAME,
    OUTSIDER,
    PROGRAM_TEAMS,
    REABLEMENT,
    TEAMS,
    UNIT,
    DemoPlan,
    EpisodePlan,
    generate_plan,
)
from trygghem.demo.stories import ProgramRule
from trygghem.episodes.access import episodes_visible_to
from trygghem.episodes.models import (
    EndReason,
    Episode,
    FollowUp,
    ImplementationPlan,
    PlannedService,
    Program,
    Transition,
)
from trygghem.people.models import BirthDayRange, Person, Relative
from trygghem.referrals.models import ExclusionCriterion, Referral
from trygghem.reports.models import TeamCapacity
from trygghem.staff.models import Staff, Team

Progress = Callable[[str], None]
M = TypeVar("M", bound=models.Model)
BATCH = 500
DEMO_PLACES = 12  # the reablement team's concurrent places


class DemoConflictError(Exception):
    """The database already holds rows the demo would duplicate; nothing was written."""


def demo_is_loaded() -> bool:
    return Team.objects.filter(name=MARKER_TEAM_NAME).exists()


@transaction.atomic
def load_demo(
    *, today: datetime.date, now: datetime.datetime, seed: int, progress: Progress
) -> dict[str, int]:
    """Load the demo municipality; returns the number of rows written per table."""
    if demo_is_loaded():
        raise DemoConflictError("Demokommunen är redan laddad.")
    programs = {program.code: program for program in Program.objects.filter(code__in=PROGRAM_TEAMS)}
    missing = [code for code in PROGRAM_TEAMS if code not in programs]
    if missing:
        raise DemoConflictError(f"Programmen saknas i databasen: {', '.join(missing)}.")
    criteria = {
        c.name: c for c in ExclusionCriterion.objects.filter(active=True).order_by("order", "name")
    }
    ranges = list(BirthDayRange.objects.order_by("first_day"))
    plan = generate_plan(
        today=today,
        now=now,
        seed=seed,
        programs={
            code: ProgramRule(code, p.max_days, p.follow_up_after_days)
            for code, p in programs.items()
        },
        exclusion_criteria=list(criteria),
        ranges=[(r.first_day, r.last_day) for r in ranges],
        progress=progress,
    )
    _check_nothing_taken(plan)
    progress("Sparar team och personal …")
    teams = _write_teams()
    staff = _write_staff(plan, teams)
    _configure_reference_data(plan, teams, staff, programs, ranges)
    progress("Sparar brukare och närstående …")
    persons = _write_persons(plan, teams)
    writer = _EpisodeWriter(plan, teams, staff, persons, programs, criteria, progress)
    writer.write()
    assessed = demo_assessments.write_assessments(seed=seed, today=today, progress=progress)
    planned = demo_planning.write_planning(seed=seed, today=today, progress=progress)
    rehab = demo_rehab.write_rehab(seed=seed, today=today, progress=progress)
    home_care = demo_home_care.write_home_care(seed=seed, today=today, progress=progress)
    history = demo_history.write_history(seed=seed, today=today, progress=progress)
    return {
        "team": len(teams),
        "personal": len(staff),
        "personer": len(persons),
        **writer.counts,
        **assessed,
        **planned,
        **rehab,
        **home_care,
        **history,
    }


def _check_nothing_taken(plan: DemoPlan) -> None:
    user_model = get_user_model()
    usernames = [s.username for s in plan.staff]
    taken = list(
        user_model.objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    if taken:
        raise DemoConflictError(f"Användarnamnen finns redan: {', '.join(sorted(taken))}.")
    if Team.objects.filter(name__in=[team.name for team in TEAMS]).exists():
        raise DemoConflictError("Ett team med demokommunens namn finns redan.")
    numbers = [p.identity_number for p in plan.persons]
    for start in range(0, len(numbers), BATCH):
        if Person.objects.filter(identity_number__in=numbers[start : start + BATCH]).exists():
            raise DemoConflictError("Någon av demons personnummer finns redan i databasen.")


def _write_teams() -> dict[str, Team]:
    created = Team.objects.bulk_create(
        Team(
            name=t.name,
            kind=t.kind,
            phone=t.phone,
            phone_hours=t.phone_hours,
            office_latitude=t.office()[0],
            office_longitude=t.office()[1],
        )
        for t in TEAMS
    )
    return {plan.key: team for plan, team in zip(TEAMS, created, strict=True)}


def _write_staff(plan: DemoPlan, teams: dict[str, Team]) -> dict[str, Staff]:
    user_model = get_user_model()
    shared_password = make_password(DEMO_PASSWORD)
    users = user_model.objects.bulk_create(
        user_model(
            username=s.username,
            first_name=s.first_name,
            last_name=s.last_name,
            password=shared_password if s.login else make_password(None),
            is_staff=s.username == "admin",
            is_superuser=s.username == "admin",
        )
        for s in plan.staff
    )
    members = Staff.objects.bulk_create(
        Staff(user=user, role=s.role, phone=s.phone)
        for s, user in zip(plan.staff, users, strict=True)
    )
    through = Staff.teams.through
    through.objects.bulk_create(
        through(staff_id=member.pk, team_id=teams[key].pk)
        for s, member in zip(plan.staff, members, strict=True)
        for key in s.teams
    )
    return {s.username: member for s, member in zip(plan.staff, members, strict=True)}


def _configure_reference_data(
    plan: DemoPlan,
    teams: dict[str, Team],
    staff: dict[str, Staff],
    programs: dict[str, Program],
    ranges: Sequence[BirthDayRange],
) -> None:
    """Which teams work in each program, which case officer answers for each range, and the
    reablement team's places (the guide's figure 6: a medium team has 10-15)."""
    for code, keys in PROGRAM_TEAMS.items():
        programs[code].teams.add(*(teams[key] for key in keys))
    TeamCapacity.objects.create(team=teams[REABLEMENT], places=DEMO_PLACES)
    for day_range in ranges:
        day_range.case_officer = staff[plan.ranges[(day_range.first_day, day_range.last_day)]]
    BirthDayRange.objects.bulk_update(ranges, ["case_officer"])


def _write_persons(plan: DemoPlan, teams: dict[str, Team]) -> list[Person]:
    persons = Person.objects.bulk_create(
        Person(
            identity_number=p.identity_number,
            birth_date=p.birth_date,
            first_name=p.first_name,
            last_name=p.last_name,
            street_address=p.street_address,
            postal_code=p.postal_code,
            city=p.city,
            latitude=p.latitude,
            longitude=p.longitude,
            language=p.language,
            needs_interpreter=p.needs_interpreter,
            safety_alarm=p.safety_alarm,
            phone=p.phone,
            home_care_team=teams[p.home_care_team] if p.home_care_team else None,
        )
        for p in plan.persons
    )
    relatives = Relative.objects.bulk_create(
        Relative(person=person, name=r.name, relation=r.relation, phone=r.phone)
        for p, person in zip(plan.persons, persons, strict=True)
        for r in p.relatives
    )
    _set_times(persons, [p.created_at for p in plan.persons])
    _set_times(relatives, [p.created_at for p in plan.persons for _ in p.relatives])
    return persons


def _set_times(
    rows: Sequence[M], times: Sequence[datetime.datetime], field: str = "created_at"
) -> None:
    """auto_now_add fields get the time of the insert; the story needs the historical one.
    One prepared UPDATE run for all rows: bulk_update's CASE expressions are ten times slower."""
    if not rows:
        return
    meta = rows[0]._meta
    column = meta.get_field(field)
    if not isinstance(column, models.DateTimeField) or meta.pk is None:
        raise TypeError(f"{meta.label}.{field} is not a timestamp")
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {quote(str(column.column))} = %s "  # noqa: S608  (names from the model)
        f"WHERE {quote(str(meta.pk.column))} = %s"
    )
    params = []
    for row, moment in zip(rows, times, strict=True):
        setattr(row, field, moment)
        params.append((column.get_db_prep_save(moment, connection), row.pk))
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _bulk(model: type[M], rows: Iterable[M]) -> list[M]:
    return model.objects.bulk_create(list(rows), batch_size=BATCH)  # type: ignore[attr-defined,no-any-return]


class _EpisodeWriter:
    """Referrals, episodes and everything that hangs off them, table by table."""

    def __init__(
        self,
        plan: DemoPlan,
        teams: dict[str, Team],
        staff: dict[str, Staff],
        persons: list[Person],
        programs: dict[str, Program],
        criteria: dict[str, ExclusionCriterion],
        progress: Progress,
    ) -> None:
        self.plan = plan
        self.teams = teams
        self.staff = staff
        self.persons = persons
        self.programs = programs
        self.criteria = criteria
        self.progress = progress
        self.end_reasons = {reason.code: reason for reason in EndReason.objects.all()}
        self.counts: dict[str, int] = {}

    def write(self) -> None:
        self.progress("Sparar remisser och episoder …")
        episodes = self._episodes(self._referrals())
        self.progress("Sparar beslut, uppföljningar och genomförandeplaner …")
        self._decisions(episodes)
        self._follow_ups(episodes)
        self._handovers(episodes)
        self.progress("Sparar statusbyten med historiska tidpunkter …")
        self._transitions(episodes)

    def _pairs(self, episodes: Sequence[Episode]) -> Iterable[tuple[EpisodePlan, Episode]]:
        return zip(self.plan.episodes, episodes, strict=True)

    def _referrals(self) -> list[Referral]:
        referrals = _bulk(
            Referral,
            (
                Referral(
                    person=self.persons[e.person],
                    source=e.referral.source,
                    received_on=e.referral.received_on,
                    admitted_on=e.referral.admitted_on,
                    ready_for_discharge_on=e.referral.ready_for_discharge_on,
                    planned_home_on=e.referral.planned_home_on,
                    home_care_hours_before=e.referral.home_care_hours_before,
                    triage=e.referral.triage,
                    feels_safe=e.referral.feels_safe,
                    registered_by=self.staff[e.referral.registered_by],
                )
                for e in self.plan.episodes
            ),
        )
        through = Referral.exclusion_criteria.through
        _bulk(
            through,
            (
                through(referral_id=referral.pk, exclusioncriterion_id=self.criteria[name].pk)
                for e, referral in zip(self.plan.episodes, referrals, strict=True)
                for name in e.referral.exclusion_criteria
            ),
        )
        _set_times(referrals, [e.created_at for e in self.plan.episodes])
        self.counts["remisser"] = len(referrals)
        return referrals

    def _episodes(self, referrals: list[Referral]) -> list[Episode]:
        episodes = _bulk(
            Episode,
            (
                Episode(
                    person=self.persons[e.person],
                    referral=referral,
                    program=self.programs[e.program],
                    unit=self.teams[UNIT],
                    case_officer=self.staff[e.case_officer],
                    status=e.status,
                    home_at=e.home_at,
                    ended_on=e.ended_on,
                    end_reason=self.end_reasons[e.end_reason] if e.end_reason else None,
                )
                for e, referral in zip(self.plan.episodes, referrals, strict=True)
            ),
        )
        through = Episode.teams.through
        _bulk(
            through,
            (
                through(episode_id=episode.pk, team_id=self.teams[key].pk)
                for e, episode in self._pairs(episodes)
                for key in e.teams
            ),
        )
        _set_times(episodes, [e.created_at for e in self.plan.episodes])
        self.counts["episoder"] = len(episodes)
        return episodes

    def _decisions(self, episodes: list[Episode]) -> None:
        planned = [(d, episode) for e, episode in self._pairs(episodes) for d in e.decisions]
        decisions = _bulk(
            Decision,
            (
                Decision(
                    episode=episode,
                    person=episode.person,
                    program=self.programs[d.program],
                    granted_services=d.granted_services,
                    start_on=d.start_on,
                    end_on=d.end_on,
                    follow_up_on=d.follow_up_on,
                    series=d.series,
                    version=d.version,
                    is_current=d.is_current,
                    terminated_on=d.terminated_on,
                    change_reason=d.change_reason,
                    decided_by=self.staff[d.decided_by],
                )
                for d, episode in planned
            ),
        )
        _set_times(decisions, [d.created_at for d, _ in planned])
        self.counts["beslut"] = len(decisions)

    def _follow_ups(self, episodes: list[Episode]) -> None:
        planned = [(f, episode) for e, episode in self._pairs(episodes) for f in e.follow_ups]
        follow_ups = _bulk(
            FollowUp,
            (
                FollowUp(
                    episode=episode,
                    held_on=f.held_on,
                    mode=f.mode,
                    participants=f.participants,
                    manages_now=f.manages_now,
                    outcome=f.outcome,
                    recorded_by=self.staff[f.recorded_by],
                )
                for f, episode in planned
            ),
        )
        _set_times(follow_ups, [f.created_at for f, _ in planned])
        self.counts["uppföljningar"] = len(follow_ups)

    def _handovers(self, episodes: list[Episode]) -> None:
        planned = [(e.handover, episode) for e, episode in self._pairs(episodes) if e.handover]
        plans = _bulk(
            ImplementationPlan,
            (
                ImplementationPlan(
                    episode=episode,
                    receiving_team=self.teams[h.receiving_team],
                    remaining_needs=h.remaining_needs,
                    goals_to_maintain=h.goals_to_maintain,
                    contacts=h.contacts,
                    written_by=self.staff[h.written_by],
                )
                for h, episode in planned
            ),
        )
        services = _bulk(
            PlannedService,
            (
                PlannedService(plan=plan, what=s.what, how=s.how, when=s.when, order=order)
                for (h, _), plan in zip(planned, plans, strict=True)
                for order, s in enumerate(h.services)
            ),
        )
        _set_times(plans, [h.created_at for h, _ in planned])
        _set_times(services, [h.created_at for h, _ in planned for _ in h.services])
        self.counts["genomförandeplaner"] = len(plans)
        self.counts["planerade insatser"] = len(services)

    def _transitions(self, episodes: list[Episode]) -> None:
        planned = [(t, episode) for e, episode in self._pairs(episodes) for t in e.transitions]
        transitions = _bulk(
            Transition,
            (
                Transition(
                    episode=episode,
                    from_status=t.from_status,
                    to_status=t.to_status,
                    by=self.staff[t.by],
                    reason=t.reason[:300],
                )
                for t, episode in planned
            ),
        )
        _set_times(transitions, [t.at for t, _ in planned], field="at")
        self.counts["statusbyten"] = len(transitions)


# What the command prints


@dataclass(frozen=True)
class LoginRow:
    username: str
    title: str
    name: str
    teams: str


def login_rows() -> list[LoginRow]:
    """One log-in per role, with the teams that decide what each one sees."""
    members = {
        member.user.get_username(): member
        for member in Staff.objects.filter(user__username__in=[login.username for login in LOGINS])
        .select_related("user")
        .prefetch_related("teams")
    }
    rows = []
    for login in LOGINS:
        member = members.get(login.username)
        if member is None:
            continue
        names = [team.name for team in member.teams.all()]
        teams = "alla fem team" if len(names) == len(TEAMS) else ", ".join(names) or "–"
        rows.append(LoginRow(login.username, login.title, member.full_name, teams))
    return rows


@dataclass(frozen=True)
class OutsiderView:
    team: str
    episodes: int
    open_episodes: int


def outsider_view() -> OutsiderView | None:
    """What the outsider log-in sees through the real access gate (a selector: logs nothing)."""
    member = Staff.objects.filter(user__username=OUTSIDER).prefetch_related("teams").first()
    if member is None:
        return None
    visible = episodes_visible_to(member)
    open_statuses = [Episode.Status.ENDED, Episode.Status.CLOSED]
    return OutsiderView(
        team=", ".join(team.name for team in member.teams.all()),
        episodes=visible.count(),
        open_episodes=visible.exclude(status__in=open_statuses).count(),
    )


@dataclass(frozen=True)
class TodaySummary:
    referred: int
    decided: int
    active: int
    follow_up_due: int
    follow_up_overdue: int
    ending_soon: int


def today_summary(today: datetime.date) -> TodaySummary:
    """The worklists' content on `today`, as the demo's log-ins will see it."""
    by_status: dict[str, int] = {
        row["status"]: row["n"]
        for row in Episode.objects.values("status").annotate(n=models.Count("id"))
    }
    running = Decision.objects.filter(
        is_current=True,
        terminated_on__isnull=True,
        episode__status__in=[Episode.Status.ACTIVE, Episode.Status.FOLLOW_UP_HELD],
    )
    waiting = running.filter(episode__status=Episode.Status.ACTIVE).exclude(
        Exists(FollowUp.objects.filter(episode=OuterRef("episode")))
    )
    return TodaySummary(
        referred=by_status.get(Episode.Status.REFERRED, 0),
        decided=by_status.get(Episode.Status.DECIDED, 0),
        active=by_status.get(Episode.Status.ACTIVE, 0)
        + by_status.get(Episode.Status.FOLLOW_UP_HELD, 0),
        follow_up_due=waiting.filter(
            follow_up_on__gte=today, follow_up_on__lte=today + datetime.timedelta(days=1)
        ).count(),
        follow_up_overdue=waiting.filter(follow_up_on__lt=today).count(),
        ending_soon=running.filter(
            end_on__gte=today, end_on__lte=today + datetime.timedelta(days=3)
        ).count(),
    )


def row_counts() -> dict[str, int]:
    """Rows per table, for the summary and the tests."""
    return {
        "personal": Staff.objects.count(),
        "personer": Person.objects.count(),
        "i hemtjänst": Person.objects.filter(home_care_team__isnull=False).count(),
        "remisser": Referral.objects.count(),
        "beslut": Decision.objects.count(),
        "genomförandeplaner": ImplementationPlan.objects.count(),
        "hemtjänstbeslut": HomeCareDecision.objects.count(),
    }
