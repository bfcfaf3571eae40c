"""The dashboard's figures on a small hand-built history, checked by hand (today 2026-03-10).

A: received 5 Jan, ready 6 Jan, home 8 Jan, ended 21 Jan (no further need): 14 days, lead 2.
B: received 20 Jan, ready 20 Jan, home 25 Jan, readmitted 2 Feb: 9 days, lead 5, no hours.
C: received 10 Feb from home care, red, no ready day, home 12 Feb, still at home, 12 h a week.
D: received 15 Feb, closed 16 Feb (green triage). E: received 20 Feb, waiting.
F: A's person back from hospital: received 1 Feb, waiting.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from pytest_django import DjangoAssertNumQueries

from tests.factories import person_details
from trygghem.episodes.models import Episode, Program
from trygghem.referrals.models import Referral
from trygghem.reports import selectors
from trygghem.reports.models import ReportSettings, TeamCapacity
from trygghem.reports.selectors import InflowMonth, OccupancyMonth, ReportFilter
from trygghem.reports.tests.history import enrolled, referred
from trygghem.staff.models import Staff, Team

D = datetime.date
PERIOD = ReportFilter(from_on=D(2026, 1, 1), to_on=D(2026, 2, 28))


@dataclass
class History:
    a: Episode
    b: Episode
    c: Episode


@pytest.fixture
def history(
    case_officer: Staff, home_care_a: Team, reablement_team: Team, today: datetime.date
) -> History:
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
    c = enrolled(
        by=case_officer,
        person=person_details(home_care_team=home_care_a),
        received_on=D(2026, 2, 10),
        start_on=D(2026, 2, 12),
        home_on=D(2026, 2, 12),
        hours=Decimal(12),
        triage=Referral.Triage.RED,
        source=Referral.Source.HOME_CARE,
    )
    referred(by=case_officer, received_on=D(2026, 2, 15), closed_on=D(2026, 2, 16))
    referred(by=case_officer, received_on=D(2026, 2, 20))
    referred(by=case_officer, received_on=D(2026, 2, 1), person=a_person)
    TeamCapacity.objects.create(team=reablement_team, places=1)
    return History(a, b, c)


def test_inflow_counts_referrals_by_month_received_and_enrolments_by_decision_start(
    history: History, manager: Staff
) -> None:
    inflow = selectors.inflow(staff=manager, filters=PERIOD)

    assert inflow.months == [
        InflowMonth(D(2026, 1, 1), referrals=2, enrolments=2),
        InflowMonth(D(2026, 2, 1), referrals=4, enrolments=1),
    ]
    assert (inflow.break_even, inflow.mean_enrolments) == (30, 1.5)
    assert (inflow.referrals, inflow.enrolled, inflow.closed, inflow.pending) == (6, 3, 1, 2)
    assert inflow.conversion is not None
    assert (inflow.conversion.successes, inflow.conversion.trials) == (3, 4)
    assert inflow.conversion.too_small
    assert [(r.code, r.count) for r in inflow.not_enrolled] == [("triage_green", 1)]


def test_the_break_even_line_is_the_managers_setting(history: History, manager: Staff) -> None:
    ReportSettings.objects.update(break_even_per_month=25)

    assert selectors.inflow(staff=manager, filters=PERIOD).break_even == 25


def test_occupancy_counts_people_at_home_each_day_against_the_places(
    history: History, manager: Staff
) -> None:
    occupancy = selectors.occupancy(staff=manager, filters=PERIOD)

    assert occupancy.capacity == 1
    assert occupancy.months == [
        OccupancyMonth(D(2026, 1, 1), mean=21 / 31, peak=1, days_full=21),
        OccupancyMonth(D(2026, 2, 1), mean=19 / 28, peak=1, days_full=19),
    ]
    assert dict(occupancy.days)[D(2026, 1, 21)] == 1
    assert dict(occupancy.days)[D(2026, 1, 22)] == 0


def test_occupancy_starts_with_those_already_at_home_and_stops_today(
    history: History, manager: Staff
) -> None:
    filters = ReportFilter(from_on=D(2026, 1, 30), to_on=D(2026, 12, 31))

    days = selectors.occupancy(staff=manager, filters=filters).days

    assert days[0] == (D(2026, 1, 30), 1)
    assert days[-1] == (D(2026, 3, 10), 1)


def test_lengths_count_days_from_homecoming_to_end_of_the_episodes_ended_in_the_period(
    history: History, manager: Staff
) -> None:
    lengths = selectors.lengths(staff=manager, filters=PERIOD)

    assert lengths.counts == {14: 1, 9: 1}
    assert lengths.bins == [("0-7", 0), ("8-14", 2), ("15-21", 0), ("22-28", 0), ("29+", 0)]
    assert (lengths.median, lengths.mean, lengths.total) == (11.5, 11.5, 2)


def test_lead_times_and_payment_liability_from_the_third_day_after_ready_for_discharge(
    history: History, manager: Staff
) -> None:
    lead = selectors.lead_times(staff=manager, filters=PERIOD)

    assert lead.counts == {2: 1, 5: 1}
    assert (lead.median, lead.liability_from_day, lead.liability_days) == (3.5, 3, 2)
    assert lead.with_liability is not None
    assert (lead.with_liability.successes, lead.with_liability.trials) == (1, 2)
    assert lead.without_ready_date == 1


def test_a_regional_agreement_moves_the_start_of_payment_liability(
    history: History, manager: Staff
) -> None:
    ReportSettings.objects.update(liability_from_day=1)

    assert selectors.lead_times(staff=manager, filters=PERIOD).liability_days == 1 + 4


def test_readmissions_count_only_episodes_whose_thirty_days_have_passed(
    history: History, manager: Staff
) -> None:
    readmissions = selectors.readmissions(staff=manager, filters=PERIOD)

    assert readmissions.window_days == 30
    assert readmissions.readmitted is not None
    assert (readmissions.readmitted.successes, readmissions.readmitted.trials) == (1, 2)
    back = readmissions.new_hospital_referral
    assert back is not None
    assert (back.successes, back.trials) == (1, 2)
    assert [(r.code, r.count) for r in readmissions.end_reasons] == [
        ("no_further_need", 1),
        ("readmitted", 1),
    ]


def test_a_readmission_after_the_window_is_not_counted(history: History, manager: Staff) -> None:
    ReportSettings.objects.update(readmission_window_days=7)
    readmissions = selectors.readmissions(staff=manager, filters=PERIOD)

    assert readmissions.readmitted is not None
    # C came home on 12 February: its seven days have passed now, so it counts too.
    assert (readmissions.readmitted.successes, readmissions.readmitted.trials) == (0, 3)
    assert readmissions.new_hospital_referral is not None
    assert readmissions.new_hospital_referral.successes == 0


def test_home_care_hours_before_admission_of_those_who_came_home(
    history: History, manager: Staff
) -> None:
    hours = selectors.home_care_hours(staff=manager, filters=PERIOD)

    assert (hours.people, hours.mean_before) == (3, Decimal("5.2"))
    assert hours.none_before is not None
    assert (hours.none_before.successes, hours.none_before.trials) == (1, 3)
    assert hours.bins == [("0", 1), ("0.1-5", 1), ("5.1-10", 0), ("10.1-20", 1), ("20.1+", 0)]


@pytest.mark.parametrize(
    ("narrowing", "referrals"),
    [
        ({"triage": Referral.Triage.RED}, 1),
        ({"source": Referral.Source.HOME_CARE}, 1),
        ({"source": Referral.Source.HOSPITAL}, 5),
        ({"program": "ihr"}, 0),
        ({"program": "trygg_hemgang"}, 6),
    ],
)
def test_the_filters_narrow_every_figure(
    history: History, manager: Staff, narrowing: dict[str, str], referrals: int
) -> None:
    values: dict[str, object] = dict(narrowing)
    if "program" in values:
        values["program"] = Program.objects.get(code=narrowing["program"])
    filters = ReportFilter(from_on=PERIOD.from_on, to_on=PERIOD.to_on, **values)  # type: ignore[arg-type]

    assert selectors.inflow(staff=manager, filters=filters).referrals == referrals


def test_a_team_filter_keeps_the_teams_episodes_and_its_places(
    history: History, manager: Staff, home_care_a: Team
) -> None:
    filters = ReportFilter(from_on=PERIOD.from_on, to_on=PERIOD.to_on, team=home_care_a)

    data = selectors.dashboard(staff=manager, filters=filters)

    assert (data.inflow.referrals, data.home_care_hours.people) == (1, 1)
    assert data.occupancy.capacity is None


def test_staff_see_figures_of_their_own_teams_episodes_only(
    history: History, coordinator: Staff, outsider: Staff
) -> None:
    assert selectors.inflow(staff=coordinator, filters=PERIOD).referrals == 1
    assert selectors.inflow(staff=outsider, filters=PERIOD).referrals == 0


def test_the_capacity_planner_starts_from_the_last_twelve_months(
    history: History, manager: Staff
) -> None:
    measured = selectors.measured_capacity(staff=manager)

    assert (measured.places, measured.enrolments_per_month, measured.mean_length_days) == (
        1,
        0.25,
        11.5,
    )


def test_the_dashboard_runs_a_fixed_number_of_queries_whatever_the_episodes(
    history: History, manager: Staff, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(13):
        selectors.dashboard(staff=manager, filters=PERIOD)
