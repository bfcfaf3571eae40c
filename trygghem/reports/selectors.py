"""Reads for the follow-up dashboard: aggregates over the episodes a manager's teams see.

Every figure is a handful of grouped queries (counts per month, per day, per length); Python
only walks the groups, never the episodes. Definitions, so the figures can be checked by hand:
- a referral counts in the month it was received; an enrolment in the month its decision
  starts (the first version: one per episode);
- enrolled (for occupancy, lengths, lead times, readmissions, hours) means came home: from the
  day of homecoming to the day the episode ended, both counted;
- the period filters each figure by its own date (received, decision start, home, end).
"""

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Aggregate,
    Avg,
    BooleanField,
    Case,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression, Expression
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.timezone import get_current_timezone
from django.utils.translation import gettext as _

from trygghem.assessments.models import Assessment
from trygghem.core.time import local_date, local_today
from trygghem.decisions.models import Decision
from trygghem.decisions.selectors import current_decision
from trygghem.episodes.access import episodes_visible_to
from trygghem.episodes.models import Episode, Program
from trygghem.fees.models import FeeRule
from trygghem.fees.rules import FeeKind, MonthlyFee, Usage, day_fee, monthly_fee
from trygghem.fees.selectors import fee_room_for, fee_rooms_for, monthly_max_for, terms_of
from trygghem.people.models import Person
from trygghem.planning.models import EpisodeStaffWork, EpisodeVisitDay
from trygghem.referrals.models import Referral
from trygghem.rehab.models import GoalAttainment, PlanReview
from trygghem.reports import rules
from trygghem.reports.models import ProgramFee, ReportSettings, RoleCost, TeamCapacity
from trygghem.reports.rules import Share, share_of
from trygghem.staff.models import Staff, Team

Status = Episode.Status
ONE_DAY = datetime.timedelta(days=1)
HOURS_BINS = (
    ("0", Q(referral__home_care_hours_before=0)),
    ("0.1-5", Q(referral__home_care_hours_before__gt=0, referral__home_care_hours_before__lte=5)),
    ("5.1-10", Q(referral__home_care_hours_before__gt=5, referral__home_care_hours_before__lte=10)),
    (
        "10.1-20",
        Q(referral__home_care_hours_before__gt=10, referral__home_care_hours_before__lte=20),
    ),
    ("20.1+", Q(referral__home_care_hours_before__gt=20)),
)


def report_settings() -> ReportSettings:
    """The one settings row (seeded by migration); the defaults if an administrator removed it."""
    return ReportSettings.objects.first() or ReportSettings()


@dataclass(frozen=True)
class ReportFilter:
    from_on: datetime.date
    to_on: datetime.date
    program: Program | None = None
    team: Team | None = None
    triage: str = ""
    source: str = ""


def filtered_episodes(*, staff: Staff, filters: ReportFilter) -> QuerySet[Episode]:
    """The episodes the staff member's teams see, narrowed by program, team, triage and source."""
    episodes = episodes_visible_to(staff)
    if filters.program is not None:
        episodes = episodes.filter(program=filters.program)
    if filters.team is not None:
        in_team = Episode.teams.through.objects.filter(episode=OuterRef("pk"), team=filters.team)
        episodes = episodes.filter(Exists(in_team))
    if filters.triage:
        episodes = episodes.filter(referral__triage=filters.triage)
    if filters.source:
        episodes = episodes.filter(referral__source=filters.source)
    return episodes


def _came_home(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    return episodes.filter(home_at__isnull=False)


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=get_current_timezone())


def _home_between(first: datetime.date, last: datetime.date) -> dict[str, datetime.datetime]:
    """Came home on a day from `first` to `last`, as bounds on the stored moment, so that
    PostgreSQL estimates the rows from the column's statistics (a date cast hides them)."""
    return {"home_at__gte": _day_start(first), "home_at__lt": _day_start(last + ONE_DAY)}


def _days_between(later: str, earlier: str) -> "ExpressionWrapper[CombinedExpression]":
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


# Inflow


@dataclass(frozen=True)
class InflowMonth:
    month: datetime.date
    referrals: int
    enrolments: int


@dataclass(frozen=True)
class ReasonCount:
    code: str
    name: str
    count: int
    share: Share | None


@dataclass(frozen=True)
class Inflow:
    months: list[InflowMonth]
    break_even: int
    referrals: int
    enrolled: int
    closed: int
    pending: int
    conversion: Share | None  # enrolled of the referrals decided either way
    not_enrolled: list[ReasonCount]

    @property
    def mean_enrolments(self) -> float:
        return sum(m.enrolments for m in self.months) / len(self.months) if self.months else 0.0


def _reason_counts(counts: dict[tuple[str, str], int]) -> list[ReasonCount]:
    """Reasons by count, most first, with each one's share of the total."""
    total = sum(counts.values())
    return [
        ReasonCount(code, name, count, share_of(count, total))
        for (code, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0][1]))
    ]


def inflow(*, staff: Staff, filters: ReportFilter) -> Inflow:
    """Referrals and enrolments per month against the break-even line (seed 002: 30 a month),
    the conversion from referral to enrolment, and why the others were not enrolled."""
    episodes = filtered_episodes(staff=staff, filters=filters)
    received = episodes.filter(referral__received_on__range=(filters.from_on, filters.to_on))
    groups = list(
        received.annotate(month=TruncMonth("referral__received_on"))
        .values("month", "end_reason__code", "end_reason__name")
        .annotate(
            count=Count("pk"),
            closed=Count("pk", filter=Q(status=Status.CLOSED)),
            pending=Count("pk", filter=Q(status=Status.REFERRED)),
        )
        .order_by()
    )
    referrals_by_month: dict[datetime.date, int] = defaultdict(int)
    closed_by_reason: dict[tuple[str, str], int] = defaultdict(int)
    for group in groups:
        referrals_by_month[group["month"]] += group["count"]
        if group["closed"]:
            closed_by_reason[group["end_reason__code"], group["end_reason__name"]] += group[
                "closed"
            ]
    enrolments_by_month = dict(
        Decision.objects.filter(
            version=1,
            episode__in=episodes,
            start_on__range=(filters.from_on, filters.to_on),
        )
        .annotate(month=TruncMonth("start_on"))
        .values("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
        .order_by()
    )
    totals = {key: sum(group[key] for group in groups) for key in ("count", "closed", "pending")}
    enrolled = totals["count"] - totals["closed"] - totals["pending"]
    return Inflow(
        months=[
            InflowMonth(
                month,
                referrals_by_month.get(month, 0),
                enrolments_by_month.get(month, 0),
            )
            for month in rules.month_starts(filters.from_on, filters.to_on)
        ],
        break_even=report_settings().break_even_per_month,
        referrals=totals["count"],
        enrolled=enrolled,
        closed=totals["closed"],
        pending=totals["pending"],
        conversion=share_of(enrolled, enrolled + totals["closed"]),
        not_enrolled=_reason_counts(closed_by_reason),
    )


# Occupancy and lengths


@dataclass(frozen=True)
class OccupancyMonth:
    month: datetime.date
    mean: float
    peak: int
    days_full: int  # days at or above capacity


@dataclass(frozen=True)
class Occupancy:
    days: list[tuple[datetime.date, int]]
    months: list[OccupancyMonth]
    capacity: int | None  # concurrent places; None when no team capacity is configured


def capacity_for(*, staff: Staff, team: Team | None) -> int | None:
    """The chosen team's concurrent places, or the sum over the staff member's teams."""
    capacities = TeamCapacity.objects.filter(team__in=staff.teams.all())
    if team is not None:
        capacities = capacities.filter(team=team)
    places = [capacity.places for capacity in capacities]
    return sum(places) if places else None


def occupancy(*, staff: Staff, filters: ReportFilter) -> Occupancy:
    """People enrolled each day (from homecoming to end) against the team's concurrent places.
    Days after today are not counted."""
    last_day = min(filters.to_on, local_today())
    came_home = _came_home(filtered_episodes(staff=staff, filters=filters))
    starts = dict(
        came_home.filter(home_at__lt=_day_start(last_day + ONE_DAY))
        .values("home_at__date")
        .annotate(count=Count("pk"))
        .values_list("home_at__date", "count")
        .order_by()
    )
    ends = {
        ended_on: count
        for ended_on, count in came_home.filter(ended_on__lte=last_day)
        .values("ended_on")
        .annotate(count=Count("pk"))
        .values_list("ended_on", "count")
        .order_by()
        if ended_on is not None
    }
    before = sum(count for day, count in starts.items() if day < filters.from_on) - sum(
        count for day, count in ends.items() if day < filters.from_on
    )
    days = rules.occupancy_by_day(
        first_day=filters.from_on,
        last_day=last_day,
        enrolled_before=before,
        starts=starts,
        ends=ends,
    )
    capacity = capacity_for(staff=staff, team=filters.team)
    by_month: dict[datetime.date, list[int]] = defaultdict(list)
    for day, count in days:
        by_month[day.replace(day=1)].append(count)
    months = [
        OccupancyMonth(
            month,
            sum(counts) / len(counts),
            max(counts),
            sum(1 for count in counts if capacity is not None and count >= capacity),
        )
        for month, counts in sorted(by_month.items())
    ]
    return Occupancy(days, months, capacity)


@dataclass(frozen=True)
class Lengths:
    counts: dict[int, int]  # days enrolled -> episodes
    bins: list[tuple[str, int]]
    median: float | None
    mean: float | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _length_counts(episodes: QuerySet[Episode]) -> dict[int, int]:
    rows = (
        _came_home(episodes)
        .filter(status=Status.ENDED)
        .annotate(length=_days_between("ended_on", "home_at__date"))
        .values("length")
        .annotate(count=Count("pk"))
        .values_list("length", "count")
        .order_by()
    )
    return {length.days + 1: count for length, count in rows}


def lengths(*, staff: Staff, filters: ReportFilter) -> Lengths:
    """Days enrolled (homecoming to end, both counted) of the episodes that ended in the period;
    the guide's typical Trygg hemgång is 12-18 days."""
    counts = _length_counts(
        filtered_episodes(staff=staff, filters=filters).filter(
            ended_on__range=(filters.from_on, filters.to_on)
        )
    )
    return Lengths(
        counts,
        rules.binned(counts, rules.LENGTH_BINS),
        rules.median_of_counts(counts),
        rules.mean_of_counts(counts),
    )


# Lead time and payment liability


@dataclass(frozen=True)
class LeadTimes:
    counts: dict[int, int]  # days from ready for discharge to homecoming -> episodes
    bins: list[tuple[str, int]]
    median: float | None
    mean: float | None
    liability_from_day: int
    liability_days: int
    with_liability: Share | None
    without_ready_date: int  # came home without a recorded ready-for-discharge day

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def lead_times(*, staff: Staff, filters: ReportFilter) -> LeadTimes:
    """Days from ready for discharge (utskrivningsklar) to homecoming for the people who came
    home in the period, and the days of municipal payment liability they cost."""
    came_home = _came_home(filtered_episodes(staff=staff, filters=filters)).filter(
        **_home_between(filters.from_on, filters.to_on)
    )
    rows = (
        came_home.annotate(lead=_days_between("home_at__date", "referral__ready_for_discharge_on"))
        .values("lead")
        .annotate(count=Count("pk"))
        .values_list("lead", "count")
        .order_by()
    )
    counts: dict[int, int] = defaultdict(int)
    without_ready_date = 0
    for lead, count in rows:
        if lead is None:
            without_ready_date = count
        else:
            counts[max(0, lead.days)] += count
    from_day = report_settings().liability_from_day
    liability = {
        days: rules.payment_liability_days(lead_days=days, from_day=from_day) for days in counts
    }
    total = sum(counts.values())
    return LeadTimes(
        counts=dict(counts),
        bins=rules.binned(counts, rules.LEAD_TIME_BINS),
        median=rules.median_of_counts(counts),
        mean=rules.mean_of_counts(counts),
        liability_from_day=from_day,
        liability_days=sum(liability[days] * count for days, count in counts.items()),
        with_liability=share_of(
            sum(count for days, count in counts.items() if liability[days] > 0), total
        ),
        without_ready_date=without_ready_date,
    )


# Readmissions and end reasons


@dataclass(frozen=True)
class Readmissions:
    window_days: int
    readmitted: Share | None  # ended as readmitted within the window after homecoming
    new_hospital_referral: Share | None  # a hospital referral within the window after the end
    end_reasons: list[ReasonCount] = field(default_factory=list)


def readmissions(*, staff: Staff, filters: ReportFilter) -> Readmissions:
    """Readmissions within 30 days (configurable) of homecoming, and new hospital referrals
    within 30 days of the end; only episodes whose whole window has passed count, so recent
    ones do not look better than they are. End reasons of the episodes ended in the period."""
    window = report_settings().readmission_window_days
    window_closed_on = local_today() - datetime.timedelta(days=window)
    episodes = filtered_episodes(staff=staff, filters=filters)
    home_counts = (
        _came_home(episodes)
        .filter(**_home_between(filters.from_on, min(filters.to_on, window_closed_on)))
        .annotate(since_home=_days_between("ended_on", "home_at__date"))
        .aggregate(
            total=Count("pk"),
            readmitted=Count(
                "pk",
                filter=Q(
                    status=Status.ENDED,
                    end_reason__code="readmitted",
                    since_home__lte=datetime.timedelta(days=window),
                ),
            ),
        )
    )
    new_referral = Referral.objects.filter(
        person=OuterRef("person"),
        source=Referral.Source.HOSPITAL,
        received_on__gt=OuterRef("ended_on"),
        received_on__lte=OuterRef("window_end"),
    )
    closed_window = Q(ended_on__lte=window_closed_on)
    by_reason = list(
        episodes.filter(status=Status.ENDED, ended_on__range=(filters.from_on, filters.to_on))
        .annotate(
            window_end=ExpressionWrapper(
                F("ended_on") + datetime.timedelta(days=window), output_field=DateField()
            )
        )
        .annotate(came_back=Exists(new_referral))
        .values("end_reason__code", "end_reason__name")
        .annotate(
            count=Count("pk"),
            in_window=Count("pk", filter=closed_window),
            back=Count("pk", filter=closed_window & Q(came_back=True)),
        )
        .order_by()
    )
    return Readmissions(
        window_days=window,
        readmitted=share_of(home_counts["readmitted"], home_counts["total"]),
        new_hospital_referral=share_of(
            sum(group["back"] for group in by_reason),
            sum(group["in_window"] for group in by_reason),
        ),
        end_reasons=_reason_counts(
            {(g["end_reason__code"], g["end_reason__name"]): g["count"] for g in by_reason}
        ),
    )


# Home-care hours


# After the end, the hours are those of the home-care decisions in force on the day: at
# handover (the end day) and about 3, 6 and 12 months later.
HOURS_POINTS = (("handover", 0), ("3_months", 91), ("6_months", 182), ("12_months", 365))
# People who died or moved away have no home care here afterwards; counting their 0 hours
# would look like a success of reablement.
NOT_FOLLOWED_AFTER_END = ("deceased", "moved")
_DECISION = "person__home_care_decisions__"


def hours_point_labels() -> dict[str, str]:
    return {
        "handover": _("At the end (handover)"),
        "3_months": _("3 months after the end"),
        "6_months": _("6 months after the end"),
        "12_months": _("12 months after the end"),
    }


@dataclass(frozen=True)
class HoursPoint:
    """Home-care hours a week at one point after the end, of the episodes whose day has come."""

    code: str
    days_after_end: int
    people: int
    mean_before: Decimal | None  # the same people's hours before admission
    mean: Decimal | None
    none: Share | None  # with no home care (0 hours) at the point

    @property
    def label(self) -> str:
        return hours_point_labels()[self.code]


@dataclass(frozen=True)
class HomeCareHours:
    people: int
    mean_before: Decimal | None
    none_before: Share | None
    bins: list[tuple[str, int]]
    points: list[HoursPoint] = field(default_factory=list)


def _one_decimal(value: Decimal | float | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.1"))


# Ended, and not by death or a move: the episodes whose hours after the end count.
FOLLOWED_AFTER_END = Q(status=Status.ENDED) & ~Q(end_reason__code__in=NOT_FOLLOWED_AFTER_END)


def _day_after_end(days: int) -> "ExpressionWrapper[CombinedExpression]":
    return ExpressionWrapper(
        F("ended_on") + datetime.timedelta(days=days), output_field=DateField()
    )


def _in_force_on(day: Expression | F) -> FilteredRelation:
    """The home-care decision of the episode's person in force on `day` (an expression over
    the episode), joined so that an episode without one keeps its row. The services refuse a
    second decision in force on the same day, so the join never repeats an episode's row."""
    return FilteredRelation(
        _DECISION.removesuffix("__"),
        condition=Q(**{f"{_DECISION}start_on__lte": day})
        & (Q(**{f"{_DECISION}end_on__isnull": True}) | Q(**{f"{_DECISION}end_on__gte": day})),
    )


def hours_after_end(
    episodes: QuerySet[Episode],
    *,
    today: datetime.date,
    points: tuple[tuple[str, int], ...],
    latest_only: bool = False,
) -> dict[str, tuple[int, Decimal, Decimal, int]]:
    """Per point: (episodes whose day has come, their hours before admission summed, the hours
    of the decisions in force that day summed, episodes with more than 0 hours then). With
    `latest_only` an episode counts only at the latest point it has reached."""
    return _hours_after_end(episodes, today=today, points=points, latest_only=latest_only)[0]


def _hours_after_end(
    episodes: QuerySet[Episode],
    *,
    today: datetime.date,
    points: tuple[tuple[str, int], ...],
    latest_only: bool = False,
    extra: dict[str, Aggregate] | None = None,
) -> tuple[dict[str, tuple[int, Decimal, Decimal, int]], dict[str, Any]]:
    """hours_after_end, and the `extra` aggregates over the same episodes in the same query:
    one query, the episodes joined once per point to the decision in force that day."""
    later = sorted(days for _code, days in points)

    def _reached(days: int, today: datetime.date) -> Q:
        reached = Q(ended_on__lte=today - datetime.timedelta(days=days))
        following = [other for other in later if other > days]
        if latest_only and following:
            reached &= Q(ended_on__gt=today - datetime.timedelta(days=following[0]))
        return reached

    extra = extra or {}
    reached = {code: FOLLOWED_AFTER_END & _reached(days, today) for code, days in points}
    values = episodes.annotate(
        **{f"in_force_{code}": _in_force_on(_day_after_end(days)) for code, days in points}
    ).aggregate(
        **{f"n_{code}": Count("pk", filter=reached[code]) for code, _days in points},
        **{
            f"before_{code}": Sum("referral__home_care_hours_before", filter=reached[code])
            for code, _days in points
        },
        **{
            f"hours_{code}": Sum(f"in_force_{code}__hours_per_week", filter=reached[code])
            for code, _days in points
        },
        **{
            f"with_{code}": Count(
                "pk", filter=reached[code] & Q(**{f"in_force_{code}__hours_per_week__gt": 0})
            )
            for code, _days in points
        },
        **extra,
    )
    return {
        code: (
            values[f"n_{code}"],
            Decimal(values[f"before_{code}"] or 0),
            Decimal(values[f"hours_{code}"] or 0),
            values[f"with_{code}"],
        )
        for code, _days in points
    }, {name: values[name] for name in extra}


def home_care_hours(*, staff: Staff, filters: ReportFilter) -> HomeCareHours:
    """Home-care hours a week of the people who came home in the period: before admission (from
    the referral), and from the home-care decisions in force on the day the episode ended and
    91, 182 and 365 days later. A point counts only the episodes whose day has come and that
    did not end by death or a move; those with no decision then had 0 hours."""
    came_home = _came_home(filtered_episodes(staff=staff, filters=filters)).filter(
        **_home_between(filters.from_on, filters.to_on)
    )
    after, totals = _hours_after_end(
        came_home,
        today=local_today(),
        points=HOURS_POINTS,
        extra={
            "people": Count("pk"),
            "mean": Avg("referral__home_care_hours_before"),
            **{f"bin{index}": Count("pk", filter=q) for index, (_l, q) in enumerate(HOURS_BINS)},
        },
    )
    points = []
    for code, days in HOURS_POINTS:
        people, before, hours, with_hours = after[code]
        points.append(
            HoursPoint(
                code=code,
                days_after_end=days,
                people=people,
                mean_before=_one_decimal(before / people) if people else None,
                mean=_one_decimal(hours / people) if people else None,
                none=share_of(people - with_hours, people),
            )
        )
    return HomeCareHours(
        people=totals["people"],
        mean_before=_one_decimal(totals["mean"]),
        none_before=share_of(totals["bin0"], totals["people"]),
        bins=[(label, totals[f"bin{index}"]) for index, (label, _q) in enumerate(HOURS_BINS)],
        points=points,
    )


# The dashboard and the capacity planner


@dataclass(frozen=True)
class Dashboard:
    filters: ReportFilter
    inflow: Inflow
    occupancy: Occupancy
    lengths: Lengths
    lead_times: LeadTimes
    readmissions: Readmissions
    home_care_hours: HomeCareHours


def dashboard(*, staff: Staff, filters: ReportFilter) -> Dashboard:
    return Dashboard(
        filters=filters,
        inflow=inflow(staff=staff, filters=filters),
        occupancy=occupancy(staff=staff, filters=filters),
        lengths=lengths(staff=staff, filters=filters),
        lead_times=lead_times(staff=staff, filters=filters),
        readmissions=readmissions(staff=staff, filters=filters),
        home_care_hours=home_care_hours(staff=staff, filters=filters),
    )


@dataclass(frozen=True)
class MeasuredCapacity:
    places: int | None
    enrolments_per_month: float
    mean_length_days: float | None


def measured_capacity(*, staff: Staff) -> MeasuredCapacity:
    """What the last twelve months measured: enrolments a month, the mean days enrolled of the
    episodes that ended, and the configured places of the staff member's teams."""
    today = local_today()
    filters = ReportFilter(from_on=today - datetime.timedelta(days=364), to_on=today)
    episodes = filtered_episodes(staff=staff, filters=filters)
    enrolments = Decision.objects.filter(
        version=1, episode__in=episodes, start_on__range=(filters.from_on, filters.to_on)
    ).count()
    counts = _length_counts(episodes.filter(ended_on__range=(filters.from_on, filters.to_on)))
    return MeasuredCapacity(
        places=capacity_for(staff=staff, team=None),
        enrolments_per_month=enrolments / 12,
        mean_length_days=rules.mean_of_counts(counts),
    )


# The fee basis


@dataclass(frozen=True)
class FeeBasis:
    person: Person
    month: datetime.date
    days: dict[FeeRule, int]
    fee: MonthlyFee


def fee_basis(*, staff: Staff, month: datetime.date) -> list[FeeBasis] | None:
    """Per person the month's days under each fee rule and the fee after the caps (the
    maxtaxa; Hofors: Trygg hemgång at most 1/14 of it per day). Days are those of the running
    decision from homecoming to the end within the month. None when the year has no maxtaxa."""
    max_fee = monthly_max_for(month)
    if max_fee is None:
        return None
    last_day = rules.month_end(month)
    rule_of = {
        program_fee.program_id: program_fee.fee_rule
        for program_fee in ProgramFee.objects.select_related("fee_rule")
    }
    decisions = (
        Decision.objects.filter(
            is_current=True,
            episode__in=episodes_visible_to(staff),
            episode__home_at__isnull=False,
            program_id__in=list(rule_of),
            start_on__lte=last_day,
            end_on__gte=month,
        )
        .select_related("person", "episode")
        .order_by("person__identity_number", "start_on")
    )
    days: dict[Person, dict[FeeRule, int]] = {}
    for decision in decisions:
        episode = decision.episode
        if episode.home_at is None:  # pragma: no cover - filtered above
            continue
        end_on = decision.effective_end_on
        if episode.ended_on is not None:
            end_on = min(end_on, episode.ended_on)
        charged = rules.fee_days(
            month_start=month,
            month_end=last_day,
            home_on=local_date(episode.home_at),
            start_on=decision.start_on,
            end_on=end_on,
        )
        if charged:
            per_rule = days.setdefault(decision.person, defaultdict(int))
            per_rule[rule_of[decision.program_id]] += charged
    fee_rooms = fee_rooms_for(people=list(days), month=month)
    return [
        FeeBasis(
            person=person,
            month=month,
            days=dict(per_rule),
            fee=monthly_fee(
                [Usage(rule.code, terms_of(rule), days=count) for rule, count in per_rule.items()],
                monthly_max=max_fee.monthly_max,
                fee_room=fee_rooms.get(person.pk),
            ),
        )
        for person, per_rule in days.items()
    ]


def _fee_room_amount(person: Person, month: datetime.date) -> Decimal | None:
    fee_room = fee_room_for(person=person, month=month)
    return fee_room.amount if fee_room is not None else None


@dataclass(frozen=True)
class FeeSoFar:
    """What an episode's program costs per day at most and what the month has cost so far."""

    program: str
    max_per_day: Decimal
    share_denominator: int
    monthly_max: Decimal
    days: int
    amount: Decimal


def fee_so_far(*, episode: Episode, today: datetime.date) -> FeeSoFar | None:
    """The fee of the month's days at home under the episode's current decision up to today,
    capped like the fee basis. None unless its program is charged a day share of the maxtaxa
    (a free or hourly program) or the year has no maxtaxa."""
    decision = current_decision(episode=episode)
    max_fee = monthly_max_for(today)
    if decision is None or max_fee is None:
        return None
    program_fee = (
        ProgramFee.objects.filter(program_id=decision.program_id).select_related("fee_rule").first()
    )
    if program_fee is None or program_fee.fee_rule.kind != FeeKind.DAY_SHARE:
        return None
    rule = program_fee.fee_rule
    month = today.replace(day=1)
    days = 0
    if episode.home_at is not None:
        end_on = decision.effective_end_on
        if episode.ended_on is not None:
            end_on = min(end_on, episode.ended_on)
        days = rules.fee_days(
            month_start=month,
            month_end=today,
            home_on=local_date(episode.home_at),
            start_on=decision.start_on,
            end_on=end_on,
        )
    fee = monthly_fee(
        [Usage(rule.code, terms_of(rule), days=days)],
        monthly_max=max_fee.monthly_max,
        fee_room=_fee_room_amount(episode.person, month),
    )
    return FeeSoFar(
        program=decision.program.name,
        max_per_day=day_fee(max_fee.monthly_max, rule.share_denominator),
        share_denominator=rule.share_denominator,
        monthly_max=max_fee.monthly_max,
        days=days,
        amount=fee.care_amount,
    )


# Outcomes: function change between baseline and end, goal attainment


@dataclass(frozen=True)
class Measure:
    instrument: str
    score: str
    higher_is_better: bool


MEASURES = (
    Measure("katz_adl", "dependent_count", higher_is_better=False),
    Measure("adl_staircase", "step", higher_is_better=False),
    Measure("copm", "performance", higher_is_better=True),
    Measure("copm", "satisfaction", higher_is_better=True),
    Measure("safety_vas", "safety", higher_is_better=True),
    Measure("sppb", "total", higher_is_better=True),
)


def measure_labels() -> dict[tuple[str, str], str]:
    return {
        ("katz_adl", "dependent_count"): _("Katz ADL: activities with dependence (0-6)"),
        ("adl_staircase", "step"): _("ADL staircase: step (0-10)"),
        ("copm", "performance"): _("COPM: performance (1-10)"),
        ("copm", "satisfaction"): _("COPM: satisfaction (1-10)"),
        ("safety_vas", "safety"): _("Perceived safety (0-100)"),
        ("sppb", "total"): _("SPPB: total (0-12)"),
    }


@dataclass(frozen=True)
class FunctionChange:
    label: str
    higher_is_better: bool
    n: int  # people assessed at both baseline and end
    mean_baseline: float | None
    mean_end: float | None
    change: rules.Interval | None  # mean change (end - baseline), t 95 %; None under 2 people
    improved: Share | None

    @property
    def mean_change(self) -> float | None:
        if self.mean_baseline is None or self.mean_end is None:
            return None
        return self.mean_end - self.mean_baseline


@dataclass(frozen=True)
class Continuity:
    counts: dict[int, int]  # distinct staff over the episode -> episodes
    bins: list[tuple[str, int]]
    median: float | None
    mean: float | None
    overrides: list[tuple[datetime.date, int, int]]  # month, visits, visits with an override

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Outcomes:
    filters: ReportFilter
    episodes: int
    function: list[FunctionChange]
    goals: list[ReasonCount]
    continuity: Continuity

    @property
    def goals_total(self) -> int:
        return sum(goal.count for goal in self.goals)


def _ended_in_period(*, staff: Staff, filters: ReportFilter) -> QuerySet[Episode]:
    return filtered_episodes(staff=staff, filters=filters).filter(
        status=Status.ENDED, ended_on__range=(filters.from_on, filters.to_on)
    )


def function_change(episodes: QuerySet[Episode]) -> list[FunctionChange]:
    """Per instrument score the people assessed at both baseline and end: the mean at each, the
    mean change with its t-based 95 % interval, and the share who got better."""
    rows = Assessment.objects.filter(
        episode__in=episodes,
        instrument_code__in={measure.instrument for measure in MEASURES},
        occasion__in=[Assessment.Occasion.BASELINE, Assessment.Occasion.END],
    ).values_list("episode_id", "instrument_code", "occasion", "scores")
    scores: dict[tuple[int, str, str], dict[str, object]] = {
        (episode_id, code, occasion): value for episode_id, code, occasion, value in rows
    }
    labels = measure_labels()
    result = []
    for measure in MEASURES:
        pairs = []
        for (episode_id, code, occasion), baseline in scores.items():
            if code != measure.instrument or occasion != Assessment.Occasion.BASELINE:
                continue
            end = scores.get((episode_id, code, Assessment.Occasion.END))
            before = baseline.get(measure.score)
            after = None if end is None else end.get(measure.score)
            if isinstance(before, int | float) and isinstance(after, int | float):
                pairs.append((float(before), float(after)))
        changes = [after - before for before, after in pairs]
        summary = rules.summary_of(changes)
        better = sum(
            1 for change in changes if (change > 0 if measure.higher_is_better else change < 0)
        )
        result.append(
            FunctionChange(
                label=labels[measure.instrument, measure.score],
                higher_is_better=measure.higher_is_better,
                n=len(pairs),
                mean_baseline=sum(b for b, _a in pairs) / len(pairs) if pairs else None,
                mean_end=sum(a for _b, a in pairs) / len(pairs) if pairs else None,
                change=None if summary is None else rules.mean_interval(summary),
                improved=share_of(better, len(pairs)),
            )
        )
    return result


def goal_attainment(episodes: QuerySet[Episode]) -> list[ReasonCount]:
    """How the goals stood at each plan's last review: achieved, partly, not, changed."""
    last_review = (
        PlanReview.objects.filter(plan=OuterRef("review__plan"))
        .order_by("-reviewed_on")
        .values("reviewed_on")[:1]
    )
    counts = dict(
        GoalAttainment.objects.filter(review__plan__episode__in=episodes)
        .filter(review__reviewed_on=Subquery(last_review))
        .values("level")
        .annotate(count=Count("pk"))
        .values_list("level", "count")
        .order_by()
    )
    total = sum(counts.values())
    return [
        ReasonCount(
            str(level), str(name), counts.get(level, 0), share_of(counts.get(level, 0), total)
        )
        for level, name in GoalAttainment.Level.choices
    ]


def continuity(
    ended: QuerySet[Episode], visible: QuerySet[Episode], *, filters: ReportFilter
) -> Continuity:
    """Distinct staff who came to each person over the whole episode (visits done) of the
    episodes ended in the period, and per month the visits kept despite a detected conflict
    (an override with its reason). Read from the visit summaries (one row per episode and
    staff member who did a visit, one per episode and day), not from the visits."""
    counts = dict(
        Counter(
            EpisodeStaffWork.objects.filter(episode__in=ended)
            .values("episode")
            .annotate(count=Count("pk"))
            .values_list("count", flat=True)
            .order_by()
        )
    )
    by_month = {
        month: (visits, overridden)
        for month, visits, overridden in EpisodeVisitDay.objects.filter(
            episode__in=visible, day__range=(filters.from_on, filters.to_on)
        )
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(visits=Sum("visits"), overridden=Sum("overridden"))
        .values_list("month", "visits", "overridden")
        .order_by()
    }
    return Continuity(
        counts=counts,
        bins=rules.binned(counts, rules.STAFF_BINS),
        median=rules.median_of_counts(counts),
        mean=rules.mean_of_counts(counts),
        overrides=[
            (month, *by_month.get(month, (0, 0)))
            for month in rules.month_starts(filters.from_on, filters.to_on)
        ],
    )


def outcomes(*, staff: Staff, filters: ReportFilter) -> Outcomes:
    """Function change, goal attainment and continuity of the episodes ended in the period."""
    ended = _ended_in_period(staff=staff, filters=filters)
    return Outcomes(
        filters=filters,
        episodes=ended.count(),
        function=function_change(ended),
        goals=goal_attainment(ended),
        continuity=continuity(
            ended, filtered_episodes(staff=staff, filters=filters), filters=filters
        ),
    )


# Comparison: a cohort against a comparison population


class Compare:
    NOT_ENROLLED = "not_enrolled"  # enrolled vs referred but closed without enrolment
    BEFORE = "before"  # this period vs the same length of time just before it


@dataclass(frozen=True)
class Group:
    label: str
    from_on: datetime.date
    to_on: datetime.date
    n: int
    hours: rules.Summary | None
    back_in_hospital: Share | None
    lead_days: rules.Summary | None  # None for people who never came home
    # Hours a week of the home-care decisions in force at the latest point reached after the
    # end (12, 6 or 3 months); only those ended at least 3 months ago
    hours_after: rules.Summary | None = None


@dataclass(frozen=True)
class Comparison:
    filters: ReportFilter
    compare: str
    window_days: int
    cohort: Group
    other: Group
    hours_difference: rules.Interval | None
    back_in_hospital_difference: rules.Interval | None
    lead_difference: rules.Interval | None
    hours_after_difference: rules.Interval | None = None

    @property
    def too_few(self) -> bool:
        return rules.too_few(self.cohort.n, self.other.n)


@dataclass(frozen=True)
class _GroupFigures:
    n: int
    hours: rules.Summary | None
    back_in_hospital: Share | None
    lead_days: rules.Summary | None


def _group_figures(episodes: QuerySet[Episode], *, index: str, window: int) -> _GroupFigures:
    """The number of episodes, their home-care hours before admission, the lead time from ready
    for discharge to `index` (None when no episode has one), and back in hospital: of the
    episodes whose window has passed, a new hospital referral for the same person within
    `window` days after the index day (homecoming, or the day the referral was closed), or an
    episode ended as readmitted within the window. One query, grouped by those values."""
    closed_on = local_today() - datetime.timedelta(days=window)
    new_referral = Referral.objects.filter(
        person=OuterRef("person"),
        source=Referral.Source.HOSPITAL,
        received_on__gt=OuterRef("index_on"),
        received_on__lte=OuterRef("window_end"),
    )
    rows = (
        episodes.annotate(index_on=F(index))
        .annotate(
            window_end=ExpressionWrapper(
                F("index_on") + datetime.timedelta(days=window), output_field=DateField()
            ),
            lead=_days_between("index_on", "referral__ready_for_discharge_on"),
        )
        .annotate(came_back=Exists(new_referral))
        .annotate(
            in_window=ExpressionWrapper(Q(index_on__lte=closed_on), output_field=BooleanField()),
            back=ExpressionWrapper(
                Q(came_back=True) | Q(end_reason__code="readmitted", ended_on__lte=F("window_end")),
                output_field=BooleanField(),
            ),
        )
        .values("referral__home_care_hours_before", "lead", "in_window", "back")
        .annotate(count=Count("pk"))
        .values_list("referral__home_care_hours_before", "lead", "in_window", "back", "count")
        .order_by()
    )
    hours: dict[float, int] = defaultdict(int)
    leads: dict[float, int] = defaultdict(int)
    in_window = back = 0
    for before, lead, passed, came_back, count in rows:
        hours[float(before)] += count
        if lead is not None:
            leads[float(max(0, lead.days))] += count
        if passed:
            in_window += count
            back += count if came_back else 0
    return _GroupFigures(
        n=sum(hours.values()),
        hours=rules.summary_of_counts(dict(hours)),
        back_in_hospital=share_of(back, in_window),
        lead_days=rules.summary_of_counts(dict(leads)),
    )


def _hours_after_summary(ended: QuerySet[Episode]) -> rules.Summary | None:
    """The hours a week of the home-care decisions in force at the latest point each ended
    episode has reached (12, 6 or 3 months after its end or closing), grouped by value; 0 for
    those with none in force then. One query: each episode joined to the one decision in force
    on its day."""
    today = local_today()
    points = sorted((days for _code, days in MEASURED_POINTS), reverse=True)
    latest_day = Case(
        *(
            When(ended_on__lte=today - datetime.timedelta(days=days), then=_day_after_end(days))
            for days in points
        ),
        output_field=DateField(),
    )
    counts = {
        float(hours): count
        for hours, count in ended.filter(ended_on__lte=today - datetime.timedelta(days=points[-1]))
        .annotate(after_on=latest_day)
        .annotate(in_force=_in_force_on(F("after_on")))
        .annotate(hours_after=Coalesce("in_force__hours_per_week", Value(Decimal(0))))
        .values("hours_after")
        .annotate(count=Count("pk"))
        .values_list("hours_after", "count")
        .order_by()
    }
    return rules.summary_of_counts(counts)


def _came_home_group(
    *, staff: Staff, filters: ReportFilter, label: str, first: datetime.date, last: datetime.date
) -> Group:
    came_home = _came_home(filtered_episodes(staff=staff, filters=filters)).filter(
        **_home_between(first, last)
    )
    figures = _group_figures(
        came_home, index="home_at__date", window=report_settings().readmission_window_days
    )
    return Group(
        label=label,
        from_on=first,
        to_on=last,
        n=figures.n,
        hours=figures.hours,
        back_in_hospital=figures.back_in_hospital,
        lead_days=figures.lead_days,
        hours_after=_hours_after_summary(came_home.filter(FOLLOWED_AFTER_END)),
    )


def comparison(*, staff: Staff, filters: ReportFilter, compare: str) -> Comparison:
    """The people who came home in the period against a comparison population, as the SKL
    guide and Socialstyrelsen recommend: those referred but not enrolled (closed, received in
    the period), or those who came home in the same length of time just before the period.
    Home-care hours before admission and, measured from the home-care decisions, after the
    end; back in hospital within 30 days, and lead time."""
    window = report_settings().readmission_window_days
    cohort = _came_home_group(
        staff=staff,
        filters=filters,
        label=_("Came home in the period"),
        first=filters.from_on,
        last=filters.to_on,
    )
    if compare == Compare.BEFORE:
        length = filters.to_on - filters.from_on
        last = filters.from_on - ONE_DAY
        other = _came_home_group(
            staff=staff,
            filters=filters,
            label=_("Came home in the period before"),
            first=last - length,
            last=last,
        )
    else:
        closed = filtered_episodes(staff=staff, filters=filters).filter(
            status=Status.CLOSED,
            referral__received_on__range=(filters.from_on, filters.to_on),
        )
        figures = _group_figures(closed, index="ended_on", window=window)
        other = Group(
            label=_("Referred but not enrolled"),
            from_on=filters.from_on,
            to_on=filters.to_on,
            n=figures.n,
            hours=figures.hours,
            back_in_hospital=figures.back_in_hospital,
            lead_days=None,
            hours_after=_hours_after_summary(closed),
        )

    def difference(a: rules.Summary | None, b: rules.Summary | None) -> rules.Interval | None:
        return None if a is None or b is None else rules.mean_interval(a, b)

    back = (
        rules.share_difference(cohort.back_in_hospital, other.back_in_hospital)
        if cohort.back_in_hospital is not None and other.back_in_hospital is not None
        else None
    )
    return Comparison(
        filters=filters,
        compare=compare,
        window_days=window,
        cohort=cohort,
        other=other,
        hours_difference=difference(cohort.hours, other.hours),
        back_in_hospital_difference=back,
        lead_difference=difference(cohort.lead_days, other.lead_days),
        hours_after_difference=difference(cohort.hours_after, other.hours_after),
    )


# Economics


WEEKS_A_YEAR = 52
NO_FURTHER_HOME_CARE = "no_further_need"
MEASURED_POINTS = tuple(point for point in HOURS_POINTS if point[1] > 0)


@dataclass(frozen=True)
class CostMonth:
    month: datetime.date
    episodes: int  # ended in the month
    visit_cost: float
    fixed_cost: float

    @property
    def per_episode(self) -> float | None:
        if not self.episodes:
            return None
        return (self.visit_cost + self.fixed_cost) / self.episodes


@dataclass(frozen=True)
class RoleHours:
    role: str
    hours: float
    cost_per_hour: float

    @property
    def cost(self) -> float:
        return self.hours * self.cost_per_hour


@dataclass(frozen=True)
class Economics:
    filters: ReportFilter
    months: list[CostMonth]
    roles: list[RoleHours]
    episodes: int
    measured_people: int  # ended at least 3 months ago: hours after the end measured
    measured_before: float  # their hours a week before admission, summed
    measured_after: float  # their hours a week at the latest point (12, 6 or 3 months), summed
    without_home_care: int  # ended under 3 months ago with no further home care: assumed
    assumed_hours_per_week: float  # their hours a week before admission, summed
    avoided_hours_per_week: float  # measured (before - after) plus assumed
    care_worker_cost: float
    home_care_saving: float  # the avoided hours over 12 months at the care worker's cost
    short_term_days_per_enrolment: float
    short_term_day_cost: float
    short_term_saving: float
    monthly_fixed_cost: float
    enrolments_per_month: float
    configured_break_even: int

    @property
    def visit_cost(self) -> float:
        return sum(month.visit_cost for month in self.months)

    @property
    def total_cost(self) -> float:
        return sum(month.visit_cost + month.fixed_cost for month in self.months if month.episodes)

    @property
    def cost_per_episode(self) -> float | None:
        return self.total_cost / self.episodes if self.episodes else None

    @property
    def saving_per_enrolment(self) -> float | None:
        if not self.episodes:
            return None
        return (self.home_care_saving + self.short_term_saving) / self.episodes

    @property
    def monthly_team_cost(self) -> float:
        """The fixed cost plus the staff hours of visits in an average month of the period."""
        return self.monthly_fixed_cost + self.visit_cost / len(self.months) if self.months else 0.0

    @property
    def break_even(self) -> float | None:
        if self.saving_per_enrolment is None:
            return None
        value = rules.break_even_enrolments(
            monthly_team_cost=self.monthly_team_cost,
            saving_per_enrolment=self.saving_per_enrolment,
        )
        return None if value == math.inf else value


def economics(*, staff: Staff, filters: ReportFilter) -> Economics:
    """Cost per episode (staff hours of the visits done at each role's hourly cost, plus the
    fixed team cost spread over the month's ended episodes) against the alternative: ordinary
    home care avoided over 12 months and short-term care days avoided; the break-even number of
    enrolments a month (team cost / saving per enrolment) against the actual inflow. Home care
    avoided is measured where the episode ended at least 3 months ago (hours before admission
    minus the hours of the decisions in force 12 months after the end, or at the latest point
    reached: 6 or 3 months); for the later ones it is assumed: all hours before of those who
    ended with no further home care."""
    settings = report_settings()
    ended = _came_home(_ended_in_period(staff=staff, filters=filters))
    costs = {cost.role: float(cost.cost_per_hour) for cost in RoleCost.objects.all()}
    # The minutes of the visits done, from their summary per episode and staff member.
    minutes = list(
        EpisodeStaffWork.objects.filter(episode__in=ended, minutes_done__gt=0)
        .annotate(month=TruncMonth("episode__ended_on"))
        .values("month", "staff__role")
        .annotate(minutes=Sum("minutes_done"))
        .values_list("month", "staff__role", "minutes")
        .order_by()
    )
    visit_cost: dict[datetime.date, float] = defaultdict(float)
    role_minutes: dict[str, float] = defaultdict(float)
    for month, role, spent in minutes:
        visit_cost[month] += rules.cost_per_hour(max(0, spent), costs.get(role, 0.0))
        role_minutes[role] += max(0, spent)
    episodes_by_month = dict(
        ended.annotate(month=TruncMonth("ended_on"))
        .values("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
        .order_by()
    )
    fixed = float(settings.monthly_team_cost)
    today = local_today()
    # A month the period (or today) cuts carries only its part of the fixed cost.
    last_day = min(filters.to_on, today)
    months = [
        CostMonth(
            month,
            episodes_by_month.get(month, 0),
            visit_cost.get(month, 0.0),
            fixed * rules.share_of_month(month, filters.from_on, last_day),
        )
        for month in rules.month_starts(filters.from_on, filters.to_on)
    ]
    first_point = min(days for _code, days in MEASURED_POINTS)
    # Ended with no further home care, too recently to measure: their hours are assumed.
    assumed_q = Q(end_reason__code=NO_FURTHER_HOME_CARE) & ~Q(
        ended_on__lte=today - datetime.timedelta(days=first_point)
    )
    measured, without = _hours_after_end(
        ended,
        today=today,
        points=MEASURED_POINTS,
        latest_only=True,
        extra={
            "count": Count("pk", filter=assumed_q),
            "hours": Sum("referral__home_care_hours_before", filter=assumed_q),
        },
    )
    measured_people = sum(people for people, _b, _a, _w in measured.values())
    measured_before = float(sum(before for _p, before, _a, _w in measured.values()))
    measured_after = float(sum(after for _p, _b, after, _w in measured.values()))
    care_worker_cost = costs.get(Staff.Role.CARE_WORKER, 0.0)
    assumed = float(without["hours"] or 0)
    avoided = measured_before - measured_after + assumed
    episodes = sum(episodes_by_month.values())
    enrolments = Decision.objects.filter(
        version=1,
        episode__in=filtered_episodes(staff=staff, filters=filters),
        start_on__range=(filters.from_on, filters.to_on),
    ).count()
    role_names = dict(Staff.Role.choices)
    return Economics(
        filters=filters,
        months=months,
        roles=[
            RoleHours(str(role_names.get(role, role)), spent / 60, costs.get(role, 0.0))
            for role, spent in sorted(role_minutes.items())
        ],
        episodes=episodes,
        measured_people=measured_people,
        measured_before=measured_before,
        measured_after=measured_after,
        without_home_care=without["count"],
        assumed_hours_per_week=assumed,
        avoided_hours_per_week=avoided,
        care_worker_cost=care_worker_cost,
        home_care_saving=rules.avoided_home_care_cost(
            hours_per_week=avoided, hourly_cost=care_worker_cost, weeks=WEEKS_A_YEAR
        ),
        short_term_days_per_enrolment=float(settings.short_term_days_avoided),
        short_term_day_cost=float(settings.short_term_day_cost),
        short_term_saving=episodes
        * float(settings.short_term_days_avoided)
        * float(settings.short_term_day_cost),
        monthly_fixed_cost=fixed,
        enrolments_per_month=enrolments / len(months) if months else 0.0,
        configured_break_even=settings.break_even_per_month,
    )
