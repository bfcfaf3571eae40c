"""Home-care hours before admission and after the end, from the home-care decisions, on a small
hand-built history checked by hand (today 2026-03-10; +91 days reached when the episode ended on
or before 2025-12-09, +182 on or before 2025-09-09, +365 on or before 2025-03-10).

P: home 2 Jun 2025, handed over 15 Jun; 10 h before; 6 h from 15 Jun to 31 Aug, then 4 h.
   At the end 6, +91 (14 Sep) 4, +182 (14 Dec) 4, +365 (15 Jun 2026) not yet.
Q: home 1 Aug 2025, ended 14 Aug with no further need; 3.5 h before; no decision: 0 throughout.
   +91 (13 Nov) and +182 (12 Feb) reached.
R: home 8 Jan 2026, handed over 21 Jan; 12 h before; 8 h from 21 Jan. Only the end reached.
S: home 20 Jun 2025, died 1 Jul; 5 h before: not counted after the end.
T: home 12 Feb 2026, still at home; no hours before.
"""

import csv
import datetime
import io
from decimal import Decimal
from unittest.mock import ANY

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import person_details
from trygghem.decisions.models import HomeCareDecision
from trygghem.decisions.services import (
    end_home_care_decision,
    grant_home_care_decision,
    replace_home_care_decision,
)
from trygghem.episodes.models import Episode
from trygghem.reports import exports, selectors
from trygghem.reports.selectors import HoursPoint, ReportFilter
from trygghem.reports.tests.history import enrolled
from trygghem.staff.models import Staff

D = datetime.date
PERIOD = ReportFilter(from_on=D(2025, 6, 1), to_on=D(2026, 2, 28))

pytestmark = pytest.mark.django_db


def _episode(
    by: Staff, home_on: datetime.date, ended_on: datetime.date | None, reason: str, hours: str
) -> Episode:
    return enrolled(
        by=by,
        person=person_details(),
        received_on=home_on - datetime.timedelta(days=2),
        start_on=home_on,
        home_on=home_on,
        ended_on=ended_on,
        reason=reason,
        hours=Decimal(hours),
    )


@pytest.fixture
def history(case_officer: Staff, today: datetime.date) -> dict[str, Episode]:
    p = _episode(case_officer, D(2025, 6, 2), D(2025, 6, 15), "handover", "10")
    first = grant_home_care_decision(
        person=p.person,
        hours_per_week=Decimal(6),
        start_on=D(2025, 6, 15),
        episode=p,
        by=case_officer,
    )
    replace_home_care_decision(
        decision=first, hours_per_week=Decimal(4), from_on=D(2025, 9, 1), by=case_officer
    )
    q = _episode(case_officer, D(2025, 8, 1), D(2025, 8, 14), "no_further_need", "3.5")
    r = _episode(case_officer, D(2026, 1, 8), D(2026, 1, 21), "handover", "12")
    grant_home_care_decision(
        person=r.person, hours_per_week=Decimal(8), start_on=D(2026, 1, 21), by=case_officer
    )
    s = _episode(case_officer, D(2025, 6, 20), D(2025, 7, 1), "deceased", "5")
    t = _episode(case_officer, D(2026, 2, 12), None, "", "0")
    return {"p": p, "q": q, "r": r, "s": s, "t": t}


def _share(point: HoursPoint) -> tuple[int, int] | None:
    return None if point.none is None else (point.none.successes, point.none.trials)


def test_hours_after_the_end_are_those_in_force_on_each_day_reached(
    history: dict[str, Episode], manager: Staff
) -> None:
    hours = selectors.home_care_hours(staff=manager, filters=PERIOD)

    assert (hours.people, hours.mean_before) == (5, Decimal("6.1"))
    assert [
        (p.code, p.days_after_end, p.people, p.mean_before, p.mean, _share(p)) for p in hours.points
    ] == [
        ("handover", 0, 3, Decimal("8.5"), Decimal("4.7"), (1, 3)),
        ("3_months", 91, 2, Decimal("6.8"), Decimal("2.0"), (1, 2)),
        ("6_months", 182, 2, Decimal("6.8"), Decimal("2.0"), (1, 2)),
        ("12_months", 365, 0, None, None, None),
    ]


def test_a_point_not_yet_reached_counts_nobody(history: dict[str, Episode], manager: Staff) -> None:
    january = ReportFilter(from_on=D(2026, 1, 1), to_on=D(2026, 2, 28))

    hours = selectors.home_care_hours(staff=manager, filters=january)

    assert [(p.code, p.people, p.mean, _share(p)) for p in hours.points] == [
        ("handover", 1, Decimal("8.0"), (0, 1)),
        ("3_months", 0, None, None),
        ("6_months", 0, None, None),
        ("12_months", 0, None, None),
    ]


def test_a_decision_ending_the_day_before_a_point_is_not_counted_at_it(
    history: dict[str, Episode], manager: Staff, case_officer: Staff
) -> None:
    """P's 4 h decision ends on 13 Sep, the day before +91; another person's decision that day
    does not count for P."""
    end_home_care_decision(
        decision=HomeCareDecision.objects.get(person=history["p"].person, hours_per_week=4),
        end_on=D(2025, 9, 13),
        by=case_officer,
    )
    grant_home_care_decision(
        person=history["q"].person,
        hours_per_week=Decimal(2),
        start_on=D(2025, 11, 13),
        end_on=D(2025, 11, 13),
        by=case_officer,
    )

    points = selectors.home_care_hours(staff=manager, filters=PERIOD).points

    assert [(p.code, p.people, p.mean, _share(p)) for p in points][1:3] == [
        ("3_months", 2, Decimal("1.0"), (1, 2)),
        ("6_months", 2, Decimal("0.0"), (2, 2)),
    ]


def test_economics_uses_the_measured_hours_where_three_months_have_passed(
    history: dict[str, Episode], manager: Staff
) -> None:
    data = selectors.economics(staff=manager, filters=PERIOD)

    # P and Q at 6 months: 13.5 h before, 4 after; R (handover, 1.5 months ago) assumes nothing.
    assert (data.measured_people, data.measured_before, data.measured_after) == (2, 13.5, 4.0)
    assert (data.without_home_care, data.assumed_hours_per_week) == (0, 0.0)
    assert data.avoided_hours_per_week == 9.5
    assert data.home_care_saving == 9.5 * 52 * 420


def test_the_comparison_compares_the_measured_hours_after_the_end(
    history: dict[str, Episode], manager: Staff
) -> None:
    data = selectors.comparison(staff=manager, filters=PERIOD, compare=selectors.Compare.BEFORE)

    assert data.cohort.hours_after is not None
    assert (data.cohort.hours_after.n, data.cohort.hours_after.mean) == (2, 2.0)
    assert data.other.hours_after is None
    assert data.hours_after_difference is None


def _client(staff: Staff) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff.user)
    return client


QUERY = {"from_on": "2025-06-01", "to_on": "2026-02-28"}


def test_the_hours_after_the_end_export_as_csv_and_xlsx(
    history: dict[str, Episode], manager: Staff
) -> None:
    client = _client(manager)

    response = client.get(reverse("report_csv", args=["home_care_after"]), QUERY)
    workbook = client.get(reverse("report_xlsx", args=["home_care_after"]), QUERY)

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        [
            "When",
            "Days after the end",
            "People",
            "Mean hours a week",
            "Mean hours a week before admission (same people)",
            "With no home care",
            "With no home care (%)",
        ],
        ["Before admission", "", "5", "6.1", "6.1", "1", "20.0"],
        ["At the end (handover)", "0", "3", "4.7", "8.5", "1", "33.3"],
        ["3 months after the end", "91", "2", "2.0", "6.8", "1", "50.0"],
        ["6 months after the end", "182", "2", "2.0", "6.8", "1", "50.0"],
        ["12 months after the end", "365", "0", "", "", "", ""],
    ]
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    assert [cell.value for cell in sheet[3]] == ["At the end (handover)", 0, 3, 4.7, 8.5, 1, 33.3]


def test_the_dashboard_shows_the_hours_after_the_end_and_the_shares_without_home_care(
    history: dict[str, Episode], manager: Staff
) -> None:
    response = _client(manager).get(reverse("reports"), QUERY)

    page = response.content.decode()
    assert "Mean home-care hours a week before admission and after the end" in page
    assert "No home care: 3 months after the end" in page
    assert history["p"].person.last_name not in page
    shares = exports.table(response.context["data"], "shares")
    assert shares.rows[-4:] == [
        ["No home care: At the end (handover)", 1, 3, 33.3, 6.1, 79.2, ANY],
        ["No home care: 3 months after the end", 1, 2, 50.0, 9.5, 90.5, ANY],
        ["No home care: 6 months after the end", 1, 2, 50.0, 9.5, 90.5, ANY],
        ["No home care: 12 months after the end", 0, 0, None, None, None, "No data"],
    ]
