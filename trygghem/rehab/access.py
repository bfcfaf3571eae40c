"""The gates to rehab plans and assistive devices: visible when the person's episode is (through
the staff member's teams); every read logged; 404 whether missing or forbidden."""

import uuid

from django.http import Http404

from trygghem.audit.services import log_read
from trygghem.episodes.access import episodes_visible_to
from trygghem.people.access import people_visible_to
from trygghem.rehab.models import AssistiveDevice, RehabPlan
from trygghem.staff.models import Staff
from trygghem.staff.rules import Action, may


def get_plan_for_user(
    *, staff: Staff, external_id: uuid.UUID, what: str, action: Action | None = None
) -> RehabPlan:
    """A rehab plan whose episode the staff member sees (and, with `action`, may change)."""
    if action is not None and not may(staff.role, action):
        raise Http404
    plan = (
        RehabPlan.objects.filter(episode__in=episodes_visible_to(staff), external_id=external_id)
        .select_related("episode__person", "episode__program", "written_by__user")
        .first()
    )
    if plan is None:
        raise Http404
    log_read(by=staff, person=plan.episode.person, what=what)
    return plan


def get_device_for_user(
    *, staff: Staff, external_id: uuid.UUID, what: str, action: Action | None = None
) -> AssistiveDevice:
    """An assistive device of a person the staff member sees."""
    if action is not None and not may(staff.role, action):
        raise Http404
    device = (
        AssistiveDevice.objects.filter(person__in=people_visible_to(staff), external_id=external_id)
        .select_related("person", "episode", "device_type")
        .first()
    )
    if device is None:
        raise Http404
    log_read(by=staff, person=device.person, what=what)
    return device
