import datetime
import uuid
from decimal import Decimal

from django.db.models import QuerySet

from trygghem.decisions.models import Decision, HomeCareDecision
from trygghem.decisions.rules import Period
from trygghem.episodes.models import Episode
from trygghem.people.models import Person


def current_decision(*, episode: Episode) -> Decision | None:
    """The episode's decision in force: the newest version of its series."""
    return (
        Decision.objects.filter(episode=episode, is_current=True)
        .select_related("program")
        .order_by("-start_on")
        .first()
    )


def decision_versions(*, episode: Episode) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(episode=episode)
        .select_related("decided_by__user", "program")
        .order_by("-created_at", "-version")
    )


def running_periods(
    *, person: Person, exclude_series: uuid.UUID | None = None
) -> list[tuple[str, Period]]:
    """The periods of the person's decisions that are in force, for the overlap rule."""
    decisions = Decision.objects.filter(person=person, is_current=True).select_related("program")
    if exclude_series is not None:
        decisions = decisions.exclude(series=exclude_series)
    return [
        (decision.program.name, Period(decision.start_on, decision.effective_end_on))
        for decision in decisions
        if decision.terminated_on is None or decision.terminated_on >= decision.start_on
    ]


def home_care_decisions(*, person: Person) -> QuerySet[HomeCareDecision]:
    """The person's ordinary home-care decisions, the latest first."""
    return (
        HomeCareDecision.objects.filter(person=person)
        .select_related("decided_by__user", "episode__program")
        .order_by("-start_on", "-created_at")
    )


def home_care_periods(
    *, person: Person, exclude: HomeCareDecision | None = None
) -> list[tuple[Decimal, datetime.date, datetime.date | None]]:
    """Hours and period of each of the person's home-care decisions, for the overlap rule."""
    decisions = HomeCareDecision.objects.filter(person=person)
    if exclude is not None:
        decisions = decisions.exclude(pk=exclude.pk)
    return list(decisions.order_by("start_on").values_list("hours_per_week", "start_on", "end_on"))
