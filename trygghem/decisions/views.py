import uuid

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygghem.core.time import local_today
from trygghem.core.views import render_form, saved
from trygghem.decisions import selectors, services
from trygghem.decisions.access import get_decision_for_user, get_home_care_decision_for_user
from trygghem.decisions.forms import (
    AdjustDecisionForm,
    EndHomeCareDecisionForm,
    GrantDecisionForm,
    GrantHomeCareDecisionForm,
    ReplaceHomeCareDecisionForm,
)
from trygghem.decisions.models import SOL_4_1
from trygghem.episodes import rules as episode_rules
from trygghem.episodes.access import episodes_visible_to, get_episode_for_user
from trygghem.episodes.models import Episode
from trygghem.people.access import get_person_for_user
from trygghem.people.models import Person
from trygghem.staff.models import Staff
from trygghem.staff.rules import Action, may
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


# Ordinary home-care decisions, on the person's page


def _episodes_of(staff: Staff, person: Person) -> QuerySet[Episode]:
    return (
        episodes_visible_to(staff)
        .filter(person=person, status=Episode.Status.ENDED)
        .select_related("program", "end_reason")
        .order_by("-ended_on")
    )


@require_GET
def person_home_care(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The person's ordinary home-care decisions with their hours a week. The person page loads
    it with htmx (the partial); without htmx it is a page of its own."""
    staff = staff_for_user(request.user)
    person = get_person_for_user(staff=staff, external_id=person_id, what="home_care.section")
    today = local_today()
    decisions = list(selectors.home_care_decisions(person=person))
    context = {
        "person": person,
        "decisions": decisions,
        "in_force": {decision.pk for decision in decisions if decision.in_force_on(today)},
        "changeable": {decision.pk for decision in decisions if decision.open_on(today)},
        "may_record": may(staff.role, Action.RECORD_HOME_CARE_DECISION),
    }
    template = "decisions/home_care.html"
    if request.headers.get("HX-Request") == "true":
        template += "#home-care-section"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def grant_home_care_decision(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    person = get_person_for_user(
        staff=staff,
        external_id=person_id,
        what="home_care_decision.grant",
        action=Action.RECORD_HOME_CARE_DECISION,
    )
    episodes = _episodes_of(staff, person)
    form = GrantHomeCareDecisionForm(
        request.POST or None,
        episodes=episodes,
        initial=GrantHomeCareDecisionForm.initial_for(episodes=episodes, today=local_today()),
    )

    def save() -> None:
        data = form.cleaned_data
        services.grant_home_care_decision(
            person=person,
            hours_per_week=data["hours_per_week"],
            start_on=data["start_on"],
            end_on=data["end_on"],
            episode=data["episode"],
            by=staff,
        )

    if saved(request, form, save, message=_("The home-care decision is granted.")):
        return redirect("person_detail", person.external_id)
    context = {"form": form, "person": person, "legal_basis": SOL_4_1}
    return render_form(request, "decisions/home_care_grant.html", context)


@require_http_methods(["GET", "POST"])
def end_home_care_decision(request: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    decision = get_home_care_decision_for_user(
        staff=staff,
        external_id=decision_id,
        what="home_care_decision.end",
        action=Action.RECORD_HOME_CARE_DECISION,
    )
    form = EndHomeCareDecisionForm(request.POST or None, initial={"end_on": local_today()})

    def save() -> None:
        services.end_home_care_decision(
            decision=decision, end_on=form.cleaned_data["end_on"], by=staff
        )

    if saved(request, form, save, message=_("The home-care decision is ended.")):
        return redirect("person_detail", decision.person.external_id)
    context = {
        "form": form,
        "decision": decision,
        "person": decision.person,
        "title": _("End home-care decision"),
    }
    return render_form(request, "decisions/home_care_change.html", context)


@require_http_methods(["GET", "POST"])
def replace_home_care_decision(request: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    staff = staff_for_user(request.user)
    decision = get_home_care_decision_for_user(
        staff=staff,
        external_id=decision_id,
        what="home_care_decision.replace",
        action=Action.RECORD_HOME_CARE_DECISION,
    )
    form = ReplaceHomeCareDecisionForm(
        request.POST or None,
        initial={"hours_per_week": decision.hours_per_week, "from_on": local_today()},
    )

    def save() -> None:
        data = form.cleaned_data
        services.replace_home_care_decision(
            decision=decision,
            hours_per_week=data["hours_per_week"],
            from_on=data["from_on"],
            by=staff,
        )

    if saved(request, form, save, message=_("The hours are changed with a new decision.")):
        return redirect("person_detail", decision.person.external_id)
    context = {
        "form": form,
        "decision": decision,
        "person": decision.person,
        "title": _("Change the hours from a day"),
    }
    return render_form(request, "decisions/home_care_change.html", context)
