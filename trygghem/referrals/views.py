from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trygghem.core.time import local_today
from trygghem.core.views import render_form, saved
from trygghem.episodes.models import Episode
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
    registered: list[Episode] = []

    def save() -> None:
        registered.append(
            services.register_referral(
                person=form.person_details(), referral=form.referral_details(), by=staff
            )
        )

    if saved(request, form, save, message=_("The referral is registered.")):
        return redirect("episode_detail", registered[0].external_id)
    return render_form(request, "referrals/register.html", {"form": form})
