"""The gate to a person's fees: the role's permission, then the person's record through the
people gate (team visibility, a log row for every read); 404 whether missing or forbidden."""

import uuid

from django.http import Http404

from trygghem.people.access import get_person_for_user
from trygghem.people.models import Person
from trygghem.staff.models import Staff
from trygghem.staff.rules import Action, may


def get_person_for_fees(
    *, staff: Staff, external_id: uuid.UUID, what: str, action: Action
) -> Person:
    """A person the staff member sees and whose fees their role may change by `action`."""
    if not may(staff.role, action):
        raise Http404
    return get_person_for_user(staff=staff, external_id=external_id, what=what)
