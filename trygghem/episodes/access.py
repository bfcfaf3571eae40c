"""The gate to episodes: visible through the staff member's teams, every read logged."""

import uuid

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from trygghem.audit.services import log_read
from trygghem.episodes.models import Episode
from trygghem.staff.models import Staff
from trygghem.staff.rules import Action, may, sees_records


def episodes_visible_to(staff: Staff) -> QuerySet[Episode]:
    """Episodes that belong to one of the staff member's teams."""
    if not sees_records(staff.role):
        return Episode.objects.none()
    own_team = Episode.teams.through.objects.filter(
        episode=OuterRef("pk"), team__in=staff.teams.all()
    )
    return Episode.objects.filter(Exists(own_team))


def get_episode_for_user(
    *, staff: Staff, external_id: uuid.UUID, what: str, action: Action | None = None
) -> Episode:
    """An episode the staff member may see (and, with `action`, may change); 404 otherwise.
    Logs the read of the person's record."""
    if action is not None and not may(staff.role, action):
        raise Http404
    episode = (
        episodes_visible_to(staff)
        .select_related("person", "referral", "program", "unit", "case_officer__user", "end_reason")
        .filter(external_id=external_id)
        .first()
    )
    if episode is None:
        raise Http404
    log_read(by=staff, person=episode.person, what=what)
    return episode
