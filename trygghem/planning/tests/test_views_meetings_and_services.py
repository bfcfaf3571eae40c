import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.assertions import read_log
from trygghem.episodes.models import Episode
from trygghem.planning.models import MorningMeeting, ServiceTemplate
from trygghem.planning.tests.helpers import planning_state, template, visit
from trygghem.rehab.tests.helpers import main_goal, rehab_plan, training_action
from trygghem.staff.models import Staff, Team

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _client(staff: Staff) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff.user)
    return client


def _board_url(team: Team, day: datetime.date) -> str:
    return reverse("morning_meeting", args=[team.external_id, day.isoformat()])


def test_the_board_lists_the_teams_people_and_logs_each_one_read(
    at_home: Episode, coordinator: Staff, home_care_a: Team, today: datetime.date
) -> None:
    visit(at_home, home_care_a, today, what="Städning")
    response = _client(coordinator).get(_board_url(home_care_a, today))
    assert response.status_code == 200
    assert [p.person for p in response.context["board"].visits] == [at_home.person]
    assert response.context["may_write"] is True
    assert "Städning" in response.content.decode()
    assert read_log() == [(coordinator.pk, at_home.person_id, "planning.morning_meeting", "care")]


def test_the_coordinator_saves_what_was_decided_and_sees_it_again(
    at_home: Episode, coordinator: Staff, home_care_a: Team, today: datetime.date
) -> None:
    url = _board_url(home_care_a, today)
    response = _client(coordinator).post(url, {"notes": "Anna tar Berit."})
    assert (response.status_code, response["Location"]) == (302, url)
    assert list(MorningMeeting.objects.values_list("notes", "recorded_by")) == [
        ("Anna tar Berit.", coordinator.pk)
    ]
    again = _client(coordinator).get(url)
    assert again.context["form"].initial == {"notes": "Anna tar Berit."}


def test_yesterdays_board_is_read_only_and_a_post_to_it_changes_nothing(
    at_home: Episode, coordinator: Staff, manager: Staff, home_care_a: Team, today: datetime.date
) -> None:
    url = _board_url(home_care_a, today - DAY)
    assert _client(coordinator).get(url).context["may_write"] is False
    before = planning_state()
    assert _client(coordinator).post(url, {"notes": "x"}).status_code == 404
    assert _client(manager).post(_board_url(home_care_a, today), {"notes": "x"}).status_code == 404
    assert planning_state() == before


def test_the_day_plan_and_the_start_page_link_the_morning_meeting(
    coordinator: Staff, home_care_a: Team, today: datetime.date
) -> None:
    url = _board_url(home_care_a, today)
    plan = _client(coordinator).get(
        reverse("day_plan", args=[home_care_a.external_id, "2026-03-10"])
    )
    assert url in plan.content.decode()
    assert url in _client(coordinator).get(reverse("home")).content.decode()


def test_the_services_page_lists_templates_and_offers_unplanned_training(
    at_home: Episode, ot: Staff, coordinator: Staff
) -> None:
    template(at_home)
    plan = rehab_plan(episode=at_home, by=ot)
    action = training_action(plan=plan, goal=main_goal(plan=plan, by=ot), by=ot)
    response = _client(coordinator).get(reverse("episode_services", args=[at_home.external_id]))
    assert [t.what for t in response.context["templates"]] == ["Morgonhjälp"]
    assert response.context["training"] == [action]
    assert reverse("template_from_training_action", args=[action.external_id]) in (
        response.content.decode()
    )


def test_planning_a_training_action_from_the_button_makes_its_template(
    at_home: Episode, ot: Staff, coordinator: Staff
) -> None:
    plan = rehab_plan(episode=at_home, by=ot)
    action = training_action(plan=plan, goal=main_goal(plan=plan, by=ot), by=ot)
    url = reverse("template_from_training_action", args=[action.external_id])
    response = _client(coordinator).post(url)
    assert response["Location"] == reverse("episode_services", args=[at_home.external_id])
    assert list(ServiceTemplate.objects.values_list("plan_action", flat=True)) == [action.pk]
    again = _client(coordinator).post(url)
    assert again.status_code == 400
    assert "This training is already in the plan." in again.content.decode()


def test_a_service_is_created_from_the_form_and_a_bad_one_is_shown_with_its_error(
    at_home: Episode, case_officer: Staff
) -> None:
    url = reverse("create_service_template", args=[at_home.external_id])
    data = {
        "what": "Morgonhjälp",
        "law": "SoL",
        "weekdays": ["0", "3"],
        "starts_on": "2026-03-10",
        "window_start": "08:00",
        "window_end": "09:00",
        "duration_minutes": "30",
        "skills": ["medication"],
        "staff_count": "1",
    }
    bad = _client(case_officer).post(url, data | {"window_end": "07:00"})
    assert bad.status_code == 400
    assert bad.context["form"].errors == {
        "window_end": ["The latest start must not be before the earliest."]
    }
    assert ServiceTemplate.objects.count() == 0
    response = _client(case_officer).post(url, data)
    assert response["Location"] == reverse("episode_services", args=[at_home.external_id])
    assert list(ServiceTemplate.objects.values_list("what", "weekdays", "skills")) == [
        ("Morgonhjälp", [0, 3], ["medication"])
    ]


def test_my_day_shows_the_goal_behind_each_visit(
    at_home: Episode,
    ot: Staff,
    coordinator: Staff,
    rehab_assistant: Staff,
    today: datetime.date,
    reablement_team: Team,
) -> None:
    plan = rehab_plan(episode=at_home, by=ot)
    action = training_action(plan=plan, goal=main_goal(plan=plan, by=ot), by=ot)
    linked = template(at_home, plan_action=action)
    training = visit(at_home, reablement_team, today, template=linked, planned_start_minute=540)
    training.assignments.create(staff=rehab_assistant)
    response = _client(rehab_assistant).get(reverse("my_day"))
    assert response.context["cards"] == [(training, ["Jag vill kunna duscha själv."])]
    assert "“Jag vill kunna duscha själv.”" in response.content.decode()


def test_an_unknown_training_action_is_a_404_and_logs_nothing(coordinator: Staff) -> None:
    url = reverse("template_from_training_action", args=["00000000-0000-0000-0000-000000000000"])
    assert _client(coordinator).get(url).status_code == 404
    assert read_log() == []
