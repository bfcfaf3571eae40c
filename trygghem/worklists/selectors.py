"""What the start page lists per role. Each list is limited to what the staff member may see."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from trygghem.decisions.models import Decision
from trygghem.episodes.access import episodes_visible_to
from trygghem.episodes.models import Episode, FollowUp, Program
from trygghem.episodes.rules import DECISION_ENDING_WITHIN_DAYS, FOLLOW_UP_DUE_WITHIN_DAYS
from trygghem.staff.models import Staff

Status = Episode.Status
ENROLLED = [Status.DECIDED, Status.ACTIVE, Status.FOLLOW_UP_HELD]


def _running_decisions(staff: Staff) -> QuerySet[Decision]:
    return Decision.objects.filter(
        is_current=True,
        terminated_on__isnull=True,
        episode__in=episodes_visible_to(staff),
        episode__status__in=ENROLLED,
    ).select_related("episode", "person", "program")


def _not_followed_up(staff: Staff) -> QuerySet[Decision]:
    """Running decisions with no follow-up recorded after the version was decided, nor held on
    or after its follow-up date (the same rule as episodes.selectors.is_followed_up)."""
    followed_up = FollowUp.objects.filter(
        Q(created_at__gt=OuterRef("created_at")) | Q(held_on__gte=OuterRef("follow_up_on")),
        episode=OuterRef("episode"),
    )
    return _running_decisions(staff).filter(~Exists(followed_up))


def overdue_follow_ups(*, staff: Staff, today: datetime.date) -> list[Decision]:
    """Decisions whose follow-up date has passed with no follow-up held."""
    return list(_not_followed_up(staff).filter(follow_up_on__lt=today).order_by("follow_up_on"))


def due_follow_ups(*, staff: Staff, today: datetime.date) -> list[Decision]:
    until = today + datetime.timedelta(days=FOLLOW_UP_DUE_WITHIN_DAYS)
    return list(
        _not_followed_up(staff)
        .filter(follow_up_on__gte=today, follow_up_on__lte=until)
        .order_by("follow_up_on")
    )


def decisions_ending_soon(*, staff: Staff, today: datetime.date) -> list[Decision]:
    """Decisions that end within three days: extend, adjust or end them in time."""
    until = today + datetime.timedelta(days=DECISION_ENDING_WITHIN_DAYS)
    return list(
        _running_decisions(staff).filter(end_on__gte=today, end_on__lte=until).order_by("end_on")
    )


def new_referrals(*, staff: Staff) -> list[Episode]:
    return list(
        episodes_visible_to(staff)
        .filter(status=Status.REFERRED)
        .select_related("person", "referral", "program")
        .order_by("referral__received_on", "created_at")
    )


def current_episodes(*, staff: Staff) -> list[Episode]:
    """People enrolled right now in the staff member's teams."""
    return list(
        episodes_visible_to(staff)
        .filter(status__in=ENROLLED)
        .select_related("person", "program")
        .order_by("person__last_name", "person__first_name")
    )


@dataclass(frozen=True)
class Counts:
    name: str
    referred: int
    enrolled: int
    ended_last_30_days: int


def _counts(episodes: QuerySet[Episode], today: datetime.date) -> dict[str, int]:
    since = today - datetime.timedelta(days=30)
    return episodes.aggregate(
        referred=Count("pk", filter=Q(status=Status.REFERRED)),
        enrolled=Count("pk", filter=Q(status__in=ENROLLED)),
        ended_last_30_days=Count("pk", filter=Q(status=Status.ENDED, ended_on__gte=since)),
    )


def counts_per_program(*, staff: Staff, today: datetime.date) -> list[Counts]:
    visible = episodes_visible_to(staff)
    return [
        Counts(name=program.name, **_counts(visible.filter(program=program), today))
        for program in Program.objects.filter(active=True)
    ]


def counts_per_team(*, staff: Staff, today: datetime.date) -> list[Counts]:
    return [
        Counts(name=team.name, **_counts(Episode.objects.filter(teams=team), today))
        for team in staff.teams.all()
    ]
