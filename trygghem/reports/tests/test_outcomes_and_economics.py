"""Outcomes, continuity, comparison and economics on a small hand-built history (today
2026-03-10), checked by hand.

A: ready 6 Jan, home 8 Jan, ended 21 Jan with no further need, 3.5 h home care a week before;
   Katz 3 -> 1 activities with dependence, safety 40 -> 70; visits done: care worker 60 min,
   rehab assistant 30 min, care worker 30 min (kept despite a conflict); goals at the last
   review: one achieved, one changed. A's person is referred by the hospital again on 1 Feb.
B: ready 20 Jan, home 25 Jan, readmitted 2 Feb, no home care before; Katz 2 -> 2, safety
   50 -> 60; one visit done: care worker 60 min.
D: referred 15 Feb, closed 16 Feb. G: ready 9 Dec, home 10 Dec, ended 20 Dec, 10 h a week.
"""

import datetime
from decimal import Decimal

import pytest

from tests.factories import person_details
from trygghem.assessments.models import Assessment, Instrument
from trygghem.episodes.models import Episode
from trygghem.planning.models import Visit, VisitAssignment
from trygghem.planning.services import rebuild_visit_summaries
from trygghem.rehab.models import Goal, GoalAttainment, PlanReview, RehabPlan
from trygghem.reports import selectors
from trygghem.reports.models import ReportSettings
from trygghem.reports.rules import Summary
from trygghem.reports.selectors import Compare, CostMonth, ReportFilter
from trygghem.reports.tests.history import enrolled, referred
from trygghem.staff.models import Staff, Team

D = datetime.date
PERIOD = ReportFilter(from_on=D(2026, 1, 1), to_on=D(2026, 2, 28))


def _assess(episode: Episode, by: Staff, code: str, occasion: str, scores: dict[str, int]) -> None:
    Assessment.objects.create(
        episode=episode,
        person=episode.person,
        instrument=Instrument.objects.get(code=code, version=1),
        instrument_code=code,
        occasion=occasion,
        assessed_on=D(2026, 1, 10),
        assessed_by=by,
        scores=scores,
    )


def _visit(
    episode: Episode, team: Team, day: datetime.date, minutes: int, *staff: Staff, why: str = ""
) -> None:
    visit = Visit.objects.create(
        episode=episode,
        person=episode.person,
        team=team,
        day=day,
        what="Morning",
        window_start_minute=480,
        window_end_minute=540,
        duration_minutes=minutes,
        status=Visit.Status.DONE,
        actual_start_minute=480,
        actual_end_minute=480 + minutes,
        override_reason=why,
    )
    for member in staff:
        VisitAssignment.objects.create(visit=visit, staff=member)


def _goal(plan: RehabPlan, by: Staff) -> Goal:
    return Goal.objects.create(
        plan=plan,
        is_main=True,
        own_words="Walk to the shop",
        activity="Walking",
        icf_code="d450",
        target="Daily",
        target_on=D(2026, 1, 20),
        added_by=by,
    )


@pytest.fixture
def history(
    case_officer: Staff,
    ot: Staff,
    care_worker: Staff,
    rehab_assistant: Staff,
    reablement_team: Team,
    today: datetime.date,
) -> None:
    a_person = person_details()
    a = enrolled(
        by=case_officer,
        person=a_person,
        received_on=D(2026, 1, 5),
        ready_on=D(2026, 1, 6),
        start_on=D(2026, 1, 8),
        home_on=D(2026, 1, 8),
        ended_on=D(2026, 1, 21),
    )
    b = enrolled(
        by=case_officer,
        received_on=D(2026, 1, 20),
        ready_on=D(2026, 1, 20),
        start_on=D(2026, 1, 25),
        home_on=D(2026, 1, 25),
        ended_on=D(2026, 2, 2),
        reason="readmitted",
        hours=Decimal(0),
    )
    referred(by=case_officer, received_on=D(2026, 2, 15), closed_on=D(2026, 2, 16))
    referred(by=case_officer, received_on=D(2026, 2, 1), person=a_person)
    enrolled(
        by=case_officer,
        received_on=D(2025, 12, 8),
        ready_on=D(2025, 12, 9),
        start_on=D(2025, 12, 10),
        home_on=D(2025, 12, 10),
        ended_on=D(2025, 12, 20),
        hours=Decimal(10),
    )
    for episode, katz, safety in ((a, (3, 1), (40, 70)), (b, (2, 2), (50, 60))):
        for occasion, index in ((Assessment.Occasion.BASELINE, 0), (Assessment.Occasion.END, 1)):
            _assess(episode, ot, "katz_adl", occasion, {"dependent_count": katz[index]})
            _assess(episode, ot, "safety_vas", occasion, {"safety": safety[index]})
    _assess(b, ot, "sppb", Assessment.Occasion.BASELINE, {"total": 4})
    _visit(a, reablement_team, D(2026, 1, 9), 60, care_worker)
    _visit(a, reablement_team, D(2026, 1, 10), 30, rehab_assistant)
    _visit(a, reablement_team, D(2026, 1, 11), 30, care_worker, why="Only time she could")
    _visit(b, reablement_team, D(2026, 2, 1), 60, care_worker)
    rebuild_visit_summaries(episode_ids=None)  # as a loader does after writing visits directly
    plan = RehabPlan.objects.create(episode=a, written_by=ot)
    walk, cook = _goal(plan, ot), _goal(plan, ot)
    for day, levels in (
        (D(2026, 1, 15), ("partly", "not_achieved")),
        (D(2026, 1, 20), ("achieved", "changed")),
    ):
        review = PlanReview.objects.create(
            plan=plan, reviewed_on=day, revised=False, reviewed_by=ot
        )
        for goal, level in zip((walk, cook), levels, strict=True):
            GoalAttainment.objects.create(review=review, goal=goal, level=level)


def test_function_change_pairs_baseline_and_end_per_instrument(
    history: None, manager: Staff
) -> None:
    data = selectors.outcomes(staff=manager, filters=PERIOD)

    assert data.episodes == 2
    katz, staircase, _perf, _sat, safety, sppb = data.function
    assert (katz.n, katz.mean_baseline, katz.mean_end, katz.mean_change) == (2, 2.5, 1.5, -1.0)
    assert katz.change is not None
    assert (round(katz.change.low, 3), round(katz.change.high, 3)) == (-13.706, 11.706)
    assert katz.improved is not None
    assert (katz.improved.successes, katz.improved.trials) == (1, 2)
    assert (safety.n, safety.mean_baseline, safety.mean_end, safety.mean_change) == (
        2,
        45.0,
        65.0,
        20.0,
    )
    assert safety.improved is not None and safety.improved.successes == 2
    assert (staircase.n, staircase.change, staircase.improved) == (0, None, None)
    assert sppb.n == 0  # a baseline without an end assessment is not a pair


def test_goal_attainment_counts_the_goals_at_each_plans_last_review(
    history: None, manager: Staff
) -> None:
    goals = selectors.outcomes(staff=manager, filters=PERIOD).goals

    assert [(goal.code, goal.count) for goal in goals] == [
        ("achieved", 1),
        ("partly", 0),
        ("not_achieved", 0),
        ("changed", 1),
    ]


def test_continuity_counts_distinct_staff_per_episode_and_overridden_conflicts_per_month(
    history: None, manager: Staff
) -> None:
    continuity = selectors.outcomes(staff=manager, filters=PERIOD).continuity

    assert continuity.counts == {2: 1, 1: 1}
    assert (continuity.median, continuity.mean) == (1.5, 1.5)
    assert continuity.bins[0] == ("1-2", 2)
    assert continuity.overrides == [(D(2026, 1, 1), 3, 1), (D(2026, 2, 1), 1, 0)]


def test_the_comparison_with_those_not_enrolled_says_too_few_to_conclude(
    history: None, manager: Staff
) -> None:
    data = selectors.comparison(staff=manager, filters=PERIOD, compare=Compare.NOT_ENROLLED)

    assert (data.cohort.n, data.other.n, data.too_few) == (2, 1, True)
    assert data.cohort.hours == Summary(2, 1.75, 6.125)
    assert data.other.hours == Summary(1, 0.0, 0.0)
    assert data.cohort.back_in_hospital is not None
    # A: a new hospital referral 24 days after homecoming; B: ended as readmitted.
    assert (data.cohort.back_in_hospital.successes, data.cohort.back_in_hospital.trials) == (2, 2)
    assert data.other.back_in_hospital is None  # closed 16 Feb: its 30 days have not passed
    assert data.cohort.lead_days == Summary(2, 3.5, 4.5)
    assert (data.other.lead_days, data.lead_difference, data.hours_difference) == (None, None, None)


def test_the_comparison_with_the_period_before_takes_the_same_length_of_time(
    history: None, manager: Staff
) -> None:
    data = selectors.comparison(staff=manager, filters=PERIOD, compare=Compare.BEFORE)

    assert (data.other.from_on, data.other.to_on) == (D(2025, 11, 3), D(2025, 12, 31))
    assert (data.other.n, data.other.hours, data.other.lead_days) == (
        1,
        Summary(1, 10.0, 0.0),
        Summary(1, 1.0, 0.0),
    )
    assert data.other.back_in_hospital is not None
    assert data.other.back_in_hospital.successes == 0


def test_economics_adds_staff_hours_and_the_fixed_cost_and_finds_the_break_even(
    history: None, manager: Staff
) -> None:
    data = selectors.economics(staff=manager, filters=PERIOD)

    # January: care worker 90 min at 420 kr, rehab assistant 30 min at 450 kr; February: 60 min.
    assert data.months == [
        CostMonth(D(2026, 1, 1), 1, 855.0, 300000.0),
        CostMonth(D(2026, 2, 1), 1, 420.0, 300000.0),
    ]
    assert [(r.role, r.hours, r.cost) for r in data.roles] == [
        ("Care worker", 2.5, 1050.0),
        ("Rehab assistant", 0.5, 225.0),
    ]
    assert data.cost_per_episode == 300637.5
    assert (data.without_home_care, data.avoided_hours_per_week) == (1, 3.5)
    assert data.home_care_saving == 3.5 * 52 * 420
    assert data.saving_per_enrolment == 38220.0
    assert data.monthly_team_cost == 300637.5
    assert data.break_even == pytest.approx(300637.5 / 38220)
    assert (data.enrolments_per_month, data.configured_break_even) == (1.0, 30)


def test_a_month_the_period_cuts_carries_only_its_part_of_the_fixed_cost(
    history: None, manager: Staff
) -> None:
    # From 16 January: 16 of January's 31 days; February is whole.
    data = selectors.economics(
        staff=manager, filters=ReportFilter(from_on=D(2026, 1, 16), to_on=D(2026, 2, 28))
    )

    assert [(m.month, m.fixed_cost) for m in data.months] == [
        (D(2026, 1, 1), 300000.0 * 16 / 31),
        (D(2026, 2, 1), 300000.0),
    ]


def test_short_term_care_days_avoided_are_an_assumption_in_the_settings(
    history: None, manager: Staff
) -> None:
    ReportSettings.objects.update(short_term_days_avoided=Decimal("1.5"))

    data = selectors.economics(staff=manager, filters=PERIOD)

    assert data.short_term_saving == 2 * 1.5 * 2800
    assert data.saving_per_enrolment == 38220.0 + 1.5 * 2800
