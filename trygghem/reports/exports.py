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
from trygghem.reports.rules import Share
from trygghem.reports.selectors import Dashboard, FeeBasis, ReasonCount

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
