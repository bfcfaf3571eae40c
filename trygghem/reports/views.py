"""The manager's follow-up: the dashboard (aggregates only, no names, so no read is logged),
its exports, the capacity planner, and the fee basis (personnummer: one read per person)."""

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from trygghem.audit.services import log_reads
from trygghem.core.time import local_today
from trygghem.reports import exports, rules, selectors
from trygghem.reports.charts import BarChart, bar_chart
from trygghem.reports.forms import CapacityForm, ComparisonForm, ReportFilterForm
from trygghem.staff.models import Staff
from trygghem.staff.rules import Action, may
from trygghem.staff.selectors import staff_for_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _manager(request: HttpRequest) -> Staff:
    staff = staff_for_user(request.user)
    if not may(staff.role, Action.VIEW_REPORTS):
        raise Http404
    return staff


def _charts(data: selectors.Dashboard) -> dict[str, BarChart]:
    inflow, occupancy = data.inflow, data.occupancy
    months = [f"{month.month:%Y-%m}" for month in inflow.months]
    places = occupancy.capacity
    points = [point for point in data.home_care_hours.points if point.people]
    return {
        "inflow": bar_chart(
            title=_("Referrals and enrolments per month"),
            labels=months,
            series=[
                (_("Referrals"), [month.referrals for month in inflow.months]),
                (_("Enrolments"), [month.enrolments for month in inflow.months]),
            ],
            reference=(_("Break-even"), inflow.break_even),
        ),
        "not_enrolled": bar_chart(
            title=_("Why referrals were not enrolled"),
            labels=[reason.name for reason in inflow.not_enrolled],
            series=[(_("Referrals"), [reason.count for reason in inflow.not_enrolled])],
        ),
        "occupancy": bar_chart(
            title=_("Mean people enrolled per day"),
            labels=[f"{month.month:%Y-%m}" for month in occupancy.months],
            series=[(_("Mean enrolled per day"), [round(m.mean, 1) for m in occupancy.months])],
            reference=(_("Places"), places) if places is not None else None,
        ),
        "lengths": bar_chart(
            title=_("Length of episodes"),
            labels=[label for label, _count in data.lengths.bins],
            series=[(_("Episodes"), [count for _label, count in data.lengths.bins])],
        ),
        "lead_times": bar_chart(
            title=_("Days from ready for discharge to homecoming"),
            labels=[label for label, _count in data.lead_times.bins],
            series=[(_("People"), [count for _label, count in data.lead_times.bins])],
        ),
        "end_reasons": bar_chart(
            title=_("End reasons"),
            labels=[reason.name for reason in data.readmissions.end_reasons],
            series=[(_("Episodes"), [r.count for r in data.readmissions.end_reasons])],
        ),
        "home_care_hours": bar_chart(
            title=_("Home-care hours a week before admission"),
            labels=[label for label, _count in data.home_care_hours.bins],
            series=[(_("People"), [count for _label, count in data.home_care_hours.bins])],
        ),
        "home_care_after": bar_chart(
            title=_("Mean home-care hours a week before admission and after the end"),
            labels=[point.label for point in points],
            series=[
                (_("Before admission"), [float(point.mean_before or 0) for point in points]),
                (_("After the end"), [float(point.mean or 0) for point in points]),
            ],
        ),
    }


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Inflow against break-even, occupancy against capacity, lengths, lead times, readmissions
    and home-care hours, each as a chart and a table, for the manager's teams."""
    staff = _manager(request)
    form = ReportFilterForm(request.GET or None, staff=staff, today=local_today())
    filters = form.filters()
    context: dict[str, object] = {"form": form, "query": request.GET.urlencode()}
    if filters is not None:
        data = selectors.dashboard(staff=staff, filters=filters)
        context |= {"data": data, "tables": exports.tables(data), "charts": _charts(data)}
    return render(request, "reports/dashboard.html", context, status=400 if form.errors else 200)


def _export_table(request: HttpRequest, figure: str) -> exports.Table:
    staff = _manager(request)
    form = ComparisonForm(request.GET or None, staff=staff, today=local_today())
    filters = form.filters()
    if filters is None:
        raise Http404
    if figure in exports.TABLES:
        return exports.table(selectors.dashboard(staff=staff, filters=filters), figure)
    if figure in exports.OUTCOME_TABLES:
        return exports.OUTCOME_TABLES[figure](selectors.outcomes(staff=staff, filters=filters))
    if figure in exports.COMPARISON_TABLES:
        data = selectors.comparison(staff=staff, filters=filters, compare=form.compare_with())
        return exports.COMPARISON_TABLES[figure](data)
    if figure in exports.ECONOMICS_TABLES:
        return exports.ECONOMICS_TABLES[figure](selectors.economics(staff=staff, filters=filters))
    raise Http404


def _attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@require_GET
def export_csv(request: HttpRequest, figure: str) -> HttpResponse:
    table = _export_table(request, figure)
    return _attachment(
        exports.table_csv(table), content_type="text/csv; charset=utf-8", filename=f"{figure}.csv"
    )


@require_GET
def export_xlsx(request: HttpRequest, figure: str) -> HttpResponse:
    table = _export_table(request, figure)
    return _attachment(exports.table_xlsx(table), content_type=XLSX, filename=f"{figure}.xlsx")


@require_GET
def capacity_planner(request: HttpRequest) -> HttpResponse:
    """Concurrent and annual capacity, expected occupancy and the chance a referral is turned
    away (Erlang loss), prefilled with the last twelve months' measured inflow and length."""
    staff = _manager(request)
    measured = selectors.measured_capacity(staff=staff)
    initial = {
        "places": measured.places or 10,
        "mean_length_days": round(measured.mean_length_days or 14, 1),
        "arrivals_per_month": round(measured.enrolments_per_month, 1),
    }
    form = CapacityForm(request.GET or None, initial=initial)
    values = initial if not form.is_bound else (form.cleaned_data if form.is_valid() else None)
    forecast = None
    if values is not None:
        forecast = rules.forecast(
            places=int(values["places"]),
            arrivals_per_month=float(values["arrivals_per_month"]),
            mean_length_days=float(values["mean_length_days"]),
        )
    context = {"form": form, "measured": measured, "forecast": forecast, "values": values}
    return render(request, "reports/capacity.html", context, status=400 if form.errors else 200)


@require_GET
def fee_basis(request: HttpRequest, month: str) -> HttpResponse:
    """The month's fee basis per person for the invoicing system. It holds personnummer, so each
    person in it is a read of their record and is logged."""
    staff = _manager(request)
    try:
        first = datetime.datetime.strptime(month, "%Y-%m").date()  # noqa: DTZ007 - a month
    except ValueError as error:
        raise Http404 from error
    basis = selectors.fee_basis(staff=staff, month=first)
    if basis is None:
        raise Http404
    log_reads(by=staff, people=[entry.person for entry in basis], what="fees.basis")
    return _attachment(
        exports.fee_basis_csv(basis),
        content_type="text/csv; charset=utf-8",
        filename=f"fee-basis-{month}.csv",
    )


def _tables(data: object, builders: dict[str, Any]) -> dict[str, exports.Table]:
    return {slug: build(data) for slug, build in builders.items()}


@require_GET
def outcomes(request: HttpRequest) -> HttpResponse:
    """Function change between baseline and end, goal attainment, continuity and visits kept
    despite a conflict, for the episodes of the manager's teams ended in the period."""
    staff = _manager(request)
    form = ReportFilterForm(request.GET or None, staff=staff, today=local_today())
    filters = form.filters()
    context: dict[str, object] = {"form": form, "query": request.GET.urlencode()}
    if filters is not None:
        data = selectors.outcomes(staff=staff, filters=filters)
        function = data.function
        charts = {
            "function_change": bar_chart(
                title=_("Mean at baseline and at end"),
                labels=[row.label for row in function],
                series=[
                    (_("Baseline"), [round(row.mean_baseline or 0, 1) for row in function]),
                    (_("End"), [round(row.mean_end or 0, 1) for row in function]),
                ],
            ),
            "goal_attainment": bar_chart(
                title=_("Goal attainment at the last review"),
                labels=[goal.name for goal in data.goals],
                series=[(_("Goals"), [goal.count for goal in data.goals])],
            ),
            "continuity": bar_chart(
                title=_("Distinct staff per person over the episode"),
                labels=[label for label, _count in data.continuity.bins],
                series=[(_("Episodes"), [count for _label, count in data.continuity.bins])],
            ),
            "overrides": bar_chart(
                title=_("Visits kept despite a conflict"),
                labels=[f"{month:%Y-%m}" for month, _v, _o in data.continuity.overrides],
                series=[
                    (
                        _("Visits with an overridden conflict"),
                        [overridden for _m, _v, overridden in data.continuity.overrides],
                    )
                ],
            ),
        }
        context |= {
            "data": data,
            "tables": _tables(data, exports.OUTCOME_TABLES),
            "charts": charts,
        }
    return render(request, "reports/outcomes.html", context, status=400 if form.errors else 200)


@require_GET
def comparison(request: HttpRequest) -> HttpResponse:
    """The people who came home in the period against a comparison population, with the number
    in each group, 95 % intervals and a plain "too few to conclude" under 30 in a group."""
    staff = _manager(request)
    form = ComparisonForm(request.GET or None, staff=staff, today=local_today())
    filters = form.filters()
    context: dict[str, object] = {"form": form, "query": request.GET.urlencode()}
    if filters is not None:
        data = selectors.comparison(staff=staff, filters=filters, compare=form.compare_with())
        groups = [data.cohort, data.other]
        charts = {
            "comparison": bar_chart(
                title=_("People in each group"),
                labels=[group.label for group in groups],
                series=[(_("People"), [group.n for group in groups])],
            )
        }
        context |= {
            "data": data,
            "tables": _tables(data, exports.COMPARISON_TABLES),
            "charts": charts,
        }
    return render(request, "reports/comparison.html", context, status=400 if form.errors else 200)


@require_GET
def economics(request: HttpRequest) -> HttpResponse:
    """Cost per episode against the savings, and the break-even enrolments a month against the
    actual inflow."""
    staff = _manager(request)
    form = ReportFilterForm(request.GET or None, staff=staff, today=local_today())
    filters = form.filters()
    context: dict[str, object] = {"form": form, "query": request.GET.urlencode()}
    if filters is not None:
        data = selectors.economics(staff=staff, filters=filters)
        months = [month for month in data.months if month.episodes]
        charts = {
            "cost_months": bar_chart(
                title=_("Cost per episode by month (kr)"),
                labels=[f"{month.month:%Y-%m}" for month in months],
                series=[(_("Cost per episode"), [round(m.per_episode or 0) for m in months])],
            ),
            "break_even": bar_chart(
                title=_("Enrolments a month against break-even"),
                labels=[_("Actual")],
                series=[(_("Enrolments a month"), [round(data.enrolments_per_month, 1)])],
                reference=(
                    (_("Break-even"), round(data.break_even, 1))
                    if data.break_even is not None
                    else None
                ),
            ),
        }
        context |= {
            "data": data,
            "tables": _tables(data, exports.ECONOMICS_TABLES),
            "charts": charts,
        }
    return render(request, "reports/economics.html", context, status=400 if form.errors else 200)
