"""The rehab plan's and the devices' writes. The clock is frozen at 2026-03-10 10:00; the
factories' episodes were decided for 03-06..03-19 and came home on 03-06 at 09:00."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from time_machine import TimeMachineFixture

from tests.assertions import change_log, database_state, error_codes
from tests.factories import active_episode, decided_episode, followed_up_episode
from trygghem.episodes.models import Episode
from trygghem.rehab.models import (
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
from trygghem.rehab.services import (
    TrainingDetails,
    add_action,
    add_goal,
    close_plan,
    deliver_device,
    follow_up_device,
    register_device,
    return_device,
    review_plan,
)
from trygghem.rehab.tests.helpers import delivered_device, main_goal, rehab_plan, training_action
from trygghem.staff.models import Staff

pytestmark = pytest.mark.django_db

D = datetime.date
_REHAB_MODELS = [
    RehabPlan,
    PlanFactor,
    Goal,
    PlanAction,
    PlanReview,
    GoalAttainment,
    KvaEvent,
    AssistiveDevice,
]


def _state() -> dict[str, Any]:
    state: dict[str, Any] = database_state()
    for model in _REHAB_MODELS:
        state[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return state


@contextmanager
def unchanged() -> Iterator[None]:
    before = _state()
    yield
    assert _state() == before


def _kva(plan: RehabPlan) -> list[tuple[str, D]]:
    return list(plan.kva_events.order_by("id").values_list("code", "on"))


@pytest.fixture
def episode(case_officer: Staff, today: D) -> Episode:
    return active_episode(by=case_officer)


@pytest.fixture
def plan(episode: Episode, ot: Staff) -> RehabPlan:
    return rehab_plan(episode=episode, by=ot)


# create_rehab_plan


def test_create_rehab_plan_writes_the_summary_the_factors_and_kva_aw020(
    episode: Episode, ot: Staff, today: D
) -> None:
    plan = rehab_plan(episode=episode, by=ot)

    assert (plan.episode, plan.written_by, plan.next_review_on, plan.closed_on) == (
        episode,
        ot,
        D(2026, 3, 15),
        None,
    )
    assert list(plan.factors.values_list("kind", "text", "is_resource")) == [
        ("environmental", "Dottern bor nära.", True),
        ("personal", "Rädd för att falla.", False),
    ]
    assert _kva(plan) == [("AW020", today)]
    assert change_log("rehab_plan.created") == [
        (ot.pk, episode.person_id, "care", {"plan": str(plan.external_id), "kva": "AW020"})
    ]


def test_a_pt_may_make_the_plan_after_the_follow_up(case_officer: Staff, pt: Staff) -> None:
    episode = followed_up_episode(by=case_officer)
    assert rehab_plan(episode=episode, by=pt).written_by == pt


def test_create_rehab_plan_is_refused_twice_for_the_same_episode(
    plan: RehabPlan, episode: Episode, ot: Staff
) -> None:
    with unchanged(), pytest.raises(ValidationError) as refusal:
        rehab_plan(episode=episode, by=ot)
    assert error_codes(refusal.value) == ["plan_exists"]


def test_create_rehab_plan_is_refused_before_the_person_is_home(
    case_officer: Staff, ot: Staff, today: D
) -> None:
    episode = decided_episode(by=case_officer)
    with unchanged(), pytest.raises(ValidationError) as refusal:
        rehab_plan(episode=episode, by=ot)
    assert error_codes(refusal.value) == ["episode_not_at_home"]


@pytest.mark.parametrize("persona", ["case_officer", "nurse", "rehab_assistant", "manager"])
def test_create_rehab_plan_is_for_ot_and_pt_only(
    persona: str, episode: Episode, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)
    with unchanged(), pytest.raises(PermissionDenied):
        rehab_plan(episode=episode, by=staff)


# add_goal


def _goal(plan: RehabPlan, by: Staff, **overrides: Any) -> Goal:
    values: dict[str, Any] = {
        "own_words": "Jag vill gå till affären.",
        "activity": "Handla",
        "icf_code": "D6200",
        "target": "Går till affären med rollator.",
        "target_on": D(2026, 3, 18),
        "parent": None,
    }
    return add_goal(plan=plan, by=by, **(values | overrides))


def test_add_goal_adds_a_main_goal_and_a_sub_goal_with_normalised_icf_codes(
    plan: RehabPlan, ot: Staff
) -> None:
    main = _goal(plan, ot)
    sub = _goal(
        plan, ot, own_words="Gå till brevlådan.", icf_code=" d450 ", target_on=D(2026, 3, 13),
        parent=main,
    )  # fmt: skip

    assert (main.is_main, main.parent, main.icf_code) == (True, None, "d6200")
    assert (sub.is_main, sub.parent, sub.icf_code) == (False, main, "d450")
    assert [row[3]["icf"] for row in change_log("rehab_plan.goal_added")] == ["d6200", "d450"]


@pytest.mark.parametrize(
    ("overrides", "codes"),
    [
        ({"icf_code": "x510"}, {"icf_code": ["invalid_icf_code"]}),
        ({"icf_code": "d51a"}, {"icf_code": ["invalid_icf_code"]}),
        ({"icf_code": "d"}, {"icf_code": ["invalid_icf_code"]}),
        ({"own_words": "  "}, {"own_words": ["own_words_required"]}),
        ({"target_on": D(2026, 3, 9)}, {"target_on": ["target_outside_decision"]}),
        ({"target_on": D(2026, 3, 20)}, {"target_on": ["target_outside_decision"]}),
    ],
)
def test_add_goal_is_refused_for_bad_input(
    plan: RehabPlan, ot: Staff, overrides: dict[str, Any], codes: dict[str, list[str]]
) -> None:
    with unchanged(), pytest.raises(ValidationError) as refusal:
        _goal(plan, ot, **overrides)
    assert error_codes(refusal.value) == codes


def test_a_sub_goal_is_refused_after_its_main_goal(plan: RehabPlan, ot: Staff) -> None:
    main = _goal(plan, ot, target_on=D(2026, 3, 12))
    with unchanged(), pytest.raises(ValidationError) as refusal:
        _goal(plan, ot, own_words="Delmål", target_on=D(2026, 3, 13), parent=main)
    assert error_codes(refusal.value) == {"target_on": ["after_main_goal"]}


def test_a_goal_submitted_twice_is_refused(plan: RehabPlan, ot: Staff) -> None:
    _goal(plan, ot)
    with unchanged(), pytest.raises(ValidationError) as refusal:
        _goal(plan, ot)
    assert error_codes(refusal.value) == ["duplicate_goal"]


# add_action


def test_add_action_keeps_a_training_action_as_a_service_template(
    plan: RehabPlan, ot: Staff
) -> None:
    goal = main_goal(plan=plan, by=ot)
    action = training_action(plan=plan, goal=goal, by=ot)

    assert (
        action.goal,
        action.who,
        action.times_per_week,
        action.until_on,
        action.is_training,
        action.window_start,
        action.window_end,
        action.duration_minutes,
        action.performed_by,
    ) == (
        goal,
        "pt",
        3,
        D(2026, 3, 18),
        True,
        datetime.time(9),
        datetime.time(11),
        30,
        "rehab_assistant",
    )


def test_add_action_records_self_care_without_a_template(plan: RehabPlan, ot: Staff) -> None:
    goal = main_goal(plan=plan, by=ot)
    action = add_action(
        plan=plan, goal=goal, what="Gå i trappan", who="person", times_per_week=7,
        until_on=D(2026, 3, 19), training=None, by=ot,
    )  # fmt: skip
    assert (action.is_training, action.window_start, action.performed_by) == (False, None, "")


def _training(**overrides: Any) -> TrainingDetails:
    values: dict[str, Any] = {
        "window_start": datetime.time(9),
        "window_end": datetime.time(11),
        "duration_minutes": 30,
        "performed_by": "care_worker",
    }
    return TrainingDetails(**(values | overrides))


@pytest.mark.parametrize(
    ("overrides", "codes"),
    [
        ({"until_on": D(2026, 3, 9)}, {"until_on": ["until_outside_decision"]}),
        ({"until_on": D(2026, 3, 20)}, {"until_on": ["until_outside_decision"]}),
        ({"who": "nurse"}, {"who": ["invalid_choice"]}),
        ({"times_per_week": 0}, {"times_per_week": ["invalid_frequency"]}),
        (
            {"training": _training(window_end=datetime.time(9))},
            {"window_end": ["window_reversed"]},
        ),
        (
            {"training": _training(duration_minutes=121)},
            {"duration_minutes": ["duration_outside_window"]},
        ),
        ({"training": _training(performed_by="nurse")}, {"performed_by": ["invalid_choice"]}),
    ],
)
def test_add_action_is_refused_for_bad_input(
    plan: RehabPlan, ot: Staff, overrides: dict[str, Any], codes: dict[str, list[str]]
) -> None:
    goal = main_goal(plan=plan, by=ot)
    values: dict[str, Any] = {
        "what": "Träna på att resa sig",
        "who": "pt",
        "times_per_week": 3,
        "until_on": D(2026, 3, 18),
        "training": _training(),
    }
    with unchanged(), pytest.raises(ValidationError) as refusal:
        add_action(plan=plan, goal=goal, by=ot, **(values | overrides))
    assert error_codes(refusal.value) == codes


def test_an_action_submitted_twice_is_refused(plan: RehabPlan, ot: Staff) -> None:
    goal = main_goal(plan=plan, by=ot)
    training_action(plan=plan, goal=goal, by=ot)
    with unchanged(), pytest.raises(ValidationError) as refusal:
        training_action(plan=plan, goal=goal, by=ot)
    assert error_codes(refusal.value) == ["duplicate_action"]


# review_plan and close_plan


def test_a_review_without_changes_records_kva_aw024(plan: RehabPlan, ot: Staff, today: D) -> None:
    goal = main_goal(plan=plan, by=ot)
    training_action(plan=plan, goal=goal, by=ot)

    review = review_plan(
        plan=plan, reviewed_on=today, attainments={goal: "partly"}, note="Går bättre.",
        next_review_on=D(2026, 3, 14), by=ot,
    )  # fmt: skip

    assert (review.revised, list(review.attainments.values_list("goal", "level"))) == (
        False,
        [(goal.pk, "partly")],
    )
    assert _kva(plan) == [("AW020", today), ("AW024", today)]
    plan.refresh_from_db()
    assert plan.next_review_on == D(2026, 3, 14)


def test_a_review_with_a_changed_goal_records_kva_aw027(
    plan: RehabPlan, ot: Staff, today: D
) -> None:
    goal = main_goal(plan=plan, by=ot)
    review_plan(
        plan=plan, reviewed_on=today, attainments={goal: "changed"}, note="",
        next_review_on=None, by=ot,
    )  # fmt: skip
    assert _kva(plan) == [("AW020", today), ("AW027", today)]


def test_goals_added_on_a_later_day_make_the_next_review_a_revision(
    plan: RehabPlan, ot: Staff, time_machine: TimeMachineFixture, today: D
) -> None:
    goal = main_goal(plan=plan, by=ot)
    time_machine.move_to(datetime.datetime(2026, 3, 12, 10, tzinfo=datetime.UTC), tick=False)
    training_action(plan=plan, goal=goal, by=ot, until_on=D(2026, 3, 18))
    review_plan(
        plan=plan, reviewed_on=D(2026, 3, 12), attainments={goal: "partly"}, note="",
        next_review_on=None, by=ot,
    )  # fmt: skip
    review_plan(
        plan=plan, reviewed_on=D(2026, 3, 11), attainments={goal: "achieved"}, note="",
        next_review_on=None, by=ot,
    )  # fmt: skip
    assert _kva(plan) == [("AW020", today), ("AW027", D(2026, 3, 12)), ("AW024", D(2026, 3, 11))]


@pytest.mark.parametrize(
    ("reviewed_on", "codes"),
    [
        (D(2026, 3, 9), {"reviewed_on": ["review_before_plan"]}),
        (D(2026, 3, 11), {"reviewed_on": ["future_date"]}),
    ],
)
def test_a_review_is_refused_outside_the_plan_s_time(
    plan: RehabPlan, ot: Staff, reviewed_on: D, codes: dict[str, list[str]]
) -> None:
    goal = main_goal(plan=plan, by=ot)
    with unchanged(), pytest.raises(ValidationError) as refusal:
        review_plan(
            plan=plan, reviewed_on=reviewed_on, attainments={goal: "partly"}, note="",
            next_review_on=None, by=ot,
        )  # fmt: skip
    assert error_codes(refusal.value) == codes


def test_a_review_is_refused_without_every_goal_s_attainment(
    plan: RehabPlan, ot: Staff, today: D
) -> None:
    goal = main_goal(plan=plan, by=ot)
    _goal(plan, ot)
    with unchanged(), pytest.raises(ValidationError) as refusal:
        review_plan(
            plan=plan, reviewed_on=today, attainments={goal: "partly"}, note="",
            next_review_on=None, by=ot,
        )  # fmt: skip
    assert error_codes(refusal.value) == ["attainment_missing"]


def test_a_review_submitted_twice_is_refused(plan: RehabPlan, ot: Staff, today: D) -> None:
    goal = main_goal(plan=plan, by=ot)
    review_plan(
        plan=plan, reviewed_on=today, attainments={goal: "partly"}, note="",
        next_review_on=None, by=ot,
    )  # fmt: skip
    with unchanged(), pytest.raises(ValidationError) as refusal:
        review_plan(
            plan=plan, reviewed_on=today, attainments={goal: "partly"}, note="",
            next_review_on=None, by=ot,
        )  # fmt: skip
    assert error_codes(refusal.value) == ["duplicate_review"]


def test_close_plan_records_kva_aw035_and_refuses_further_changes(
    plan: RehabPlan, ot: Staff, today: D
) -> None:
    goal = main_goal(plan=plan, by=ot)
    close_plan(plan=plan, closed_on=today, by=ot)

    plan.refresh_from_db()
    assert (plan.closed_on, plan.closed_by, plan.next_review_on) == (today, ot, None)
    assert _kva(plan) == [("AW020", today), ("AW035", today)]
    with unchanged(), pytest.raises(ValidationError) as refusal:
        training_action(plan=plan, goal=goal, by=ot)
    assert error_codes(refusal.value) == ["plan_closed"]
    with unchanged(), pytest.raises(ValidationError) as refusal:
        close_plan(plan=plan, closed_on=today, by=ot)
    assert error_codes(refusal.value) == ["plan_closed"]


def test_close_plan_is_refused_before_the_plan_was_made(plan: RehabPlan, ot: Staff) -> None:
    with unchanged(), pytest.raises(ValidationError) as refusal:
        close_plan(plan=plan, closed_on=D(2026, 3, 9), by=ot)
    assert error_codes(refusal.value) == {"closed_on": ["closed_on_out_of_order"]}


# Assistive devices


def test_a_device_is_delivered_followed_up_and_returned_in_order(
    episode: Episode, ot: Staff, today: D
) -> None:
    device_type = DeviceType.objects.create(name="Gåbord", follow_up_after_days=10)
    device = register_device(
        episode=episode, device_type=device_type, description="", prescribed_by="municipal_rehab",
        prescribed_on=D(2026, 3, 7), by=ot,
    )  # fmt: skip
    deliver_device(device=device, delivered_on=D(2026, 3, 8), by=ot)
    follow_up_device(device=device, followed_up_on=D(2026, 3, 9), by=ot)
    return_device(device=device, returned_on=today, by=ot)

    device.refresh_from_db()
    assert (
        device.person,
        device.prescriber,
        device.delivered_on,
        device.follow_up_due_on,
        device.followed_up_on,
        device.returned_on,
    ) == (episode.person, ot, D(2026, 3, 8), D(2026, 3, 18), D(2026, 3, 9), today)
    assert [row[3] for row in change_log("device.returned")] == [
        {"device": str(device.external_id)}
    ]


def test_a_free_text_device_is_followed_up_after_fourteen_days(
    episode: Episode, ot: Staff, today: D
) -> None:
    device = delivered_device(episode=episode, by=ot, delivered_on=today)
    assert device.follow_up_due_on == D(2026, 3, 24)


def test_the_hospital_prescribes_only_in_the_first_days_after_discharge(
    episode: Episode, pt: Staff
) -> None:
    device = register_device(
        episode=episode, device_type=None, description="Toalettförhöjning",
        prescribed_by="hospital", prescribed_on=D(2026, 3, 9), by=pt,
    )  # fmt: skip
    assert device.prescriber is None
    with unchanged(), pytest.raises(ValidationError) as refusal:
        register_device(
            episode=episode, device_type=None, description="Säng", prescribed_by="hospital",
            prescribed_on=D(2026, 3, 10), by=pt,
        )  # fmt: skip
    assert error_codes(refusal.value) == {"prescribed_by": ["hospital_too_late"]}


@pytest.mark.parametrize(
    ("overrides", "codes"),
    [
        ({"description": ""}, {"device_type": ["required"]}),
        ({"prescribed_by": "pharmacy"}, {"prescribed_by": ["invalid_choice"]}),
        ({"prescribed_on": D(2026, 3, 11)}, {"prescribed_on": ["future_date"]}),
    ],
)
def test_register_device_is_refused_for_bad_input(
    episode: Episode, ot: Staff, overrides: dict[str, Any], codes: dict[str, list[str]]
) -> None:
    values: dict[str, Any] = {
        "device_type": None,
        "description": "Duschpall",
        "prescribed_by": "primary_care",
        "prescribed_on": D(2026, 3, 8),
    }
    with unchanged(), pytest.raises(ValidationError) as refusal:
        register_device(episode=episode, by=ot, **(values | overrides))
    assert error_codes(refusal.value) == codes


def test_device_dates_out_of_order_are_refused(episode: Episode, ot: Staff) -> None:
    device = register_device(
        episode=episode, device_type=None, description="Duschpall", prescribed_by="primary_care",
        prescribed_on=D(2026, 3, 8), by=ot,
    )  # fmt: skip
    with unchanged():
        with pytest.raises(ValidationError) as refusal:
            follow_up_device(device=device, followed_up_on=D(2026, 3, 9), by=ot)
        assert error_codes(refusal.value) == ["not_delivered"]
        with pytest.raises(ValidationError) as refusal:
            return_device(device=device, returned_on=D(2026, 3, 9), by=ot)
        assert error_codes(refusal.value) == ["not_delivered"]
        with pytest.raises(ValidationError) as refusal:
            deliver_device(device=device, delivered_on=D(2026, 3, 7), by=ot)
        assert error_codes(refusal.value) == {"on": ["date_too_early"]}
        with pytest.raises(ValidationError) as refusal:
            deliver_device(device=device, delivered_on=D(2026, 3, 11), by=ot)
        assert error_codes(refusal.value) == {"on": ["future_date"]}
    deliver_device(device=device, delivered_on=D(2026, 3, 9), by=ot)
    with unchanged():
        with pytest.raises(ValidationError) as refusal:
            deliver_device(device=device, delivered_on=D(2026, 3, 9), by=ot)
        assert error_codes(refusal.value) == ["already_recorded"]
        with pytest.raises(ValidationError) as refusal:
            return_device(device=device, returned_on=D(2026, 3, 8), by=ot)
        assert error_codes(refusal.value) == {"on": ["date_too_early"]}


def test_devices_are_managed_by_ot_and_pt_only(episode: Episode, nurse: Staff) -> None:
    with unchanged(), pytest.raises(PermissionDenied):
        register_device(
            episode=episode, device_type=None, description="Duschpall",
            prescribed_by="primary_care", prescribed_on=D(2026, 3, 8), by=nurse,
        )  # fmt: skip
