"""Personas, their teams and a frozen clock, shared by every test.

Each persona is a Staff member with a log-in. Who sees a person is decided by team, so the
personas sit in the teams a real municipality has: the needs-assessment unit, the reablement
team, the rehab unit and two home-care groups.
"""

import contextlib
import datetime
import zoneinfo
from collections.abc import Iterator

import pytest
from django.utils import translation
from time_machine import TimeMachineFixture

from tests.assertions import NothingChanges, database_state
from tests.factories import StaffFactory, TeamFactory, UserFactory
from trygghem.episodes.models import Program
from trygghem.staff.models import Staff, Team

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
FROZEN_AT = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def now(time_machine: TimeMachineFixture) -> datetime.datetime:
    """Freezes the clock at Tuesday 10 March 2026, 10:00 in Stockholm."""
    time_machine.move_to(FROZEN_AT, tick=False)
    return FROZEN_AT


@pytest.fixture
def today(now: datetime.datetime) -> datetime.date:
    """The municipality's today while the clock is frozen: 2026-03-10."""
    return now.date()


@pytest.fixture
def nothing_changes() -> NothingChanges:
    """`with nothing_changes(), pytest.raises(...):` asserts a refusal left every record table,
    the access log included, exactly as it was."""

    @contextlib.contextmanager
    def unchanged() -> Iterator[None]:
        before = database_state()
        yield
        assert database_state() == before

    return unchanged


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Service and rule messages are asserted as their English msgids; a page under test still
    picks its language per request (LocaleMiddleware), and Swedish is checked explicitly."""
    with translation.override("en"):
        yield


# Teams


@pytest.fixture
def unit(db: None) -> Team:
    return TeamFactory.create(name="Biståndsenheten", kind=Team.Kind.NEEDS_ASSESSMENT)


@pytest.fixture
def reablement_team(db: None) -> Team:
    return TeamFactory.create(name="Trygg hemgångsteamet", kind=Team.Kind.REABLEMENT)


@pytest.fixture
def rehab_team(db: None) -> Team:
    return TeamFactory.create(name="Rehabenheten", kind=Team.Kind.REHAB)


@pytest.fixture
def home_care_a(db: None) -> Team:
    return TeamFactory.create(name="Hemtjänstgrupp A", kind=Team.Kind.HOME_CARE)


@pytest.fixture
def home_care_b(db: None) -> Team:
    return TeamFactory.create(name="Hemtjänstgrupp B", kind=Team.Kind.HOME_CARE)


@pytest.fixture
def program_teams(reablement_team: Team, rehab_team: Team) -> None:
    """Trygg hemgång and Trygg hemma are worked by the reablement team and the rehab unit."""
    for program in Program.objects.filter(code__in=["trygg_hemgang", "trygg_hemma"]):
        program.teams.set([reablement_team, rehab_team])


# Personas


def _persona(username: str, role: str, teams: list[Team], **user: object) -> Staff:
    return StaffFactory.create(
        user=UserFactory.create(
            username=username, first_name=username.title(), last_name="Persona", **user
        ),
        role=role,
        teams=teams,
    )


@pytest.fixture
def case_officer(unit: Team, program_teams: None) -> Staff:
    return _persona("case_officer", Staff.Role.CASE_OFFICER, [unit])


@pytest.fixture
def ot(rehab_team: Team, program_teams: None) -> Staff:
    return _persona("ot", Staff.Role.OT, [rehab_team])


@pytest.fixture
def pt(rehab_team: Team, program_teams: None) -> Staff:
    return _persona("pt", Staff.Role.PT, [rehab_team])


@pytest.fixture
def nurse(rehab_team: Team, program_teams: None) -> Staff:
    return _persona("nurse", Staff.Role.NURSE, [rehab_team])


@pytest.fixture
def rehab_assistant(rehab_team: Team, program_teams: None) -> Staff:
    return _persona("rehab_assistant", Staff.Role.REHAB_ASSISTANT, [rehab_team])


@pytest.fixture
def care_worker(reablement_team: Team, program_teams: None) -> Staff:
    return _persona("care_worker", Staff.Role.CARE_WORKER, [reablement_team])


@pytest.fixture
def coordinator(home_care_a: Team, program_teams: None) -> Staff:
    return _persona("coordinator", Staff.Role.COORDINATOR, [home_care_a])


@pytest.fixture
def manager(
    unit: Team, reablement_team: Team, rehab_team: Team, home_care_a: Team, program_teams: None
) -> Staff:
    return _persona("manager", Staff.Role.MANAGER, [unit, reablement_team, rehab_team, home_care_a])


@pytest.fixture
def mas(program_teams: None) -> Staff:
    return _persona("mas", Staff.Role.MAS, [])


@pytest.fixture
def admin(program_teams: None) -> Staff:
    return _persona("admin", Staff.Role.ADMIN, [], is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(home_care_b: Team, program_teams: None) -> Staff:
    """A care worker in another home-care group: sees nobody in these tests."""
    return _persona("outsider", Staff.Role.CARE_WORKER, [home_care_b])
