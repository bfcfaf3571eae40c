"""Who sees a person: the members of the teams of the person's episodes. The person here has
a decided Trygg hemgång episode (unit, reablement team, rehab unit) and home care from group A."""

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
    followed_up_episode,
    person_details,
    referred_episode,
)
from trygghem.episodes.models import EndReason
from trygghem.episodes.services import ServiceDetails, close_referral, hand_over_episode
from trygghem.people.access import get_person_for_user, people_visible_to
from trygghem.people.models import Person
from trygghem.staff.models import Staff, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(case_officer: Staff, home_care_a: Team, today: datetime.date) -> Person:
    return decided_episode(
        by=case_officer, person=person_details(home_care_team=home_care_a)
    ).person


@pytest.mark.parametrize("persona", PERSONAS_WITH_RECORD_ACCESS)
def test_people_visible_to_lists_the_person_for_every_member_of_the_episodes_teams(
    persona: str, person: Person, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    assert list(people_visible_to(staff)) == [person]
    assert read_log() == []


@pytest.mark.parametrize("persona", PERSONAS_WITHOUT_ACCESS)
def test_people_visible_to_lists_nobody_for_mas_admin_and_another_home_care_group(
    persona: str, person: Person, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    assert list(people_visible_to(staff)) == []


@pytest.mark.parametrize("persona", PERSONAS_WITH_RECORD_ACCESS)
def test_get_person_for_user_returns_the_person_and_logs_exactly_one_read(
    persona: str, person: Person, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    found = get_person_for_user(staff=staff, external_id=person.external_id, what="person.detail")

    assert found == person
    assert read_log() == [(staff.pk, person.pk, "person.detail", PURPOSE_OF[persona])]


@pytest.mark.parametrize("persona", PERSONAS_WITHOUT_ACCESS)
def test_get_person_for_user_is_404_for_mas_admin_and_another_home_care_group(
    persona: str, person: Person, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    with pytest.raises(Http404):
        get_person_for_user(staff=staff, external_id=person.external_id, what="person.detail")

    assert read_log() == []


def test_get_person_for_user_is_404_for_a_person_that_does_not_exist(
    person: Person, case_officer: Staff
) -> None:
    with pytest.raises(Http404):
        get_person_for_user(staff=case_officer, external_id=uuid.uuid4(), what="person.detail")

    assert read_log() == []


def test_get_person_for_user_reads_and_logs_in_two_queries(
    person: Person, care_worker: Staff, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(2):
        get_person_for_user(staff=care_worker, external_id=person.external_id, what="person.detail")


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_referred_person_is_seen_only_by_the_needs_assessment_unit(
    persona: str, case_officer: Staff, request: pytest.FixtureRequest, today: datetime.date
) -> None:
    staff: Staff = request.getfixturevalue(persona)
    person = referred_episode(by=case_officer).person

    assert list(people_visible_to(staff)) == (
        [person] if persona in ("case_officer", "manager") else []
    )


def test_a_person_with_two_episodes_is_listed_once(
    case_officer: Staff, today: datetime.date
) -> None:
    first = referred_episode(by=case_officer)
    close_referral(
        episode=first,
        reason=EndReason.objects.get(code="triage_green"),
        closed_on=today,
        note="",
        by=case_officer,
    )
    referred_episode(
        by=case_officer,
        person=person_details(identity_number=first.person.formatted_identity_number),
    )

    assert list(people_visible_to(case_officer)) == [first.person]


def test_the_receiving_home_care_group_sees_the_person_after_handover(
    case_officer: Staff, outsider: Staff, home_care_b: Team, today: datetime.date
) -> None:
    episode = followed_up_episode(by=case_officer)
    assert list(people_visible_to(outsider)) == []

    hand_over_episode(
        episode=episode,
        reason=EndReason.objects.get(code="handover"),
        ended_on=today,
        receiving_team=home_care_b,
        remaining_needs="Stöd vid dusch.",
        goals_to_maintain="Klä sig själv.",
        contacts="",
        services=[ServiceDetails(what="Dusch", how="Tvättar sig själv på pall.", when="Tisdagar")],
        by=case_officer,
    )

    assert list(people_visible_to(outsider)) == [episode.person]
