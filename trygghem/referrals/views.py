from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trygghem.core.time import local_today
from trygghem.referrals import services
from trygghem.referrals.forms import ReferralForm
from trygghem.staff.rules import Action, may
from trygghem.staff.selectors import staff_for_user


@require_http_methods(["GET", "POST"])
def register_referral(request: HttpRequest) -> HttpResponse:
    staff = staff_for_user(request.user)
    if not may(staff.role, Action.REGISTER_REFERRAL):
        raise Http404
    form = ReferralForm(request.POST or None, initial={"received_on": local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            episode = services.register_referral(
                person=form.person_details(), referral=form.referral_details(), by=staff
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("The referral is registered."))
            return redirect("episode_detail", episode.external_id)
    status = 400 if form.errors else 200
    return render(request, "referrals/register.html", {"form": form}, status=status)
