"""Factories for the smallest valid rows, and helpers that bring an episode to a state the way
staff do: through the real services, never by setting `status`.

Dates default relative to the municipality's today (`local_today()`), so freeze time in the
test (the `today` fixture) when the exact dates matter.
"""

import datetime
import itertools
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from trygghem.core.time import local_now, local_today
from trygghem.decisions.services import grant_decision
from trygghem.episodes.models import Episode, FollowUp, Program
from trygghem.episodes.services import record_follow_up, register_homecoming
from trygghem.people.models import Person
from trygghem.referrals.models import Referral
from trygghem.referrals.services import PersonDetails, ReferralDetails, register_referral
from trygghem.staff.models import Staff, Team

PASSWORD = "trygghem-test-password"

# The persona fixtures of the root conftest: those that see the people whose episodes belong to
# their teams, and those that never see a record (MAS, the administrator, another home-care group).
PERSONAS_WITH_RECORD_ACCESS = [
    "case_officer",
    "ot",
    "pt",
    "nurse",
    "rehab_assistant",
    "care_worker",
    "coordinator",
    "manager",
]
PERSONAS_WITHOUT_ACCESS = ["mas", "admin", "outsider"]
PERSONAS = PERSONAS_WITH_RECORD_ACCESS + PERSONAS_WITHOUT_ACCESS
DEFAULT_BIRTH_DATE = datetime.date(1940, 5, 17)


def luhn_check_digit(nine_digits: str) -> str:
    """The check digit of a personnummer, computed over YYMMDDNNN."""
    total = 0
    for index, digit in enumerate(nine_digits):
        value = int(digit) * (2 - index % 2)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def identity_number(birth_date: datetime.date, serial: int, *, coordination: bool = False) -> str:
    """A valid 12-digit personnummer (or samordningsnummer: day + 60) without separator."""
    day = birth_date.day + (60 if coordination else 0)
    serial_digits = f"{serial:03d}"
    short = f"{birth_date:%y%m}{day:02d}{serial_digits}"
    return f"{birth_date:%Y%m}{day:02d}{serial_digits}{luhn_check_digit(short)}"


_serials = itertools.count(101)


def next_identity_number(birth_date: datetime.date = DEFAULT_BIRTH_DATE) -> str:
    """A personnummer no other test row has, formatted as staff type it (YYYYMMDD-NNNN)."""
    digits = identity_number(birth_date, 100 + next(_serials) % 900)
    return f"{digits[:8]}-{digits[8:]}"


class UserFactory(DjangoModelFactory[Any]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = "Kim"
    last_name = factory.Sequence(lambda n: f"Berg{n}")
    password = factory.django.Password(PASSWORD)


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Hemtjänstgrupp {n}")
    kind = Team.Kind.HOME_CARE


def _set_teams(staff: Staff, create: bool, extracted: list[Team] | None, **kwargs: Any) -> None:
    if create and extracted:
        staff.teams.set(extracted)


class StaffFactory(DjangoModelFactory[Staff]):
    class Meta:
        model = Staff
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    role = Staff.Role.CARE_WORKER

    teams = factory.PostGeneration(_set_teams)


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    birth_date = DEFAULT_BIRTH_DATE
    identity_number = factory.LazyAttributeSequence(
        lambda person, n: identity_number(person.birth_date, 100 + n % 900)
    )
    first_name = "Astrid"
    last_name = factory.Sequence(lambda n: f"Lind{n}")
    street_address = "Storgatan 1"


def person_details(**overrides: Any) -> PersonDetails:
    """What a case officer types about the person on a referral; a fresh personnummer each call."""
    values: dict[str, Any] = {
        "identity_number": next_identity_number(),
        "first_name": "Astrid",
        "last_name": "Lind",
        "street_address": "Storgatan 1",
    }
    values.update(overrides)
    return PersonDetails(**values)


def referral_details(**overrides: Any) -> ReferralDetails:
    """A discharge notice received six days ago for Trygg hemgång."""
    today = local_today()
    values: dict[str, Any] = {
        "source": Referral.Source.HOSPITAL,
        "received_on": today - datetime.timedelta(days=6),
        "admitted_on": today - datetime.timedelta(days=8),
        "ready_for_discharge_on": today - datetime.timedelta(days=5),
        "planned_home_on": today - datetime.timedelta(days=4),
        "home_care_hours_before": Decimal("3.5"),
        "triage": Referral.Triage.YELLOW,
        "feels_safe": Referral.FeelsSafe.PARTLY,
        "exclusion_criteria": [],
        "program": Program.objects.get(code="trygg_hemgang"),
    }
    values.update(overrides)
    return ReferralDetails(**values)


def referred_episode(
    *, by: Staff, person: PersonDetails | None = None, referral: ReferralDetails | None = None
) -> Episode:
    """A registered referral: the episode is 'referred'."""
    episode = register_referral(
        person=person or person_details(), referral=referral or referral_details(), by=by
    )
    return Episode.objects.get(pk=episode.pk)


def decided_episode(
    *,
    by: Staff,
    person: PersonDetails | None = None,
    program_code: str = "trygg_hemgang",
    start_on: datetime.date | None = None,
    end_on: datetime.date | None = None,
    follow_up_on: datetime.date | None = None,
) -> Episode:
    """A referred episode with a granted decision of the program's full length, starting four
    days ago unless given: the episode is 'decided'."""
    episode = referred_episode(by=by, person=person)
    program = Program.objects.get(code=program_code)
    start_on = start_on or local_today() - datetime.timedelta(days=4)
    end_on = end_on or start_on + datetime.timedelta(days=program.max_days - 1)
    follow_up_on = follow_up_on or min(
        start_on + datetime.timedelta(days=program.follow_up_after_days), end_on
    )
    grant_decision(
        episode=episode,
        program=program,
        start_on=start_on,
        end_on=end_on,
        follow_up_on=follow_up_on,
        granted_services="Hjälp med personlig omvårdnad och träning i hemmet.",
        by=by,
    )
    return Episode.objects.get(pk=episode.pk)


def active_episode(
    *, by: Staff, home_at: datetime.datetime | None = None, **decided: Any
) -> Episode:
    """A decided episode whose person has come home (09:00 on the decision's first day unless
    given, or now if that is still to come): the episode is 'active'."""
    episode = decided_episode(by=by, **decided)
    if home_at is None:
        start_on = episode.decisions.get(is_current=True).start_on
        home_at = min(
            datetime.datetime.combine(start_on, datetime.time(9), tzinfo=local_now().tzinfo),
            local_now(),
        )
    register_homecoming(episode=episode, home_at=home_at, by=by)
    return Episode.objects.get(pk=episode.pk)


def followed_up_episode(
    *, by: Staff, held_on: datetime.date | None = None, **active: Any
) -> Episode:
    """An active episode with a follow-up meeting held today unless given: 'follow_up_held'."""
    episode = active_episode(by=by, **active)
    record_follow_up(
        episode=episode,
        held_on=held_on or local_today(),
        mode=FollowUp.Mode.PHYSICAL,
        participants=[FollowUp.Participant.PERSON, FollowUp.Participant.CASE_OFFICER],
        manages_now="Klarar påklädning och frukost själv.",
        outcome=FollowUp.Outcome.CONTINUE,
        by=by,
    )
    return Episode.objects.get(pk=episode.pk)


# Why each persona reads a record (AccessLog.Purpose), as the access gates log it.
PURPOSE_OF = dict.fromkeys(PERSONAS, "care") | {
    "case_officer": "case_handling",
    "manager": "management",
}
