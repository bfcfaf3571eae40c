"""A decision is visible to whoever sees its episode. The episode here is a decided Trygg
hemgång episode (unit, reablement team, rehab unit) of a person with home care from group A."""

import datetime
import uuid

import pytest
from django.http import Http404

from tests.assertions import read_log
from tests.factories import (
    PERSONAS_WITH_RECORD_ACCESS,
    PERSONAS_WITHOUT_ACCESS,
    PURPOSE_OF,
    decided_episode,
    person_details,
)
from trygghem.decisions.access import get_decision_for_user
from trygghem.decisions.models import Decision
from trygghem.decisions.services import adjust_decision
from trygghem.staff.models import Staff, Team
from trygghem.staff.rules import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(case_officer: Staff, home_care_a: Team, today: datetime.date) -> Decision:
    episode = decided_episode(by=case_officer, person=person_details(home_care_team=home_care_a))
    return Decision.objects.get(episode=episode)


@pytest.mark.parametrize("persona", PERSONAS_WITH_RECORD_ACCESS)
def test_get_decision_for_user_returns_the_decision_and_logs_exactly_one_read(
    persona: str, decision: Decision, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    found = get_decision_for_user(
        staff=staff, external_id=decision.external_id, what="decision.detail"
    )

    assert found == decision
    assert read_log() == [(staff.pk, decision.person.pk, "decision.detail", PURPOSE_OF[persona])]


@pytest.mark.parametrize("persona", PERSONAS_WITHOUT_ACCESS)
def test_get_decision_for_user_is_404_for_mas_admin_and_another_home_care_group(
    persona: str, decision: Decision, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    with pytest.raises(Http404):
        get_decision_for_user(staff=staff, external_id=decision.external_id, what="decision.detail")

    assert read_log() == []


def test_get_decision_for_user_is_404_for_a_decision_that_does_not_exist(
    decision: Decision, case_officer: Staff
) -> None:
    with pytest.raises(Http404):
        get_decision_for_user(staff=case_officer, external_id=uuid.uuid4(), what="decision.detail")

    assert read_log() == []


def test_get_decision_for_user_to_adjust_it_returns_it_to_the_case_officer(
    decision: Decision, case_officer: Staff
) -> None:
    found = get_decision_for_user(
        staff=case_officer,
        external_id=decision.external_id,
        what="decision.adjust",
        action=Action.ADJUST_DECISION,
    )

    assert found == decision
    assert read_log() == [(case_officer.pk, decision.person.pk, "decision.adjust", "case_handling")]


@pytest.mark.parametrize(
    "persona", [name for name in PERSONAS_WITH_RECORD_ACCESS if name != "case_officer"]
)
def test_get_decision_for_user_to_adjust_it_is_404_for_everyone_but_the_case_officer(
    persona: str, decision: Decision, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    with pytest.raises(Http404):
        get_decision_for_user(
            staff=staff,
            external_id=decision.external_id,
            what="decision.adjust",
            action=Action.ADJUST_DECISION,
        )

    assert read_log() == []


def test_a_replaced_version_stays_readable(
    decision: Decision, case_officer: Staff, nurse: Staff, today: datetime.date
) -> None:
    adjust_decision(
        decision=decision,
        start_on=decision.start_on,
        end_on=decision.end_on - datetime.timedelta(days=3),
        follow_up_on=decision.follow_up_on,
        granted_services=decision.granted_services,
        change_reason="Behovet minskar.",
        by=case_officer,
    )

    found = get_decision_for_user(
        staff=nurse, external_id=decision.external_id, what="decision.detail"
    )

    assert (found.version, found.is_current) == (1, False)
