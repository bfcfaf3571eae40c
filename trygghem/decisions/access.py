"""The gates to decisions: a decision is visible when its episode is; a home-care decision
when its person is."""

import uuid

from django.http import Http404

from trygghem.audit.services import log_read
from trygghem.decisions.models import Decision, HomeCareDecision
from trygghem.episodes.access import episodes_visible_to
from trygghem.people.access import people_visible_to
from trygghem.staff.models import Staff
from trygghem.staff.rules import Action, may


def get_decision_for_user(
    *, staff: Staff, external_id: uuid.UUID, what: str, action: Action | None = None
) -> Decision:
    if action is not None and not may(staff.role, action):
        raise Http404
    decision = (
        Decision.objects.filter(episode__in=episodes_visible_to(staff), external_id=external_id)
        .select_related("episode", "person", "program", "decided_by__user")
        .first()
    )
    if decision is None:
        raise Http404
    log_read(by=staff, person=decision.person, what=what)
    return decision


def get_home_care_decision_for_user(
    *, staff: Staff, external_id: uuid.UUID, what: str, action: Action | None = None
) -> HomeCareDecision:
    """A home-care decision of a person the staff member sees (and, with `action`, may change)."""
    if action is not None and not may(staff.role, action):
        raise Http404
    decision = (
        HomeCareDecision.objects.filter(
            person__in=people_visible_to(staff), external_id=external_id
        )
        .select_related("person", "episode")
        .first()
    )
    if decision is None:
        raise Http404
    log_read(by=staff, person=decision.person, what=what)
    return decision
