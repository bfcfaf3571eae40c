"""Rehab plans and devices brought to a state through the real services."""

import datetime

from trygghem.core.time import local_today
from trygghem.episodes.models import Episode
from trygghem.rehab.models import AssistiveDevice, Goal, PlanAction, RehabPlan
from trygghem.rehab.services import (
    FactorDetails,
    TrainingDetails,
    add_action,
    add_goal,
    create_rehab_plan,
    deliver_device,
    register_device,
)
from trygghem.staff.models import Staff


def rehab_plan(*, episode: Episode, by: Staff) -> RehabPlan:
    """A plan made today with one resource and one barrier, reviewed again in five days."""
    return create_rehab_plan(
        episode=episode,
        impairments="Nedsatt balans och uthållighet.",
        activity_limitations="Svårt att duscha och handla själv.",
        factors=[
            FactorDetails(kind="environmental", text="Dottern bor nära.", is_resource=True),
            FactorDetails(kind="personal", text="Rädd för att falla.", is_resource=False),
        ],
        next_review_on=local_today() + datetime.timedelta(days=5),
        by=by,
    )


def main_goal(*, plan: RehabPlan, by: Staff, days: int = 8) -> Goal:
    return add_goal(
        plan=plan,
        own_words="Jag vill kunna duscha själv.",
        activity="Duscha",
        icf_code="d510",
        target="Duschar själv med duschpall.",
        target_on=local_today() + datetime.timedelta(days=days),
        parent=None,
        by=by,
    )


def training_action(
    *, plan: RehabPlan, goal: Goal, by: Staff, until_on: datetime.date | None = None
) -> PlanAction:
    return add_action(
        plan=plan,
        goal=goal,
        what="Balansträning i badrummet",
        who="pt",
        times_per_week=3,
        until_on=until_on or local_today() + datetime.timedelta(days=8),
        training=TrainingDetails(
            window_start=datetime.time(9),
            window_end=datetime.time(11),
            duration_minutes=30,
            performed_by="rehab_assistant",
        ),
        by=by,
    )


def delivered_device(
    *, episode: Episode, by: Staff, delivered_on: datetime.date
) -> AssistiveDevice:
    """A shower stool the municipal rehab team prescribed and delivered."""
    device = register_device(
        episode=episode,
        device_type=None,
        description="Duschpall",
        prescribed_by=AssistiveDevice.Prescriber.MUNICIPAL_REHAB,
        prescribed_on=delivered_on,
        by=by,
    )
    return deliver_device(device=device, delivered_on=delivered_on, by=by)
