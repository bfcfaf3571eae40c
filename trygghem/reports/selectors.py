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
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import TruncMonth
from django.utils.timezone import get_current_timezone

from trygghem.core.time import local_date, local_today
from trygghem.decisions.models import Decision
from trygghem.episodes.access import episodes_visible_to
from trygghem.episodes.models import Episode, Program
from trygghem.fees.models import FeeRule
from trygghem.fees.rules import MonthlyFee, Usage, monthly_fee
from trygghem.fees.selectors import monthly_max_for, terms_of
from trygghem.people.models import Person
from trygghem.referrals.models import Referral
from trygghem.reports import rules
from trygghem.reports.models import ProgramFee, ReportSettings, TeamCapacity
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


@dataclass(frozen=True)
class HomeCareHours:
    people: int
    mean_before: Decimal | None
    none_before: Share | None
    bins: list[tuple[str, int]]


def home_care_hours(*, staff: Staff, filters: ReportFilter) -> HomeCareHours:
    """Home-care hours a week before admission of the people who came home in the period. The
    hours at handover and after 3/6/12 months are not recorded yet, so none are shown."""
    came_home = _came_home(filtered_episodes(staff=staff, filters=filters)).filter(
        **_home_between(filters.from_on, filters.to_on)
    )
    totals = came_home.aggregate(
        people=Count("pk"),
        mean=Avg("referral__home_care_hours_before"),
        **{f"bin{index}": Count("pk", filter=q) for index, (_l, q) in enumerate(HOURS_BINS)},
    )
    mean = totals["mean"]
    return HomeCareHours(
        people=totals["people"],
        mean_before=None if mean is None else Decimal(mean).quantize(Decimal("0.1")),
        none_before=share_of(totals["bin0"], totals["people"]),
        bins=[(label, totals[f"bin{index}"]) for index, (label, _q) in enumerate(HOURS_BINS)],
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
    return [
        FeeBasis(
            person=person,
            month=month,
            days=dict(per_rule),
            fee=monthly_fee(
                [Usage(rule.code, terms_of(rule), days=count) for rule, count in per_rule.items()],
                monthly_max=max_fee.monthly_max,
            ),
        )
        for person, per_rule in days.items()
    ]
