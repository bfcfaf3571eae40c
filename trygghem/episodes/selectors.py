from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from trygghem.core.time import local_today
from trygghem.episodes import rules
from trygghem.episodes.models import Episode, FollowUp, ImplementationPlan, Transition

if TYPE_CHECKING:
    from trygghem.decisions.models import Decision


def transitions(*, episode: Episode) -> QuerySet[Transition]:
    return episode.transitions.select_related("by__user").order_by("at", "id")


def follow_ups(*, episode: Episode) -> QuerySet[FollowUp]:
    return episode.follow_ups.select_related("recorded_by__user").order_by("held_on", "created_at")


def implementation_plan(*, episode: Episode) -> ImplementationPlan | None:
    return (
        ImplementationPlan.objects.filter(episode=episode)
        .select_related("receiving_team", "written_by__user")
        .prefetch_related("services")
        .first()
    )


def is_followed_up(*, decision: "Decision") -> bool:
    """A decision version counts as followed up when a follow-up was recorded after it was
    decided, or was held on or after its follow-up date."""
    return FollowUp.objects.filter(
        Q(created_at__gt=decision.created_at) | Q(held_on__gte=decision.follow_up_on),
        episode_id=decision.episode_id,
    ).exists()


def follow_up_state(*, episode: Episode, decision: "Decision | None") -> str | None:
    if decision is None or not episode.is_open or decision.terminated_on is not None:
        return None
    return rules.follow_up_state(
        follow_up_on=decision.follow_up_on,
        today=local_today(),
        followed_up=is_followed_up(decision=decision),
    )
