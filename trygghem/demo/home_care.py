"""Demo home-care decisions (biståndsbeslut om hemtjänst) with their hours a week, written after
the episodes so the follow-up can compare the hours before admission with those at handover
and 3, 6 and 12 months later.

The story follows the source documents: reablement lowers or ends home care ("upphörande/
minskning av hemtjänsttimmar", the IHR report to the board; "Patienternas behov av hemtjänst har
minskat efter insatserna", Socialstyrelsen), time-limited help is phased out "helt eller till
den nivå som en kontinuerlig omsorg innebär" (SKL, Trygg hemgång), yet about a third of older
people with light needs grow more dependent within a year (Socialstyrelsen), and a hospital stay
tends to raise care needs (SKL). So: former clients are handed over with 20-65 % fewer hours
and about a quarter need more again within the year; most of those who end with no further
need have no home care; most new patients have none after a few months, the rest small
decisions; readmitted people need more.

Per person, in the order things happened: whoever had hours before a referral had a decision
in force on the day it was received, with those hours (a later referral's hours follow from
what the earlier episode left, so the referral's drawn hours are corrected here); what happens
at the end depends on the end reason (see the functions below); the ordinary home-care clients
without an episode have their own decisions. Never two decisions in force on one day, nothing
starts after today.

Rows are bulk-inserted (the corrected referrals bulk-updated); like the rest of the demo, seed
data writes no access-log rows."""

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from trygghem.decisions.models import HomeCareDecision
from trygghem.episodes.models import Episode
from trygghem.people.models import Person
from trygghem.referrals.models import Referral
from trygghem.staff.models import Staff

Progress = Callable[[str], None]
DAY = datetime.timedelta(days=1)
HALF = Decimal("0.5")
GONE = ("deceased", "moved")


@dataclass
class _Planned:
    hours: Decimal
    start_on: datetime.date
    end_on: datetime.date | None
    decided_by: int
    episode: int | None


def _halves(value: float) -> Decimal:
    """Hours in half-hour steps, at least half an hour."""
    return max(HALF, Decimal(round(value * 2)) / 2)


class _Timeline:
    """One person's decisions, one after the other: a new one ends the one in force the day
    before (or takes its place when both would start the same day)."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.horizon = today  # nothing is planned after it: today, or the next referral
        self.decisions: list[_Planned] = []

    @property
    def current(self) -> _Planned | None:
        last = self.decisions[-1] if self.decisions else None
        return last if last is not None and last.end_on is None else None

    def start(
        self, day: datetime.date, hours: Decimal, by: int, episode: int | None = None
    ) -> None:
        if day > self.horizon:
            return
        current = self.current
        if current is not None and current.hours == hours:
            return
        if self.decisions and self.decisions[-1].start_on >= day:
            last = self.decisions[-1]
            last.hours, last.end_on, last.decided_by, last.episode = hours, None, by, episode
            return
        self.stop(day - DAY)
        self.decisions.append(_Planned(hours, day, None, by, episode))

    def stop(self, last_day: datetime.date) -> None:
        current = self.current
        if current is None or last_day > self.horizon:
            return
        if last_day < current.start_on:
            self.decisions.pop()
        else:
            current.end_on = last_day


def write_home_care(*, seed: int, today: datetime.date, progress: Progress) -> dict[str, int]:
    progress("Sparar hemtjänstbeslut med beviljade timmar …")
    rng = random.Random(seed + 6)  # noqa: S311  (a reproducible demo, not a secret)
    officers = list(
        Staff.objects.filter(role=Staff.Role.CASE_OFFICER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    episodes: dict[int, list[Episode]] = defaultdict(list)
    for episode in Episode.objects.select_related("referral", "end_reason").order_by(
        "person_id", "referral__received_on", "pk"
    ):
        episodes[episode.person_id].append(episode)
    rows: list[HomeCareDecision] = []
    referrals: list[Referral] = []
    for person_id, in_home_care in Person.objects.order_by("pk").values_list(
        "pk", "home_care_team"
    ):
        timeline = _Timeline(today)
        own = episodes.get(person_id, [])
        following_of: list[Episode | None] = [*own[1:], None] if own else []
        since: datetime.date | None = None
        for episode, following in zip(own, following_of, strict=True):
            timeline.horizon = min(today, episode.referral.received_on)
            referral = episode.referral
            hours = _hours_again(timeline, referral.home_care_hours_before)
            if hours != referral.home_care_hours_before:
                referral.home_care_hours_before = hours
                referrals.append(referral)
            _before(rng, timeline, episode, officers, since)
            since = episode.referral.received_on
            timeline.horizon = today
            if following is not None:
                timeline.horizon = min(today, following.referral.received_on - DAY)
            _after(rng, timeline, episode)
        timeline.horizon = today
        if not episodes.get(person_id) and in_home_care is not None:
            _client_without_episode(rng, timeline, today, officers)
        rows.extend(
            HomeCareDecision(
                person_id=person_id,
                episode_id=planned.episode,
                hours_per_week=planned.hours,
                start_on=planned.start_on,
                end_on=planned.end_on,
                decided_by_id=planned.decided_by,
            )
            for planned in timeline.decisions
        )
    HomeCareDecision.objects.bulk_create(rows, batch_size=500)
    Referral.objects.bulk_update(referrals, ["home_care_hours_before"], batch_size=500)
    return {"hemtjänstbeslut": len(rows)}


def _before(
    rng: random.Random,
    timeline: _Timeline,
    episode: Episode,
    officers: list[int],
    since: datetime.date | None,
) -> None:
    """The hours before admission are those of the decision in force when the referral came:
    granted long before for a first decision (but after `since`, the person's earlier
    referral, which had none); after an earlier episode the need changed a few weeks before
    the new referral (the new illness or fall that led to it)."""
    received_on = episode.referral.received_on
    hours = episode.referral.home_care_hours_before
    if hours == 0:
        timeline.stop(received_on - DAY)
        return
    if not timeline.decisions:
        started = received_on - datetime.timedelta(days=rng.randint(60, 900))
        if since is not None:
            started = max(started, min(since + DAY, received_on))
        timeline.start(started, hours, rng.choice(officers))
        return
    last = timeline.decisions[-1]
    earliest = (last.start_on if last.end_on is None else last.end_on) + DAY
    changed = received_on - datetime.timedelta(days=rng.randint(1, 21))
    timeline.start(min(max(changed, earliest), received_on), hours, rng.choice(officers))


def _hours_again(timeline: _Timeline, drawn: Decimal) -> Decimal:
    """A referral's hours before, when an earlier episode left a decision in force: those hours,
    raised by at most half by what led to the new referral (the story's own draw, kept inside
    that range). Drawn freshly (2-15 h for a home-care client), a person handed over with 3 h
    could come back with 15 h a few months later, and the first episode's follow-up then
    counted the new illness as home care the reablement had added."""
    current = timeline.current
    if current is None:
        return drawn
    return min(max(drawn, current.hours), _halves(float(current.hours) * 1.5))


def _after(rng: random.Random, timeline: _Timeline, episode: Episode) -> None:
    if episode.status != Episode.Status.ENDED or episode.ended_on is None:
        return
    ended_on = episode.ended_on
    before = episode.referral.home_care_hours_before
    reason = episode.end_reason.code if episode.end_reason else ""
    officer = episode.case_officer_id
    if reason in GONE:
        timeline.stop(ended_on)
    elif reason == "handover" and before:
        _handover_of_a_client(rng, timeline, ended_on, before, officer, episode.pk)
    elif reason == "handover":
        _handover_of_a_new_patient(rng, timeline, ended_on, officer, episode.pk)
    elif reason == "no_further_need":
        _no_further_need(rng, timeline, ended_on, before, officer, episode.pk)
    else:
        _went_on(rng, timeline, ended_on, before, officer, readmitted=reason == "readmitted")


def _later(rng: random.Random, ended_on: datetime.date, first: int, last: int) -> datetime.date:
    return ended_on + datetime.timedelta(days=rng.randint(first, last))


def _fewer(before: Decimal, share_kept: float) -> Decimal:
    """Fewer hours than before, in half-hour steps, never none."""
    return max(HALF, min(_halves(float(before) * share_kept), before - HALF))


def _handover_of_a_client(
    rng: random.Random,
    timeline: _Timeline,
    ended_on: datetime.date,
    before: Decimal,
    officer: int,
    episode: int,
) -> None:
    """Handed over to ordinary home care with fewer hours than before (most keep 35-80 %,
    i.e. 20-65 % fewer). Within the year about a seventh manage without home care, as many
    need even fewer hours, and a quarter need more again, as people of this age do after a
    new illness (Socialstyrelsen: about a third of people with light needs increase their
    dependency within the first year)."""
    hours = _fewer(before, rng.uniform(0.35, 0.8))
    timeline.start(ended_on, hours, officer, episode)
    roll = rng.random()
    if roll < 0.15:
        timeline.stop(_later(rng, ended_on, 30, 200))
    elif roll < 0.3:
        less = max(HALF, hours - _halves(rng.uniform(0.5, 2)))
        timeline.start(_later(rng, ended_on, 30, 250), less, officer, episode)
    elif roll < 0.55:
        more = hours + _halves(rng.uniform(1, 2.5))
        timeline.start(_later(rng, ended_on, 60, 360), more, officer, episode)


def _handover_of_a_new_patient(
    rng: random.Random, timeline: _Timeline, ended_on: datetime.date, officer: int, episode: int
) -> None:
    """A new patient handed over gets a small decision (1-3 hours a week). Home care goes on
    with the rehabilitating approach, so about half manage without it within a few months and
    a few more later in the year; some need more after a new illness."""
    hours = _halves(rng.uniform(1, 3))
    timeline.start(ended_on, hours, officer, episode)
    roll = rng.random()
    if roll < 0.5:
        timeline.stop(_later(rng, ended_on, 21, 85))
    elif roll < 0.65:
        timeline.stop(_later(rng, ended_on, 95, 300))
    elif roll < 0.77:
        more = hours + _halves(rng.uniform(1, 2))
        timeline.start(_later(rng, ended_on, 60, 360), more, officer, episode)


def _no_further_need(
    rng: random.Random,
    timeline: _Timeline,
    ended_on: datetime.date,
    before: Decimal,
    officer: int,
    episode: int,
) -> None:
    """No further need: home care ends, also for most former clients; three in ten of them
    keep a small decision for what training does not change (cleaning, shopping). About one in
    twelve without home care needs a new small decision within the year (a new illness)."""
    if before and rng.random() < 0.3:
        timeline.start(ended_on, _fewer(before, rng.uniform(0.25, 0.5)), officer, episode)
    else:
        timeline.stop(ended_on - DAY)
    if timeline.current is None and rng.random() < 0.08:
        timeline.start(_later(rng, ended_on, 60, 330), _halves(rng.uniform(1, 4)), officer)


def _went_on(
    rng: random.Random,
    timeline: _Timeline,
    ended_on: datetime.date,
    before: Decimal,
    officer: int,
    *,
    readmitted: bool,
) -> None:
    """Readmitted or declined: the home care before goes on. Readmission often means the
    person got worse: within weeks almost half of the readmitted (a fifth of those who
    declined) need more hours than before, or new hours if they had none."""
    if rng.random() >= (0.45 if readmitted else 0.2):
        return
    day = _later(rng, ended_on, 5, 45)
    if before:
        timeline.start(day, before + _halves(rng.uniform(1, 4)), officer)
    else:
        timeline.start(day, _halves(rng.uniform(1.5, 5)), officer)


def _client_without_episode(
    rng: random.Random, timeline: _Timeline, today: datetime.date, officers: list[int]
) -> None:
    started = today - datetime.timedelta(days=rng.randint(30, 1500))
    hours = Decimal(rng.randint(4, 30)) / 2
    timeline.start(started, hours, rng.choice(officers))
    if rng.random() < 0.25:
        changed = started + datetime.timedelta(days=rng.randint(20, 700))
        timeline.start(changed, _halves(float(hours) + rng.uniform(-3, 4)), rng.choice(officers))
