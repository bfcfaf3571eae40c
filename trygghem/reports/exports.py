"""The dashboard's tables, shown on the page and exported as CSV and XLSX from the same rows,
and the monthly fee basis as CSV for an invoicing system."""

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from trygghem.fees.rules import whole_kronor
from trygghem.reports.rules import MIN_GROUP, Interval, Share, mean_interval
from trygghem.reports.selectors import (
    Comparison,
    Dashboard,
    Economics,
    FeeBasis,
    Group,
    Outcomes,
    ReasonCount,
)

Cell = str | int | float | Decimal | datetime.date | None


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]


def _percent(value: float) -> float:
    return round(value * 100, 1)


def _share_row(label: str, share: Share | None) -> list[Cell]:
    if share is None:
        return [label, 0, 0, None, None, None, _("No data")]
    interval = share.interval
    verdict = _("Too few to conclude (fewer than 30)") if share.too_small else ""
    return [
        label,
        share.successes,
        share.trials,
        _percent(interval.estimate),
        _percent(interval.low),
        _percent(interval.high),
        verdict,
    ]


def _reason_rows(reasons: list[ReasonCount]) -> list[list[Cell]]:
    return [
        [
            reason.name,
            reason.count,
            _percent(reason.share.interval.estimate) if reason.share else None,
        ]
        for reason in reasons
    ]


def _inflow(data: Dashboard) -> Table:
    inflow = data.inflow
    return Table(
        "inflow",
        _("Referrals and enrolments per month"),
        [_("Month"), _("Referrals"), _("Enrolments"), _("Break-even")],
        [
            [f"{month.month:%Y-%m}", month.referrals, month.enrolments, inflow.break_even]
            for month in inflow.months
        ],
    )


def _not_enrolled(data: Dashboard) -> Table:
    return Table(
        "not_enrolled",
        _("Why referrals were not enrolled"),
        [_("Reason"), _("Referrals"), _("Share (%)")],
        _reason_rows(data.inflow.not_enrolled),
    )


def _occupancy(data: Dashboard) -> Table:
    capacity = data.occupancy.capacity
    return Table(
        "occupancy",
        _("People enrolled per day against capacity"),
        [
            _("Month"),
            _("Mean enrolled per day"),
            _("Most on one day"),
            _("Places"),
            _("Days at or over capacity"),
        ],
        [
            [
                f"{month.month:%Y-%m}",
                round(month.mean, 1),
                month.peak,
                capacity,
                month.days_full if capacity is not None else None,
            ]
            for month in data.occupancy.months
        ],
    )


def _lengths(data: Dashboard) -> Table:
    return Table(
        "lengths",
        _("Length of episodes"),
        [_("Days enrolled"), _("Episodes")],
        [[label, count] for label, count in data.lengths.bins],
    )


def _lead_times(data: Dashboard) -> Table:
    return Table(
        "lead_times",
        _("Days from ready for discharge to homecoming"),
        [_("Days"), _("People")],
        [[label, count] for label, count in data.lead_times.bins],
    )


def _end_reasons(data: Dashboard) -> Table:
    return Table(
        "end_reasons",
        _("End reasons"),
        [_("Reason"), _("Episodes"), _("Share (%)")],
        _reason_rows(data.readmissions.end_reasons),
    )


def _home_care_hours(data: Dashboard) -> Table:
    return Table(
        "home_care_hours",
        _("Home-care hours a week before admission"),
        [_("Hours a week"), _("People")],
        [[label, count] for label, count in data.home_care_hours.bins],
    )


def _home_care_after(data: Dashboard) -> Table:
    hours = data.home_care_hours
    before: list[Cell] = [
        _("Before admission"),
        None,
        hours.people,
        hours.mean_before,
        hours.mean_before,
        hours.none_before.successes if hours.none_before else None,
        _percent(hours.none_before.interval.estimate) if hours.none_before else None,
    ]
    return Table(
        "home_care_after",
        _("Home-care hours a week before admission and after the end"),
        [
            _("When"),
            _("Days after the end"),
            _("People"),
            _("Mean hours a week"),
            _("Mean hours a week before admission (same people)"),
            _("With no home care"),
            _("With no home care (%)"),
        ],
        [before]
        + [
            [
                point.label,
                point.days_after_end,
                point.people,
                point.mean,
                point.mean_before,
                point.none.successes if point.none else None,
                _percent(point.none.interval.estimate) if point.none else None,
            ]
            for point in hours.points
        ],
    )


def _shares(data: Dashboard) -> Table:
    window = data.readmissions.window_days
    return Table(
        "shares",
        _("Shares with 95 % intervals"),
        [
            _("Measure"),
            _("Count"),
            _("Of"),
            _("Share (%)"),
            _("95 % low (%)"),
            _("95 % high (%)"),
            _("Conclusion"),
        ],
        [
            _share_row(_("Referrals enrolled (of those decided)"), data.inflow.conversion),
            _share_row(
                _("Readmitted within %(days)s days of homecoming") % {"days": window},
                data.readmissions.readmitted,
            ),
            _share_row(
                _("New hospital referral within %(days)s days of the end") % {"days": window},
                data.readmissions.new_hospital_referral,
            ),
            _share_row(
                _("Came home with days of payment liability"), data.lead_times.with_liability
            ),
            _share_row(_("No home care before admission"), data.home_care_hours.none_before),
            *(
                _share_row(_("No home care: %(when)s") % {"when": point.label}, point.none)
                for point in data.home_care_hours.points
            ),
        ],
    )


TABLES: dict[str, Callable[[Dashboard], Table]] = {
    "inflow": _inflow,
    "not_enrolled": _not_enrolled,
    "occupancy": _occupancy,
    "lengths": _lengths,
    "lead_times": _lead_times,
    "end_reasons": _end_reasons,
    "home_care_hours": _home_care_hours,
    "home_care_after": _home_care_after,
    "shares": _shares,
}


def table(data: Dashboard, slug: str) -> Table:
    return TABLES[slug](data)


def tables(data: Dashboard) -> dict[str, Table]:
    return {slug: build(data) for slug, build in TABLES.items()}


def table_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so a spreadsheet shows å, ä and ö."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(column) for column in table.columns])
    writer.writerows(["" if cell is None else str(cell) for cell in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")


def table_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = table.slug[:31]
    sheet.append([str(column) for column in table.columns])
    for row in table.rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


FEE_BASIS_COLUMNS = [
    "identity_number",
    "month",
    "fee_rule",
    "days",
    "line_amount",
    "care_before_cap",
    "cap",
    "cap_applied",
    "care_amount",
    "food_amount",
    "total",
]


def fee_basis_csv(basis: list[FeeBasis]) -> bytes:
    """The fee basis for an invoicing system: plain UTF-8, comma-separated, amounts in whole
    kronor, personnummer as 12 digits, column names in English snake case. One row per person
    and fee rule; the person's totals (after the cap) repeat on each of their rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FEE_BASIS_COLUMNS)
    for entry in basis:
        fee = entry.fee
        for (rule, days), line in zip(entry.days.items(), fee.lines, strict=True):
            writer.writerow(
                [
                    entry.person.identity_number,
                    f"{entry.month:%Y-%m}",
                    rule.code,
                    days,
                    whole_kronor(line.care_amount),
                    whole_kronor(fee.care_before_cap),
                    whole_kronor(fee.cap),
                    fee.cap_applied,
                    whole_kronor(fee.care_amount),
                    whole_kronor(fee.food_amount),
                    whole_kronor(fee.total),
                ]
            )
    return out.getvalue().encode("utf-8")


# Outcomes, comparison and economics


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _function_change(data: Outcomes) -> Table:
    return Table(
        "function_change",
        _("Function change between baseline and end"),
        [
            _("Measure"),
            _("People with both"),
            _("Mean at baseline"),
            _("Mean at end"),
            _("Mean change"),
            _("95 % low"),
            _("95 % high"),
            _("Improved (%)"),
            _("Conclusion"),
        ],
        [
            [
                row.label,
                row.n,
                _rounded(row.mean_baseline, 2),
                _rounded(row.mean_end, 2),
                _rounded(row.mean_change, 2),
                _rounded(row.change.low, 2) if row.change else None,
                _rounded(row.change.high, 2) if row.change else None,
                _percent(row.improved.interval.estimate) if row.improved else None,
                _("Too few to conclude (fewer than 30)") if row.n < MIN_GROUP else "",
            ]
            for row in data.function
        ],
    )


def _goal_attainment(data: Outcomes) -> Table:
    return Table(
        "goal_attainment",
        _("Goal attainment at the last review"),
        [_("Attainment"), _("Goals"), _("Share (%)")],
        _reason_rows(data.goals),
    )


def _continuity(data: Outcomes) -> Table:
    return Table(
        "continuity",
        _("Distinct staff per person over the episode"),
        [_("Distinct staff"), _("Episodes")],
        [[label, count] for label, count in data.continuity.bins],
    )


def _overrides(data: Outcomes) -> Table:
    return Table(
        "overrides",
        _("Visits kept despite a conflict"),
        [_("Month"), _("Visits"), _("Visits with an overridden conflict")],
        [
            [f"{month:%Y-%m}", visits, overridden]
            for month, visits, overridden in data.continuity.overrides
        ],
    )


OUTCOME_TABLES: dict[str, Callable[[Outcomes], Table]] = {
    "function_change": _function_change,
    "goal_attainment": _goal_attainment,
    "continuity": _continuity,
    "overrides": _overrides,
}


def _interval_cells(interval: Interval | None, scale: float = 1) -> list[Cell]:
    if interval is None:
        return [None, None, None]
    return [
        round(interval.estimate * scale, 2),
        round(interval.low * scale, 2),
        round(interval.high * scale, 2),
    ]


def _group_row(label: str, group: Group) -> list[Cell]:
    hours = mean_interval(group.hours) if group.hours else None
    lead = mean_interval(group.lead_days) if group.lead_days else None
    after = mean_interval(group.hours_after) if group.hours_after else None
    back = group.back_in_hospital
    return [
        label,
        group.n,
        _rounded(group.hours.mean, 2) if group.hours else None,
        _rounded(hours.low, 2) if hours else None,
        _rounded(hours.high, 2) if hours else None,
        back.trials if back else 0,
        _percent(back.interval.estimate) if back else None,
        _percent(back.interval.low) if back else None,
        _percent(back.interval.high) if back else None,
        _rounded(group.lead_days.mean, 2) if group.lead_days else None,
        _rounded(lead.low, 2) if lead else None,
        _rounded(lead.high, 2) if lead else None,
        group.hours_after.n if group.hours_after else 0,
        _rounded(group.hours_after.mean, 2) if group.hours_after else None,
        _rounded(after.low, 2) if after else None,
        _rounded(after.high, 2) if after else None,
    ]


def _comparison_groups(data: Comparison) -> Table:
    return Table(
        "comparison_groups",
        _("The groups compared"),
        [
            _("Group"),
            _("People"),
            _("Home-care hours a week before"),
            _("95 % low"),
            _("95 % high"),
            _("With a closed readmission window"),
            _("Back in hospital (%)"),
            _("95 % low (%)"),
            _("95 % high (%)"),
            _("Lead time (days)"),
            _("95 % low"),
            _("95 % high"),
            _("Ended at least 3 months ago"),
            _("Home-care hours a week after the end"),
            _("95 % low"),
            _("95 % high"),
        ],
        [
            _group_row(
                f"{data.cohort.label} ({data.cohort.from_on} – {data.cohort.to_on})", data.cohort
            ),
            _group_row(
                f"{data.other.label} ({data.other.from_on} – {data.other.to_on})", data.other
            ),
        ],
    )


def _comparison_differences(data: Comparison) -> Table:
    verdict = _("Too few to conclude") if data.too_few else ""
    return Table(
        "comparison_differences",
        _("Differences between the groups"),
        [_("Measure"), _("Difference"), _("95 % low"), _("95 % high"), _("Conclusion")],
        [
            [
                _("Home-care hours a week before (mean)"),
                *_interval_cells(data.hours_difference),
                verdict,
            ],
            [
                _("Back in hospital within %(days)s days (percentage points)")
                % {"days": data.window_days},
                *_interval_cells(data.back_in_hospital_difference, 100),
                verdict,
            ],
            [_("Lead time in days (mean)"), *_interval_cells(data.lead_difference), verdict],
            [
                _("Home-care hours a week after the end (mean)"),
                *_interval_cells(data.hours_after_difference),
                verdict,
            ],
        ],
    )


COMPARISON_TABLES: dict[str, Callable[[Comparison], Table]] = {
    "comparison_groups": _comparison_groups,
    "comparison_differences": _comparison_differences,
}


def _kronor(value: float | None) -> int | None:
    return None if value is None else round(value)


def _cost_months(data: Economics) -> Table:
    return Table(
        "cost_months",
        _("Cost per episode by month"),
        [
            _("Month"),
            _("Episodes ended"),
            _("Staff hours of visits (kr)"),
            _("Fixed team cost (kr)"),
            _("Cost per episode (kr)"),
        ],
        [
            [
                f"{m.month:%Y-%m}",
                m.episodes,
                _kronor(m.visit_cost),
                _kronor(m.fixed_cost),
                _kronor(m.per_episode),
            ]
            for m in data.months
        ],
    )


def _role_hours(data: Economics) -> Table:
    return Table(
        "role_hours",
        _("Staff hours of visits done by role"),
        [_("Role"), _("Hours"), _("Cost per hour (kr)"), _("Cost (kr)")],
        [
            [r.role, round(r.hours, 1), _kronor(r.cost_per_hour), _kronor(r.cost)]
            for r in data.roles
        ],
    )


def _break_even(data: Economics) -> Table:
    return Table(
        "break_even",
        _("Savings and break-even"),
        [_("Measure"), _("Value")],
        [
            [_("Episodes ended"), data.episodes],
            [_("Cost per episode (kr)"), _kronor(data.cost_per_episode)],
            [_("Ended at least 3 months ago: hours after the end measured"), data.measured_people],
            [_("Their home-care hours a week before admission"), round(data.measured_before, 1)],
            [
                _("Their home-care hours a week after the end (latest of 12, 6, 3 months)"),
                round(data.measured_after, 1),
            ],
            [_("Ended with no further home care"), data.without_home_care],
            [
                _("Their home-care hours a week before admission (assumed avoided)"),
                round(data.assumed_hours_per_week, 1),
            ],
            [_("Home-care hours a week avoided"), round(data.avoided_hours_per_week, 1)],
            [_("Home care avoided over 12 months (kr)"), _kronor(data.home_care_saving)],
            [_("Short-term care avoided (kr)"), _kronor(data.short_term_saving)],
            [_("Saving per enrolment (kr)"), _kronor(data.saving_per_enrolment)],
            [_("Team cost a month (kr)"), _kronor(data.monthly_team_cost)],
            [_("Break-even: enrolments a month"), _rounded(data.break_even)],
            [_("Actual enrolments a month"), round(data.enrolments_per_month, 1)],
        ],
    )


ECONOMICS_TABLES: dict[str, Callable[[Economics], Table]] = {
    "cost_months": _cost_months,
    "role_hours": _role_hours,
    "break_even": _break_even,
}
