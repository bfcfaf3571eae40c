"""Episodes with a history: built through the real services up to the decision, then dated
back with direct updates (the services refuse dates in the past, as they should)."""

import datetime
import zoneinfo
from decimal import Decimal

from tests.factories import decided_episode, person_details, referred_episode
from trygghem.decisions.models import Decision
from trygghem.episodes.models import EndReason, Episode, Program
from trygghem.referrals.models import Referral
from trygghem.referrals.services import PersonDetails
from trygghem.staff.models import Staff

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def _date_referral(
    episode: Episode,
    *,
    received_on: datetime.date,
    ready_on: datetime.date | None,
    hours: Decimal,
    triage: str,
    source: str,
) -> None:
    Referral.objects.filter(pk=episode.referral_id).update(
        received_on=received_on,
        admitted_on=None,
        ready_for_discharge_on=ready_on,
        planned_home_on=None,
        home_care_hours_before=hours,
        triage=triage,
        source=source,
    )


def enrolled(
    *,
    by: Staff,
    received_on: datetime.date,
    start_on: datetime.date,
    home_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    reason: str = "no_further_need",
    ready_on: datetime.date | None = None,
    days: int = 14,
    hours: Decimal = Decimal("3.5"),
    triage: str = Referral.Triage.YELLOW,
    source: str = Referral.Source.HOSPITAL,
    program_code: str = "trygg_hemgang",
    person: PersonDetails | None = None,
) -> Episode:
    """An episode decided from `start_on` for `days` days, home at 09:00 on `home_on`, ended on
    `ended_on` for `reason` (the decision terminated then if it ran longer)."""
    episode = decided_episode(by=by, person=person or person_details(), program_code=program_code)
    _date_referral(
        episode,
        received_on=received_on,
        ready_on=ready_on,
        hours=hours,
        triage=triage,
        source=source,
    )
    end_on = start_on + datetime.timedelta(days=days - 1)
    Decision.objects.filter(episode=episode).update(
        start_on=start_on,
        end_on=end_on,
        follow_up_on=start_on,
        program=Program.objects.get(code=program_code),
        terminated_on=ended_on if ended_on is not None and ended_on < end_on else None,
    )
    fields: dict[str, object] = {}
    if home_on is not None:
        fields |= {
            "status": Episode.Status.ACTIVE,
            "home_at": datetime.datetime.combine(home_on, datetime.time(9), tzinfo=STOCKHOLM),
        }
    if ended_on is not None:
        fields |= {
            "status": Episode.Status.ENDED,
            "ended_on": ended_on,
            "end_reason": EndReason.objects.get(code=reason),
        }
    Episode.objects.filter(pk=episode.pk).update(**fields)
    return Episode.objects.get(pk=episode.pk)


def referred(
    *,
    by: Staff,
    received_on: datetime.date,
    closed_on: datetime.date | None = None,
    reason: str = "triage_green",
    person: PersonDetails | None = None,
    source: str = Referral.Source.HOSPITAL,
) -> Episode:
    """A referral received on `received_on`, still waiting or closed without enrolment."""
    episode = referred_episode(by=by, person=person or person_details())
    _date_referral(
        episode,
        received_on=received_on,
        ready_on=None,
        hours=Decimal(0),
        triage=Referral.Triage.GREEN,
        source=source,
    )
    if closed_on is not None:
        Episode.objects.filter(pk=episode.pk).update(
            status=Episode.Status.CLOSED,
            ended_on=closed_on,
            end_reason=EndReason.objects.get(code=reason),
        )
    return Episode.objects.get(pk=episode.pk)
