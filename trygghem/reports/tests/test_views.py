import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import person_details
from trygghem.audit.models import AccessLog
from trygghem.episodes.models import Episode
from trygghem.fees.services import record_fee_room
from trygghem.reports.models import TeamCapacity
from trygghem.reports.tests.history import enrolled, referred
from trygghem.staff.models import Staff, Team

D = datetime.date
JANUARY_FEBRUARY = {"from_on": "2026-01-01", "to_on": "2026-02-28"}


def _client(staff: Staff) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff.user)
    return client


@pytest.fixture
def history(case_officer: Staff, reablement_team: Team, today: datetime.date) -> list[Episode]:
    TeamCapacity.objects.create(team=reablement_team, places=12)
    return [
        enrolled(
            by=case_officer,
            received_on=D(2026, 1, 5),
            ready_on=D(2026, 1, 6),
            start_on=D(2026, 1, 8),
            home_on=D(2026, 1, 8),
            ended_on=D(2026, 1, 21),
        ),
        enrolled(
            by=case_officer,
            received_on=D(2026, 2, 2),
            ready_on=D(2026, 2, 2),
            start_on=D(2026, 2, 3),
            home_on=D(2026, 2, 3),
            ended_on=D(2026, 2, 10),
            reason="readmitted",
        ),
        referred(by=case_officer, received_on=D(2026, 2, 15), closed_on=D(2026, 2, 16)),
    ]


def test_the_dashboard_shows_each_figure_as_a_chart_and_a_table_without_names(
    history: list[Episode], manager: Staff
) -> None:
    before = AccessLog.objects.count()

    response = _client(manager).get(reverse("reports"), JANUARY_FEBRUARY)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<svg") == 8
    assert page.count('<table class="report-table">') == 9
    summary = "3 referrals received: 2 enrolled, 1 closed without enrolment, 0 not yet decided."
    assert summary in page
    assert "Break-even: 30" in page
    assert "Counted against 12 concurrent places." in page
    assert "Home-care hours a week before admission and after the end" in page
    assert "Too few to conclude (fewer than 30)" in page
    assert history[0].person.last_name not in page
    assert AccessLog.objects.count() == before


def test_chart_coordinates_stay_numbers_on_a_swedish_page(
    history: list[Episode], manager: Staff
) -> None:
    # Swedish writes decimals with a comma; an SVG coordinate "12,5" is no number and every
    # bar would be drawn at 0.
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    client.force_login(manager.user)

    page = client.get(reverse("reports"), JANUARY_FEBRUARY).content.decode()

    coordinates = re.findall(r' (?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', page)
    assert len(coordinates) > 100
    assert [c for c in coordinates if not re.fullmatch(r"-?\d+(\.\d+)?", c)] == []
    assert "Remisser och inskrivningar per månad" in page


def test_the_dashboard_defaults_to_the_last_eighteen_months(
    history: list[Episode], manager: Staff
) -> None:
    response = _client(manager).get(reverse("reports"))

    assert response.status_code == 200
    assert response.context["data"].filters.from_on == D(2024, 10, 1)
    assert len(response.context["data"].inflow.months) == 18


def test_a_period_that_ends_before_it_starts_is_a_400_without_figures(manager: Staff) -> None:
    response = _client(manager).get(
        reverse("reports"), {"from_on": "2026-02-01", "to_on": "2026-01-01"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"to_on": ["End after the start."]}
    assert "data" not in response.context


def test_a_table_exports_as_csv_with_the_same_filters(
    history: list[Episode], manager: Staff
) -> None:
    response = _client(manager).get(reverse("report_csv", args=["inflow"]), JANUARY_FEBRUARY)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="inflow.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Month", "Referrals", "Enrolments", "Break-even"],
        ["2026-01", "1", "1", "30"],
        ["2026-02", "2", "1", "30"],
    ]


def test_a_table_exports_as_xlsx_that_opens_in_a_spreadsheet(
    history: list[Episode], manager: Staff
) -> None:
    response = _client(manager).get(reverse("report_xlsx", args=["end_reasons"]), JANUARY_FEBRUARY)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="end_reasons.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Reason", "Episodes", "Share (%)"],
        ["Inget fortsatt behov", 1, 50],
        ["Återinskriven på sjukhus", 1, 50],
    ]


def test_an_unknown_table_or_an_invalid_filter_is_a_404(manager: Staff) -> None:
    client = _client(manager)

    assert client.get(reverse("report_csv", args=["salaries"])).status_code == 404
    bad = {"from_on": "2026-02-01", "to_on": "2026-01-01"}
    assert client.get(reverse("report_xlsx", args=["inflow"]), bad).status_code == 404


def test_the_capacity_planner_is_prefilled_with_the_measured_figures(
    history: list[Episode], manager: Staff
) -> None:
    response = _client(manager).get(reverse("capacity_planner"))

    assert response.status_code == 200
    assert response.context["values"] == {
        "places": 12,
        "mean_length_days": 11.0,
        "arrivals_per_month": 0.2,
    }
    assert response.context["forecast"].annual_capacity == pytest.approx(12 * 365 / 11)


def test_the_capacity_planner_reproduces_the_guides_medium_team(manager: Staff) -> None:
    response = _client(manager).get(
        reverse("capacity_planner"),
        {"places": "10", "mean_length_days": "14", "arrivals_per_month": "15"},
    )

    assert response.status_code == 200
    forecast = response.context["forecast"]
    assert round(forecast.annual_capacity) == 261
    assert "261" in response.content.decode()


def test_the_capacity_planner_refuses_zero_places(manager: Staff) -> None:
    response = _client(manager).get(
        reverse("capacity_planner"),
        {"places": "0", "mean_length_days": "14", "arrivals_per_month": "15"},
    )

    assert response.status_code == 400
    assert response.context["forecast"] is None


@pytest.fixture
def march_2024(case_officer: Staff, today: datetime.date) -> list[Episode]:
    """Astrid: Trygg hemgång 4-17 March 2024 at home all 14 days. Bo: Trygg hemma from 25 March,
    home on the 26th (6 days in March). Cai: IHR, which has no fee rule."""
    return [
        enrolled(
            by=case_officer,
            person=person_details(identity_number="19400517-1238", first_name="Astrid"),
            received_on=D(2024, 3, 1),
            start_on=D(2024, 3, 4),
            home_on=D(2024, 3, 4),
            ended_on=D(2024, 3, 17),
        ),
        enrolled(
            by=case_officer,
            person=person_details(identity_number="19380101-2398", first_name="Bo"),
            received_on=D(2024, 3, 20),
            start_on=D(2024, 3, 25),
            home_on=D(2024, 3, 26),
            ended_on=D(2024, 4, 21),
            days=28,
            program_code="trygg_hemma",
        ),
        enrolled(
            by=case_officer,
            received_on=D(2024, 3, 1),
            start_on=D(2024, 3, 4),
            home_on=D(2024, 3, 4),
            days=28,
            ended_on=D(2024, 3, 31),
            program_code="ihr",
        ),
    ]


def test_the_fee_basis_caps_fourteen_days_of_trygg_hemgang_at_the_2024_maxtaxa(
    march_2024: list[Episode], manager: Staff
) -> None:
    response = _client(manager).get(reverse("fee_basis", args=["2024-03"]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="fee-basis-2024-03.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [
        (r["identity_number"], r["fee_rule"], r["days"], r["line_amount"], r["cap_applied"])
        for r in rows
    ] == [
        ("193801012398", "trygg_hemgang", "6", "1104", ""),
        ("194005171238", "trygg_hemgang", "14", "2576", "maxtaxa"),
    ]
    # 14 x 184 kr = 2 576 kr, above the 2024 maxtaxa: the person pays 2 575 kr.
    assert [(r["care_before_cap"], r["cap"], r["care_amount"], r["total"]) for r in rows] == [
        ("1104", "2575", "1104", "1104"),
        ("2576", "2575", "2575", "2575"),
    ]


def test_the_fee_basis_caps_ten_days_of_trygg_hemgang_at_the_persons_fee_room(
    case_officer: Staff, manager: Staff, today: datetime.date
) -> None:
    episode = enrolled(
        by=case_officer,
        received_on=D(2024, 3, 1),
        start_on=D(2024, 3, 4),
        home_on=D(2024, 3, 4),
        ended_on=D(2024, 3, 13),
    )
    record_fee_room(
        person=episode.person, amount=Decimal(1200), valid_from=D(2024, 1, 1), by=case_officer
    )

    response = _client(manager).get(reverse("fee_basis", args=["2024-03"]))

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    # 10 x 184 kr = 1 840 kr, above the fee room of 1 200 kr: the person pays 1 200 kr.
    assert [
        (r["days"], r["care_before_cap"], r["cap"], r["cap_applied"], r["care_amount"])
        for r in rows
    ] == [("10", "1840", "1200", "fee_room", "1200")]


def test_the_fee_basis_logs_one_read_per_person_in_it(
    march_2024: list[Episode], manager: Staff
) -> None:
    before = AccessLog.objects.count()

    _client(manager).get(reverse("fee_basis", args=["2024-03"]))

    rows = AccessLog.objects.order_by("id")[before:]
    assert sorted((r.person_id, r.kind, r.what, r.purpose) for r in rows) == sorted(
        (episode.person_id, "read", "fees.basis", "management") for episode in march_2024[:2]
    )


def test_the_fee_basis_of_april_holds_the_rest_of_the_trygg_hemma_days(
    march_2024: list[Episode], manager: Staff
) -> None:
    response = _client(manager).get(reverse("fee_basis", args=["2024-04"]))

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["identity_number"], r["days"], r["care_amount"]) for r in rows] == [
        ("193801012398", "21", "2575")
    ]
    assert Decimal(rows[0]["care_before_cap"]) == 21 * 184


def test_a_month_without_a_maxtaxa_or_not_a_month_is_a_404(manager: Staff) -> None:
    client = _client(manager)
    before = AccessLog.objects.count()

    assert client.get(reverse("fee_basis", args=["2023-05"])).status_code == 404
    assert client.get(reverse("fee_basis", args=["2024-13"])).status_code == 404
    assert client.get(reverse("fee_basis", args=["march"])).status_code == 404
    assert AccessLog.objects.count() == before


@pytest.mark.parametrize(
    ("name", "charts", "tables", "text"),
    [
        ("report_outcomes", 4, 4, "Function change between baseline and end"),
        ("report_comparison", 1, 2, "Too few to conclude"),
        ("report_economics", 2, 3, "cost of 420 kr an hour"),
    ],
)
def test_the_outcome_comparison_and_economics_pages_show_charts_tables_and_no_names(
    history: list[Episode], manager: Staff, name: str, charts: int, tables: int, text: str
) -> None:
    before = AccessLog.objects.count()

    response = _client(manager).get(reverse(name), JANUARY_FEBRUARY)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<svg") == charts
    assert page.count('<table class="report-table">') == tables
    assert text in page
    assert history[0].person.last_name not in page
    assert AccessLog.objects.count() == before


def test_the_economics_table_exports_as_csv_with_the_filter(
    history: list[Episode], manager: Staff
) -> None:
    response = _client(manager).get(reverse("report_csv", args=["break_even"]), JANUARY_FEBRUARY)

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Measure", "Value"]
    assert rows[1] == ["Episodes ended", "2"]
    assert rows[3:9] == [
        ["Ended at least 3 months ago: hours after the end measured", "0"],
        ["Their home-care hours a week before admission", "0.0"],
        ["Their home-care hours a week after the end (latest of 12, 6, 3 months)", "0.0"],
        ["Ended with no further home care", "1"],
        ["Their home-care hours a week before admission (assumed avoided)", "3.5"],
        ["Home-care hours a week avoided", "3.5"],
    ]


def test_the_comparison_exports_as_xlsx_for_the_period_before(
    history: list[Episode], manager: Staff
) -> None:
    query = {**JANUARY_FEBRUARY, "compare": "before"}

    response = _client(manager).get(reverse("report_xlsx", args=["comparison_groups"]), query)

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet["A3"].value == "Came home in the period before (2025-11-03 – 2025-12-31)"
    assert sheet["B3"].value == 0


def test_an_unknown_figure_is_not_found(manager: Staff) -> None:
    assert _client(manager).get(reverse("report_csv", args=["nonsense"])).status_code == 404
