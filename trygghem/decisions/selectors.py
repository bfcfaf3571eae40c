import uuid

from django.db.models import QuerySet

from trygghem.decisions.models import Decision
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
