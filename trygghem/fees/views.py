import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trygghem.core.time import local_today
from trygghem.core.views import render_form, saved
from trygghem.fees import selectors, services
from trygghem.fees.forms import FeeRoomForm
from trygghem.people.access import get_person_for_user
from trygghem.staff.rules import Action
from trygghem.staff.selectors import staff_for_user


@require_http_methods(["GET", "POST"])
def record_fee_room(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    person = get_person_for_user(
        staff=staff, external_id=person_id, what="fee_room.record", action=Action.RECORD_FEE_ROOM
    )
    form = FeeRoomForm(request.POST or None, initial=FeeRoomForm.initial_for(today=local_today()))

    def save() -> None:
        services.record_fee_room(
            person=person,
            amount=form.cleaned_data["amount"],
            valid_from=form.cleaned_data["valid_from"],
            by=staff,
        )

    message = ""
    if form.is_bound and form.is_valid():
        message = _("The fee room of %(amount)s kr a month from %(day)s is recorded.") % {
            "amount": number_format(form.cleaned_data["amount"], force_grouping=True),
            "day": date_format(form.cleaned_data["valid_from"], "SHORT_DATE_FORMAT"),
        }
    if saved(request, form, save, message=message):
        return redirect("person_detail", person.external_id)
    context = {"form": form, "person": person, "fee_rooms": selectors.fee_rooms_of(person=person)}
    return render_form(request, "fees/record_fee_room.html", context)
