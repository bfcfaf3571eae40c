import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from trygghem.people.access import people_visible_to
from trygghem.people.models import Person
from trygghem.rehab.models import AssistiveDevice, Goal, GoalAttainment, PlanReview, RehabPlan
from trygghem.rehab.rules import DEVICE_FOLLOW_UP_SHOWN_DAYS_BEFORE
from trygghem.staff.models import Staff


def rehab_plan(*, episode_id: int) -> RehabPlan | None:
    return (
        RehabPlan.objects.filter(episode_id=episode_id)
        .select_related("written_by__user", "episode__person")
        .first()
    )


@dataclass(frozen=True)
class GoalTree:
    goal: Goal
    sub_goals: list[Goal]


def goal_tree(*, plan: RehabPlan) -> list[GoalTree]:
    """Main goals, each with its sub-goals and their actions, in target-date order."""
    goals = list(plan.goals.prefetch_related("actions").order_by("target_on", "created_at", "id"))
    return [
        GoalTree(goal=goal, sub_goals=[sub for sub in goals if sub.parent_id == goal.pk])
        for goal in goals
        if goal.is_main
    ]


def reviews(*, plan: RehabPlan) -> QuerySet[PlanReview]:
    return plan.reviews.select_related("reviewed_by__user").prefetch_related(
        Prefetch("attainments", queryset=GoalAttainment.objects.select_related("goal"))
    )


def devices_for_person(*, person: Person) -> QuerySet[AssistiveDevice]:
    return (
        AssistiveDevice.objects.filter(person=person)
        .select_related("device_type", "prescriber__user")
        .order_by("-prescribed_on", "-created_at")
    )


def device_follow_ups_due(*, staff: Staff, today: datetime.date) -> list[AssistiveDevice]:
    """Delivered devices the staff member prescribed (or registered, when prescribed outside
    the municipality) whose follow-up is due within two days or overdue."""
    until = today + datetime.timedelta(days=DEVICE_FOLLOW_UP_SHOWN_DAYS_BEFORE)
    return list(
        AssistiveDevice.objects.filter(
            Q(prescriber=staff) | Q(prescriber__isnull=True, registered_by=staff),
            person__in=people_visible_to(staff),
            follow_up_due_on__lte=until,
            followed_up_on__isnull=True,
            returned_on__isnull=True,
        )
        .select_related("person", "device_type", "episode")
        .order_by("follow_up_due_on", "created_at")
    )
