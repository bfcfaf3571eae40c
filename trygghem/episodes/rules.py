"""The episode's state machine and its date rules. Pure: no ORM."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from trygghem.episodes.models import Episode
from trygghem.staff.rules import Action, may

Status = Episode.Status

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.REFERRED: frozenset({Status.DECIDED, Status.CLOSED}),
    Status.DECIDED: frozenset({Status.ACTIVE, Status.ENDED}),
    Status.ACTIVE: frozenset({Status.FOLLOW_UP_HELD, Status.ENDED}),
    Status.FOLLOW_UP_HELD: frozenset({Status.FOLLOW_UP_HELD, Status.ENDED}),
    Status.ENDED: frozenset(),
    Status.CLOSED: frozenset(),
}


def check_transition(current: str, target: str) -> None:
    """Refuse a move the journey does not allow (referred -> decided -> active -> follow-up
    held -> ended; a referral may be closed without enrolment)."""
    if target in ALLOWED_TRANSITIONS[current]:
        return
    labels = dict(Status.choices)
    raise ValidationError(
        _("The episode cannot go from “%(current)s” to “%(target)s”.")
        % {"current": labels[current], "target": labels[target]},
        code="illegal_transition",
    )


def check_handover_allowed(current: str) -> None:
    """Handover to ordinary home care follows a follow-up meeting (SKL guide: follow-up ->
    needs decision -> handover)."""
    if current != Status.FOLLOW_UP_HELD:
        raise ValidationError(
            _("Hold a follow-up meeting before handing over to ordinary home care."),
            code="handover_needs_follow_up",
        )


def check_not_future(day: datetime.date, today: datetime.date, *, field: str) -> None:
    if day > today:
        raise ValidationError(
            {field: ValidationError(_("The date cannot be in the future."), code="future_date")}
        )


def check_not_before(
    day: datetime.date, earliest: datetime.date, *, field: str, message: str
) -> None:
    if day < earliest:
        raise ValidationError({field: ValidationError(message, code="date_too_early")})


_ACTIONS_BY_STATUS: dict[str, frozenset[Action]] = {
    Status.REFERRED: frozenset({Action.GRANT_DECISION, Action.CLOSE_REFERRAL}),
    Status.DECIDED: frozenset(
        {Action.REGISTER_HOMECOMING, Action.ADJUST_DECISION, Action.END_EPISODE}
    ),
    Status.ACTIVE: frozenset({Action.RECORD_FOLLOW_UP, Action.ADJUST_DECISION, Action.END_EPISODE}),
    Status.FOLLOW_UP_HELD: frozenset(
        {Action.RECORD_FOLLOW_UP, Action.ADJUST_DECISION, Action.END_EPISODE, Action.HAND_OVER}
    ),
    Status.ENDED: frozenset(),
    Status.CLOSED: frozenset(),
}


def actions_for(status: str, role: str) -> frozenset[Action]:
    """What the staff member can do next on an episode: allowed by its state and by the role."""
    return frozenset(action for action in _ACTIONS_BY_STATUS[status] if may(role, action))


FOLLOW_UP_DUE_WITHIN_DAYS = 2
DECISION_ENDING_WITHIN_DAYS = 3


def follow_up_state(
    *, follow_up_on: datetime.date, today: datetime.date, followed_up: bool
) -> str | None:
    """'overdue' once the follow-up date has passed without a follow-up, 'due' from two days
    before it. Short decisions that are not followed up are the failure seed 002 describes."""
    if followed_up:
        return None
    if follow_up_on < today:
        return "overdue"
    if follow_up_on <= today + datetime.timedelta(days=FOLLOW_UP_DUE_WITHIN_DAYS):
        return "due"
    return None
