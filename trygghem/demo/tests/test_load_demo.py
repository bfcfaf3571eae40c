"""The demo municipality: loaded once for the module (rolled back afterwards), then checked
against the shape the issue asks for and the invariants the services keep."""

import datetime
import itertools
import re
import statistics
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Model
from personnummer import personnummer
from pytest_django import DjangoDbBlocker

from trygghem.assessments.models import Assessment
from trygghem.audit.models import AccessLog
from trygghem.core.identity import parse_identity_number
from trygghem.decisions.models import Decision, HomeCareDecision
from trygghem.demo.generate import DEMO_PASSWORD, LOGINS, OUTSIDER, DemoPlan, generate_plan
from trygghem.demo.load import outsider_view, today_summary
from trygghem.demo.stories import history_months
from trygghem.episodes.models import (
    Episode,
    FollowUp,
    ImplementationPlan,
    PlannedService,
    Program,
    Transition,
)
from trygghem.episodes.rules import ALLOWED_TRANSITIONS
from trygghem.people.models import BirthDayRange, Person, Relative
from trygghem.people.rules import range_for_birth_day
from trygghem.referrals.models import Referral
from trygghem.reports.models import TeamCapacity
from trygghem.reports.selectors import (
    HOURS_POINTS,
    ReportFilter,
    economics,
    home_care_hours,
    hours_after_end,
)
from trygghem.staff.models import Staff, Team

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
TODAY = datetime.date(2026, 3, 10)
NOW = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=STOCKHOLM)
COUNTED: list[type[Model]] = [
    Team,
    Staff,
    Staff.teams.through,
    get_user_model(),
    Person,
    Relative,
    Referral,
    Referral.exclusion_criteria.through,
    Episode,
    Episode.teams.through,
    Transition,
    Decision,
    FollowUp,
    ImplementationPlan,
    PlannedService,
    HomeCareDecision,
    AccessLog,
    Assessment,
    TeamCapacity,
]


@pytest.fixture(scope="module")
def demo_output(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """Loads the demo once for this module and rolls it back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("load_demo", "--today", TODAY.isoformat(), stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in COUNTED}


def _local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(STOCKHOLM).date()


def _days_at_home(episode: Episode) -> int:
    assert episode.home_at is not None
    assert episode.ended_on is not None
    return (episode.ended_on - _local_day(episode.home_at)).days


@pytest.mark.django_db
def test_loading_the_demo_twice_writes_nothing_the_second_time(demo_output: str) -> None:
    before = _row_counts()
    output = StringIO()

    call_command("load_demo", "--today", TODAY.isoformat(), stdout=output)

    assert _row_counts() == before
    assert "redan laddad" in output.getvalue()
    assert "utomstaende" in output.getvalue()


@pytest.mark.django_db
def test_the_output_lists_one_log_in_per_role_and_no_personnummer(demo_output: str) -> None:
    for login in LOGINS:
        assert f"  {login.username} " in demo_output
    assert DEMO_PASSWORD in demo_output
    assert not re.search(r"\d{6}[-+]?\d{4}", demo_output)


@pytest.mark.django_db
def test_the_municipality_has_30_to_50_staff_and_over_100_home_care_clients(
    demo_output: str,
) -> None:
    assert 30 <= Staff.objects.count() <= 50
    assert Person.objects.filter(home_care_team__isnull=False).count() >= 100
    kinds = Counter(Team.objects.values_list("kind", flat=True))
    assert kinds == {"needs_assessment": 1, "reablement": 1, "rehab": 1, "home_care": 2}
    reablement = Team.objects.get(kind=Team.Kind.REABLEMENT)
    assert reablement.phone_hours == "07.00–15.30 alla dagar"
    assert list(TeamCapacity.objects.values_list("team", "places")) == [(reablement.pk, 12)]


@pytest.mark.django_db
def test_every_log_in_has_a_staff_row_with_its_role_and_the_shared_password(
    demo_output: str,
) -> None:
    for login in LOGINS:
        staff = Staff.objects.select_related("user").get(user__username=login.username)
        assert staff.role == login.role
        assert staff.teams.count() == len(login.teams)
        assert staff.user.is_staff == (login.username == "admin")
        assert staff.user.is_superuser == (login.username == "admin")
    assert get_user_model().objects.get(username="chef").check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_each_birth_day_range_has_its_own_case_officer(demo_output: str) -> None:
    officers = [r.case_officer for r in BirthDayRange.objects.select_related("case_officer")]
    assert len(officers) == 3
    assert len({officer.pk for officer in officers if officer is not None}) == 3
    assert all(officer is not None and officer.role == "case_officer" for officer in officers)


@pytest.mark.django_db
def test_every_full_month_of_the_18_has_15_to_30_referrals(demo_output: str) -> None:
    per_month = Counter(
        (day.year, day.month) for day in Referral.objects.values_list("received_on", flat=True)
    )
    full_months = history_months(TODAY)[:-1]

    assert len(full_months) == 18
    for month in full_months:
        assert 15 <= per_month[(month.year, month.month)] <= 30, month
    assert min(per_month) == (full_months[0].year, full_months[0].month)


@pytest.mark.django_db
def test_triage_closure_and_end_reasons_follow_the_source_mix(demo_output: str) -> None:
    referrals = Referral.objects.count()
    triage = Counter(Referral.objects.values_list("triage", flat=True))
    closed = Episode.objects.filter(status=Episode.Status.CLOSED).count()
    from_home_care = Referral.objects.filter(source=Referral.Source.HOME_CARE).count()
    handed_over = Episode.objects.filter(end_reason__code="handover").count()
    ended = Episode.objects.filter(status=Episode.Status.ENDED).count()

    assert 0.12 <= triage["green"] / referrals <= 0.28
    assert 0.05 <= triage["red"] / referrals <= 0.15
    assert 0.18 <= closed / referrals <= 0.35
    excluded = Referral.objects.filter(exclusion_criteria__isnull=False).distinct().count()
    assert 0.02 <= excluded / referrals <= 0.09
    assert 0.12 <= from_home_care / referrals <= 0.28
    assert 0.35 <= handed_over / ended <= 0.55


@pytest.mark.django_db
def test_episodes_last_12_to_18_days_on_average_from_homecoming_to_end(demo_output: str) -> None:
    finished = Episode.objects.filter(end_reason__code__in=["handover", "no_further_need"])
    days = [_days_at_home(episode) for episode in finished]

    assert 12 <= statistics.mean(days) <= 18
    trygg_hemgang = finished.filter(program__code="trygg_hemgang")
    assert all(_days_at_home(episode) < 14 for episode in trygg_hemgang)


@pytest.mark.django_db
def test_no_decision_is_longer_than_its_program_allows(demo_output: str) -> None:
    max_days = dict(Program.objects.values_list("pk", "max_days"))
    decisions = Decision.objects.all()

    assert decisions.count() > 250
    assert all(d.length_days <= max_days[d.program_id] for d in decisions)
    assert all(d.start_on <= d.follow_up_on <= d.end_on for d in decisions)


@pytest.mark.django_db
def test_adjusted_decisions_keep_the_old_version_in_the_same_series(demo_output: str) -> None:
    series = Decision.objects.values("series").annotate(n=Count("id")).filter(n__gt=1)

    assert series.count() >= 5
    for row in series:
        versions = list(Decision.objects.filter(series=row["series"]).order_by("version"))
        assert [d.version for d in versions] == [1, 2]
        assert [d.is_current for d in versions] == [False, True]
        assert versions[1].change_reason


@pytest.mark.django_db
def test_every_personnummer_is_valid_and_born_1925_to_1960(demo_output: str) -> None:
    for number, birth_date in Person.objects.values_list("identity_number", "birth_date"):
        assert personnummer.valid(number), number
        assert parse_identity_number(number, today=TODAY).birth_date == birth_date
        assert 1925 <= birth_date.year <= 1960


@pytest.mark.django_db
def test_the_worklists_have_content_today(demo_output: str) -> None:
    summary = today_summary(TODAY)

    assert summary.referred == 3
    assert summary.decided == 2
    assert 6 <= summary.active <= 10
    assert summary.follow_up_due >= 2
    assert summary.follow_up_overdue >= 2
    assert summary.ending_soon >= 2
    assert Episode.objects.filter(status=Episode.Status.FOLLOW_UP_HELD).count() >= 2


@pytest.mark.django_db
def test_episode_states_match_their_transitions_and_dates(demo_output: str) -> None:
    transitions = defaultdict(list)
    for t in Transition.objects.order_by("at", "id"):
        transitions[t.episode_id].append(t)
    for episode in Episode.objects.select_related("referral"):
        moves = transitions[episode.pk]
        assert moves[0].from_status == ""
        assert moves[0].to_status == Episode.Status.REFERRED
        for before, after in itertools.pairwise(moves):
            assert after.from_status == before.to_status
            assert after.to_status in ALLOWED_TRANSITIONS[before.to_status]
            assert before.at <= after.at
        assert moves[-1].to_status == episode.status
        assert _local_day(moves[0].at) == episode.referral.received_on
        assert moves[-1].at <= NOW
        if episode.home_at is not None:
            assert episode.ended_on is None or episode.ended_on >= _local_day(episode.home_at)


@pytest.mark.django_db
def test_episode_teams_and_case_officer_follow_the_access_rules(demo_output: str) -> None:
    ranges = list(BirthDayRange.objects.all())
    program_teams = {p.pk: {t.pk for t in p.teams.all()} for p in Program.objects.all()}
    episodes = Episode.objects.select_related("person").prefetch_related("teams", "decisions")
    for episode in episodes:
        teams = {team.pk for team in episode.teams.all()}
        assert episode.unit_id in teams
        if episode.decisions.all():
            assert program_teams[episode.program_id] <= teams
        day_range = range_for_birth_day(episode.person.birth_date, ranges)
        assert day_range is not None
        assert episode.case_officer_id == day_range.case_officer_id


@pytest.mark.django_db
def test_a_person_never_has_two_open_episodes_or_overlapping_decisions(demo_output: str) -> None:
    open_per_person = Counter(
        Episode.objects.exclude(status__in=["ended", "closed"]).values_list("person_id", flat=True)
    )
    assert max(open_per_person.values()) == 1
    periods = defaultdict(list)
    for decision in Decision.objects.filter(is_current=True):
        periods[decision.person_id].append((decision.start_on, decision.effective_end_on))
    for spans in periods.values():
        spans.sort()
        assert all(first[1] < second[0] for first, second in itertools.pairwise(spans))


@pytest.mark.django_db
def test_an_episode_ended_early_terminates_its_decision_on_the_same_day(demo_output: str) -> None:
    ended = Episode.objects.filter(status=Episode.Status.ENDED)
    for episode in ended:
        decision = Decision.objects.get(episode=episode, is_current=True)
        assert episode.ended_on is not None
        assert episode.ended_on <= decision.end_on
        expected = episode.ended_on if episode.ended_on < decision.end_on else None
        assert decision.terminated_on == expected


@pytest.mark.django_db
def test_handovers_have_an_implementation_plan_after_a_follow_up(demo_output: str) -> None:
    handed_over = Episode.objects.filter(end_reason__code="handover")
    plans = ImplementationPlan.objects.filter(episode__in=handed_over)

    assert plans.count() == handed_over.count()
    assert not handed_over.filter(follow_ups__isnull=True).exists()
    assert all(1 <= plan.services.count() <= 3 for plan in plans)
    assert all(plan.receiving_team.kind == Team.Kind.HOME_CARE for plan in plans)


@pytest.mark.django_db
def test_the_outsider_sees_no_open_episode_and_no_access_is_logged(demo_output: str) -> None:
    view = outsider_view()

    assert view is not None
    assert view.open_episodes == 0
    assert Staff.objects.get(user__username=OUTSIDER).role == "care_worker"
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
def test_most_finished_episodes_are_assessed_at_baseline_and_end_and_improve_on_average(
    demo_output: str,
) -> None:
    finished = Episode.objects.filter(end_reason__code__in=["handover", "no_further_need"])
    scores: dict[tuple[int, str], dict[str, dict[str, float]]] = defaultdict(dict)
    for assessment in Assessment.objects.filter(episode__in=finished):
        scores[(assessment.episode_id, assessment.instrument_code)][assessment.occasion] = (
            assessment.scores
        )
    both = {key: s for key, s in scores.items() if "baseline" in s and "end" in s}
    assessed = {episode_id for episode_id, code in both if code == "adl_staircase"}

    assert len(assessed) >= 0.7 * finished.count()
    assert {code for _episode, code in both} == {
        "adl_staircase", "katz_adl", "copm", "safety_vas", "sppb"
    }  # fmt: skip

    def mean_change(code: str, key: str) -> float:
        return statistics.mean(
            s["end"][key] - s["baseline"][key] for (_e, c), s in both.items() if c == code
        )

    assert mean_change("safety_vas", "safety") >= 5
    assert mean_change("copm", "performance") >= 1
    assert mean_change("adl_staircase", "dependent_count") < 0


def test_the_same_seed_gives_the_same_people_and_another_seed_other_people() -> None:
    first = generate_plan(today=TODAY, now=NOW, seed=7)
    again = generate_plan(today=TODAY, now=NOW, seed=7)
    other = generate_plan(today=TODAY, now=NOW, seed=8)

    def people(plan: DemoPlan) -> list[tuple[str, str, str]]:
        return [(p.identity_number, p.first_name, p.last_name) for p in plan.persons]

    assert people(first) == people(again)
    assert [e.referral for e in first.episodes] == [e.referral for e in again.episodes]
    assert people(first) != people(other)


@pytest.mark.django_db
def test_home_care_decisions_never_overlap_and_follow_the_handovers(demo_output: str) -> None:
    decisions: dict[int, list[HomeCareDecision]] = defaultdict(list)
    for decision in HomeCareDecision.objects.order_by("person_id", "start_on"):
        decisions[decision.person_id].append(decision)

    def hours_on(person_id: int, day: datetime.date) -> Decimal:
        return sum(
            (d.hours_per_week for d in decisions[person_id] if d.in_force_on(day)), Decimal(0)
        )

    for own in decisions.values():
        for earlier, later in itertools.pairwise(own):
            assert earlier.end_on is not None
            assert earlier.end_on < later.start_on
    assert not HomeCareDecision.objects.filter(start_on__gt=TODAY).exists()
    handovers = list(Episode.objects.filter(end_reason__code="handover").select_related("referral"))
    at_end = [hours_on(e.person_id, e.ended_on) for e in handovers if e.ended_on]
    assert len(at_end) == len(handovers) > 100
    assert all(hours > 0 for hours in at_end)
    had_before = [
        (e.person_id, e.ended_on, e.referral.home_care_hours_before)
        for e in handovers
        if e.referral.home_care_hours_before > 0 and e.ended_on
    ]
    fewer = [1 for person, day, before in had_before if hours_on(person, day) < before]
    assert len(fewer) > 0.8 * len(had_before)
    year_after = [
        hours_on(e.person_id, e.ended_on + datetime.timedelta(days=365))
        for e in handovers
        if e.ended_on and e.ended_on <= TODAY - datetime.timedelta(days=365)
    ]
    assert 0.2 < sum(1 for hours in year_after if hours == 0) / len(year_after) < 0.7
    changed = {d.episode_id for d in HomeCareDecision.objects.filter(episode__isnull=False)}
    assert HomeCareDecision.objects.filter(episode__in=changed).count() > len(changed)
    # Every referral's hours before are those in force the day it came, later referrals of one
    # person included (their hours follow from what the earlier episode left).
    episodes = list(Episode.objects.select_related("referral"))
    again = sum(n - 1 for n in Counter(e.person_id for e in episodes).values())
    assert again > 30
    for e in episodes:
        assert hours_on(e.person_id, e.referral.received_on) == e.referral.home_care_hours_before


@pytest.mark.django_db
def test_the_dashboard_shows_home_care_lowered_after_reablement(
    demo_output: str, today: datetime.date
) -> None:
    """What the manager sees: those who had home care have far fewer hours at every point and
    some none at all, most of those who had none still have none, and the measured saving of
    home-care hours is positive."""
    chef = Staff.objects.get(user__username="chef")
    filters = ReportFilter(from_on=history_months(TODAY)[0], to_on=TODAY)
    came_home = Episode.objects.filter(home_at__isnull=False)

    dashboard = home_care_hours(staff=chef, filters=filters)
    had_hours = hours_after_end(
        came_home.filter(referral__home_care_hours_before__gt=0), today=today, points=HOURS_POINTS
    )
    had_none = hours_after_end(
        came_home.filter(referral__home_care_hours_before=0), today=today, points=HOURS_POINTS
    )
    money = economics(staff=chef, filters=filters)

    assert dashboard.people > 250
    for point in dashboard.points[:2]:  # at the handover and 3 months after
        assert point.mean is not None and point.mean_before is not None
        assert point.mean < point.mean_before, point.code
    for code, (people, before, after, _with_hours) in had_hours.items():
        assert people >= 25, code
        assert after < Decimal("0.7") * before, code
    people, _before, _after, with_hours = had_hours["12_months"]
    assert (people - with_hours) / people >= 0.15
    for code in ("3_months", "6_months", "12_months"):
        people, _before, after, with_hours = had_none[code]
        assert people >= 40, code
        assert 0.5 < (people - with_hours) / people < 0.85, code
        assert after / people < 2, code
    assert money.measured_people > 150
    assert money.measured_after < money.measured_before
    assert money.avoided_hours_per_week > money.assumed_hours_per_week
