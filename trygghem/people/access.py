"""The one gate to a person's record: who may see it, and a log row for every read."""

import uuid

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from trygghem.audit.services import log_read
from trygghem.episodes.models import Episode
from trygghem.people.models import Person
from trygghem.staff.models import Staff
from trygghem.staff.rules import Action, may, sees_records


def people_visible_to(staff: Staff) -> QuerySet[Person]:
    """People with an episode that belongs to one of the staff member's teams."""
    if not sees_records(staff.role):
        return Person.objects.none()
    team_episodes = Episode.teams.through.objects.filter(
        episode__person=OuterRef("pk"), team__in=staff.teams.all()
    )
    return Person.objects.filter(Exists(team_episodes))


def get_person_for_user(
    *, staff: Staff, external_id: uuid.UUID, what: str, action: Action | None = None
) -> Person:
    """A person's record, read and logged (and, with `action`, one the staff member's role may
    change); 404 whether missing or not the staff's to see."""
    if action is not None and not may(staff.role, action):
        raise Http404
    person = people_visible_to(staff).filter(external_id=external_id).first()
    if person is None:
        raise Http404
    log_read(by=staff, person=person, what=what)
    return person
