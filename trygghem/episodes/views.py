import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygghem.core.time import local_now, local_today
from trygghem.core.views import render_form, saved
from trygghem.decisions import selectors as decision_selectors
from trygghem.episodes import pdf, rules, selectors, services
from trygghem.episodes.access import get_episode_for_user
from trygghem.episodes.forms import (
    CloseReferralForm,
    EndEpisodeForm,
    FollowUpForm,
    HandOverForm,
    HomecomingForm,
    PlannedServiceFormSet,
    service_details,
)
from trygghem.staff.rules import Action
from trygghem.staff.selectors import staff_for_user


@require_GET
def episode_detail(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    episode = get_episode_for_user(staff=staff, external_id=episode_id, what="episode.detail")
    decision = decision_selectors.current_decision(episode=episode)
    context = {
        "episode": episode,
        "person": episode.person,
        "referral": episode.referral,
        "exclusion_criteria": list(episode.referral.exclusion_criteria.all()),
        "decision": decision,
        "follow_up_state": selectors.follow_up_state(episode=episode, decision=decision),
        "decision_versions": decision_selectors.decision_versions(episode=episode),
        "transitions": selectors.transitions(episode=episode),
        "follow_ups": selectors.follow_ups(episode=episode),
        "plan": selectors.implementation_plan(episode=episode),
        "actions": {str(action) for action in rules.actions_for(episode.status, staff.role)},
    }
    return render(request, "episodes/detail.html", context)


@require_http_methods(["GET", "POST"])
def close_referral(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    episode = get_episode_for_user(
        staff=staff, external_id=episode_id, what="episode.close", action=Action.CLOSE_REFERRAL
    )
    form = CloseReferralForm(request.POST or None, initial={"closed_on": local_today()})

    def save() -> None:
        data = form.cleaned_data
        services.close_referral(
            episode=episode,
            reason=data["reason"],
            closed_on=data["closed_on"],
            note=data["note"],
            by=staff,
        )

    if saved(request, form, save, message=_("The referral is closed.")):
        return redirect("episode_detail", episode.external_id)
    context = {"form": form, "episode": episode, "person": episode.person}
    return render_form(request, "episodes/close_referral.html", context)


@require_http_methods(["GET", "POST"])
def register_homecoming(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    episode = get_episode_for_user(
        staff=staff,
        external_id=episode_id,
        what="episode.homecoming",
        action=Action.REGISTER_HOMECOMING,
    )
    now = local_now().replace(second=0, microsecond=0)
    form = HomecomingForm(request.POST or None, initial={"home_at": now})

    def save() -> None:
        services.register_homecoming(
            episode=episode, home_at=form.cleaned_data["home_at"], by=staff
        )

    if saved(request, form, save, message=_("The homecoming is registered.")):
        return redirect("episode_detail", episode.external_id)
    context = {"form": form, "episode": episode, "person": episode.person}
    return render_form(request, "episodes/homecoming.html", context)


@require_http_methods(["GET", "POST"])
def record_follow_up(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    episode = get_episode_for_user(
        staff=staff,
        external_id=episode_id,
        what="episode.follow_up",
        action=Action.RECORD_FOLLOW_UP,
    )
    form = FollowUpForm(request.POST or None, initial={"held_on": local_today()})

    def save() -> None:
        data = form.cleaned_data
        services.record_follow_up(
            episode=episode,
            held_on=data["held_on"],
            mode=data["mode"],
            participants=data["participants"],
            manages_now=data["manages_now"],
            outcome=data["outcome"],
            by=staff,
        )

    if saved(request, form, save, message=_("The follow-up is recorded.")):
        return redirect("episode_detail", episode.external_id)
    context = {"form": form, "episode": episode, "person": episode.person}
    return render_form(request, "episodes/follow_up.html", context)


@require_http_methods(["GET", "POST"])
def end_episode(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    episode = get_episode_for_user(
        staff=staff, external_id=episode_id, what="episode.end", action=Action.END_EPISODE
    )
    form = EndEpisodeForm(request.POST or None, initial={"ended_on": local_today()})

    def save() -> None:
        data = form.cleaned_data
        services.end_episode(
            episode=episode,
            reason=data["reason"],
            ended_on=data["ended_on"],
            note=data["note"],
            by=staff,
        )

    if saved(request, form, save, message=_("The episode is ended.")):
        return redirect("episode_detail", episode.external_id)
    context = {"form": form, "episode": episode, "person": episode.person}
    return render_form(request, "episodes/end.html", context)


@require_http_methods(["GET", "POST"])
def hand_over_episode(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    episode = get_episode_for_user(
        staff=staff, external_id=episode_id, what="episode.hand_over", action=Action.HAND_OVER
    )
    form = HandOverForm(
        request.POST or None, initial=HandOverForm.initial_for(episode=episode, today=local_today())
    )
    service_forms = PlannedServiceFormSet(request.POST or None, prefix="services")
    # Both are validated (no short-circuit) so the page shows every error at once.
    if request.method == "POST" and all([form.is_valid(), service_forms.is_valid()]):
        try:
            services.hand_over_episode(
                episode=episode,
                reason=form.end_reason(),
                ended_on=form.cleaned_data["ended_on"],
                receiving_team=form.cleaned_data["receiving_team"],
                remaining_needs=form.cleaned_data["remaining_needs"],
                goals_to_maintain=form.cleaned_data["goals_to_maintain"],
                contacts=form.cleaned_data["contacts"],
                services=service_details(service_forms),
                by=staff,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("The episode is handed over to ordinary home care."))
            return redirect("episode_detail", episode.external_id)
    status = 400 if form.errors or service_forms.total_error_count() else 200
    context = {
        "form": form,
        "service_forms": service_forms,
        "episode": episode,
        "person": episode.person,
    }
    return render(request, "episodes/hand_over.html", context, status=status)


@require_GET
def implementation_plan_pdf(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    """The implementation plan as a PDF; reading it is a read of the person's record."""
    staff = staff_for_user(request.user)
    episode = get_episode_for_user(
        staff=staff, external_id=episode_id, what="implementation_plan.pdf"
    )
    plan = selectors.implementation_plan(episode=episode)
    if plan is None:
        raise Http404
    filename = pdf.implementation_plan_filename(episode=episode)
    return HttpResponse(
        pdf.implementation_plan_pdf(plan=plan, episode=episode),
        content_type="application/pdf",
        headers={"Content-Disposition": content_disposition_header(False, filename)},
    )
