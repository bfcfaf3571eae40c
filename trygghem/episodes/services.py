"""Writes that move an episode through the journey. Each takes the actor, locks the episode
row (so a double submission meets the new state and is refused), and writes the change log."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygghem.audit.services import record_change
from trygghem.core.time import local_date, local_now, local_today
from trygghem.decisions.models import Decision
from trygghem.episodes import rules
from trygghem.episodes.models import (
    EndReason,
    Episode,
    FollowUp,
    ImplementationPlan,
    PlannedService,
    Transition,
)
from trygghem.staff.models import Staff, Team
from trygghem.staff.rules import Action, check_may


def lock_episode(episode: Episode) -> Episode:
    return (
        Episode.objects.select_for_update()
        .select_related("person", "referral", "program")
        .get(pk=episode.pk)
    )


def move_episode(*, episode: Episode, target: str, by: Staff, reason: str) -> None:
    """Change state after checking the move is allowed; the Transition row is the who/when/why."""
    rules.check_transition(episode.status, target)
    previous = episode.status
    episode.status = target
    episode.save(update_fields=["status", "home_at", "ended_on", "end_reason"])
    Transition.objects.create(
        episode=episode, from_status=previous, to_status=target, by=by, reason=reason[:300]
    )


def _check_reason(reason: EndReason, stage: str) -> None:
    if reason.stage != stage or not reason.active:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Choose one of the listed reasons."), code="invalid_reason"
                )
            }
        )


@transaction.atomic
def close_referral(
    *, episode: Episode, reason: EndReason, closed_on: datetime.date, note: str, by: Staff
) -> Episode:
    """Close a referral without enrolment (green triage, an exclusion criterion, declined).
    Nothing is deleted: the referral and its answers stay on the person's record."""
    check_may(by, Action.CLOSE_REFERRAL)
    episode = lock_episode(episode)
    rules.check_transition(episode.status, Episode.Status.CLOSED)
    _check_reason(reason, EndReason.Stage.REFERRAL)
    rules.check_not_future(closed_on, local_today(), field="closed_on")
    rules.check_not_before(
        closed_on,
        episode.referral.received_on,
        field="closed_on",
        message=_("The referral cannot be closed before it was received."),
    )
    episode.ended_on = closed_on
    episode.end_reason = reason
    move_episode(episode=episode, target=Episode.Status.CLOSED, by=by, reason=note)
    record_change(
        by=by, person=episode.person, action="referral.closed", detail={"reason": reason.code}
    )
    return episode


@transaction.atomic
def register_homecoming(*, episode: Episode, home_at: datetime.datetime, by: Staff) -> Episode:
    """The person is home: the episode becomes active. Homecoming lies within the decision."""
    check_may(by, Action.REGISTER_HOMECOMING)
    episode = lock_episode(episode)
    rules.check_transition(episode.status, Episode.Status.ACTIVE)
    if home_at > local_now():
        raise ValidationError(
            {
                "home_at": ValidationError(
                    _("Register the homecoming when it has happened."), code="future_date"
                )
            }
        )
    decision = Decision.objects.get(episode=episode, is_current=True)
    home_on = local_date(home_at)
    if not decision.start_on <= home_on <= decision.end_on:
        raise ValidationError(
            {
                "home_at": ValidationError(
                    _("The homecoming must lie within the decision period."),
                    code="home_outside_decision",
                )
            }
        )
    episode.home_at = home_at
    move_episode(episode=episode, target=Episode.Status.ACTIVE, by=by, reason="")
    record_change(
        by=by,
        person=episode.person,
        action="episode.homecoming_registered",
        detail={"home_on": home_on.isoformat()},
    )
    return episode


@transaction.atomic
def record_follow_up(
    *,
    episode: Episode,
    held_on: datetime.date,
    mode: str,
    participants: list[str],
    manages_now: str,
    outcome: str,
    by: Staff,
) -> FollowUp:
    """Record a follow-up meeting (Hofors: the person, the team, the case officer, perhaps the
    nurse, PT, OT and a relative). One follow-up per day and episode."""
    check_may(by, Action.RECORD_FOLLOW_UP)
    episode = lock_episode(episode)
    rules.check_transition(episode.status, Episode.Status.FOLLOW_UP_HELD)
    home_at = episode.home_at
    if home_at is None:  # pragma: no cover - an active episode has a homecoming (DB constraint)
        raise ValidationError(_("The episode has no homecoming."), code="no_homecoming")
    rules.check_not_future(held_on, local_today(), field="held_on")
    rules.check_not_before(
        held_on,
        local_date(home_at),
        field="held_on",
        message=_("The follow-up cannot be held before the homecoming."),
    )
    if mode not in FollowUp.Mode.values:
        raise ValidationError(
            {"mode": ValidationError(_("Choose how the meeting was held."), code="invalid_choice")}
        )
    if outcome not in FollowUp.Outcome.values:
        raise ValidationError(
            {"outcome": ValidationError(_("Choose an outcome."), code="invalid_choice")}
        )
    known = set(FollowUp.Participant.values)
    if not participants or not set(participants) <= known:
        raise ValidationError(
            {
                "participants": ValidationError(
                    _("Choose who took part."), code="participants_required"
                )
            }
        )
    if episode.follow_ups.filter(held_on=held_on).exists():
        raise ValidationError(
            _("A follow-up is already recorded for this day."), code="duplicate_follow_up"
        )
    follow_up = FollowUp.objects.create(
        episode=episode,
        held_on=held_on,
        mode=mode,
        participants=[code for code in FollowUp.Participant.values if code in participants],
        manages_now=manages_now.strip(),
        outcome=outcome,
        recorded_by=by,
    )
    move_episode(episode=episode, target=Episode.Status.FOLLOW_UP_HELD, by=by, reason=outcome)
    record_change(
        by=by,
        person=episode.person,
        action="follow_up.recorded",
        detail={"follow_up": str(follow_up.external_id), "outcome": outcome},
    )
    return follow_up


def _check_end_date(episode: Episode, ended_on: datetime.date) -> None:
    rules.check_not_future(ended_on, local_today(), field="ended_on")
    if episode.home_at is not None:
        earliest = local_date(episode.home_at)
        message = _("The episode cannot end before the homecoming.")
    else:
        earliest = episode.referral.received_on
        message = _("The episode cannot end before the referral was received.")
    rules.check_not_before(ended_on, earliest, field="ended_on", message=message)


def _finish(
    *, episode: Episode, reason: EndReason, ended_on: datetime.date, note: str, by: Staff
) -> None:
    """End the episode and terminate its decision on the same day if it runs longer."""
    decision = Decision.objects.select_for_update().filter(episode=episode, is_current=True).first()
    if decision is not None and decision.terminated_on is None and decision.end_on > ended_on:
        decision.terminated_on = ended_on
        decision.save(update_fields=["terminated_on"])
    episode.ended_on = ended_on
    episode.end_reason = reason
    move_episode(episode=episode, target=Episode.Status.ENDED, by=by, reason=note)


@transaction.atomic
def end_episode(
    *, episode: Episode, reason: EndReason, ended_on: datetime.date, note: str, by: Staff
) -> Episode:
    """End an episode for a reason other than handover (no further need, readmitted, declined,
    deceased, moved). A decision running past the end is terminated on the same day."""
    check_may(by, Action.END_EPISODE)
    episode = lock_episode(episode)
    rules.check_transition(episode.status, Episode.Status.ENDED)
    _check_reason(reason, EndReason.Stage.EPISODE)
    if reason.is_handover:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Handover is done with an implementation plan."), code="handover_needs_plan"
                )
            }
        )
    _check_end_date(episode, ended_on)
    _finish(episode=episode, reason=reason, ended_on=ended_on, note=note, by=by)
    record_change(
        by=by, person=episode.person, action="episode.ended", detail={"reason": reason.code}
    )
    return episode


@dataclass(frozen=True)
class ServiceDetails:
    what: str
    how: str
    when: str


@transaction.atomic
def hand_over_episode(
    *,
    episode: Episode,
    reason: EndReason,
    ended_on: datetime.date,
    receiving_team: Team,
    remaining_needs: str,
    goals_to_maintain: str,
    contacts: str,
    services: list[ServiceDetails],
    by: Staff,
) -> ImplementationPlan:
    """End with handover to ordinary home care: writes the implementation plan
    (genomförandeplan) with the services and how they are carried out rehabilitatively."""
    check_may(by, Action.HAND_OVER)
    episode = lock_episode(episode)
    rules.check_transition(episode.status, Episode.Status.ENDED)
    rules.check_handover_allowed(episode.status)
    _check_reason(reason, EndReason.Stage.EPISODE)
    if not reason.is_handover:
        raise ValidationError(
            {"reason": ValidationError(_("Choose a handover reason."), code="not_handover")}
        )
    if receiving_team.kind != Team.Kind.HOME_CARE:
        raise ValidationError(
            {
                "receiving_team": ValidationError(
                    _("Choose a home-care group."), code="not_home_care"
                )
            }
        )
    filled = [service for service in services if service.what.strip()]
    if not filled:
        raise ValidationError(
            _("Add at least one service that ordinary home care takes over."), code="no_services"
        )
    _check_end_date(episode, ended_on)
    plan = ImplementationPlan.objects.create(
        episode=episode,
        receiving_team=receiving_team,
        remaining_needs=remaining_needs.strip(),
        goals_to_maintain=goals_to_maintain.strip(),
        contacts=contacts.strip(),
        written_by=by,
    )
    PlannedService.objects.bulk_create(
        PlannedService(
            plan=plan, what=s.what.strip(), how=s.how.strip(), when=s.when.strip(), order=i
        )
        for i, s in enumerate(filled)
    )
    episode.teams.add(receiving_team)
    _finish(episode=episode, reason=reason, ended_on=ended_on, note="", by=by)
    record_change(
        by=by,
        person=episode.person,
        action="episode.handed_over",
        detail={"plan": str(plan.external_id), "receiving_team": str(receiving_team.external_id)},
    )
    return plan
