import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.assertions import error_codes
from trygghem.episodes.models import Episode
from trygghem.episodes.rules import (
    ALLOWED_TRANSITIONS,
    actions_for,
    check_handover_allowed,
    check_not_before,
    check_not_future,
    check_transition,
    follow_up_state,
)
from trygghem.staff.models import Staff
from trygghem.staff.rules import Action

Status = Episode.Status
TODAY = datetime.date(2026, 3, 10)

# The journey: referred -> decided -> active -> follow-up held (again and again) -> ended; a
# referral may be closed without enrolment; a decided or active episode may end early.
ALLOWED = {
    ("referred", "decided"),
    ("referred", "closed"),
    ("decided", "active"),
    ("decided", "ended"),
    ("active", "follow_up_held"),
    ("active", "ended"),
    ("follow_up_held", "follow_up_held"),
    ("follow_up_held", "ended"),
}
ALL_PAIRS = list(itertools.product(Status.values, repeat=2))


def test_the_allowed_transitions_are_exactly_the_journey() -> None:
    assert {
        (current, target) for current, targets in ALLOWED_TRANSITIONS.items() for target in targets
    } == ALLOWED
    assert set(ALLOWED_TRANSITIONS) == set(Status.values)


@pytest.mark.parametrize(("current", "target"), [pair for pair in ALL_PAIRS if pair in ALLOWED])
def test_check_transition_allows_a_move_of_the_journey(current: str, target: str) -> None:
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), [pair for pair in ALL_PAIRS if pair not in ALLOWED])
def test_check_transition_refuses_every_other_move(current: str, target: str) -> None:
    with translation.override("en"):
        labels = {code: str(label) for code, label in Status.choices}
        with pytest.raises(ValidationError) as error:
            check_transition(current, target)

    assert error.value.code == "illegal_transition"
    assert error.value.messages == [
        f"The episode cannot go from “{labels[current]}” to “{labels[target]}”."
    ]


def test_handover_is_allowed_after_a_follow_up() -> None:
    check_handover_allowed(Status.FOLLOW_UP_HELD)


@pytest.mark.parametrize("current", [s for s in Status.values if s != Status.FOLLOW_UP_HELD])
def test_handover_is_refused_before_a_follow_up(current: str) -> None:
    with pytest.raises(ValidationError) as error:
        check_handover_allowed(current)

    assert error.value.code == "handover_needs_follow_up"


def test_today_is_not_in_the_future() -> None:
    check_not_future(TODAY, TODAY, field="ended_on")


def test_tomorrow_is_refused_as_a_future_date_on_the_given_field() -> None:
    with pytest.raises(ValidationError) as error:
        check_not_future(TODAY + datetime.timedelta(days=1), TODAY, field="ended_on")

    assert error_codes(error.value) == {"ended_on": ["future_date"]}


def test_the_earliest_day_itself_is_accepted() -> None:
    check_not_before(TODAY, TODAY, field="held_on", message="Too early.")


def test_a_day_before_the_earliest_is_refused_with_the_given_message() -> None:
    with pytest.raises(ValidationError) as error:
        check_not_before(
            TODAY - datetime.timedelta(days=1), TODAY, field="held_on", message="Too early."
        )

    assert error_codes(error.value) == {"held_on": ["date_too_early"]}
    assert error.value.message_dict == {"held_on": ["Too early."]}


@pytest.mark.parametrize(
    ("status", "role", "expected"),
    [
        ("referred", "case_officer", {Action.GRANT_DECISION, Action.CLOSE_REFERRAL}),
        (
            "decided",
            "case_officer",
            {Action.REGISTER_HOMECOMING, Action.ADJUST_DECISION, Action.END_EPISODE},
        ),
        ("decided", "care_worker", {Action.REGISTER_HOMECOMING}),
        (
            "active",
            "case_officer",
            {Action.RECORD_FOLLOW_UP, Action.ADJUST_DECISION, Action.END_EPISODE},
        ),
        ("active", "care_worker", set()),
        (
            "follow_up_held",
            "case_officer",
            {Action.RECORD_FOLLOW_UP, Action.ADJUST_DECISION, Action.END_EPISODE, Action.HAND_OVER},
        ),
        ("ended", "case_officer", set()),
        ("closed", "case_officer", set()),
        ("referred", "manager", set()),
        ("decided", "mas", set()),
    ],
)
def test_actions_for_offers_what_both_the_state_and_the_role_allow(
    status: str, role: str, expected: set[Action]
) -> None:
    assert actions_for(status, role) == expected


@pytest.mark.parametrize("role", Staff.Role.values)
def test_actions_for_never_offers_a_move_the_state_machine_refuses(role: str) -> None:
    moves = {
        Action.GRANT_DECISION: Status.DECIDED,
        Action.CLOSE_REFERRAL: Status.CLOSED,
        Action.REGISTER_HOMECOMING: Status.ACTIVE,
        Action.RECORD_FOLLOW_UP: Status.FOLLOW_UP_HELD,
        Action.END_EPISODE: Status.ENDED,
        Action.HAND_OVER: Status.ENDED,
    }
    for status in Status.values:
        for action in actions_for(status, role):
            if action in moves:
                assert moves[action] in ALLOWED_TRANSITIONS[status], (status, action)


@pytest.mark.parametrize(
    ("follow_up_on", "followed_up", "expected"),
    [
        (TODAY - datetime.timedelta(days=1), False, "overdue"),
        (TODAY, False, "due"),
        (TODAY + datetime.timedelta(days=2), False, "due"),
        (TODAY + datetime.timedelta(days=3), False, None),
        (TODAY - datetime.timedelta(days=1), True, None),
        (TODAY, True, None),
    ],
)
def test_follow_up_state_is_due_two_days_before_and_overdue_after_the_date(
    follow_up_on: datetime.date, followed_up: bool, expected: str | None
) -> None:
    assert (
        follow_up_state(follow_up_on=follow_up_on, today=TODAY, followed_up=followed_up) == expected
    )


@pytest.mark.django_db
def test_the_shipped_programs_have_the_source_municipalitys_lengths() -> None:
    from trygghem.episodes.models import Program

    assert list(
        Program.objects.order_by("max_days").values_list("code", "max_days", "follow_up_after_days")
    ) == [
        ("trygg_hemgang", 14, 5),
        ("trygg_hemma", 28, 7),
        ("ihr", 70, 14),
    ]


@pytest.mark.django_db
def test_exactly_one_shipped_end_reason_hands_over_to_home_care() -> None:
    from trygghem.episodes.models import EndReason

    assert list(EndReason.objects.filter(is_handover=True).values_list("code", "stage")) == [
        ("handover", "episode")
    ]
