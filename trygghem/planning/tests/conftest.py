import datetime

import pytest

from tests.factories import active_episode, person_details
from trygghem.episodes.models import Episode
from trygghem.people.models import Person
from trygghem.planning.tests.helpers import HOME
from trygghem.staff.models import Staff, Team


@pytest.fixture
def at_home(case_officer: Staff, home_care_a: Team, today: datetime.date) -> Episode:
    """An active Trygg hemgång episode of a person in home-care group A, with coordinates."""
    episode = active_episode(
        by=case_officer, person=person_details(last_name="Hemma", home_care_team=home_care_a)
    )
    Person.objects.filter(pk=episode.person_id).update(latitude=HOME[0], longitude=HOME[1])
    return Episode.objects.select_related("person").get(pk=episode.pk)
