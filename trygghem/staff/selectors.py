from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from trygghem.staff.models import Staff


def staff_for_user(user: AbstractBaseUser | AnonymousUser) -> Staff:
    """The staff member behind a log-in; a log-in without one sees nothing (404)."""
    if not user.is_authenticated:
        raise Http404
    staff = Staff.objects.filter(user_id=user.pk).prefetch_related("teams").first()
    if staff is None:
        raise Http404
    return staff


def team_ids(staff: Staff) -> set[int]:
    return {team.pk for team in staff.teams.all()}
