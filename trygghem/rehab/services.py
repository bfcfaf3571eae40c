"""Writes for the rehab plan and assistive devices. Each takes the actor, locks the row it
changes (so a double submission meets the new state and is refused), validates, saves and
writes the change log; the plan's events also record their KVÅ code."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygghem.audit.services import record_change
from trygghem.core.time import local_date, local_today
from trygghem.decisions.selectors import current_decision
from trygghem.episodes.models import Episode
from trygghem.episodes.services import lock_episode
from trygghem.rehab import rules
from trygghem.rehab.models import (
    DEFAULT_DEVICE_FOLLOW_UP_DAYS,
    AssistiveDevice,
    DeviceType,
    Goal,
    GoalAttainment,
    KvaEvent,
    PlanAction,
    PlanFactor,
    PlanReview,
    RehabPlan,
)
from trygghem.staff.models import Staff
from trygghem.staff.rules import Action, check_may

_AT_HOME = {Episode.Status.ACTIVE, Episode.Status.FOLLOW_UP_HELD}


@dataclass(frozen=True)
class FactorDetails:
    kind: str
    text: str
    is_resource: bool


@dataclass(frozen=True)
class TrainingDetails:
    """What the planning app needs to schedule a prescribed training action."""

    window_start: datetime.time
    window_end: datetime.time
    duration_minutes: int
    performed_by: str


def _lock_plan(plan: RehabPlan) -> RehabPlan:
    locked = RehabPlan.objects.select_for_update().select_related("episode__person").get(pk=plan.pk)
    if locked.is_closed:
        raise ValidationError(_("The rehab plan is closed."), code="plan_closed")
    return locked


def _mark_changed(plan: RehabPlan) -> None:
    """A change on a later day than the plan was made or last followed up revises the plan;
    goals and actions written on the day it was made are part of making it."""
    last_event_on = plan.kva_events.order_by("-on", "-id").values_list("on", flat=True).first()
    if (
        last_event_on is not None
        and local_today() > last_event_on
        and not plan.changed_since_review
    ):
        plan.changed_since_review = True
        plan.save(update_fields=["changed_since_review"])


def _factors(plan: RehabPlan, factors: list[FactorDetails]) -> list[PlanFactor]:
    filled = [factor for factor in factors if factor.text.strip()]
    if any(factor.kind not in PlanFactor.Kind.values for factor in filled):
        raise ValidationError(_("Choose the kind of each factor."), code="invalid_factor_kind")
    return [
        PlanFactor(
            plan=plan,
            kind=factor.kind,
            text=factor.text.strip(),
            is_resource=factor.is_resource,
            order=index,
        )
        for index, factor in enumerate(filled)
    ]


def _check_next_review(next_review_on: datetime.date | None, today: datetime.date) -> None:
    if next_review_on is not None and next_review_on < today:
        raise ValidationError(
            {
                "next_review_on": ValidationError(
                    _("The next review cannot be in the past."), code="date_in_past"
                )
            }
        )


@transaction.atomic
def create_rehab_plan(
    *,
    episode: Episode,
    impairments: str,
    activity_limitations: str,
    factors: list[FactorDetails],
    next_review_on: datetime.date | None,
    by: Staff,
) -> RehabPlan:
    """Make the rehab plan with the person once they are home (KVÅ AW020). One plan per
    episode; the OT or PT writes it (Socialstyrelsen, seed 001)."""
    check_may(by, Action.WRITE_REHAB_PLAN)
    episode = lock_episode(episode)
    if episode.status not in _AT_HOME:
        raise ValidationError(
            _("A rehab plan is made once the person is home and before the episode ends."),
            code="episode_not_at_home",
        )
    if RehabPlan.objects.filter(episode=episode).exists():
        raise ValidationError(_("The episode already has a rehab plan."), code="plan_exists")
    today = local_today()
    _check_next_review(next_review_on, today)
    plan = RehabPlan(
        episode=episode,
        written_by=by,
        impairments=impairments.strip(),
        activity_limitations=activity_limitations.strip(),
        next_review_on=next_review_on,
    )
    rows = _factors(plan, factors)
    plan.save()
    PlanFactor.objects.bulk_create(rows)
    KvaEvent.objects.create(plan=plan, code=KvaEvent.Code.AW020, on=today, by=by)
    record_change(
        by=by,
        person=episode.person,
        action="rehab_plan.created",
        detail={"plan": str(plan.external_id), "kva": KvaEvent.Code.AW020},
    )
    return plan


@transaction.atomic
def update_rehab_plan(
    *,
    plan: RehabPlan,
    impairments: str,
    activity_limitations: str,
    factors: list[FactorDetails],
    next_review_on: datetime.date | None,
    by: Staff,
) -> RehabPlan:
    """Rewrite the plan's assessment summary and its factors, and the next review date."""
    check_may(by, Action.WRITE_REHAB_PLAN)
    plan = _lock_plan(plan)
    _check_next_review(next_review_on, local_today())
    rows = _factors(plan, factors)
    plan.impairments = impairments.strip()
    plan.activity_limitations = activity_limitations.strip()
    plan.next_review_on = next_review_on
    plan.save(update_fields=["impairments", "activity_limitations", "next_review_on"])
    _mark_changed(plan)
    plan.factors.all().delete()
    PlanFactor.objects.bulk_create(rows)
    record_change(
        by=by,
        person=plan.episode.person,
        action="rehab_plan.updated",
        detail={"plan": str(plan.external_id)},
    )
    return plan


def _decision_period(episode: Episode) -> tuple[datetime.date, datetime.date]:
    decision = current_decision(episode=episode)
    if decision is None:  # pragma: no cover - an episode at home has a decision
        raise ValidationError(_("The episode has no decision."), code="no_decision")
    return decision.start_on, decision.effective_end_on


@transaction.atomic
def add_goal(
    *,
    plan: RehabPlan,
    own_words: str,
    activity: str,
    icf_code: str,
    target: str,
    target_on: datetime.date,
    parent: Goal | None,
    by: Staff,
) -> Goal:
    """Add a main goal, or a sub-goal of a main goal, in the person's own words. The target date
    lies within the decision period and a sub-goal is reached no later than its main goal."""
    check_may(by, Action.WRITE_REHAB_PLAN)
    plan = _lock_plan(plan)
    if not own_words.strip():
        raise ValidationError(
            {
                "own_words": ValidationError(
                    _("Write the goal in the person's own words."), code="own_words_required"
                )
            }
        )
    code = rules.normalise_icf_code(icf_code)
    first, last = _decision_period(plan.episode)
    rules.check_within(
        target_on,
        first=max(first, local_today()),
        last=last,
        field="target_on",
        message=_("The target date must lie between today and the end of the decision (%(end)s).")
        % {"end": last.isoformat()},
        code="target_outside_decision",
    )
    if parent is not None:
        if parent.plan_id != plan.pk or not parent.is_main:
            raise ValidationError(
                {"parent": ValidationError(_("Choose a main goal of this plan."), code="invalid")}
            )
        if target_on > parent.target_on:
            raise ValidationError(
                {
                    "target_on": ValidationError(
                        _("A sub-goal is reached no later than its main goal."),
                        code="after_main_goal",
                    )
                }
            )
    if plan.goals.filter(own_words=own_words.strip(), activity=activity.strip()).exists():
        raise ValidationError(_("The plan already has this goal."), code="duplicate_goal")
    _mark_changed(plan)
    goal = Goal.objects.create(
        plan=plan,
        is_main=parent is None,
        parent=parent,
        own_words=own_words.strip(),
        activity=activity.strip(),
        icf_code=code,
        target=target.strip(),
        target_on=target_on,
        added_by=by,
    )
    record_change(
        by=by,
        person=plan.episode.person,
        action="rehab_plan.goal_added",
        detail={"goal": str(goal.external_id), "icf": code, "main": goal.is_main},
    )
    return goal


@transaction.atomic
def add_action(
    *,
    plan: RehabPlan,
    goal: Goal,
    what: str,
    who: str,
    times_per_week: int,
    until_on: datetime.date,
    training: TrainingDetails | None,
    by: Staff,
) -> PlanAction:
    """Add an action towards a goal: what, who is responsible (the person too, as self-care), how
    often and until when. A prescribed training action also carries what the shared plan needs
    to schedule it: time window, duration and who may carry it out."""
    check_may(by, Action.WRITE_REHAB_PLAN)
    plan = _lock_plan(plan)
    if goal.plan_id != plan.pk:
        raise ValidationError(
            {"goal": ValidationError(_("Choose a goal of this plan."), code="invalid")}
        )
    if who not in PlanAction.Who.values:
        raise ValidationError(
            {"who": ValidationError(_("Choose who does it."), code="invalid_choice")}
        )
    if not 1 <= times_per_week <= 21:
        raise ValidationError(
            {
                "times_per_week": ValidationError(
                    _("Give how many times a week, from 1 to 21."), code="invalid_frequency"
                )
            }
        )
    today = local_today()
    last = _decision_period(plan.episode)[1]
    rules.check_within(
        until_on,
        first=today,
        last=last,
        field="until_on",
        message=_("The action runs from today until at most the end of the decision (%(end)s).")
        % {"end": last.isoformat()},
        code="until_outside_decision",
    )
    if training is not None:
        _check_training(training)
    if plan.actions.filter(goal=goal, what=what.strip(), who=who).exists():
        raise ValidationError(_("The plan already has this action."), code="duplicate_action")
    _mark_changed(plan)
    action = PlanAction.objects.create(
        plan=plan,
        goal=goal,
        what=what.strip(),
        who=who,
        times_per_week=times_per_week,
        until_on=until_on,
        is_training=training is not None,
        window_start=training.window_start if training else None,
        window_end=training.window_end if training else None,
        duration_minutes=training.duration_minutes if training else None,
        performed_by=training.performed_by if training else "",
        added_by=by,
    )
    record_change(
        by=by,
        person=plan.episode.person,
        action="rehab_plan.action_added",
        detail={
            "action": str(action.external_id),
            "goal": str(goal.external_id),
            "who": who,
            "training": action.is_training,
        },
    )
    return action


def _check_training(training: TrainingDetails) -> None:
    if training.performed_by not in PlanAction.Performer.values:
        raise ValidationError(
            {
                "performed_by": ValidationError(
                    _("Choose who may carry out the training."), code="invalid_choice"
                )
            }
        )
    if training.window_end <= training.window_start:
        raise ValidationError(
            {
                "window_end": ValidationError(
                    _("The time window must end after it starts."), code="window_reversed"
                )
            }
        )
    start = datetime.datetime.combine(datetime.date.min, training.window_start)
    end = datetime.datetime.combine(datetime.date.min, training.window_end)
    window_minutes = (end - start).total_seconds() // 60
    if not 5 <= training.duration_minutes <= window_minutes:
        raise ValidationError(
            {
                "duration_minutes": ValidationError(
                    _("The training takes at least 5 minutes and fits in its time window."),
                    code="duration_outside_window",
                )
            }
        )


@transaction.atomic
def review_plan(
    *,
    plan: RehabPlan,
    reviewed_on: datetime.date,
    attainments: dict[Goal, str],
    note: str,
    next_review_on: datetime.date | None,
    by: Staff,
) -> PlanReview:
    """Follow up the plan with the person: every goal's attainment. KVÅ AW027 when the plan was
    revised (a goal changed, or the plan changed on a later day than it was made or last followed
    up), AW024 when it was followed up without changes."""
    check_may(by, Action.WRITE_REHAB_PLAN)
    plan = _lock_plan(plan)
    today = local_today()
    if reviewed_on > today:
        raise ValidationError(
            {
                "reviewed_on": ValidationError(
                    _("The date cannot be in the future."), code="future_date"
                )
            }
        )
    if reviewed_on < local_date(plan.created_at):
        raise ValidationError(
            {
                "reviewed_on": ValidationError(
                    _("The plan cannot be reviewed before it was made."),
                    code="review_before_plan",
                )
            }
        )
    goals = list(plan.goals.all())
    if not goals:
        raise ValidationError(_("Add a goal before reviewing the plan."), code="no_goals")
    given = {goal.pk: level for goal, level in attainments.items() if goal.plan_id == plan.pk}
    valid = set(GoalAttainment.Level.values)
    if any(given.get(goal.pk) not in valid for goal in goals):
        raise ValidationError(_("Give the attainment of every goal."), code="attainment_missing")
    if plan.reviews.filter(reviewed_on=reviewed_on).exists():
        raise ValidationError(
            _("The plan was already reviewed on this day."), code="duplicate_review"
        )
    _check_next_review(next_review_on, today)
    revised = plan.changed_since_review or GoalAttainment.Level.CHANGED in given.values()
    review = PlanReview.objects.create(
        plan=plan, reviewed_on=reviewed_on, note=note.strip(), revised=revised, reviewed_by=by
    )
    GoalAttainment.objects.bulk_create(
        GoalAttainment(review=review, goal=goal, level=given[goal.pk]) for goal in goals
    )
    plan.next_review_on = next_review_on
    plan.changed_since_review = False
    plan.save(update_fields=["next_review_on", "changed_since_review"])
    code = rules.kva_code_for_review(revised=revised)
    KvaEvent.objects.create(plan=plan, code=code, on=reviewed_on, by=by)
    record_change(
        by=by,
        person=plan.episode.person,
        action="rehab_plan.reviewed",
        detail={"review": str(review.external_id), "kva": code},
    )
    return review


@transaction.atomic
def close_plan(*, plan: RehabPlan, closed_on: datetime.date, by: Staff) -> RehabPlan:
    """Close the rehab plan when the rehabilitation ends with the episode (KVÅ AW035)."""
    check_may(by, Action.WRITE_REHAB_PLAN)
    plan = _lock_plan(plan)
    earliest = local_date(plan.created_at)
    last_review = plan.reviews.order_by("-reviewed_on").first()
    if last_review is not None:
        earliest = max(earliest, last_review.reviewed_on)
    rules.check_within(
        closed_on,
        first=earliest,
        last=local_today(),
        field="closed_on",
        message=_("The plan is closed between its last review and today."),
        code="closed_on_out_of_order",
    )
    plan.closed_on = closed_on
    plan.closed_by = by
    plan.next_review_on = None
    plan.save(update_fields=["closed_on", "closed_by", "next_review_on"])
    KvaEvent.objects.create(plan=plan, code=KvaEvent.Code.AW035, on=closed_on, by=by)
    record_change(
        by=by,
        person=plan.episode.person,
        action="rehab_plan.closed",
        detail={"plan": str(plan.external_id), "kva": KvaEvent.Code.AW035},
    )
    return plan


# Assistive devices


@transaction.atomic
def register_device(
    *,
    episode: Episode,
    device_type: DeviceType | None,
    description: str,
    prescribed_by: str,
    prescribed_on: datetime.date,
    by: Staff,
) -> AssistiveDevice:
    """Register an assistive device the person has been prescribed. The hospital prescribes
    for the primary needs in the first days after discharge; after that primary care or the
    municipal rehab team does (Hofors brochure). A municipal prescription names its OT/PT."""
    check_may(by, Action.MANAGE_ASSISTIVE_DEVICES)
    episode = lock_episode(episode)
    if device_type is None and not description.strip():
        raise ValidationError(
            {"device_type": ValidationError(_("Choose or name the device."), code="required")}
        )
    if device_type is not None and not device_type.active:
        raise ValidationError(
            {
                "device_type": ValidationError(
                    _("Choose one of the listed devices."), code="inactive_type"
                )
            }
        )
    if prescribed_by not in AssistiveDevice.Prescriber.values:
        raise ValidationError(
            {
                "prescribed_by": ValidationError(
                    _("Choose who prescribed it."), code="invalid_choice"
                )
            }
        )
    if prescribed_on > local_today():
        raise ValidationError(
            {
                "prescribed_on": ValidationError(
                    _("The date cannot be in the future."), code="future_date"
                )
            }
        )
    home_on = local_date(episode.home_at) if episode.home_at is not None else None
    if prescribed_by == AssistiveDevice.Prescriber.HOSPITAL and not (
        rules.hospital_prescription_in_time(prescribed_on=prescribed_on, home_on=home_on)
    ):
        raise ValidationError(
            {
                "prescribed_by": ValidationError(
                    _(
                        "The hospital prescribes only in the first days after discharge; "
                        "after that primary care or municipal rehab prescribes."
                    ),
                    code="hospital_too_late",
                )
            }
        )
    municipal = prescribed_by == AssistiveDevice.Prescriber.MUNICIPAL_REHAB
    device = AssistiveDevice.objects.create(
        person=episode.person,
        episode=episode,
        device_type=device_type,
        description=description.strip(),
        prescribed_by=prescribed_by,
        prescriber=by if municipal else None,
        prescribed_on=prescribed_on,
        registered_by=by,
    )
    record_change(
        by=by,
        person=episode.person,
        action="device.registered",
        detail={"device": str(device.external_id), "prescribed_by": prescribed_by},
    )
    return device


def _lock_device(device: AssistiveDevice) -> AssistiveDevice:
    return (
        AssistiveDevice.objects.select_for_update(of=("self",))
        .select_related("person", "device_type")
        .get(pk=device.pk)
    )


def _already(done: datetime.date | None, message: str) -> None:
    if done is not None:
        raise ValidationError(message, code="already_recorded")


@transaction.atomic
def deliver_device(
    *, device: AssistiveDevice, delivered_on: datetime.date, by: Staff
) -> AssistiveDevice:
    """The device is in the person's home; its use is followed up after the type's number of
    days (14 unless configured)."""
    check_may(by, Action.MANAGE_ASSISTIVE_DEVICES)
    device = _lock_device(device)
    _already(device.delivered_on, _("The delivery is already recorded."))
    rules.check_date_order(
        delivered_on,
        earliest=device.prescribed_on,
        today=local_today(),
        field="on",
        too_early=_("A device is delivered after it was prescribed."),
    )
    after_days = (
        device.device_type.follow_up_after_days
        if device.device_type is not None
        else DEFAULT_DEVICE_FOLLOW_UP_DAYS
    )
    device.delivered_on = delivered_on
    device.follow_up_due_on = rules.device_follow_up_due_on(
        delivered_on=delivered_on, after_days=after_days
    )
    device.save(update_fields=["delivered_on", "follow_up_due_on"])
    record_change(
        by=by,
        person=device.person,
        action="device.delivered",
        detail={"device": str(device.external_id)},
    )
    return device


@transaction.atomic
def follow_up_device(
    *, device: AssistiveDevice, followed_up_on: datetime.date, by: Staff
) -> AssistiveDevice:
    """The prescriber has followed up that the device is used and works for the person."""
    check_may(by, Action.MANAGE_ASSISTIVE_DEVICES)
    device = _lock_device(device)
    _already(device.followed_up_on, _("The follow-up is already recorded."))
    if device.delivered_on is None:
        raise ValidationError(_("Record the delivery before the follow-up."), code="not_delivered")
    rules.check_date_order(
        followed_up_on,
        earliest=device.delivered_on,
        today=local_today(),
        field="on",
        too_early=_("A device is followed up after it was delivered."),
    )
    device.followed_up_on = followed_up_on
    device.save(update_fields=["followed_up_on"])
    record_change(
        by=by,
        person=device.person,
        action="device.followed_up",
        detail={"device": str(device.external_id)},
    )
    return device


@transaction.atomic
def return_device(
    *, device: AssistiveDevice, returned_on: datetime.date, by: Staff
) -> AssistiveDevice:
    """The device went back as the person manages without it (seed 000)."""
    check_may(by, Action.MANAGE_ASSISTIVE_DEVICES)
    device = _lock_device(device)
    _already(device.returned_on, _("The return is already recorded."))
    if device.delivered_on is None:
        raise ValidationError(_("Record the delivery before the return."), code="not_delivered")
    rules.check_date_order(
        returned_on,
        earliest=device.delivered_on,
        today=local_today(),
        field="on",
        too_early=_("A device is returned after it was delivered."),
    )
    device.returned_on = returned_on
    device.save(update_fields=["returned_on"])
    record_change(
        by=by,
        person=device.person,
        action="device.returned",
        detail={"device": str(device.external_id)},
    )
    return device
