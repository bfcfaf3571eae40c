import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygghem.core.time import local_today
from trygghem.core.views import render_form, saved
from trygghem.decisions import selectors, services
from trygghem.decisions.access import get_decision_for_user
from trygghem.decisions.forms import AdjustDecisionForm, GrantDecisionForm
from trygghem.decisions.models import SOL_4_1
from trygghem.episodes import rules as episode_rules
from trygghem.episodes.access import get_episode_for_user
from trygghem.staff.rules import Action
from trygghem.staff.selectors import staff_for_user


@require_http_methods(["GET", "POST"])
def grant_decision(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    episode = get_episode_for_user(
        staff=staff, external_id=episode_id, what="decision.grant", action=Action.GRANT_DECISION
    )
    form = GrantDecisionForm(
        request.POST or None,
        initial=GrantDecisionForm.initial_for(episode=episode, today=local_today()),
    )

    def save() -> None:
        data = form.cleaned_data
        services.grant_decision(
            episode=episode,
            program=data["program"],
            start_on=data["start_on"],
            end_on=data["end_on"],
            follow_up_on=data["follow_up_on"],
            granted_services=data["granted_services"],
            by=staff,
        )

    if saved(request, form, save, message=_("The decision is granted.")):
        return redirect("episode_detail", episode.external_id)
    context = {"form": form, "episode": episode, "person": episode.person, "legal_basis": SOL_4_1}
    return render_form(request, "decisions/grant.html", context)


@require_GET
def decision_detail(request: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    """One version of a decision, read-only; replaced versions stay readable."""
    staff = staff_for_user(request.user)
    decision = get_decision_for_user(staff=staff, external_id=decision_id, what="decision.detail")
    episode = decision.episode
    adjustable = (
        decision.is_current
        and decision.terminated_on is None
        and Action.ADJUST_DECISION in episode_rules.actions_for(episode.status, staff.role)
    )
    context = {
        "decision": decision,
        "episode": episode,
        "person": decision.person,
        "versions": selectors.decision_versions(episode=episode).filter(series=decision.series),
        "adjustable": adjustable,
    }
    return render(request, "decisions/detail.html", context)


@require_http_methods(["GET", "POST"])
def adjust_decision(request: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    decision = get_decision_for_user(
        staff=staff, external_id=decision_id, what="decision.adjust", action=Action.ADJUST_DECISION
    )
    form = AdjustDecisionForm(
        request.POST or None, initial=AdjustDecisionForm.initial_for(decision=decision)
    )

    def save() -> None:
        data = form.cleaned_data
        services.adjust_decision(
            decision=decision,
            start_on=data["start_on"],
            end_on=data["end_on"],
            follow_up_on=data["follow_up_on"],
            granted_services=data["granted_services"],
            change_reason=data["change_reason"],
            by=staff,
        )

    message = _("The decision is adjusted: version %(version)d is in force.") % {
        "version": decision.version + 1
    }
    if saved(request, form, save, message=message):
        return redirect("episode_detail", decision.episode.external_id)
    context = {
        "form": form,
        "decision": decision,
        "episode": decision.episode,
        "person": decision.person,
    }
    return render_form(request, "decisions/adjust.html", context)
