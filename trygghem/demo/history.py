"""The work done: visits recorded on every day each person was at home, from homecoming to the
end of the episode (or yesterday while it runs), so that the follow-up reads continuity, the
cost of an episode and the visits kept despite a conflict from the visits themselves.

Written last, with its own random stream (seed + 7), so nothing the other writers made changes.
Each day is planned like the coordinator's greedy first plan: in order of window, by the first
staff member on duty who may do the visit and gets there in time, preferring those who already
know the person. The help tapers: three or four visits a day the first days, one or two near
the end. The reablement team's care workers (a weekly rota, 07:00-15:30) do the daily help,
rehab assistants the training on weekdays, an occupational therapist or physiotherapist one to
three assessment and follow-up visits, a nurse the medication review where medicines are given
(in intensive home rehabilitation, IHR, the rehab unit's staff make every visit);
a few visits need two staff, a few are not done, and a handful a month are kept outside their
window with a reason (an override). Staff get their planning row (shift) on the days they
worked; medication is given only by staff with a delegation valid that day.

Rows are bulk-inserted, then the visit summaries are rebuilt once; like the rest of the demo,
seed data writes no access-log rows."""

import datetime
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from trygghem.core.time import local_date
from trygghem.decisions.models import Decision
from trygghem.episodes.models import Episode
from trygghem.planning import rules
from trygghem.planning.models import Delegation, Law, Shift, Visit, VisitAssignment
from trygghem.planning.services import rebuild_visit_summaries
from trygghem.rehab.models import Goal
from trygghem.staff.models import Staff, Team

Progress = Callable[[str], None]
Role = Staff.Role
DAY = datetime.timedelta(days=1)
BATCH = 500
SEED_OFFSET = 7

SHARE_WITH_MEDICATION = 0.45
SHARE_NEEDING_TWO = 0.08  # transfers with two staff the first days
SHARE_NOT_DONE = 0.04
OVERRIDE_DAYS_A_MONTH = (3, 6)
SHARE_DETERIORATION = 0.004

# Working hours (planning rows) by role: the reablement team all days, the rehab unit weekdays.
HOURS: dict[str, tuple[int, int]] = {
    Role.CARE_WORKER: (420, 930),
    Role.REHAB_ASSISTANT: (480, 960),
    Role.OT: (480, 990),
    Role.PT: (480, 990),
    Role.NURSE: (450, 990),
}
WEEKDAYS_ONLY: set[str] = {Role.REHAB_ASSISTANT, Role.OT, Role.PT, Role.NURSE}
# Who makes visits: the reablement team's care workers, the rehab unit's staff.
TEAM_KINDS: dict[str, list[str]] = {
    Team.Kind.REABLEMENT: [Role.CARE_WORKER],
    Team.Kind.REHAB: [Role.REHAB_ASSISTANT, Role.OT, Role.PT, Role.NURSE],
}

NOT_DONE_REASONS = (
    "Brukaren var inte hemma.",
    "Brukaren tackade nej till besöket i dag.",
    "Brukaren var på sjukhuset för provtagning.",
    "Brukaren hade besök av anhöriga och ville inte ha hjälp.",
)
OVERRIDE_REASONS = (
    "Brukaren bad att få besöket senare i dag.",
    "Anhörig ville vara med och kom senare; brukaren ville vänta.",
    "Personal sjuk i morse; brukaren godtog en senare tid.",
    "Föregående besök drog ut på tiden; brukaren tillfrågad.",
)


@dataclass
class _Episode:
    """One person's time at home and what their help looks like."""

    pk: int
    person: int
    location: tuple[float, float] | None
    team: int  # the visits' team: the reablement team, or the rehab unit (IHR)
    teams: set[int]
    first_day: datetime.date
    home_minute: int
    last_day: datetime.date
    ended: bool
    planned_days: int  # the expected days at home, for the tapering
    reablement: bool  # the reablement team's daily help (not IHR: rehab staff only)
    medication: bool
    needs_two: bool
    morning: int
    training: int
    goal_text: str
    regular: dict[str, list[int]] = field(default_factory=dict)  # role -> staff pks
    seen: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # staff -> visits


@dataclass
class _Draft:
    episode: _Episode
    day: datetime.date
    what: str
    roles: tuple[str, ...]
    window: tuple[int, int]
    duration: int
    law: str = Law.SOL
    skills: tuple[str, ...] = ()
    staff_count: int = 1
    with_the_person: bool = False
    goal_text: str = ""
    override: str = ""
    without_medication: str = ""  # the visit's name when nobody delegated can come


@dataclass
class _Member:
    pk: int
    role: str
    team: int
    index: int
    delegations: list[rules.DelegationSpan]
    free_at: int = 0
    at: tuple[float, float] | None = None
    worked: bool = False


@dataclass
class _Placed:
    visit: Visit
    staff: list[int]


def write_history(*, seed: int, today: datetime.date, progress: Progress) -> dict[str, int]:
    progress("Sparar utförda besök för varje dag hemma …")
    rng = random.Random(seed + SEED_OFFSET)  # noqa: S311  (a reproducible demo, not a secret)
    teams = {team.kind: team for team in Team.objects.filter(kind__in=TEAM_KINDS)}
    staff = _staff(teams)
    episodes = _episodes(rng, today, teams, staff)
    by_day: dict[datetime.date, list[_Episode]] = defaultdict(list)
    for episode in episodes:
        day = episode.first_day
        while day <= episode.last_day:
            by_day[day].append(episode)
            day += DAY
    placed: list[_Placed] = []
    shifts: list[Shift] = []
    coordinator = Staff.objects.filter(role=Role.COORDINATOR).order_by("pk")[0]
    drafts = {day: [d for e in by_day[day] for d in _drafts(rng, e, day)] for day in sorted(by_day)}
    _mark_overrides(rng, drafts)
    for day in sorted(drafts):
        on_duty = [m for m in staff if _on_duty(m, day)]
        for member in on_duty:
            member.free_at, member.at, member.worked = HOURS[member.role][0], None, False
        placed += _plan_day(rng, day, drafts[day], on_duty)
        shifts += _shifts(day, on_duty, coordinator)
    _save(placed, shifts)
    rebuild_visit_summaries(episode_ids=None)
    done = sum(1 for p in placed if p.visit.status == Visit.Status.DONE)
    return {"utförda besök": done, "besök som inte blev av": len(placed) - done}


def _mark_overrides(rng: random.Random, drafts: dict[datetime.date, list[_Draft]]) -> None:
    """On a few days a month one single-staffed visit is kept after its window, with the
    reason (an override of the detected conflict)."""
    by_month: dict[datetime.date, list[list[_Draft]]] = defaultdict(list)
    for day, day_drafts in drafts.items():
        by_month[day.replace(day=1)].append([d for d in day_drafts if d.staff_count == 1])
    for month in sorted(by_month):
        days = [single for single in by_month[month] if single]
        for single in rng.sample(days, min(len(days), rng.randint(*OVERRIDE_DAYS_A_MONTH))):
            rng.choice(single).override = rng.choice(OVERRIDE_REASONS)


def _staff(teams: dict[str, Team]) -> list[_Member]:
    """The reablement team's care workers and the rehab unit's staff who make visits."""
    spans: dict[int, list[rules.DelegationSpan]] = defaultdict(list)
    for d in Delegation.objects.order_by("pk"):
        spans[d.staff_id].append(
            rules.DelegationSpan(d.task, d.valid_from, d.valid_to, d.withdrawn_on)
        )
    members = []
    for kind, roles in TEAM_KINDS.items():
        rows = Staff.objects.filter(teams=teams[kind], role__in=roles).order_by("pk")
        for index, (pk, role) in enumerate(rows.values_list("pk", "role")):
            members.append(_Member(pk, role, teams[kind].pk, index, spans[pk]))
    return members


def _on_duty(member: _Member, day: datetime.date) -> bool:
    """The rehab unit works weekdays; each care worker five days of seven, off on two days
    that move along the team so that every day has its share."""
    if member.role in WEEKDAYS_ONLY:
        return day.weekday() < 5
    return (day.toordinal() + 3 * member.index) % 7 not in (0, 1)


def _episodes(
    rng: random.Random, today: datetime.date, teams: dict[str, Team], staff: list[_Member]
) -> list[_Episode]:
    yesterday = today - DAY
    ends = dict(
        Decision.objects.filter(is_current=True)
        .order_by("episode_id")
        .values_list("episode_id", "end_on")
    )
    goals = dict(
        Goal.objects.filter(is_main=True)
        .order_by("plan__episode_id", "pk")
        .values_list("plan__episode_id", "own_words")
    )
    by_role: dict[str, list[int]] = defaultdict(list)
    for member in staff:
        by_role[member.role].append(member.pk)
    reablement = teams[Team.Kind.REABLEMENT].pk
    rehab = teams[Team.Kind.REHAB].pk
    result = []
    rows = (
        Episode.objects.filter(home_at__isnull=False)
        .select_related("person")
        .prefetch_related("teams")
        .order_by("pk")
    )
    for row in rows:
        assert row.home_at is not None  # noqa: S101  (filtered above)
        team_ids = {team.pk for team in row.teams.all()}
        in_reablement = reablement in team_ids
        first_day = local_date(row.home_at)
        last_day = row.ended_on if row.ended_on is not None else yesterday
        last_day = min(last_day, yesterday)
        planned_end = row.ended_on or ends.get(row.pk) or last_day
        person = row.person
        location = (
            (person.latitude, person.longitude)
            if person.latitude is not None and person.longitude is not None
            else None
        )
        episode = _Episode(
            pk=row.pk,
            person=row.person_id,
            location=location,
            team=reablement if in_reablement else rehab,
            teams=team_ids,
            first_day=first_day,
            home_minute=_minute_of(row.home_at),
            last_day=last_day,
            ended=row.ended_on is not None and row.ended_on < today,
            planned_days=max(1, (planned_end - first_day).days + 1),
            reablement=in_reablement,
            medication=rng.random() < SHARE_WITH_MEDICATION,
            needs_two=rng.random() < SHARE_NEEDING_TWO,
            morning=rng.choice([420, 450, 480, 510, 540]),
            training=rng.choice([600, 630, 660, 780, 810]),
            goal_text=goals.get(row.pk, ""),
        )
        episode.regular = {
            Role.CARE_WORKER: _pick(rng, by_role[Role.CARE_WORKER], 2),
            Role.REHAB_ASSISTANT: _pick(rng, by_role[Role.REHAB_ASSISTANT], 1),
            Role.NURSE: _pick(rng, by_role[Role.NURSE], 1),
        }
        therapist = Role.OT if rng.random() < 0.6 else Role.PT
        episode.regular[therapist] = _pick(rng, by_role[therapist], 1)
        result.append(episode)
    return result


def _pick(rng: random.Random, pool: list[int], count: int) -> list[int]:
    return rng.sample(pool, min(count, len(pool)))


def _minute_of(moment: datetime.datetime) -> int:
    local = timezone.localtime(moment)
    return local.hour * 60 + local.minute


def _drafts(rng: random.Random, e: _Episode, day: datetime.date) -> list[_Draft]:
    """The person's visits on a day at home: fewer and shorter as the episode goes on."""
    index = (day - e.first_day).days
    progress = index / max(1, e.planned_days - 1)
    weekday = day.weekday() < 5
    drafts: list[_Draft] = []
    care = (Role.CARE_WORKER,)
    if e.reablement:
        duration = 45 if progress < 0.35 else 35 if progress < 0.7 else 25
        if e.needs_two and index < 3:
            drafts.append(
                _Draft(
                    e,
                    day,
                    "Morgonhjälp med förflyttning",
                    care,
                    (e.morning, e.morning + 60),
                    duration,
                    staff_count=2,
                    with_the_person=True,
                )
            )
        elif e.medication:
            drafts.append(
                _Draft(
                    e,
                    day,
                    "Morgonhjälp och läkemedel",
                    care,
                    (e.morning, e.morning + 60),
                    duration,
                    skills=("medication",),
                    with_the_person=True,
                    without_medication="Morgonhjälp",
                )
            )
        else:
            drafts.append(
                _Draft(
                    e,
                    day,
                    "Morgonhjälp",
                    care,
                    (e.morning, e.morning + 60),
                    duration,
                    with_the_person=True,
                )
            )
        if progress < 0.45 or (e.needs_two and progress < 0.7):
            drafts.append(_Draft(e, day, "Lunch och tillsyn", care, (690, 750), 30))
        if progress < 0.25:
            drafts.append(
                _Draft(e, day, "Träning i vardagen", care, (840, 870), 30, with_the_person=True)
            )
    training_days = 1.0 if not e.reablement else 0.85 if progress < 0.8 else 0.5
    if weekday and rng.random() < training_days:
        drafts.append(
            _Draft(
                e,
                day,
                "Träning enligt rehabplan",
                (Role.REHAB_ASSISTANT, Role.PT, Role.OT),
                (e.training, e.training + 60),
                45,
                law=Law.HSL,
                skills=("rehab",),
                with_the_person=True,
                goal_text=e.goal_text,
            )
        )
    drafts += _professional(e, day, index)
    if day == e.first_day:
        earliest = e.home_minute + 30
        drafts = [d for d in drafts if d.window[0] >= earliest]
    if e.ended and day == e.last_day and day != e.first_day:
        drafts = [d for d in drafts if d.window[0] < 12 * 60]  # the episode ends at noon
    return drafts


def _professional(e: _Episode, day: datetime.date, index: int) -> list[_Draft]:
    """Assessment and follow-up by the therapist, medication review by the nurse: on the first
    weekday they can come after homecoming, mid-way and (long episodes) every three weeks."""
    if day.weekday() >= 5:
        return []
    therapist = Role.OT if Role.OT in e.regular else Role.PT
    first_weekday = _first_weekday(e.first_day + DAY)
    drafts = []
    if day == first_weekday:
        drafts.append(
            _Draft(
                e,
                day,
                "Bedömning i hemmet",
                (therapist,),
                (540, 840),
                60,
                law=Law.HSL,
                skills=("hsl",),
                goal_text=e.goal_text,
            )
        )
        if e.medication:
            drafts.append(
                _Draft(
                    e,
                    day,
                    "Läkemedelsgenomgång",
                    (Role.NURSE,),
                    (540, 900),
                    30,
                    law=Law.HSL,
                    skills=("hsl",),
                )
            )
    elif index >= 5 and (index % 21 == 7 or _first_weekday(e.first_day + DAY * 7) == day):
        if e.planned_days >= 10 and (e.pk % 3 != 0 or e.planned_days > 20):
            drafts.append(
                _Draft(
                    e,
                    day,
                    "Uppföljning av träning",
                    (therapist,),
                    (540, 840),
                    45,
                    law=Law.HSL,
                    skills=("hsl",),
                    goal_text=e.goal_text,
                )
            )
    elif e.medication and e.pk % 4 == 0 and _first_weekday(e.first_day + DAY * 10) == day:
        drafts.append(
            _Draft(
                e,
                day,
                "Uppföljning av läkemedel",
                (Role.NURSE,),
                (540, 900),
                30,
                law=Law.HSL,
                skills=("hsl",),
            )
        )
    return drafts


def _first_weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += DAY
    return day


def _plan_day(
    rng: random.Random, day: datetime.date, drafts: list[_Draft], on_duty: list[_Member]
) -> list[_Placed]:
    busy: dict[int, list[tuple[int, int]]] = defaultdict(list)
    placed = []
    for draft in sorted(drafts, key=lambda d: (d.window[0], d.episode.pk, d.what)):
        result = _place(draft, day, on_duty, busy)
        if result is None and draft.without_medication:
            draft.what, draft.skills = draft.without_medication, ()
            result = _place(draft, day, on_duty, busy)
        if result is not None:
            placed.append(_record(rng, draft, *result))
    return placed


def _skills(member: _Member, day: datetime.date) -> frozenset[str]:
    return rules.skills_on(member.role, member.delegations, day)


def _place(
    draft: _Draft,
    day: datetime.date,
    on_duty: list[_Member],
    busy: dict[int, list[tuple[int, int]]],
) -> tuple[list[_Member], int] | None:
    """The staff (one or two) and start of the visit: those who know the person first."""
    e = draft.episode
    regular = {pk for role in draft.roles for pk in e.regular.get(role, [])}
    candidates = [
        m
        for m in on_duty
        if m.role in draft.roles and m.team in e.teams and set(draft.skills) <= _skills(m, day)
    ]
    candidates.sort(
        key=lambda m: (
            draft.roles.index(m.role),
            0 if m.pk in regular else 1 if e.seen[m.pk] else 2,
            -e.seen[m.pk],
            m.free_at,
            m.pk,
        )
    )
    chosen: list[_Member] = []
    start = draft.window[0]
    for member in candidates:
        arrive = member.free_at + math.ceil(rules.travel_minutes(member.at, e.location))
        at = max(start, arrive)
        if draft.override:
            at = max(at, draft.window[1] + 15)
        at = _after_client_busy(at, draft.duration, busy[e.person])
        late = at > draft.window[1] and not draft.override
        if late or at + draft.duration > HOURS[member.role][1]:
            continue
        chosen.append(member)
        start = at
        if len(chosen) == draft.staff_count:
            break
    if len(chosen) < draft.staff_count:
        return None
    end = start + draft.duration
    for member in chosen:
        member.free_at, member.at, member.worked = end, e.location, True
        e.seen[member.pk] += 1
    busy[e.person].append((start, end))
    return chosen, start


def _after_client_busy(start: int, duration: int, busy: Iterable[tuple[int, int]]) -> int:
    taken = sorted(busy)
    moved = True
    while moved:
        moved = False
        for begin, end in taken:
            if start < end and begin < start + duration:
                start, moved = end, True
    return start


def _record(rng: random.Random, draft: _Draft, chosen: list[_Member], start: int) -> _Placed:
    """The visit as recorded by the (first) staff member: done near its planned time, or not
    done with the reason."""
    e = draft.episode
    visit = Visit(
        episode_id=e.pk,
        person_id=e.person,
        team_id=e.team,
        day=draft.day,
        what=draft.what,
        law=draft.law,
        goal_text=draft.goal_text,
        window_start_minute=draft.window[0],
        window_end_minute=draft.window[1],
        duration_minutes=draft.duration,
        skills=list(draft.skills),
        staff_count=draft.staff_count,
        with_the_person=draft.with_the_person,
        planned_start_minute=start,
        override_reason=draft.override,
        recorded_by_id=chosen[0].pk,
    )
    if rng.random() < SHARE_NOT_DONE:
        visit.status = Visit.Status.NOT_DONE
        visit.note = rng.choice(NOT_DONE_REASONS)
    else:
        visit.status = Visit.Status.DONE
        actual_start = max(0, start + max(-5, min(12, round(rng.gauss(2, 4)))))
        spent = draft.duration + max(-10, min(15, round(rng.gauss(0, 5))))
        visit.actual_start_minute = actual_start
        visit.actual_end_minute = min(24 * 60 - 1, actual_start + max(10, spent))
        visit.independence = _independence(rng, e, draft.day)
        visit.deterioration = rng.random() < SHARE_DETERIORATION
    return _Placed(visit, [m.pk for m in chosen])


def _independence(rng: random.Random, e: _Episode, day: datetime.date) -> str:
    """More of it done by the person as the episode goes on."""
    progress = min(1.0, (day - e.first_day).days / max(1, e.planned_days - 1))
    levels = Visit.Independence
    weights = (0.15 + 0.6 * progress, 0.55 - 0.1 * progress, 0.3 - 0.5 * progress * 0.6)
    return rng.choices(
        [levels.DID_IT_THEMSELVES, levels.WITH_SUPPORT, levels.DONE_FOR_THEM],
        [max(0.02, w) for w in weights],
    )[0]


def _shifts(day: datetime.date, on_duty: list[_Member], by: Staff) -> list[Shift]:
    """The planning row of everyone who made a visit, in their own team's plan."""
    return [
        Shift(
            staff_id=member.pk,
            team_id=member.team,
            day=day,
            start_minute=HOURS[member.role][0],
            end_minute=HOURS[member.role][1],
            created_by=by,
        )
        for member in on_duty
        if member.worked
    ]


def _save(placed: list[_Placed], shifts: list[Shift]) -> None:
    Visit.objects.bulk_create([p.visit for p in placed], batch_size=BATCH)
    VisitAssignment.objects.bulk_create(
        (VisitAssignment(visit=p.visit, staff_id=pk) for p in placed for pk in p.staff),
        batch_size=BATCH,
    )
    Shift.objects.bulk_create(shifts, batch_size=BATCH)
