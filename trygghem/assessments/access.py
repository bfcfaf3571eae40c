"""The gate to assessments: an assessment is visible when its episode is; every read logged."""

import uuid

from django.http import Http404

from trygghem.assessments.models import Assessment
from trygghem.audit.services import log_read
from trygghem.episodes.access import episodes_visible_to
from trygghem.staff.models import Staff


def get_assessment_for_user(*, staff: Staff, external_id: uuid.UUID, what: str) -> Assessment:
    """An assessment of an episode the staff member may see; 404 otherwise. Logs the read."""
    assessment = (
        Assessment.objects.filter(episode__in=episodes_visible_to(staff), external_id=external_id)
        .select_related("episode__program", "person", "instrument", "assessed_by__user")
        .first()
    )
    if assessment is None:
        raise Http404
    log_read(by=staff, person=assessment.person, what=what)
    return assessment
