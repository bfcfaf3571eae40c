"""The demo's history of work done: visits on the days people were at home, by the staff of
their episode's teams, kept equal to their summaries, giving the manager plausible figures."""

import datetime
import statistics
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from trygghem.core.time import local_date
from trygghem.demo.stories import history_months
from trygghem.demo.tests.test_load_demo import TODAY, demo_output
from trygghem.episodes.models import Episode
from trygghem.planning import rules
from trygghem.planning.models import (
    EpisodeStaffWork,
    EpisodeVisitDay,
    Shift,
    Visit,
    VisitAssignment,
)
from trygghem.planning.selectors import continuity, day_conflicts
from trygghem.reports.selectors import ReportFilter, economics, outcomes
from trygghem.staff.models import Staff

__all__ = ["demo_output"]
ONE_DAY = datetime.timedelta(days=1)
WHOLE_PERIOD = ReportFilter(from_on=history_months(TODAY)[0], to_on=TODAY)


def _history() -> QuerySet[Visit]:
    return Visit.objects.filter(day__lt=TODAY)


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _written() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in (Visit, VisitAssignment, Shift, EpisodeStaffWork, EpisodeVisitDay)
    }


@pytest.mark.django_db
def test_the_visit_summaries_equal_the_visits_after_loading(demo_output: str) -> None:
    work: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    rows = VisitAssignment.objects.filter(visit__status=Visit.Status.DONE).values_list(
        "visit__episode_id", "staff_id", "visit__actual_start_minute", "visit__actual_end_minute"
    )
    for episode_id, staff_id, start, end in rows:
        assert start is not None and end is not None
        work[episode_id, staff_id][0] += 1
        work[episode_id, staff_id][1] += end - start
    days: Counter[tuple[int, datetime.date]] = Counter()
    overridden: Counter[tuple[int, datetime.date]] = Counter()
    for episode_id, day, reason in Visit.objects.values_list(
        "episode_id", "day", "override_reason"
    ):
        days[episode_id, day] += 1
        overridden[episode_id, day] += bool(reason)

    assert len(work) > 1000
    assert {
        (r.episode_id, r.staff_id): [r.visits_done, r.minutes_done]
        for r in EpisodeStaffWork.objects.all()
    } == dict(work)
    assert {
        (r.episode_id, r.day): (r.visits, r.overridden) for r in EpisodeVisitDay.objects.all()
    } == {key: (count, overridden[key]) for key, count in days.items()}


@pytest.mark.django_db
def test_visits_fall_only_on_days_the_person_was_at_home(demo_output: str) -> None:
    episodes = {e.pk: e for e in Episode.objects.filter(home_at__isnull=False)}
    visits = list(
        Visit.objects.values_list("episode_id", "person_id", "day", "planned_start_minute")
    )

    assert len(visits) > 5000
    for episode_id, person_id, day, start in visits:
        episode = episodes[episode_id]
        assert episode.home_at is not None
        assert person_id == episode.person_id
        home = timezone.localtime(episode.home_at)
        assert home.date() <= day
        assert episode.ended_on is None or day <= episode.ended_on
        if day == home.date():
            assert start is not None and start >= home.hour * 60 + home.minute
    with_history = set(_history().values_list("episode_id", flat=True))
    came_home_before_today = Episode.objects.filter(home_at__lt=_start_of(TODAY))
    assert came_home_before_today.exclude(pk__in=with_history).count() == 0


@pytest.mark.django_db
def test_every_visit_is_made_by_staff_of_the_episodes_teams(demo_output: str) -> None:
    episode_teams: dict[int, set[int]] = defaultdict(set)
    for episode_id, team_id in Episode.teams.through.objects.values_list("episode_id", "team_id"):
        episode_teams[episode_id].add(team_id)
    staff_teams: dict[int, set[int]] = defaultdict(set)
    for staff_id, team_id in Staff.teams.through.objects.values_list("staff_id", "team_id"):
        staff_teams[staff_id].add(team_id)

    assignments = list(VisitAssignment.objects.values_list("visit__episode_id", "staff_id"))

    assert len(assignments) > 5000
    outside = [
        (episode_id, staff_id)
        for episode_id, staff_id in assignments
        if not staff_teams[staff_id] & episode_teams[episode_id]
    ]
    assert outside == []
    assert set(
        VisitAssignment.objects.filter(visit__day__lt=TODAY).values_list("staff__role", flat=True)
    ) == {"care_worker", "rehab_assistant", "ot", "pt", "nurse"}


@pytest.mark.django_db
def test_past_visits_are_recorded_near_their_plan_or_not_done_with_a_reason(
    demo_output: str,
) -> None:
    statuses = Counter(_history().values_list("status", flat=True))
    done = _history().filter(status=Visit.Status.DONE)

    assert set(statuses) == {"done", "not_done"}
    assert 0.02 < statuses["not_done"] / statuses.total() < 0.07
    assert (
        done.filter(
            Q(actual_start_minute__isnull=True)
            | Q(actual_end_minute__lte=F("actual_start_minute"))
            | Q(independence="")
            | Q(recorded_by__isnull=True)
        ).count()
        == 0
    )
    for planned, start, end, duration in done.values_list(
        "planned_start_minute", "actual_start_minute", "actual_end_minute", "duration_minutes"
    ):
        assert planned is not None and start is not None and end is not None
        assert -5 <= start - planned <= 12
        assert duration - 10 <= end - start <= duration + 15
    not_done = _history().filter(status=Visit.Status.NOT_DONE)
    assert not_done.filter(Q(note="") | Q(actual_start_minute__isnull=False)).count() == 0
    assert 10 <= _history().filter(staff_count=2).count() <= 150
    doubles = _history().filter(staff_count=2).annotate(assigned=Count("assignments"))
    assert set(doubles.values_list("assigned", flat=True)) == {2}


@pytest.mark.django_db
def test_the_help_tapers_from_several_visits_a_day_to_one_or_two(demo_output: str) -> None:
    first: list[int] = []
    last: list[int] = []
    counts = {
        (episode_id, day): visits
        for episode_id, day, visits in EpisodeVisitDay.objects.values_list(
            "episode_id", "day", "visits"
        )
    }
    for episode in Episode.objects.filter(
        status=Episode.Status.ENDED, home_at__isnull=False, program__code="trygg_hemgang"
    ):
        assert episode.home_at is not None and episode.ended_on is not None
        came_home_on = local_date(episode.home_at)
        if (episode.ended_on - came_home_on).days < 10:
            continue
        for days in (1, 2):
            first.append(counts.get((episode.pk, came_home_on + days * ONE_DAY), 0))
            last.append(counts.get((episode.pk, episode.ended_on - days * ONE_DAY), 0))

    assert 3 <= statistics.mean(first) <= 4.5
    assert 1 <= statistics.mean(last) <= 2


@pytest.mark.django_db
def test_the_manager_sees_plausible_continuity_and_cost_per_episode(demo_output: str) -> None:
    """Distinct staff per person over a reablement episode of about two weeks: a handful; the
    cost of an episode in a Swedish range (staff hours at the roles' hourly cost plus the fixed
    team cost shared by the month's ended episodes)."""
    chef = Staff.objects.get(user__username="chef")

    seen = outcomes(staff=chef, filters=WHOLE_PERIOD).continuity
    money = economics(staff=chef, filters=WHOLE_PERIOD)

    assert seen.total > 250
    assert seen.median is not None and 4 <= seen.median <= 8
    assert seen.mean is not None and 4 <= seen.mean <= 8
    assert money.episodes == seen.total
    assert money.cost_per_episode is not None
    assert 15_000 < money.cost_per_episode < 45_000
    hours = {role.role: role.hours for role in money.roles}
    assert len(hours) == 5
    assert max(hours.values()) == hours[str(Staff.Role.CARE_WORKER.label)]
    assert 8 < sum(hours.values()) / money.episodes < 40
    assert money.break_even is not None and 15 < money.break_even < 60


@pytest.mark.django_db
def test_people_at_home_met_a_handful_of_staff_over_the_last_14_days(demo_output: str) -> None:
    """The national continuity measure for the running reablement episodes a week or more
    after homecoming."""
    running = Episode.objects.filter(
        status__in=[Episode.Status.ACTIVE, Episode.Status.FOLLOW_UP_HELD],
        home_at__lt=_start_of(TODAY - 7 * ONE_DAY),
        program__code__in=["trygg_hemgang", "trygg_hemma"],
    )

    measured = continuity(episode_ids=running.values_list("pk", flat=True), day=TODAY - ONE_DAY)

    assert len(measured) >= 4
    for _overall, last_14_days in measured.values():
        assert 3 <= last_14_days <= 9


@pytest.mark.django_db
def test_a_handful_of_visits_a_month_are_kept_despite_a_conflict(demo_output: str) -> None:
    chef = Staff.objects.get(user__username="chef")

    months = outcomes(staff=chef, filters=WHOLE_PERIOD).continuity.overrides

    assert len(months) == 19
    for _month, visits, overridden in months:
        assert visits > 100
        assert 1 <= overridden <= 8
    kept = _history().exclude(override_reason="").order_by("day", "pk").last()
    assert kept is not None
    conflicts = day_conflicts(day=kept.day)
    assert [(c.kind, c.visits) for c in conflicts] == [
        (rules.ConflictKind.WINDOW_MISSED, (str(kept.external_id),))
    ]


@pytest.mark.django_db
def test_days_without_an_override_are_planned_without_conflicts(demo_output: str) -> None:
    days = (
        _history()
        .values("day")
        .annotate(kept=Count("pk", filter=~Q(override_reason="")))
        .filter(kept=0)
        .values_list("day", flat=True)
        .order_by("day")
    )
    sample = list(days)[::60]

    assert len(sample) >= 5
    for day in sample:
        assert day_conflicts(day=day) == [], day


@pytest.mark.django_db
def test_loading_again_writes_no_visits(demo_output: str) -> None:
    before = _written()

    call_command("load_demo", "--today", TODAY.isoformat(), stdout=StringIO())

    assert _written() == before
