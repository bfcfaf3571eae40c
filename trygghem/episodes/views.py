import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trygghem.decisions import selectors as decision_selectors
from trygghem.episodes import rules, selectors
from trygghem.episodes.access import get_episode_for_user
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
