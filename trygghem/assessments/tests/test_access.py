"""An assessment is visible to whoever sees its episode: an active Trygg hemgång episode
(unit, reablement team, rehab unit) of a person with home care from group A."""

import datetime
import uuid

import pytest
from django.http import Http404

from tests.assertions import read_log
from tests.factories import (
    PERSONAS_WITH_RECORD_ACCESS,
    PERSONAS_WITHOUT_ACCESS,
    PURPOSE_OF,
    active_episode,
    person_details,
)
from trygghem.assessments.access import get_assessment_for_user
from trygghem.assessments.models import Assessment, Instrument
from trygghem.assessments.services import record_assessment
from trygghem.staff.models import Staff, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(
    case_officer: Staff, ot: Staff, home_care_a: Team, today: datetime.date
) -> Assessment:
    episode = active_episode(by=case_officer, person=person_details(home_care_team=home_care_a))
    return record_assessment(
        episode=episode,
        instrument=Instrument.objects.get(code="safety_vas"),
        occasion=Assessment.Occasion.BASELINE,
        assessed_on=today,
        answers={"safety": 55},
        by=ot,
    )


@pytest.mark.parametrize("persona", PERSONAS_WITH_RECORD_ACCESS)
def test_get_assessment_for_user_returns_it_and_logs_exactly_one_read(
    persona: str, assessment: Assessment, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    found = get_assessment_for_user(
        staff=staff, external_id=assessment.external_id, what="assessment.detail"
    )

    assert found == assessment
    assert read_log() == [
        (staff.pk, assessment.person_id, "assessment.detail", PURPOSE_OF[persona])
    ]


@pytest.mark.parametrize("persona", PERSONAS_WITHOUT_ACCESS)
def test_get_assessment_for_user_is_404_for_mas_admin_and_another_home_care_group(
    persona: str, assessment: Assessment, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    with pytest.raises(Http404):
        get_assessment_for_user(
            staff=staff, external_id=assessment.external_id, what="assessment.detail"
        )

    assert read_log() == []


def test_get_assessment_for_user_is_404_for_one_that_does_not_exist(
    assessment: Assessment, ot: Staff
) -> None:
    with pytest.raises(Http404):
        get_assessment_for_user(staff=ot, external_id=uuid.uuid4(), what="assessment.detail")
