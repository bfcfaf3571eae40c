"""Pure planning rules: which visits a service template gives on a day, which team does them,
and what is wrong with a proposed plan. No ORM: selectors turn rows into these values.

Times are whole minutes from 00:00 of the day, as in the planner's JSON format."""

import datetime
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

# The Trygg hemgång team works 07:00-15:30 every day (seed 004); visits outside go to the
# person's ordinary home-care group, done "with the person, not for them".
REABLEMENT_HOURS = (7 * 60, 15 * 60 + 30)
# Travel as the planner's haversine: great-circle km x detour / speed (format.md).
SPEED_KMH = 30.0
DETOUR = 1.3
EARTH_RADIUS_KM = 6371.0088
# Skills a role brings without a delegation. Licensed staff do HSL tasks themselves.
ROLE_SKILLS: dict[str, frozenset[str]] = {
    "nurse": frozenset({"hsl", "medication", "insulin", "wound_care"}),
    "ot": frozenset({"hsl", "rehab"}),
    "pt": frozenset({"hsl", "rehab"}),
    "rehab_assistant": frozenset({"rehab"}),
}
DELEGATION_EXPIRING_WITHIN_DAYS = 30
DELEGATION_MAX_DAYS = 366


def clock(minute: int) -> str:
    """08:05 for 485."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


# Generating visits


class GoesTo(StrEnum):
    REABLEMENT = "reablement"
    HOME_CARE = "home_care"


@dataclass(frozen=True)
class TemplateSpec:
    weekdays: tuple[int, ...]
    starts_on: datetime.date
    ends_on: datetime.date | None
    window_start: int
    window_end: int
    duration: int
    taper_after_days: int | None = None
    taper_to: int | None = None


@dataclass(frozen=True)
class VisitSpec:
    window_start: int
    window_end: int
    duration: int
    goes_to: GoesTo
    with_the_person: bool


def within_reablement_hours(window_start: int, window_end: int, duration: int) -> bool:
    """The whole visit, at any start in its window, lies in the team's hours."""
    start, end = REABLEMENT_HOURS
    return window_start >= start and window_end + duration <= end


def duration_on(spec: TemplateSpec, day: datetime.date) -> int:
    """The visit's length on a day: shorter from `taper_after_days` after the first day."""
    if (
        spec.taper_after_days is not None
        and spec.taper_to is not None
        and (day - spec.starts_on).days >= spec.taper_after_days
    ):
        return spec.taper_to
    return spec.duration


def visit_on(spec: TemplateSpec, day: datetime.date) -> VisitSpec | None:
    """The visit a template gives on a day, or None (not one of its weekdays, outside its
    dates). Outside the reablement team's hours it goes to home care, marked to be done with
    the person."""
    if day < spec.starts_on or (spec.ends_on is not None and day > spec.ends_on):
        return None
    if day.weekday() not in spec.weekdays:
        return None
    duration = duration_on(spec, day)
    inside = within_reablement_hours(spec.window_start, spec.window_end, duration)
    return VisitSpec(
        window_start=spec.window_start,
        window_end=spec.window_end,
        duration=duration,
        goes_to=GoesTo.REABLEMENT if inside else GoesTo.HOME_CARE,
        with_the_person=not inside,
    )


# Skills and delegations


@dataclass(frozen=True)
class DelegationSpan:
    task: str
    valid_from: datetime.date
    valid_to: datetime.date
    withdrawn_on: datetime.date | None


def delegation_valid_on(delegation: DelegationSpan, day: datetime.date) -> bool:
    """Valid from its first to its last day, and not from the day it is withdrawn."""
    if delegation.withdrawn_on is not None and delegation.withdrawn_on <= day:
        return False
    return delegation.valid_from <= day <= delegation.valid_to


def delegation_expiring(delegation: DelegationSpan, today: datetime.date) -> bool:
    """Still valid today and ends within 30 days: renew it in time."""
    until = today + datetime.timedelta(days=DELEGATION_EXPIRING_WITHIN_DAYS)
    return delegation_valid_on(delegation, today) and delegation.valid_to <= until


def skills_on(
    role: str, delegations: Iterable[DelegationSpan], day: datetime.date
) -> frozenset[str]:
    """What a staff member may do on a day: their role's skills and their valid delegations."""
    delegated = {d.task for d in delegations if delegation_valid_on(d, day)}
    return ROLE_SKILLS.get(role, frozenset()) | delegated


# Travel


def travel_minutes(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float:
    """Minutes between two homes (lat, lon), the planner's haversine; 0 when one is unknown."""
    if a is None or b is None or a == b:
        return 0.0
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
    return km * DETOUR / SPEED_KMH * 60.0


# Conflicts


class ConflictKind(StrEnum):
    DOUBLE_BOOKED = "double_booked"
    TRAVEL = "travel"
    CLIENT_OVERLAP = "client_overlap"
    SKILL_MISSING = "skill_missing"
    OUTSIDE_SHIFT = "outside_shift"
    WINDOW_MISSED = "window_missed"


@dataclass(frozen=True)
class PlannedVisit:
    """A visit as the conflict rules see it. `start` None: not yet placed in time."""

    id: str
    client: str
    team: str
    window: tuple[int, int]
    duration: int
    start: int | None
    staff: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    location: tuple[float, float] | None = None

    @property
    def end(self) -> int:
        return (self.start or 0) + self.duration


@dataclass(frozen=True)
class StaffDay:
    id: str
    name: str
    shift: tuple[int, int] | None
    skills: frozenset[str]


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    visits: tuple[str, ...]
    staff: str | None
    message: str


def _overlap(a: PlannedVisit, b: PlannedVisit) -> bool:
    return a.start is not None and b.start is not None and a.start < b.end and b.start < a.end


def _span(visit: PlannedVisit) -> str:
    return f"{clock(visit.start or 0)}–{clock(visit.end)}"


def _name(staff: Mapping[str, StaffDay], staff_id: str) -> str:
    return staff[staff_id].name if staff_id in staff else staff_id


def _window_conflicts(visit: PlannedVisit) -> list[Conflict]:
    assert visit.start is not None  # noqa: S101  (callers pass placed visits only)
    earliest, latest = visit.window
    if earliest <= visit.start <= latest:
        return []
    message = _("Starts at %(start)s, outside its window %(earliest)s–%(latest)s.") % {
        "start": clock(visit.start),
        "earliest": clock(earliest),
        "latest": clock(latest),
    }
    return [Conflict(ConflictKind.WINDOW_MISSED, (visit.id,), None, message)]


def _staff_conflicts(visit: PlannedVisit, member: StaffDay | None, staff_id: str) -> list[Conflict]:
    name = member.name if member is not None else staff_id
    conflicts = []
    if member is None or member.shift is None:
        message = _("%(name)s has no shift this day.") % {"name": name}
        conflicts.append(Conflict(ConflictKind.OUTSIDE_SHIFT, (visit.id,), staff_id, message))
    elif visit.start is not None and not (
        member.shift[0] <= visit.start and visit.end <= member.shift[1]
    ):
        message = _("%(span)s is outside %(name)s's shift %(start)s–%(end)s.") % {
            "span": _span(visit),
            "name": name,
            "start": clock(member.shift[0]),
            "end": clock(member.shift[1]),
        }
        conflicts.append(Conflict(ConflictKind.OUTSIDE_SHIFT, (visit.id,), staff_id, message))
    held = member.skills if member is not None else frozenset()
    missing = sorted(set(visit.skills) - held)
    if missing:
        message = _("%(name)s lacks %(skills)s (a valid delegation or the role).") % {
            "name": name,
            "skills": ", ".join(missing),
        }
        conflicts.append(Conflict(ConflictKind.SKILL_MISSING, (visit.id,), staff_id, message))
    return conflicts


def _route_conflicts(
    staff_id: str, route: list[PlannedVisit], staff: Mapping[str, StaffDay]
) -> list[Conflict]:
    """Double bookings and impossible travel on one staff member's day, in start order."""
    conflicts = []
    name = _name(staff, staff_id)
    ordered = sorted(route, key=lambda v: (v.start or 0, v.id))
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            if _overlap(first, second):
                message = _("%(name)s is booked twice: %(first)s and %(second)s.") % {
                    "name": name,
                    "first": _span(first),
                    "second": _span(second),
                }
                conflicts.append(
                    Conflict(ConflictKind.DOUBLE_BOOKED, (first.id, second.id), staff_id, message)
                )
    for first, second in itertools.pairwise(ordered):
        if _overlap(first, second):
            continue
        needed = travel_minutes(first.location, second.location)
        gap = (second.start or 0) - first.end
        if needed > gap:
            message = _(
                "%(name)s cannot travel in time: %(needed)d minutes needed, %(gap)d between "
                "%(first)s and %(second)s."
            ) % {
                "name": name,
                "needed": math.ceil(needed),
                "gap": gap,
                "first": _span(first),
                "second": _span(second),
            }
            conflicts.append(
                Conflict(ConflictKind.TRAVEL, (first.id, second.id), staff_id, message)
            )
    return conflicts


def _client_conflicts(visits: list[PlannedVisit]) -> list[Conflict]:
    """The person gets two visits at the same time (the collision of seed 002)."""
    conflicts = []
    ordered = sorted(visits, key=lambda v: (v.start or 0, v.id))
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            if not _overlap(first, second):
                continue
            if first.team != second.team:
                message = _(
                    "The person gets two visits at once: %(first)s (%(first_team)s) and "
                    "%(second)s (%(second_team)s)."
                ) % {
                    "first": _span(first),
                    "first_team": first.team,
                    "second": _span(second),
                    "second_team": second.team,
                }
            else:
                message = _("The person gets two visits at once: %(first)s and %(second)s.") % {
                    "first": _span(first),
                    "second": _span(second),
                }
            conflicts.append(
                Conflict(ConflictKind.CLIENT_OVERLAP, (first.id, second.id), None, message)
            )
    return conflicts


def find_conflicts(visits: Sequence[PlannedVisit], staff: Mapping[str, StaffDay]) -> list[Conflict]:
    """Everything wrong with a day's plan: windows missed, staff outside their shift or without
    the skill, staff double-booked or unable to travel in time, a person with two visits at
    once. Visits not yet placed in time take part in none of these."""
    placed = [visit for visit in visits if visit.start is not None]
    conflicts: list[Conflict] = []
    routes: dict[str, list[PlannedVisit]] = defaultdict(list)
    by_client: dict[str, list[PlannedVisit]] = defaultdict(list)
    for visit in placed:
        conflicts += _window_conflicts(visit)
        for staff_id in visit.staff:
            conflicts += _staff_conflicts(visit, staff.get(staff_id), staff_id)
            routes[staff_id].append(visit)
        by_client[visit.client].append(visit)
    for staff_id in sorted(routes):
        conflicts += _route_conflicts(staff_id, routes[staff_id], staff)
    for client in sorted(by_client):
        conflicts += _client_conflicts(by_client[client])
    return conflicts


def conflicts_of(conflicts: Iterable[Conflict], visit_id: str) -> list[Conflict]:
    """The conflicts a visit takes part in."""
    return [conflict for conflict in conflicts if visit_id in conflict.visits]


def replace_visit(visits: Sequence[PlannedVisit], proposed: PlannedVisit) -> list[PlannedVisit]:
    """The day's visits with one visit as proposed (a new start or new staff)."""
    return [proposed if visit.id == proposed.id else visit for visit in visits]


# Continuity


def distinct_staff(
    assignments: Iterable[tuple[datetime.date, str]], since: datetime.date | None
) -> int:
    """The number of different staff who came (the national continuity measure counts the last
    14 days); `since` None counts the whole episode."""
    return len({staff for day, staff in assignments if since is None or day >= since})


# The day plan's timeline: one grid column per 15 minutes from 06:00 to 23:00.

TIMELINE_START = 6 * 60
TIMELINE_END = 23 * 60
SLOT_MINUTES = 15
TIMELINE_SLOTS = (TIMELINE_END - TIMELINE_START) // SLOT_MINUTES


def timeline_columns(start: int, duration: int) -> tuple[int, int]:
    """(first slot, number of slots), 1-based, clamped to the timeline: the CSS classes
    tl-cN / tl-wN place the block."""
    first = max(0, min(start - TIMELINE_START, TIMELINE_END - TIMELINE_START - SLOT_MINUTES))
    first_slot = first // SLOT_MINUTES
    last = max(start + duration - TIMELINE_START, first + 1)
    last_slot = min(math.ceil(last / SLOT_MINUTES), TIMELINE_SLOTS)
    return first_slot + 1, max(1, last_slot - first_slot)


def spread_weekdays(times_per_week: int) -> list[int]:
    """Weekdays (0 = Monday) for a number of visits a week, spread evenly from Monday:
    1 -> Mon, 2 -> Mon Thu, 3 -> Mon Wed Fri, 7 or more -> every day."""
    count = min(max(times_per_week, 1), 7)
    return sorted({(index * 7) // count for index in range(count)})
