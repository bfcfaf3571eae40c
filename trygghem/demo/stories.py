"""What happens in each referral of the demo, before anyone is cast in it: dates, triage,
program, decision period, follow-up and end.

History: 18 full months plus the current one, 15-30 referrals a month (more in winter), every
one of them finished before today. Present day: a fixed set of scenarios relative to today, so
the worklists have open referrals, homecomings to come, follow-ups due today, tomorrow and
overdue, and decisions about to end.
"""

import calendar
import datetime
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from trygghem.demo import texts
from trygghem.episodes.models import Episode, FollowUp
from trygghem.referrals.models import Referral

Status = Episode.Status
Source = Referral.Source
Triage = Referral.Triage
FeelsSafe = Referral.FeelsSafe
Participant = FollowUp.Participant

HISTORY_MONTHS = 18
# Referrals a month before noise: more in winter (falls, infections), fewer in summer.
SEASONAL_REFERRALS = {
    1: 27,
    2: 26,
    3: 24,
    4: 22,
    5: 20,
    6: 18,
    7: 16,
    8: 17,
    9: 20,
    10: 22,
    11: 24,
    12: 27,
}
END_WEIGHTS = (
    ("handover", 45),
    ("no_further_need", 35),
    ("readmitted", 10),
    ("declined", 4),
    ("deceased", 3),
    ("moved", 3),
)
ENDS_AFTER_FOLLOW_UP = ("handover", "no_further_need", "moved")


@dataclass(frozen=True)
class ProgramRule:
    code: str
    max_days: int
    follow_up_after_days: int


@dataclass(frozen=True)
class DecisionStory:
    decided_on: datetime.date
    start_on: datetime.date
    end_on: datetime.date
    follow_up_on: datetime.date


@dataclass(frozen=True)
class FollowUpStory:
    held_on: datetime.date
    mode: str
    outcome: str
    extra: tuple[str, ...]


@dataclass(frozen=True)
class AdjustmentStory:
    on: datetime.date
    end_on: datetime.date
    reason: str
    extra: str


@dataclass(frozen=True)
class EndStory:
    on: datetime.date
    reason: str


@dataclass
class Story:
    client: bool
    source: str
    received_on: datetime.date
    triage: str
    feels_safe: str
    program: str
    hours_before: Decimal
    exclusion_criteria: tuple[str, ...] = ()
    admitted_on: datetime.date | None = None
    ready_on: datetime.date | None = None
    planned_home_on: datetime.date | None = None
    closed: EndStory | None = None
    decision: DecisionStory | None = None
    home_on: datetime.date | None = None
    home_minutes: int = 9 * 60
    follow_up: FollowUpStory | None = None
    adjustment: AdjustmentStory | None = None
    end: EndStory | None = None
    scenario: bool = False

    @property
    def status(self) -> str:
        if self.closed is not None:
            return Status.CLOSED
        if self.end is not None:
            return Status.ENDED
        if self.follow_up is not None:
            return Status.FOLLOW_UP_HELD
        if self.home_on is not None:
            return Status.ACTIVE
        if self.decision is not None:
            return Status.DECIDED
        return Status.REFERRED

    @property
    def finished_on(self) -> datetime.date | None:
        """The day the referral was closed or the episode ended; None while it is open."""
        done = self.closed or self.end
        return done.on if done is not None else None

    @property
    def current_end_on(self) -> datetime.date | None:
        if self.adjustment is not None:
            return self.adjustment.end_on
        return self.decision.end_on if self.decision is not None else None


def build_stories(
    rng: random.Random,
    *,
    today: datetime.date,
    programs: Mapping[str, ProgramRule],
    criteria: Sequence[str],
    progress: Callable[[str], None],
) -> list[Story]:
    """Every referral of the demo, in the order they were received."""
    present = [scenario_story(rng, scenario, today, programs) for scenario in SCENARIOS]
    result = list(present)
    months = history_months(today)
    for number, month in enumerate(months, 1):
        bar = _bar(number, len(months))
        progress(f"Laddar historik: månad {number} av {len(months)} ({month:%Y-%m}) {bar}")
        already = sum(1 for story in present if _same_month(story.received_on, month))
        for _ in range(max(0, month_target(rng, month, today) - already)):
            story = history_story(rng, month, today, programs, criteria)
            if story is not None:
                result.append(story)
    result.sort(key=lambda story: story.received_on)
    return result


def _bar(done: int, total: int, width: int = 20) -> str:
    filled = round(width * done / total)
    return f"[{'#' * filled}{'.' * (width - filled)}]"


def _same_month(day: datetime.date, month: datetime.date) -> bool:
    return (day.year, day.month) == (month.year, month.month)


def history_months(today: datetime.date) -> list[datetime.date]:
    """The first day of each month: 18 full months before today's month, then today's."""
    index = today.year * 12 + today.month - 1 - HISTORY_MONTHS
    return [
        datetime.date((index + i) // 12, (index + i) % 12 + 1, 1) for i in range(HISTORY_MONTHS + 1)
    ]


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def month_target(rng: random.Random, month: datetime.date, today: datetime.date) -> int:
    """Referrals received in the month: 15-30 in a full month, pro rata in today's month."""
    count = min(30, max(15, SEASONAL_REFERRALS[month.month] + rng.randint(-3, 3)))
    if _same_month(today, month):
        return round(count * today.day / month_end(month).day)
    return count


def history_story(
    rng: random.Random,
    month: datetime.date,
    today: datetime.date,
    programs: Mapping[str, ProgramRule],
    criteria: Sequence[str],
) -> Story | None:
    """A referral received in the month and finished before today: near today the draw is
    repeated until the story fits, and in the last resort the referral is closed at once."""
    last_day = min(month_end(month), today - datetime.timedelta(days=1))
    if last_day < month:
        return None
    client = rng.random() < 0.2
    for _ in range(40):
        story = new_story(
            rng,
            client=client,
            received_on=_weekday_biased(rng, month, last_day),
            programs=programs,
            criteria=criteria,
        )
        finished = story.finished_on
        if finished is not None and finished < today:
            return story
    story = referral_basics(
        rng,
        client=client,
        received_on=_weekday_biased(rng, month, last_day),
        programs=programs,
        criteria=criteria,
    )
    story.closed = EndStory(story.received_on, _forced_closing_reason(rng, story))
    return story


def _weekday_biased(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    return rng.choices(days, [1.0 if day.weekday() < 5 else 0.4 for day in days])[0]


def new_story(
    rng: random.Random,
    *,
    client: bool,
    received_on: datetime.date,
    programs: Mapping[str, ProgramRule],
    criteria: Sequence[str],
) -> Story:
    story = referral_basics(
        rng, client=client, received_on=received_on, programs=programs, criteria=criteria
    )
    reason = _closing_reason(rng, story)
    if reason:
        closed = received_on + datetime.timedelta(days=rng.randint(0, 2))
        story.closed = EndStory(
            office_day(closed, received_on, closed + datetime.timedelta(days=3)), reason
        )
        return story
    rule = programs[story.program]
    decision, home_on = decide(rng, story, rule)
    run_episode(rng, story, rule, decision, home_on)
    return story


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


def referral_basics(
    rng: random.Random,
    *,
    client: bool,
    received_on: datetime.date,
    programs: Mapping[str, ProgramRule],
    criteria: Sequence[str],
    source: str | None = None,
    program: str | None = None,
    triage: str | None = None,
) -> Story:
    """Who referred, triage, the screening question and home-care hours before."""
    triage = triage or _pick(rng, ((Triage.GREEN, 20), (Triage.YELLOW, 70), (Triage.RED, 10)))
    source = source or (
        Source.HOME_CARE
        if client
        else _pick(rng, ((Source.HOSPITAL, 75), (Source.SHORT_TERM, 20), (Source.APPLICANT, 5)))
    )
    excluded = triage != Triage.GREEN and bool(criteria) and rng.random() < 0.065
    story = Story(
        client=client,
        source=source,
        received_on=received_on,
        triage=triage,
        feels_safe=_feels_safe(rng, triage),
        program=program or _program(rng, client=client, triage=triage, programs=programs),
        hours_before=_hours_before(rng, client),
        exclusion_criteria=(rng.choice(criteria),) if excluded else (),
    )
    _stay_dates(rng, story)
    return story


def _program(
    rng: random.Random, *, client: bool, triage: str, programs: Mapping[str, ProgramRule]
) -> str:
    if client:
        weights = (("trygg_hemma", 85), ("trygg_hemgang", 10), ("ihr", 5))
    elif triage == Triage.RED:
        weights = (("trygg_hemgang", 55), ("trygg_hemma", 15), ("ihr", 30))
    else:
        weights = (("trygg_hemgang", 92), ("trygg_hemma", 6), ("ihr", 2))
    available = tuple((code, weight) for code, weight in weights if code in programs)
    return _pick(rng, available)


def _feels_safe(rng: random.Random, triage: str) -> str:
    if triage == Triage.GREEN:
        return _pick(rng, ((FeelsSafe.YES, 70), (FeelsSafe.PARTLY, 20), (FeelsSafe.NOT_ASKED, 10)))
    return _pick(
        rng,
        (
            (FeelsSafe.YES, 25),
            (FeelsSafe.PARTLY, 40),
            (FeelsSafe.NO, 25),
            (FeelsSafe.NOT_ASKED, 10),
        ),
    )


def _hours_before(rng: random.Random, client: bool) -> Decimal:
    """Existing clients have 2-15 h a week; most new hospital patients none."""
    if client:
        return Decimal(rng.randint(4, 30)) / 2
    if rng.random() < 0.85:
        return Decimal(0)
    return Decimal(rng.randint(1, 6)) / 2


def _stay_dates(rng: random.Random, story: Story) -> None:
    """Admission, ready-for-discharge and planned homecoming of a hospital or short-term stay."""
    received = story.received_on
    if story.source == Source.HOSPITAL:
        story.admitted_on = received - datetime.timedelta(days=rng.randint(0, 1))
        story.ready_on = received + datetime.timedelta(days=rng.randint(1, 8))
        story.planned_home_on = story.ready_on + datetime.timedelta(days=rng.choice((0, 0, 1, 2)))
    elif story.source == Source.SHORT_TERM:
        story.planned_home_on = received + datetime.timedelta(days=rng.randint(3, 12))


def _closing_reason(rng: random.Random, story: Story) -> str:
    """About a quarter of referrals close without enrolment."""
    if story.exclusion_criteria:
        return "excluded"
    if story.triage == Triage.GREEN and rng.random() < 0.85:
        return "triage_green"
    if rng.random() < 0.08:
        return rng.choice(("declined_offer", "other_service"))
    return ""


def _forced_closing_reason(rng: random.Random, story: Story) -> str:
    if story.exclusion_criteria:
        return "excluded"
    if story.triage == Triage.GREEN:
        return "triage_green"
    return rng.choice(("declined_offer", "other_service"))


def decision_length(rng: random.Random, rule: ProgramRule) -> int:
    """Days granted, counted inclusive, never more than the program allows."""
    if rule.code == "trygg_hemgang":
        days = (
            rule.max_days if rng.random() < 0.75 else rng.randint(rule.max_days - 4, rule.max_days)
        )
    elif rule.code == "trygg_hemma":
        days = rng.choice((21, 21, 28))
    elif rule.code == "ihr":
        days = rng.choice((28, 42, 42, 56))
    else:
        days = rule.max_days
    return max(1, min(days, rule.max_days))


def decide(
    rng: random.Random, story: Story, rule: ProgramRule
) -> tuple[DecisionStory, datetime.date]:
    """The decision is granted a day or two before the planned homecoming and starts on it."""
    received = story.received_on
    if story.planned_home_on is not None:
        start = story.planned_home_on
        decided = max(received, start - datetime.timedelta(days=rng.randint(1, 2)))
        decided = office_day(decided, received, start - datetime.timedelta(days=1))
    else:
        decided = received + datetime.timedelta(days=rng.randint(1, 4))
        decided = office_day(decided, received, decided + datetime.timedelta(days=3))
        start = decided + datetime.timedelta(days=rng.randint(1, 2))
    end = start + datetime.timedelta(days=decision_length(rng, rule) - 1)
    follow_up = start + datetime.timedelta(
        days=rule.follow_up_after_days - 1 + rng.choice((-1, 0, 0, 1))
    )
    follow_up = office_day(_clamp(follow_up, start, end), start, end)
    decision = DecisionStory(decided, start, end, follow_up)
    delay = 1 if rng.random() < 0.12 and end > start else 0
    home_on = start + datetime.timedelta(days=delay)
    story.decision = decision
    story.home_on = home_on
    story.home_minutes = 8 * 60 + 15 * rng.randint(0, 14)
    return decision, home_on


def office_day(day: datetime.date, earliest: datetime.date, latest: datetime.date) -> datetime.date:
    """Case officers work on weekdays: a Saturday or Sunday moves to the Friday before, or else
    the Monday after, when that stays within [earliest, latest]."""
    if day.weekday() < 5:
        return day
    friday = day - datetime.timedelta(days=day.weekday() - 4)
    monday = day + datetime.timedelta(days=7 - day.weekday())
    if friday >= earliest:
        return friday
    if monday <= latest:
        return monday
    return day


def _clamp(day: datetime.date, first: datetime.date, last: datetime.date) -> datetime.date:
    return max(first, min(day, last))


def run_episode(
    rng: random.Random,
    story: Story,
    rule: ProgramRule,
    decision: DecisionStory,
    home: datetime.date,
) -> None:
    """From homecoming to the end: follow-up, perhaps an adjusted decision, and the end."""
    reason = _pick(rng, END_WEIGHTS)
    held = _clamp(
        decision.follow_up_on + datetime.timedelta(days=rng.choice((-1, 0, 0, 0, 1, 2))),
        home,
        decision.end_on,
    )
    held = office_day(held, home, decision.end_on)
    if reason in ENDS_AFTER_FOLLOW_UP:
        story.follow_up = _follow_up_story(rng, held)
        if rng.random() < 0.12:
            story.adjustment = _adjustment(rng, story, rule, decision, held)
        ended = _late_end(rng, reason, held, story.current_end_on or decision.end_on)
    else:
        ended = _early_end(rng, reason, home, decision.end_on)
        if held < ended:
            story.follow_up = _follow_up_story(rng, held)
    story.end = EndStory(ended, reason)
    quick_end = reason == "no_further_need" and (ended - held).days <= 2
    if story.follow_up is not None and story.adjustment is None and quick_end:
        story.follow_up = _follow_up_story(rng, held, outcome=FollowUp.Outcome.END)


def _follow_up_story(
    rng: random.Random, held: datetime.date, outcome: str = FollowUp.Outcome.CONTINUE
) -> FollowUpStory:
    """Hofors: the person, the team and the case officer; perhaps nurse, PT, OT, a relative."""
    extra = tuple(
        code
        for code, share in (
            (Participant.NURSE, 0.3),
            (Participant.PT, 0.35),
            (Participant.OT, 0.45),
            (Participant.RELATIVE, 0.3),
        )
        if rng.random() < share
    )
    mode = FollowUp.Mode.PHYSICAL if rng.random() < 0.7 else FollowUp.Mode.DIGITAL
    return FollowUpStory(held, mode, outcome, extra)


def _adjustment(
    rng: random.Random,
    story: Story,
    rule: ProgramRule,
    decision: DecisionStory,
    held: datetime.date,
) -> AdjustmentStory:
    """Version 2 of the decision: a longer period when the program allows it, otherwise
    other services for the same period."""
    story.follow_up = _follow_up_story(rng, held, outcome=FollowUp.Outcome.ADJUST_DECISION)
    longest = decision.start_on + datetime.timedelta(days=rule.max_days - 1)
    if rule.code != "trygg_hemgang" and decision.end_on < longest:
        end = min(longest, decision.end_on + datetime.timedelta(days=rng.randint(5, 14)))
        return AdjustmentStory(held, end, *texts.EXTENSION)
    reason, extra = rng.choice(texts.ADJUSTMENTS)
    return AdjustmentStory(held, decision.end_on, reason, extra)


def _late_end(
    rng: random.Random, reason: str, held: datetime.date, end_on: datetime.date
) -> datetime.date:
    if reason == "moved":
        return min(end_on, held + datetime.timedelta(days=rng.randint(1, 5)))
    early = rng.choice((0, 0, 0, 1, 2)) if reason == "handover" else rng.randint(0, 4)
    return max(held, end_on - datetime.timedelta(days=early))


def _early_end(
    rng: random.Random, reason: str, home: datetime.date, end_on: datetime.date
) -> datetime.date:
    span = (end_on - home).days
    if span < 1:
        return home
    if reason == "readmitted":
        days = rng.randint(1, min(9, span))
    elif reason == "declined":
        days = rng.randint(1, min(6, span))
    else:
        days = rng.randint(1, span)
    return home + datetime.timedelta(days=days)


# Present day


@dataclass(frozen=True)
class Scenario:
    """An open episode today. Days are offsets from today (negative: in the past)."""

    received: int
    program: str = "trygg_hemgang"
    source: str = Source.HOSPITAL
    client: bool = False
    decided: int | None = None
    start: int = 0
    home: int | None = None
    length: int = 14
    follow_up: int = 0
    held: int | None = None
    adjust: str = ""  # "", "services" or "extend"


SCENARIOS = (
    # Referred, not yet decided.
    Scenario(received=0, start=2),
    Scenario(received=-1, source=Source.SHORT_TERM, start=4),
    Scenario(received=-2, program="trygg_hemma", source=Source.HOME_CARE, client=True),
    # Decided, homecoming to come.
    Scenario(received=-4, decided=-1, start=1, follow_up=5),
    Scenario(received=-3, decided=0, start=2, follow_up=6),
    # Active: follow-up due today and tomorrow.
    Scenario(received=-7, decided=-6, start=-5, home=-5, follow_up=0),
    Scenario(received=-6, decided=-5, start=-4, home=-4, follow_up=1),
    # Active: follow-up overdue.
    Scenario(received=-11, decided=-9, start=-8, home=-8, follow_up=-3),
    Scenario(
        received=-12,
        program="trygg_hemma",
        source=Source.HOME_CARE,
        client=True,
        decided=-11,
        start=-10,
        home=-10,
        length=28,
        follow_up=-3,
    ),
    # Active: just came home.
    Scenario(received=-3, decided=-2, start=-1, home=-1, follow_up=4),
    # Follow-up held, decision ends within three days (one of them adjusted).
    Scenario(received=-15, decided=-13, start=-12, home=-12, follow_up=-7, held=-7),
    Scenario(
        received=-14, decided=-12, start=-11, home=-11, follow_up=-6, held=-6, adjust="services"
    ),
    # Follow-up held, longer programs.
    Scenario(
        received=-24,
        program="ihr",
        decided=-21,
        start=-20,
        home=-20,
        length=70,
        follow_up=-6,
        held=-6,
    ),
    Scenario(
        received=-20,
        program="trygg_hemma",
        source=Source.HOME_CARE,
        client=True,
        decided=-19,
        start=-18,
        home=-18,
        length=22,
        follow_up=-11,
        held=-11,
        adjust="extend",
    ),
)


def scenario_story(
    rng: random.Random,
    scenario: Scenario,
    today: datetime.date,
    programs: Mapping[str, ProgramRule],
) -> Story:
    def day(offset: int) -> datetime.date:
        return today + datetime.timedelta(days=offset)

    story = referral_basics(
        rng,
        client=scenario.client,
        received_on=day(scenario.received),
        programs=programs,
        criteria=(),
        source=scenario.source,
        program=scenario.program,
        triage=rng.choice((Triage.YELLOW, Triage.YELLOW, Triage.RED)),
    )
    story.scenario = True
    if scenario.source == Source.HOSPITAL:
        story.ready_on = day(scenario.start - 1)
        story.planned_home_on = day(scenario.start)
    elif scenario.source == Source.SHORT_TERM:
        story.planned_home_on = day(scenario.start)
    if scenario.decided is None:
        return story
    rule = programs[scenario.program]
    start = day(scenario.start)
    end = start + datetime.timedelta(days=min(scenario.length, rule.max_days) - 1)
    decision = DecisionStory(
        day(scenario.decided), start, end, _clamp(day(scenario.follow_up), start, end)
    )
    story.decision = decision
    if scenario.home is not None:
        story.home_on = day(scenario.home)
        story.home_minutes = 8 * 60 + 15 * rng.randint(0, 10)
    if scenario.held is not None:
        _scenario_follow_up(rng, story, scenario, rule, decision, day(scenario.held))
    return story


def _scenario_follow_up(
    rng: random.Random,
    story: Story,
    scenario: Scenario,
    rule: ProgramRule,
    decision: DecisionStory,
    held: datetime.date,
) -> None:
    story.follow_up = _follow_up_story(rng, held)
    if scenario.adjust == "extend":
        longest = decision.start_on + datetime.timedelta(days=rule.max_days - 1)
        story.adjustment = AdjustmentStory(held, max(decision.end_on, longest), *texts.EXTENSION)
    elif scenario.adjust == "services":
        reason, extra = texts.ADJUSTMENTS[0]
        story.adjustment = AdjustmentStory(held, decision.end_on, reason, extra)
    if story.adjustment is not None:
        story.follow_up = _follow_up_story(rng, held, outcome=FollowUp.Outcome.ADJUST_DECISION)
