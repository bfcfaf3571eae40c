"""The planning URLs of tests/test_access_matrix.py, built from the matrix world's active
episode (its person is in home-care group A)."""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse

from trygghem.core.time import local_today
from trygghem.episodes.models import Episode
from trygghem.planning.models import Delegation, PlanningRun, Visit, VisitAssignment
from trygghem.rehab.models import PlanAction, RehabPlan
from trygghem.staff.models import Staff


def _visit(episode: Episode) -> Visit:
    """A visit of home-care group A today, on the rehab assistant persona when that persona
    exists in the test (so only the staff on the visit may record it)."""
    team = episode.person.home_care_team
    assert team is not None
    visit, _ = Visit.objects.get_or_create(
        episode=episode,
        person=episode.person,
        team=team,
        day=local_today(),
        defaults={
            "what": "Träning",
            "window_start_minute": 480,
            "window_end_minute": 540,
            "duration_minutes": 30,
            "planned_start_minute": 480,
        },
    )
    assistant = Staff.objects.filter(user__username="rehab_assistant").first()
    if assistant is not None:
        VisitAssignment.objects.get_or_create(visit=visit, staff=assistant)
    return visit


def day_plan(episode: Episode) -> str:
    team = episode.person.home_care_team
    assert team is not None
    return reverse("day_plan", args=[team.external_id, local_today().isoformat()])


def generate_visits(episode: Episode) -> str:
    return day_plan(episode) + "generate/"


def add_shift(episode: Episode) -> str:
    return day_plan(episode) + "rows/new/"


def assign_visit(episode: Episode) -> str:
    return reverse("assign_visit", args=[_visit(episode).external_id])


def check_assignment(episode: Episode) -> str:
    return reverse("check_assignment", args=[_visit(episode).external_id])


def record_visit(episode: Episode) -> str:
    return reverse("record_visit", args=[_visit(episode).external_id])


def person_day(episode: Episode) -> str:
    return reverse("person_day", args=[episode.person.external_id, local_today().isoformat()])


def withdraw_delegation(episode: Episode) -> str:
    user, _ = get_user_model().objects.get_or_create(username="matrix_care_worker")
    staff, _ = Staff.objects.get_or_create(user=user, defaults={"role": Staff.Role.CARE_WORKER})
    delegation, _ = Delegation.objects.get_or_create(
        staff=staff,
        defaults={
            "task": "medication",
            "issued_by": episode.case_officer,
            "valid_from": local_today(),
            "valid_to": local_today(),
            "changed_by": episode.case_officer,
        },
    )
    return reverse("withdraw_delegation", args=[delegation.external_id])


def morning_meeting(episode: Episode) -> str:
    return day_plan(episode) + "morning-meeting/"


def episode_services(episode: Episode) -> str:
    return reverse("episode_services", args=[episode.external_id])


def create_service_template(episode: Episode) -> str:
    return reverse("create_service_template", args=[episode.external_id])


def template_from_training_action(episode: Episode) -> str:
    """A prescribed training action under the first goal of the episode's rehab plan."""
    plan = RehabPlan.objects.get(episode=episode)
    goal = plan.goals.order_by("pk").first()
    assert goal is not None
    action, _ = PlanAction.objects.get_or_create(
        plan=plan,
        goal=goal,
        what="Balansträning",
        defaults={
            "who": PlanAction.Who.PT,
            "times_per_week": 3,
            "until_on": local_today(),
            "is_training": True,
            "window_start": datetime.time(9),
            "window_end": datetime.time(11),
            "duration_minutes": 30,
            "performed_by": PlanAction.Performer.REHAB_ASSISTANT,
            "added_by": plan.written_by,
        },
    )
    return reverse("template_from_training_action", args=[action.external_id])


def plan_day(episode: Episode) -> str:
    return day_plan(episode) + "plan/"


def planning_run(episode: Episode) -> str:
    """A run of home-care group A's day still waiting for the planner."""
    team = episode.person.home_care_team
    assert team is not None
    run, _ = PlanningRun.objects.get_or_create(
        team=team,
        day=local_today(),
        defaults={"requested_by": episode.case_officer, "problem": {}, "current": {}},
    )
    return reverse("planning_run", args=[run.external_id])
