import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.assertions import change_log, error_codes
from tests.factories import active_episode, decided_episode, person_details
from trygghem.episodes.models import EndReason, Episode
from trygghem.planning import rules, selectors, services
from trygghem.planning.models import MorningMeeting, ServiceTemplate
from trygghem.planning.tests.helpers import delegation, planning_state, shift, template, visit
from trygghem.rehab.tests.helpers import main_goal, rehab_plan, training_action
from trygghem.staff.models import Staff, Team

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _details(**overrides: object) -> services.TemplateDetails:
    values: dict[str, object] = {
        "what": " Morgonhjälp ",
        "law": "SoL",
        "weekdays": [4, 0, 2],
        "starts_on": datetime.date(2026, 3, 10),
        "ends_on": None,
        "window_start_minute": 480,
        "window_end_minute": 540,
        "duration_minutes": 40,
        "skills": ["medication"],
        "staff_count": 2,
        "taper_after_days": 7,
        "taper_to_minutes": 25,
        "goal_text": "Klä på mig själv",
    }
    values.update(overrides)
    return services.TemplateDetails(**values)  # type: ignore[arg-type]


def _end(episode: Episode) -> None:
    Episode.objects.filter(pk=episode.pk).update(
        status=Episode.Status.ENDED,
        ended_on=datetime.date(2026, 3, 10),
        end_reason=EndReason.objects.get(code="handover"),
    )


# Spreading training over the week


@pytest.mark.parametrize(
    ("times", "weekdays"),
    [
        (1, [0]),
        (2, [0, 3]),
        (3, [0, 2, 4]),
        (4, [0, 1, 3, 5]),
        (5, [0, 1, 2, 4, 5]),
        (7, [0, 1, 2, 3, 4, 5, 6]),
        (9, [0, 1, 2, 3, 4, 5, 6]),
    ],
)
def test_training_times_per_week_are_spread_over_the_week_from_monday(
    times: int, weekdays: list[int]
) -> None:
    assert rules.spread_weekdays(times) == weekdays


# Service templates from the decision


def test_the_case_officer_creates_a_service_template_within_the_decision(
    at_home: Episode, case_officer: Staff
) -> None:
    made = services.create_service_template(episode=at_home, details=_details(), by=case_officer)

    assert (
        made.what, made.law, made.weekdays, made.starts_on, made.ends_on, made.window_text,
        made.duration_minutes, made.skills, made.staff_count, made.taper_after_days,
        made.taper_to_minutes, made.goal_text, made.plan_action,
    ) == (
        "Morgonhjälp", "SoL", [0, 2, 4], datetime.date(2026, 3, 10), datetime.date(2026, 3, 19),
        "08:00–09:00", 40, ["medication"], 2, 7, 25, "Klä på mig själv", None,
    )  # fmt: skip
    assert made.weekdays_text == "Mon, Wed, Fri"
    assert change_log("service_template.created") == [
        (
            case_officer.pk,
            at_home.person_id,
            "case_handling",
            {
                "template": str(made.external_id),
                "law": "SoL",
                "weekdays": [0, 2, 4],
                "window": [480, 540],
                "duration": 40,
                "staff": 2,
            },
        )
    ]


@pytest.mark.parametrize(
    ("overrides", "codes"),
    [
        ({"weekdays": []}, {"weekdays": ["required"]}),
        ({"weekdays": [7]}, {"weekdays": ["required"]}),
        ({"law": "LSS"}, {"law": ["invalid"]}),
        ({"skills": ["driving"]}, {"skills": ["invalid"]}),
        ({"staff_count": 3}, {"staff_count": ["invalid"]}),
        ({"starts_on": datetime.date(2026, 3, 5)}, {"starts_on": ["outside_decision"]}),
        ({"ends_on": datetime.date(2026, 3, 20)}, {"starts_on": ["outside_decision"]}),
        ({"ends_on": datetime.date(2026, 3, 9)}, {"ends_on": ["ends_before_start"]}),
        ({"window_end_minute": 470}, {"window_end": ["window_reversed"]}),
        ({"window_end_minute": 1430}, {"window_end": ["window_out_of_day"]}),
        ({"duration_minutes": 4, "taper_after_days": None, "taper_to_minutes": None},
         {"duration_minutes": ["invalid_duration"]}),
        ({"taper_to_minutes": None}, {"taper_to_minutes": ["taper_incomplete"]}),
        ({"taper_to_minutes": 40}, {"taper_to_minutes": ["taper_not_shorter"]}),
    ],
)  # fmt: skip
def test_a_service_template_outside_the_rules_is_refused_and_nothing_changes(
    at_home: Episode, case_officer: Staff, overrides: dict[str, object], codes: object
) -> None:
    before = planning_state()
    with pytest.raises(ValidationError) as refused:
        services.create_service_template(
            episode=at_home, details=_details(**overrides), by=case_officer
        )
    assert error_codes(refused.value) == codes
    assert planning_state() == before


def test_a_service_template_is_refused_for_an_ended_episode_and_for_other_roles(
    case_officer: Staff, ot: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer, person=person_details())
    _end(episode)
    before = planning_state()
    with pytest.raises(ValidationError) as refused:
        services.create_service_template(episode=episode, details=_details(), by=case_officer)
    assert error_codes(refused.value) == ["not_enrolled"]
    with pytest.raises(PermissionDenied):
        services.create_service_template(episode=episode, details=_details(), by=ot)
    assert planning_state() == before


def test_a_decided_episode_gets_templates_before_the_homecoming(
    case_officer: Staff, coordinator: Staff, today: datetime.date
) -> None:
    episode = decided_episode(by=case_officer, person=person_details())
    made = services.create_service_template(episode=episode, details=_details(), by=coordinator)
    assert made.episode == episode


# Training actions become templates


def test_a_training_action_becomes_a_template_keeping_goal_action_template_and_visits(
    at_home: Episode,
    ot: Staff,
    coordinator: Staff,
    reablement_team: Team,
    today: datetime.date,
) -> None:
    plan = rehab_plan(episode=at_home, by=ot)
    goal = main_goal(plan=plan, by=ot)
    action = training_action(plan=plan, goal=goal, by=ot)

    made = services.template_from_training_action(action=action, by=coordinator)

    assert (
        made.what, made.law, made.weekdays, made.starts_on, made.ends_on, made.window_text,
        made.duration_minutes, made.skills, made.staff_count, made.goal_text, made.plan_action,
    ) == (
        "Balansträning i badrummet", "HSL", [0, 2, 4], today, today + 8 * DAY, "09:00–11:00",
        30, ["rehab"], 1, "Jag vill kunna duscha själv.", action,
    )  # fmt: skip
    assert change_log("service_template.created")[0][3]["plan_action"] == str(action.external_id)
    wednesday = today + DAY
    visits = services.generate_visits(day=wednesday, team=reablement_team, by=coordinator)
    assert [v.template for v in visits] == [made]
    assert selectors.goals_of_visits(visits) == {visits[0].pk: ["Jag vill kunna duscha själv."]}
    assert selectors.training_actions_to_plan(episode=at_home) == []


def test_a_training_action_is_planned_once_only_and_only_by_planners(
    at_home: Episode, ot: Staff, coordinator: Staff
) -> None:
    plan = rehab_plan(episode=at_home, by=ot)
    action = training_action(plan=plan, goal=main_goal(plan=plan, by=ot), by=ot)
    services.template_from_training_action(action=action, by=coordinator)
    before = planning_state()
    with pytest.raises(ValidationError) as refused:
        services.template_from_training_action(action=action, by=coordinator)
    assert error_codes(refused.value) == ["already_planned"]
    with pytest.raises(PermissionDenied):
        services.template_from_training_action(action=action, by=ot)
    assert planning_state() == before


def test_an_action_that_is_not_training_or_has_ended_is_not_planned(
    at_home: Episode, ot: Staff, coordinator: Staff, today: datetime.date
) -> None:
    plan = rehab_plan(episode=at_home, by=ot)
    goal = main_goal(plan=plan, by=ot)
    action = training_action(plan=plan, goal=goal, by=ot)
    before = planning_state()
    type(action).objects.filter(pk=action.pk).update(is_training=False)
    with pytest.raises(ValidationError) as not_training:
        services.template_from_training_action(action=action, by=coordinator)
    type(action).objects.filter(pk=action.pk).update(is_training=True, until_on=today - DAY)
    with pytest.raises(ValidationError) as ended:
        services.template_from_training_action(action=action, by=coordinator)
    assert (error_codes(not_training.value), error_codes(ended.value)) == (
        ["not_training"],
        ["ended"],
    )
    assert ServiceTemplate.objects.count() == 0
    assert change_log("service_template.created") == []
    assert len(before["planning.ServiceTemplate"]) == 0


def test_training_is_not_planned_once_the_person_is_no_longer_at_home(
    at_home: Episode, ot: Staff, coordinator: Staff
) -> None:
    plan = rehab_plan(episode=at_home, by=ot)
    action = training_action(plan=plan, goal=main_goal(plan=plan, by=ot), by=ot)
    _end(at_home)
    before = planning_state()
    with pytest.raises(ValidationError) as refused:
        services.template_from_training_action(action=action, by=coordinator)
    assert error_codes(refused.value) == ["not_at_home"]
    assert planning_state() == before


def test_a_visit_without_a_training_action_shows_the_plans_main_goal(
    at_home: Episode, ot: Staff, home_care_a: Team, today: datetime.date
) -> None:
    main_goal(plan=rehab_plan(episode=at_home, by=ot), by=ot)
    plain = visit(at_home, home_care_a, today, template=template(at_home))
    assert selectors.goals_of_visits([plain]) == {plain.pk: ["Jag vill kunna duscha själv."]}


# The morning meeting


def test_team_staff_write_the_morning_meeting_on_the_day_and_may_edit_it(
    coordinator: Staff, home_care_a: Team, today: datetime.date
) -> None:
    first = services.record_morning_meeting(
        team=home_care_a, day=today, notes=" Anna tar Berits besök. ", today=today, by=coordinator
    )
    again = services.record_morning_meeting(
        team=home_care_a, day=today, notes="Ändrat.", today=today, by=coordinator
    )
    assert (again.pk, again.notes, again.recorded_by) == (first.pk, "Ändrat.", coordinator)
    assert MorningMeeting.objects.count() == 1


def test_the_morning_meeting_is_refused_on_another_day_outside_the_team_and_for_others(
    coordinator: Staff, care_worker: Staff, manager: Staff, home_care_a: Team, today: datetime.date
) -> None:
    before = planning_state()
    with pytest.raises(ValidationError) as late:
        services.record_morning_meeting(
            team=home_care_a, day=today - DAY, notes="x", today=today, by=coordinator
        )
    with pytest.raises(ValidationError) as outside:
        services.record_morning_meeting(
            team=home_care_a, day=today, notes="x", today=today, by=care_worker
        )
    with pytest.raises(PermissionDenied):
        services.record_morning_meeting(
            team=home_care_a, day=today, notes="x", today=today, by=manager
        )
    assert (error_codes(late.value), error_codes(outside.value)) == (["not_today"], ["not_in_team"])
    assert planning_state() == before


def test_the_board_shows_who_is_new_who_ends_the_visits_and_the_flags(
    case_officer: Staff,
    coordinator: Staff,
    nurse: Staff,
    care_worker: Staff,
    rehab_assistant: Staff,
    home_care_a: Team,
    reablement_team: Team,
    today: datetime.date,
) -> None:
    def person(name: str) -> object:
        return person_details(last_name=name, home_care_team=home_care_a)

    new = active_episode(by=case_officer, person=person("Ny"), start_on=today)
    ending = active_episode(
        by=case_officer, person=person("Slutar"), start_on=today - 12 * DAY, end_on=today + DAY
    )
    rehab_assistant.teams.add(home_care_a)
    delegation(rehab_assistant, nurse, today - 300 * DAY, today + 10 * DAY)
    delegation(care_worker, nurse, today - 300 * DAY, today + 10 * DAY)  # not in the team
    shift(rehab_assistant, home_care_a, today, coordinator)
    training = visit(new, reablement_team, today, planned_start_minute=600)
    training.assignments.create(staff=rehab_assistant)
    open_visit = visit(ending, home_care_a, today, what="Städning")
    worse = visit(ending, home_care_a, today - DAY, deterioration=True, status="done")

    board = selectors.morning_board(team=home_care_a, day=today, staff=coordinator)

    assert [e.person.last_name for e in board.new] == ["Ny"]
    assert [e.person.last_name for e in board.ending] == ["Slutar"]
    assert [(p.person.last_name, [v.what for v in p.visits]) for p in board.visits] == [
        ("Ny", ["Träning"]),
        ("Slutar", ["Städning"]),
    ]
    assert board.deteriorations == [worse]
    assert [d.person.last_name for d in board.follow_ups] == ["Slutar"]
    assert [d.staff for d in board.delegations] == [rehab_assistant]
    assert board.unassigned == [open_visit]
    assert sorted(p.last_name for p in board.people) == ["Ny", "Slutar"]
    assert board.meeting is None


def test_training_is_not_planned_from_a_closed_plan_or_without_a_running_decision(
    at_home: Episode, ot: Staff, coordinator: Staff, today: datetime.date
) -> None:
    plan = rehab_plan(episode=at_home, by=ot)
    action = training_action(plan=plan, goal=main_goal(plan=plan, by=ot), by=ot)
    before = planning_state()
    type(plan).objects.filter(pk=plan.pk).update(closed_on=today, closed_by=ot)
    with pytest.raises(ValidationError) as closed:
        services.template_from_training_action(action=action, by=coordinator)
    type(plan).objects.filter(pk=plan.pk).update(closed_on=None, closed_by=None)
    at_home.decisions.update(terminated_on=today)
    with pytest.raises(ValidationError) as terminated:
        services.template_from_training_action(action=action, by=coordinator)
    assert (error_codes(closed.value), error_codes(terminated.value)) == (
        ["plan_closed"],
        ["no_decision"],
    )
    assert ServiceTemplate.objects.count() == len(before["planning.ServiceTemplate"]) == 0


def test_a_service_template_needs_a_decision_in_force(
    at_home: Episode, case_officer: Staff
) -> None:
    at_home.decisions.update(is_current=False)
    with pytest.raises(ValidationError) as refused:
        services.create_service_template(episode=at_home, details=_details(), by=case_officer)
    assert error_codes(refused.value) == ["no_decision"]
    assert ServiceTemplate.objects.count() == 0
