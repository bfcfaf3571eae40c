"""Who sees an episode: the members of its teams. The episode here is a decided Trygg hemgång
episode (unit, reablement team, rehab unit) of a person with home care from group A."""

import datetime
import uuid

import pytest
from django.http import Http404
from pytest_django import DjangoAssertNumQueries

from tests.assertions import read_log
from tests.factories import (
    PERSONAS,
    PERSONAS_WITH_RECORD_ACCESS,
    PERSONAS_WITHOUT_ACCESS,
    PURPOSE_OF,
    decided_episode,
    person_details,
    referred_episode,
)
from trygghem.episodes.access import episodes_visible_to, get_episode_for_user
from trygghem.episodes.models import Episode
from trygghem.staff.models import Staff, Team
from trygghem.staff.rules import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(case_officer: Staff, home_care_a: Team, today: datetime.date) -> Episode:
    return decided_episode(by=case_officer, person=person_details(home_care_team=home_care_a))


@pytest.mark.parametrize("persona", PERSONAS_WITH_RECORD_ACCESS)
def test_episodes_visible_to_lists_the_episode_for_every_member_of_its_teams(
    persona: str, episode: Episode, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    assert list(episodes_visible_to(staff)) == [episode]
    assert read_log() == []


@pytest.mark.parametrize("persona", PERSONAS_WITHOUT_ACCESS)
def test_episodes_visible_to_lists_nothing_for_mas_admin_and_another_home_care_group(
    persona: str, episode: Episode, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    assert list(episodes_visible_to(staff)) == []


@pytest.mark.parametrize("persona", PERSONAS_WITH_RECORD_ACCESS)
def test_get_episode_for_user_returns_the_episode_and_logs_exactly_one_read(
    persona: str, episode: Episode, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    found = get_episode_for_user(
        staff=staff, external_id=episode.external_id, what="episode.detail"
    )

    assert found == episode
    assert read_log() == [(staff.pk, episode.person.pk, "episode.detail", PURPOSE_OF[persona])]


@pytest.mark.parametrize("persona", PERSONAS_WITHOUT_ACCESS)
def test_get_episode_for_user_is_404_for_mas_admin_and_another_home_care_group(
    persona: str, episode: Episode, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    with pytest.raises(Http404):
        get_episode_for_user(staff=staff, external_id=episode.external_id, what="episode.detail")

    assert read_log() == []


def test_get_episode_for_user_is_404_for_an_episode_that_does_not_exist(
    episode: Episode, case_officer: Staff
) -> None:
    with pytest.raises(Http404):
        get_episode_for_user(staff=case_officer, external_id=uuid.uuid4(), what="episode.detail")

    assert read_log() == []


def test_get_episode_for_user_with_an_action_the_role_may_do_returns_the_episode(
    episode: Episode, case_officer: Staff
) -> None:
    get_episode_for_user(
        staff=case_officer,
        external_id=episode.external_id,
        what="episode.end",
        action=Action.END_EPISODE,
    )

    assert read_log() == [(case_officer.pk, episode.person.pk, "episode.end", "case_handling")]


@pytest.mark.parametrize(
    "persona", [name for name in PERSONAS_WITH_RECORD_ACCESS if name != "case_officer"]
)
def test_get_episode_for_user_with_an_action_the_role_may_not_do_is_404(
    persona: str, episode: Episode, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    with pytest.raises(Http404):
        get_episode_for_user(
            staff=staff,
            external_id=episode.external_id,
            what="episode.end",
            action=Action.END_EPISODE,
        )

    assert read_log() == []


@pytest.mark.parametrize(
    "persona", ["care_worker", "rehab_assistant", "ot", "pt", "nurse", "coordinator"]
)
def test_team_staff_get_the_episode_to_register_the_homecoming(
    persona: str, episode: Episode, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    get_episode_for_user(
        staff=staff,
        external_id=episode.external_id,
        what="episode.homecoming",
        action=Action.REGISTER_HOMECOMING,
    )

    assert read_log() == [(staff.pk, episode.person.pk, "episode.homecoming", "care")]


def test_the_manager_gets_404_for_registering_a_homecoming(
    episode: Episode, manager: Staff
) -> None:
    with pytest.raises(Http404):
        get_episode_for_user(
            staff=manager,
            external_id=episode.external_id,
            what="episode.homecoming",
            action=Action.REGISTER_HOMECOMING,
        )

    assert read_log() == []


def test_get_episode_for_user_reads_and_logs_in_two_queries(
    episode: Episode, nurse: Staff, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(2):
        get_episode_for_user(staff=nurse, external_id=episode.external_id, what="episode.detail")


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_referred_episode_is_seen_only_by_the_needs_assessment_unit(
    persona: str, case_officer: Staff, request: pytest.FixtureRequest, today: datetime.date
) -> None:
    staff: Staff = request.getfixturevalue(persona)
    episode = referred_episode(by=case_officer)

    assert list(episodes_visible_to(staff)) == (
        [episode] if persona in ("case_officer", "manager") else []
    )
