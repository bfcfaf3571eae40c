import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trygghem.episodes.access import episodes_visible_to
from trygghem.fees.selectors import fee_rooms_of
from trygghem.people import selectors
from trygghem.people.access import get_person_for_user
from trygghem.staff.models import Team
from trygghem.staff.rules import Action, may
from trygghem.staff.selectors import staff_for_user


@require_GET
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    person = get_person_for_user(staff=staff, external_id=person_id, what="person.detail")
    episodes = list(
        episodes_visible_to(staff)
        .filter(person=person)
        .select_related("program", "end_reason")
        .order_by("-created_at")
    )
    teams = (
        Team.objects.filter(
            episodes__person=person, kind__in=[Team.Kind.REABLEMENT, Team.Kind.HOME_CARE]
        )
        .exclude(phone="")
        .distinct()
    )
    may_record_fee_room = may(staff.role, Action.RECORD_FEE_ROOM)
    context = {
        "person": person,
        "relatives": list(person.relatives.all()),
        "episodes": episodes,
        "case_officer": selectors.responsible_case_officer(person=person),
        "teams": teams,
        # The fee room reflects income: only those who record it see it.
        "fee_rooms": list(fee_rooms_of(person=person)) if may_record_fee_room else [],
        "may_record_fee_room": may_record_fee_room,
    }
    return render(request, "people/detail.html", context)
