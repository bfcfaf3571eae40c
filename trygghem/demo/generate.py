"""The demo municipality as a plan in memory: staff, people and 18 months of episodes.

Deterministic: one `random.Random(seed)` drives every choice, and nothing iterates over a set
of strings, so the same seed and the same `today` give the same plan on every machine. The
plan is pure data; `trygghem.demo.load` writes it to the database.
"""

import calendar
import datetime
import math
import random
import unicodedata
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from trygghem.demo import stories, texts
from trygghem.demo.stories import ProgramRule, Story
from trygghem.episodes.models import Episode, FollowUp
from trygghem.referrals.models import Referral
from trygghem.staff.models import Staff, Team

Progress = Callable[[str], None]
Role = Staff.Role
Status = Episode.Status

DEFAULT_SEED = 2025
DEMO_PASSWORD = "trygghem-demo"  # noqa: S105  (printed to the user on purpose: a demo log-in)
MUNICIPALITY = "Bruksvik"
CLIENT_COUNT = 115

UNIT = "unit"
REABLEMENT = "reablement"
REHAB = "rehab"
HOME_CARE_1 = "home_care_1"
HOME_CARE_2 = "home_care_2"
ALL_TEAMS = (UNIT, REABLEMENT, REHAB, HOME_CARE_1, HOME_CARE_2)


@dataclass(frozen=True)
class TeamPlan:
    key: str
    name: str
    kind: str
    phone: str = ""
    phone_hours: str = ""
    office_km: tuple[float, float] = (0.0, 0.0)  # north, east of the town centre

    def office(self) -> tuple[float, float]:
        north, east = self.office_km
        centre_lat, centre_lon = texts.TOWN_CENTRE
        return (
            round(centre_lat + north / texts.KM_PER_DEGREE_LATITUDE, 6),
            round(centre_lon + east / (texts.KM_PER_DEGREE_LATITUDE * _cos_degrees(centre_lat)), 6),
        )


TEAMS = (
    TeamPlan(
        UNIT,
        f"Biståndsenheten {MUNICIPALITY}",
        Team.Kind.NEEDS_ASSESSMENT,
        f"{texts.LANDLINE_PREFIX} 10",
        "08.00–12.00 vardagar",
    ),
    TeamPlan(
        REABLEMENT,
        f"Trygg hemgång {MUNICIPALITY}",
        Team.Kind.REABLEMENT,
        f"{texts.LANDLINE_PREFIX} 20",
        "07.00–15.30 alla dagar",
        (0.3, 0.2),
    ),
    TeamPlan(
        REHAB,
        f"Rehabenheten {MUNICIPALITY}",
        Team.Kind.REHAB,
        f"{texts.LANDLINE_PREFIX} 30",
        "08.00–16.00 vardagar",
        (0.3, 0.2),
    ),
    TeamPlan(
        HOME_CARE_1,
        "Hemtjänst Centrum",
        Team.Kind.HOME_CARE,
        f"{texts.LANDLINE_PREFIX} 41",
        "07.00–21.30 alla dagar",
    ),
    TeamPlan(
        HOME_CARE_2,
        "Hemtjänst Västbyn",
        Team.Kind.HOME_CARE,
        f"{texts.LANDLINE_PREFIX} 42",
        "07.00–21.30 alla dagar",
        (1.2, -0.8),
    ),
)
TEAM_NAMES = {team.key: team.name for team in TEAMS}
# The demo is loaded when its needs-assessment unit exists.
MARKER_TEAM_NAME = TEAM_NAMES[UNIT]

PROGRAM_TEAMS: dict[str, tuple[str, ...]] = {
    "trygg_hemgang": (REABLEMENT, REHAB),
    "trygg_hemma": (REABLEMENT, REHAB),
    "ihr": (REHAB,),
}
DEFAULT_PROGRAMS = {
    "trygg_hemgang": ProgramRule("trygg_hemgang", 14, 5),
    "trygg_hemma": ProgramRule("trygg_hemma", 28, 7),
    "ihr": ProgramRule("ihr", 70, 14),
}
DEFAULT_CRITERIA = (
    "Palliativ fas",
    "Omfattande psykiatrisk diagnos",
    "Pågående allvarligt missbruk",
)
DEFAULT_RANGES = ((1, 11), (12, 21), (22, 31))


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    teams: tuple[str, ...]
    title: str


OUTSIDER = "utomstaende"
LOGINS = (
    Login("handlaggare", Role.CASE_OFFICER, (UNIT,), "biståndshandläggare"),
    Login("arbetsterapeut", Role.OT, (REHAB,), "arbetsterapeut"),
    Login("fysioterapeut", Role.PT, (REHAB,), "fysioterapeut"),
    Login("sjukskoterska", Role.NURSE, (REHAB,), "sjuksköterska"),
    Login("rehabassistent", Role.REHAB_ASSISTANT, (REHAB,), "rehabassistent"),
    Login("underskoterska", Role.CARE_WORKER, (REABLEMENT,), "undersköterska, trygg hemgång"),
    Login("samordnare", Role.COORDINATOR, (HOME_CARE_1,), "samordnare, hemtjänst"),
    Login("chef", Role.MANAGER, ALL_TEAMS, "områdeschef"),
    Login("mas", Role.MAS, (REHAB,), "medicinskt ansvarig sjuksköterska"),
    Login("admin", Role.ADMIN, (), "administratör"),
    Login(OUTSIDER, Role.CARE_WORKER, (HOME_CARE_2,), "undersköterska, annan hemtjänstgrupp"),
)
LIAISON_TITLE = "sjukhushandläggare"
# Staff without a log-in: role, teams, how many, title.
OTHER_STAFF: tuple[tuple[str, tuple[str, ...], int, str], ...] = (
    (Role.CASE_OFFICER, (UNIT,), 2, "biståndshandläggare"),
    (Role.CASE_OFFICER, (UNIT,), 1, LIAISON_TITLE),
    (Role.CASE_OFFICER, (UNIT,), 1, "biståndshandläggare"),
    (Role.CARE_WORKER, (REABLEMENT,), 7, "undersköterska"),
    (Role.OT, (REHAB,), 2, "arbetsterapeut"),
    (Role.PT, (REHAB,), 1, "fysioterapeut"),
    (Role.NURSE, (REHAB,), 3, "sjuksköterska"),
    (Role.REHAB_ASSISTANT, (REHAB,), 2, "rehabassistent"),
    (Role.CARE_WORKER, (HOME_CARE_1,), 8, "undersköterska"),
    (Role.COORDINATOR, (HOME_CARE_2,), 1, "samordnare"),
    (Role.CARE_WORKER, (HOME_CARE_2,), 6, "undersköterska"),
)


@dataclass
class StaffPlan:
    username: str
    first_name: str
    last_name: str
    role: str
    teams: tuple[str, ...]
    title: str
    phone: str
    login: bool


@dataclass(frozen=True)
class RelativePlan:
    name: str
    relation: str
    phone: str


@dataclass
class PersonPlan:
    index: int
    identity_number: str
    birth_date: datetime.date
    first_name: str
    last_name: str
    street_address: str
    postal_code: str
    city: str
    latitude: float
    longitude: float
    language: str
    needs_interpreter: bool
    safety_alarm: bool
    phone: str
    home_care_team: str | None
    relatives: list[RelativePlan]
    created_at: datetime.datetime


@dataclass(frozen=True)
class ReferralPlan:
    source: str
    received_on: datetime.date
    admitted_on: datetime.date | None
    ready_for_discharge_on: datetime.date | None
    planned_home_on: datetime.date | None
    home_care_hours_before: Decimal
    triage: str
    feels_safe: str
    exclusion_criteria: tuple[str, ...]
    registered_by: str


@dataclass
class DecisionPlan:
    program: str
    granted_services: str
    start_on: datetime.date
    end_on: datetime.date
    follow_up_on: datetime.date
    series: uuid.UUID
    version: int
    is_current: bool
    terminated_on: datetime.date | None
    change_reason: str
    decided_by: str
    created_at: datetime.datetime

    @property
    def length_days(self) -> int:
        return (self.end_on - self.start_on).days + 1


@dataclass(frozen=True)
class FollowUpPlan:
    held_on: datetime.date
    mode: str
    participants: list[str]
    manages_now: str
    outcome: str
    recorded_by: str
    created_at: datetime.datetime


@dataclass(frozen=True)
class ServicePlan:
    what: str
    how: str
    when: str


@dataclass(frozen=True)
class HandoverPlan:
    receiving_team: str
    remaining_needs: str
    goals_to_maintain: str
    contacts: str
    services: list[ServicePlan]
    written_by: str
    created_at: datetime.datetime


@dataclass(frozen=True)
class TransitionPlan:
    from_status: str
    to_status: str
    at: datetime.datetime
    by: str
    reason: str


@dataclass
class EpisodePlan:
    person: int
    referral: ReferralPlan
    program: str
    case_officer: str
    status: str
    teams: list[str]
    created_at: datetime.datetime
    home_at: datetime.datetime | None = None
    ended_on: datetime.date | None = None
    end_reason: str | None = None
    decisions: list[DecisionPlan] = field(default_factory=list)
    follow_ups: list[FollowUpPlan] = field(default_factory=list)
    handover: HandoverPlan | None = None
    transitions: list[TransitionPlan] = field(default_factory=list)


@dataclass
class DemoPlan:
    today: datetime.date
    staff: list[StaffPlan]
    persons: list[PersonPlan]
    episodes: list[EpisodePlan]
    # (first day, last day) of each birth-day range -> the case officer's username
    ranges: dict[tuple[int, int], str]


def _quiet(message: str) -> None:
    return None


def generate_plan(
    *,
    today: datetime.date,
    now: datetime.datetime,
    seed: int = DEFAULT_SEED,
    programs: Mapping[str, ProgramRule] = DEFAULT_PROGRAMS,
    exclusion_criteria: Sequence[str] = DEFAULT_CRITERIA,
    ranges: Sequence[tuple[int, int]] = DEFAULT_RANGES,
    progress: Progress = _quiet,
) -> DemoPlan:
    """The whole demo municipality. `now` is an aware datetime on `today`: nothing in the
    plan happens after it."""
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    staff = build_staff(rng)
    officers = [
        s.username for s in staff if s.role == Role.CASE_OFFICER and s.title != LIAISON_TITLE
    ]
    range_officers = {
        day_range: officers[i % 3] for i, day_range in enumerate(sorted(ranges or DEFAULT_RANGES))
    }
    identities = Identities(rng)
    created_before = now - datetime.timedelta(days=600)
    persons = [
        build_person(
            rng,
            identities,
            index=i,
            created_at=created_before - _days(rng, 30, 2500),
            home_care_team=HOME_CARE_1 if i % 20 < 11 else HOME_CARE_2,
        )
        for i in range(CLIENT_COUNT)
    ]
    story_list = stories.build_stories(
        rng, today=today, programs=programs, criteria=exclusion_criteria, progress=progress
    )
    progress("Fördelar remisser på brukare och personal …")
    casting = Casting(
        rng,
        now=now,
        staff=staff,
        persons=persons,
        identities=identities,
        ranges=range_officers,
    )
    episodes = [casting.cast(story) for story in story_list]
    return DemoPlan(
        today=today, staff=staff, persons=persons, episodes=episodes, ranges=range_officers
    )


def _days(rng: random.Random, low: int, high: int) -> datetime.timedelta:
    return datetime.timedelta(days=rng.randint(low, high))


# Staff


def ascii_name(value: str) -> str:
    """Lower-case ASCII for user names: "Öberg" -> "oberg", "Hodžić" -> "hodzic"."""
    decomposed = unicodedata.normalize("NFKD", value.lower())
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c == "-"))


def build_staff(rng: random.Random) -> list[StaffPlan]:
    names = _staff_names(rng, len(LOGINS) + sum(count for *_, count, _title in OTHER_STAFF))
    staff: list[StaffPlan] = []
    for login in LOGINS:
        first, last = names.pop()
        staff.append(
            StaffPlan(
                login.username,
                first,
                last,
                login.role,
                login.teams,
                login.title,
                _mobile(rng),
                login=True,
            )
        )
    for role, teams, count, title in OTHER_STAFF:
        for _ in range(count):
            first, last = names.pop()
            username = _username(first, last)
            staff.append(
                StaffPlan(username, first, last, role, teams, title, _mobile(rng), login=False)
            )
    return staff


def _staff_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = list(texts.STAFF_OTHER)
    rng.shuffle(names)
    names = names[:4]
    taken = {_username(first, last) for first, last in names}
    while len(names) < count:
        pool = texts.STAFF_WOMEN if rng.random() < 0.8 else texts.STAFF_MEN
        first, last = rng.choice(pool), rng.choice(texts.SURNAMES)
        if _username(first, last) not in taken:
            taken.add(_username(first, last))
            names.append((first, last))
    rng.shuffle(names)
    return names


def _username(first: str, last: str) -> str:
    """Staff without a demo log-in get a user name that says it is demo data."""
    return f"demo.{ascii_name(first)}.{ascii_name(last)}"


def _mobile(rng: random.Random) -> str:
    return f"{texts.MOBILE_PREFIX} {rng.randint(5, 99):02d}"


# People


class Identities:
    """Unique, valid personnummer: YYYYMMDD + birth number + Luhn check digit."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def new(self, birth_date: datetime.date, *, female: bool) -> str:
        while True:
            serial = self._rng.randint(0, 99) * 10 + self._rng.choice(
                (0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9)
            )
            if serial == 0:
                continue
            first_nine = f"{birth_date:%y%m%d}{serial:03d}"
            number = f"{birth_date:%Y%m%d}{serial:03d}{luhn_check_digit(first_nine)}"
            if number not in self._used:
                self._used.add(number)
                return number


def luhn_check_digit(digits: str) -> int:
    """The personnummer check digit over YYMMDDNNN (Skatteverket SKV 704)."""
    total = 0
    for position, char in enumerate(digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def build_person(
    rng: random.Random,
    identities: Identities,
    *,
    index: int,
    created_at: datetime.datetime,
    home_care_team: str | None,
    birth_days: tuple[int, int] = (1, 31),
) -> PersonPlan:
    language, women, men, surnames, interpreter_percent = _language(rng)
    female = rng.random() < 0.6
    birth_date = _birth_date(rng, birth_days)
    street, postal_code, city, latitude, longitude = _address(rng)
    last_name = rng.choice(surnames)
    return PersonPlan(
        index=index,
        identity_number=identities.new(birth_date, female=female),
        birth_date=birth_date,
        first_name=rng.choice(women if female else men),
        last_name=last_name,
        street_address=street,
        postal_code=postal_code,
        city=city,
        latitude=latitude,
        longitude=longitude,
        language=language,
        needs_interpreter=rng.randint(1, 100) <= interpreter_percent,
        safety_alarm=rng.random() < (0.75 if home_care_team else 0.35),
        phone=_mobile(rng) if rng.random() < 0.85 else "",
        home_care_team=home_care_team,
        relatives=_relatives(rng, last_name),
        created_at=created_at,
    )


def _language(
    rng: random.Random,
) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], int]:
    roll = rng.randint(1, 1000)
    for language, share, women, men, surnames, interpreter in texts.LANGUAGES:
        if roll <= share:
            return language, women, men, surnames, interpreter
        roll -= share
    return "svenska", texts.OLD_WOMEN, texts.OLD_MEN, texts.SURNAMES, 0


def _birth_date(rng: random.Random, birth_days: tuple[int, int]) -> datetime.date:
    year = round(rng.triangular(1925, 1960, 1941))
    month = rng.randint(1, 12)
    last_day = min(birth_days[1], calendar.monthrange(year, month)[1])
    return datetime.date(year, month, rng.randint(min(birth_days[0], last_day), last_day))


def _address(rng: random.Random) -> tuple[str, str, str, float, float]:
    weights = [6, 3, 3, 1, 1, 1, 1, 1]
    city, postal_code, north_km, east_km, spread_km, streets = rng.choices(texts.PLACES, weights)[0]
    north = north_km + rng.gauss(0, spread_km / 2)
    east = east_km + rng.gauss(0, spread_km / 2)
    centre_lat, centre_lon = texts.TOWN_CENTRE
    latitude = centre_lat + north / texts.KM_PER_DEGREE_LATITUDE
    longitude = centre_lon + east / (texts.KM_PER_DEGREE_LATITUDE * _cos_degrees(centre_lat))
    street = f"{rng.choice(streets)} {rng.randint(1, 48)}"
    return street, postal_code, city, round(latitude, 6), round(longitude, 6)


def _cos_degrees(value: float) -> float:
    return math.cos(math.radians(value))


def _relatives(rng: random.Random, last_name: str) -> list[RelativePlan]:
    count = rng.choices((0, 1, 2), (35, 45, 20))[0]
    relatives = []
    for _ in range(count):
        relation, woman = rng.choice(texts.RELATIONS)
        if woman is None:
            woman = rng.random() < 0.5
        same_generation = relation in ("make", "maka", "syster", "bror")
        if same_generation:
            first = rng.choice(texts.OLD_WOMEN if woman else texts.OLD_MEN)
        else:
            first = rng.choice(texts.STAFF_WOMEN if woman else texts.STAFF_MEN)
        family = relation in ("son", "bror", "make", "maka", "barnbarn") or rng.random() < 0.3
        last = last_name if family else rng.choice(texts.SURNAMES)
        relatives.append(RelativePlan(f"{first} {last}", relation, _mobile(rng)))
    return relatives


# Episodes


class Clock:
    """Times of one episode's events: in office hours, in order, never after `now`."""

    def __init__(self, now: datetime.datetime) -> None:
        self._now = now
        self._last: datetime.datetime | None = None

    def at(self, day: datetime.date, minutes: int) -> datetime.datetime:
        moment = datetime.datetime.combine(
            day, datetime.time(minutes // 60, minutes % 60), tzinfo=self._now.tzinfo
        )
        if self._last is not None and moment <= self._last:
            moment = self._last + datetime.timedelta(minutes=7)
        moment = min(moment, self._now)
        self._last = moment
        return moment


class Casting:
    """Gives each story a person and the staff who act in it, in the order things happened,
    so one person never has two open episodes or overlapping decisions."""

    def __init__(
        self,
        rng: random.Random,
        *,
        now: datetime.datetime,
        staff: list[StaffPlan],
        persons: list[PersonPlan],
        identities: Identities,
        ranges: dict[tuple[int, int], str],
    ) -> None:
        self.rng = rng
        self.now = now
        self.persons = persons
        self.identities = identities
        self.ranges = ranges
        self.free_from: dict[int, datetime.date] = {}
        self.retired: set[int] = set()
        self.liaison = next(s.username for s in staff if s.title == LIAISON_TITLE)
        self.reablement_workers = [
            s.username for s in staff if s.role == Role.CARE_WORKER and REABLEMENT in s.teams
        ]
        self.rehab_assistants = [s.username for s in staff if s.role == Role.REHAB_ASSISTANT]
        self.scenario_count = 0

    # who

    def person_for(self, story: Story) -> PersonPlan:
        day = story.received_on
        if story.client:
            # Today's open episodes stay out of the outsider's home-care group.
            group = HOME_CARE_1 if story.scenario else None
            clients = [
                p
                for p in self.persons
                if p.home_care_team
                and (group is None or p.home_care_team == group)
                and self._free(p, day)
            ]
            if clients:
                return self.rng.choice(clients)
        elif not story.scenario and self.rng.random() < 0.1:
            former = [
                p
                for p in self.persons[CLIENT_COUNT:]
                if not p.home_care_team and self._free(p, day)
            ]
            if former:
                return self.rng.choice(former)
        return self._new_person(story)

    def _free(self, person: PersonPlan, day: datetime.date) -> bool:
        return person.index not in self.retired and self.free_from.get(person.index, day) <= day

    def _new_person(self, story: Story) -> PersonPlan:
        birth_days = (1, 31)
        if story.scenario:
            # Half the present-day people belong to the demo case officer's birth-day range.
            self.scenario_count += 1
            if self.scenario_count % 2:
                birth_days = next(
                    (r for r, officer in self.ranges.items() if officer == LOGINS[0].username),
                    birth_days,
                )
        person = build_person(
            self.rng,
            self.identities,
            index=len(self.persons),
            created_at=self.now,
            home_care_team=None,
            birth_days=birth_days,
        )
        self.persons.append(person)
        return person

    def case_officer_for(self, person: PersonPlan) -> str:
        for (first, last), officer in self.ranges.items():
            if first <= person.birth_date.day <= last:
                return officer
        return next(iter(self.ranges.values()))

    # what

    def cast(self, story: Story) -> EpisodePlan:
        person = self.person_for(story)
        officer = self.case_officer_for(person)
        registrar = officer
        if story.source == Referral.Source.HOSPITAL and self.rng.random() < 0.8:
            registrar = self.liaison
        clock = Clock(self.now)
        referred_at = clock.at(story.received_on, self.rng.randint(8 * 60, 15 * 60))
        if person.created_at > referred_at:
            person.created_at = referred_at
        episode = EpisodePlan(
            person=person.index,
            referral=self._referral(story, registrar),
            program=story.program,
            case_officer=officer,
            status=story.status,
            teams=[UNIT],
            created_at=referred_at,
            transitions=[TransitionPlan("", Status.REFERRED, referred_at, registrar, "")],
        )
        if story.closed is not None:
            self._close(episode, story.closed, clock, officer)
        if story.decision is not None:
            self._decide(episode, story, story.decision, person, clock, officer)
        self._finish(episode, story, person, clock, officer)
        self._mark_busy(person, story)
        return episode

    def _referral(self, story: Story, registrar: str) -> ReferralPlan:
        return ReferralPlan(
            source=story.source,
            received_on=story.received_on,
            admitted_on=story.admitted_on,
            ready_for_discharge_on=story.ready_on,
            planned_home_on=story.planned_home_on,
            home_care_hours_before=story.hours_before,
            triage=story.triage,
            feels_safe=story.feels_safe,
            exclusion_criteria=story.exclusion_criteria,
            registered_by=registrar,
        )

    def _close(
        self, episode: EpisodePlan, closed: stories.EndStory, clock: Clock, officer: str
    ) -> None:
        at = clock.at(closed.on, self.rng.randint(10 * 60, 16 * 60))
        note = self.rng.choice(texts.CLOSE_NOTES[closed.reason])
        episode.ended_on = closed.on
        episode.end_reason = closed.reason
        episode.transitions.append(
            TransitionPlan(Status.REFERRED, Status.CLOSED, at, officer, note)
        )

    def _decide(
        self,
        episode: EpisodePlan,
        story: Story,
        decision: stories.DecisionStory,
        person: PersonPlan,
        clock: Clock,
        officer: str,
    ) -> None:
        at = clock.at(decision.decided_on, self.rng.randint(9 * 60, 15 * 60))
        services = texts.GRANTED_SERVICES[story.program]
        if self.rng.random() < 0.5:
            services += self.rng.choice(texts.GRANTED_EXTRAS)
        episode.decisions.append(
            DecisionPlan(
                program=story.program,
                granted_services=services,
                start_on=decision.start_on,
                end_on=decision.end_on,
                follow_up_on=decision.follow_up_on,
                series=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                version=1,
                is_current=True,
                terminated_on=None,
                change_reason="",
                decided_by=officer,
                created_at=at,
            )
        )
        for team in PROGRAM_TEAMS[story.program]:
            _add(episode.teams, team)
        if person.home_care_team:
            _add(episode.teams, person.home_care_team)
        episode.transitions.append(TransitionPlan(Status.REFERRED, Status.DECIDED, at, officer, ""))
        if story.home_on is not None:
            self._come_home(episode, story.program, story.home_on, story.home_minutes, clock)
        if story.follow_up is not None:
            self._follow_up(episode, story, story.follow_up, person, clock, officer)

    def _come_home(
        self, episode: EpisodePlan, program: str, home_on: datetime.date, minutes: int, clock: Clock
    ) -> None:
        home_at = clock.at(home_on, minutes)
        staff = self.rehab_assistants if program == "ihr" else self.reablement_workers
        episode.home_at = home_at
        episode.transitions.append(
            TransitionPlan(Status.DECIDED, Status.ACTIVE, home_at, self.rng.choice(staff), "")
        )

    def _follow_up(
        self,
        episode: EpisodePlan,
        story: Story,
        follow_up: stories.FollowUpStory,
        person: PersonPlan,
        clock: Clock,
        officer: str,
    ) -> None:
        at = clock.at(follow_up.held_on, self.rng.randint(10 * 60, 14 * 60))
        chosen: set[str] = {
            FollowUp.Participant.PERSON,
            FollowUp.Participant.TEAM_STAFF,
            FollowUp.Participant.CASE_OFFICER,
            *(
                code
                for code in follow_up.extra
                if code != FollowUp.Participant.RELATIVE or person.relatives
            ),
        }
        participants = [code for code in FollowUp.Participant.values if code in chosen]
        manages = self.rng.sample(texts.MANAGES_NOW, self.rng.randint(2, 3))
        episode.follow_ups.append(
            FollowUpPlan(
                held_on=follow_up.held_on,
                mode=follow_up.mode,
                participants=participants,
                manages_now=" ".join(manages),
                outcome=follow_up.outcome,
                recorded_by=officer,
                created_at=at,
            )
        )
        episode.transitions.append(
            TransitionPlan(Status.ACTIVE, Status.FOLLOW_UP_HELD, at, officer, follow_up.outcome)
        )
        if story.adjustment is not None:
            self._adjust(episode, story.adjustment, clock, officer)

    def _adjust(
        self, episode: EpisodePlan, adjustment: stories.AdjustmentStory, clock: Clock, officer: str
    ) -> None:
        first = episode.decisions[-1]
        first.is_current = False
        at = clock.at(adjustment.on, 15 * 60)
        episode.decisions.append(
            DecisionPlan(
                program=first.program,
                granted_services=first.granted_services + adjustment.extra,
                start_on=first.start_on,
                end_on=adjustment.end_on,
                follow_up_on=first.follow_up_on,
                series=first.series,
                version=first.version + 1,
                is_current=True,
                terminated_on=None,
                change_reason=adjustment.reason,
                decided_by=officer,
                created_at=at,
            )
        )

    def _finish(
        self, episode: EpisodePlan, story: Story, person: PersonPlan, clock: Clock, officer: str
    ) -> None:
        end = story.end
        if end is None:
            return
        at = clock.at(end.on, self.rng.randint(12 * 60, 15 * 60 + 30))
        current = episode.decisions[-1]
        if end.on < current.end_on:
            current.terminated_on = end.on
        note = ""
        if end.reason == "handover":
            episode.handover = self._handover(episode, person, at, officer)
        else:
            note = self.rng.choice(texts.END_NOTES[end.reason])
        episode.ended_on = end.on
        episode.end_reason = end.reason
        previous = Status.FOLLOW_UP_HELD if story.follow_up else Status.ACTIVE
        episode.transitions.append(TransitionPlan(previous, Status.ENDED, at, officer, note))

    def _handover(
        self, episode: EpisodePlan, person: PersonPlan, at: datetime.datetime, officer: str
    ) -> HandoverPlan:
        receiving = person.home_care_team or (
            HOME_CARE_1 if self.rng.random() < 0.55 else HOME_CARE_2
        )
        _add(episode.teams, receiving)
        # The person is now an ordinary home-care client; their home-care decisions (hours a
        # week) are written after the episodes by trygghem.demo.home_care.
        person.home_care_team = receiving
        services = [
            ServicePlan(*s) for s in self.rng.sample(texts.PLANNED_SERVICES, self.rng.randint(1, 3))
        ]
        contacts = f"{TEAM_NAMES[receiving]}, tel. {_team_phone(receiving)}."
        if person.relatives:
            relative = person.relatives[0]
            contacts += f" Närstående: {relative.name} ({relative.relation}), {relative.phone}."
        return HandoverPlan(
            receiving_team=receiving,
            remaining_needs=" ".join(self.rng.sample(texts.REMAINING_NEEDS, 2)),
            goals_to_maintain=" ".join(self.rng.sample(texts.GOALS_TO_MAINTAIN, 2)),
            contacts=contacts,
            services=services,
            written_by=officer,
            created_at=at,
        )

    def _mark_busy(self, person: PersonPlan, story: Story) -> None:
        finished = story.finished_on
        if finished is None:
            self.retired.add(person.index)  # still open today
            return
        self.free_from[person.index] = finished + datetime.timedelta(days=1)
        if story.end is not None and story.end.reason in ("deceased", "moved"):
            self.retired.add(person.index)


def _add(teams: list[str], team: str) -> None:
    if team not in teams:
        teams.append(team)


def _team_phone(key: str) -> str:
    return next(team.phone for team in TEAMS if team.key == key)
