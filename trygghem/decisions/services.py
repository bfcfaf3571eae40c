"""Writes for time-limited decisions under SoL 4 kap. 1 §."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trygghem.audit.services import record_change
from trygghem.core.time import local_date
from trygghem.decisions import rules, selectors
from trygghem.decisions.models import Decision, HomeCareDecision
from trygghem.decisions.rules import Period
from trygghem.episodes import rules as episode_rules
from trygghem.episodes.models import Episode, Program
from trygghem.episodes.services import lock_episode, move_episode
from trygghem.people.models import Person
from trygghem.staff.models import Staff
from trygghem.staff.rules import Action, check_may

_ADJUSTABLE = {Episode.Status.DECIDED, Episode.Status.ACTIVE, Episode.Status.FOLLOW_UP_HELD}


@transaction.atomic
def grant_decision(
    *,
    episode: Episode,
    program: Program,
    start_on: datetime.date,
    end_on: datetime.date,
    follow_up_on: datetime.date,
    granted_services: str,
    by: Staff,
) -> Decision:
    """Grant a time-limited decision for a referred episode. Refused when longer than the
    program allows, ending before it starts, or overlapping another running decision."""
    check_may(by, Action.GRANT_DECISION)
    episode = lock_episode(episode)
    episode_rules.check_transition(episode.status, Episode.Status.DECIDED)
    if not program.active:
        raise ValidationError(
            {
                "program": ValidationError(
                    _("Choose one of the listed programs."), code="inactive_program"
                )
            }
        )
    rules.check_decision_period(
        start_on=start_on,
        end_on=end_on,
        follow_up_on=follow_up_on,
        program_name=program.name,
        max_days=program.max_days,
    )
    rules.check_no_overlap(
        Period(start_on, end_on), selectors.running_periods(person=episode.person)
    )
    decision = Decision.objects.create(
        episode=episode,
        person=episode.person,
        program=program,
        granted_services=granted_services.strip(),
        start_on=start_on,
        end_on=end_on,
        follow_up_on=follow_up_on,
        decided_by=by,
    )
    episode.program = program
    episode.save(update_fields=["program"])
    episode.teams.add(*program.teams.all())
    if episode.person.home_care_team is not None:
        episode.teams.add(episode.person.home_care_team)
    move_episode(episode=episode, target=Episode.Status.DECIDED, by=by, reason="")
    record_change(
        by=by,
        person=episode.person,
        action="decision.granted",
        detail={
            "decision": str(decision.external_id),
            "program": program.code,
            "start_on": start_on.isoformat(),
            "end_on": end_on.isoformat(),
        },
    )
    return decision


@transaction.atomic
def adjust_decision(
    *,
    decision: Decision,
    start_on: datetime.date,
    end_on: datetime.date,
    follow_up_on: datetime.date,
    granted_services: str,
    change_reason: str,
    by: Staff,
) -> Decision:
    """Adjust a running decision: writes version n+1 and keeps version n unchanged and readable."""
    check_may(by, Action.ADJUST_DECISION)
    episode = lock_episode(decision.episode)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.is_current or decision.terminated_on is not None:
        raise ValidationError(
            _(
                "Only the decision in force can be adjusted; "
                "this version has been replaced or ended."
            ),
            code="decision_not_current",
        )
    if episode.status not in _ADJUSTABLE:
        raise ValidationError(
            _("The decision of an ended episode cannot be adjusted."), code="episode_not_open"
        )
    if not change_reason.strip():
        raise ValidationError(
            {"change_reason": ValidationError(_("Give a reason for the change."), code="required")}
        )
    unchanged = (
        decision.start_on == start_on
        and decision.end_on == end_on
        and decision.follow_up_on == follow_up_on
        and decision.granted_services == granted_services.strip()
    )
    if unchanged:
        raise ValidationError(
            _("Nothing was changed; the decision stays as it is."), code="decision_unchanged"
        )
    rules.check_decision_period(
        start_on=start_on,
        end_on=end_on,
        follow_up_on=follow_up_on,
        program_name=decision.program.name,
        max_days=decision.program.max_days,
    )
    home_on = local_date(episode.home_at) if episode.home_at is not None else None
    if home_on is not None and end_on < home_on:
        raise ValidationError(
            {
                "end_on": ValidationError(
                    _("The decision must still cover the homecoming."),
                    code="ends_before_homecoming",
                )
            }
        )
    if home_on is not None and start_on > home_on:
        raise ValidationError(
            {
                "start_on": ValidationError(
                    _("The decision cannot start after the homecoming it covers."),
                    code="starts_after_homecoming",
                )
            }
        )
    rules.check_no_overlap(
        Period(start_on, end_on),
        selectors.running_periods(person=episode.person, exclude_series=decision.series),
    )
    decision.is_current = False
    decision.save(update_fields=["is_current"])
    adjusted = Decision.objects.create(
        episode=episode,
        person=episode.person,
        program=decision.program,
        granted_services=granted_services.strip(),
        start_on=start_on,
        end_on=end_on,
        follow_up_on=follow_up_on,
        series=decision.series,
        version=decision.version + 1,
        change_reason=change_reason.strip(),
        decided_by=by,
    )
    record_change(
        by=by,
        person=episode.person,
        action="decision.adjusted",
        detail={
            "decision": str(adjusted.external_id),
            "version": adjusted.version,
            "start_on": start_on.isoformat(),
            "end_on": end_on.isoformat(),
        },
    )
    return adjusted


# Ordinary home-care decisions (biståndsbeslut om hemtjänst)


def _lock_person(person: Person) -> None:
    """Serialises writes of one person's home-care decisions, so two cannot overlap."""
    Person.objects.select_for_update().get(pk=person.pk)


@transaction.atomic
def grant_home_care_decision(
    *,
    person: Person,
    hours_per_week: Decimal,
    start_on: datetime.date,
    end_on: datetime.date | None = None,
    episode: Episode | None = None,
    by: Staff,
) -> HomeCareDecision:
    """Grant ordinary home care (SoL 4 kap. 1 §) with its hours a week from a day, until
    further notice or to an end. Refused when it overlaps another of the person's home-care
    decisions, or follows from another person's episode."""
    check_may(by, Action.RECORD_HOME_CARE_DECISION)
    _lock_person(person)
    if episode is not None and episode.person_id != person.pk:
        raise ValidationError(
            {
                "episode": ValidationError(
                    _("Choose one of the person's own episodes."), code="other_persons_episode"
                )
            }
        )
    rules.check_home_care_decision(hours_per_week=hours_per_week, start_on=start_on, end_on=end_on)
    rules.check_no_home_care_overlap((start_on, end_on), selectors.home_care_periods(person=person))
    decision = HomeCareDecision.objects.create(
        person=person,
        episode=episode,
        hours_per_week=hours_per_week,
        start_on=start_on,
        end_on=end_on,
        decided_by=by,
    )
    record_change(
        by=by,
        person=person,
        action="home_care_decision.granted",
        detail={
            "decision": str(decision.external_id),
            "hours_per_week": str(hours_per_week),
            "start_on": start_on.isoformat(),
            "end_on": end_on.isoformat() if end_on is not None else None,
        },
    )
    return decision


def _locked(decision: HomeCareDecision) -> HomeCareDecision:
    _lock_person(decision.person)
    return HomeCareDecision.objects.select_related("person").get(pk=decision.pk)


@transaction.atomic
def end_home_care_decision(
    *, decision: HomeCareDecision, end_on: datetime.date, by: Staff
) -> HomeCareDecision:
    """End a home-care decision on a day (its last day). Only ever earlier than it ends now:
    a longer period is a new decision."""
    check_may(by, Action.RECORD_HOME_CARE_DECISION)
    decision = _locked(decision)
    if decision.end_on is not None and decision.end_on <= end_on:
        raise ValidationError(
            {
                "end_on": ValidationError(
                    _("The decision already ends on %(day)s.")
                    % {"day": date_format(decision.end_on, "SHORT_DATE_FORMAT")},
                    code="already_ends",
                )
            }
        )
    rules.check_home_care_decision(
        hours_per_week=decision.hours_per_week, start_on=decision.start_on, end_on=end_on
    )
    decision.end_on = end_on
    decision.save(update_fields=["end_on"])
    record_change(
        by=by,
        person=decision.person,
        action="home_care_decision.ended",
        detail={"decision": str(decision.external_id), "end_on": end_on.isoformat()},
    )
    return decision


@transaction.atomic
def replace_home_care_decision(
    *, decision: HomeCareDecision, hours_per_week: Decimal, from_on: datetime.date, by: Staff
) -> HomeCareDecision:
    """Change the granted hours from a day: the decision in force then ends the day before and
    a new one with the new hours runs from that day to the old one's end."""
    check_may(by, Action.RECORD_HOME_CARE_DECISION)
    decision = _locked(decision)
    if not decision.start_on < from_on or (
        decision.end_on is not None and decision.end_on < from_on
    ):
        raise ValidationError(
            {
                "from_on": ValidationError(
                    _("Replace the decision from a day after it starts and no later than it ends."),
                    code="outside_decision",
                )
            }
        )
    if hours_per_week == decision.hours_per_week:
        raise ValidationError(
            {
                "hours_per_week": ValidationError(
                    _("The hours are unchanged; the decision stays as it is."),
                    code="hours_unchanged",
                )
            }
        )
    rules.check_home_care_decision(
        hours_per_week=hours_per_week, start_on=from_on, end_on=decision.end_on
    )
    rules.check_no_home_care_overlap(
        (from_on, decision.end_on),
        selectors.home_care_periods(person=decision.person, exclude=decision),
    )
    replacement = HomeCareDecision.objects.create(
        person=decision.person,
        episode=decision.episode,
        hours_per_week=hours_per_week,
        start_on=from_on,
        end_on=decision.end_on,
        decided_by=by,
    )
    decision.end_on = from_on - datetime.timedelta(days=1)
    decision.save(update_fields=["end_on"])
    record_change(
        by=by,
        person=decision.person,
        action="home_care_decision.replaced",
        detail={
            "decision": str(decision.external_id),
            "replacement": str(replacement.external_id),
            "hours_per_week": str(hours_per_week),
            "from_on": from_on.isoformat(),
        },
    )
    return replacement
