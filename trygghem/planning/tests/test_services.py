import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.assertions import change_log, error_codes
from tests.factories import active_episode, decided_episode, person_details
from trygghem.episodes.models import Episode
from trygghem.planning import services
from trygghem.planning.models import Delegation, Shift, Visit
from trygghem.planning.tests.helpers import delegation, planning_state, shift, template, visit
from trygghem.staff.models import Staff, Team

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _assignees(visit: Visit) -> list[str]:
    return sorted(a.staff.user.username for a in visit.assignments.all())


# Generating visits


def test_generate_visits_makes_the_teams_visits_of_the_day_from_the_templates(
    at_home: Episode, coordinator: Staff, reablement_team: Team, today: datetime.date
) -> None:
    morning = template(at_home, skills=["medication"], goal_text="Klä på sig själv")
    template(at_home, what="Kvällshjälp", window_start_minute=19 * 60, window_end_minute=20 * 60)

    created = services.generate_visits(day=today, team=reablement_team, by=coordinator)

    assert [
        (v.template, v.what, v.team, v.day, v.window_start_minute, v.duration_minutes, v.skills,
         v.goal_text, v.with_the_person, v.planned_start_minute)
        for v in created
    ] == [
        (morning, "Morgonhjälp", reablement_team, today, 480, 30, ["medication"],
         "Klä på sig själv", False, None)
    ]  # fmt: skip
    assert change_log("visits.generated") == [
        (
            coordinator.pk,
            at_home.person_id,
            "care",
            {
                "day": "2026-03-10",
                "team": str(reablement_team.external_id),
                "visits": [str(created[0].external_id)],
            },
        )
    ]


def test_evening_visits_go_to_the_home_care_group_done_with_the_person(
    at_home: Episode, coordinator: Staff, home_care_a: Team, today: datetime.date
) -> None:
    template(at_home, what="Kvällshjälp", window_start_minute=19 * 60, window_end_minute=20 * 60)
    created = services.generate_visits(day=today, team=home_care_a, by=coordinator)
    assert [(v.what, v.team, v.with_the_person) for v in created] == [
        ("Kvällshjälp", home_care_a, True)
    ]


def test_a_template_with_a_fixed_team_goes_to_that_team_whatever_the_time(
    at_home: Episode, coordinator: Staff, home_care_a: Team, today: datetime.date
) -> None:
    template(at_home, what="Städning", team=home_care_a)
    created = services.generate_visits(day=today, team=home_care_a, by=coordinator)
    assert [(v.what, v.with_the_person) for v in created] == [("Städning", False)]


def test_evening_visits_of_a_person_without_home_care_stay_with_the_reablement_team(
    case_officer: Staff, coordinator: Staff, reablement_team: Team, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer)
    template(episode, window_start_minute=19 * 60, window_end_minute=20 * 60)
    created = services.generate_visits(day=today, team=reablement_team, by=coordinator)
    assert [(v.team, v.with_the_person) for v in created] == [(reablement_team, False)]


def test_generating_twice_adds_nothing_the_second_time(
    at_home: Episode, coordinator: Staff, reablement_team: Team, today: datetime.date
) -> None:
    template(at_home)
    services.generate_visits(day=today, team=reablement_team, by=coordinator)
    assert services.generate_visits(day=today, team=reablement_team, by=coordinator) == []
    assert Visit.objects.count() == 1


def test_generate_visits_skips_people_not_yet_home_and_inactive_templates(
    at_home: Episode,
    case_officer: Staff,
    coordinator: Staff,
    reablement_team: Team,
    today: datetime.date,
) -> None:
    template(decided_episode(by=case_officer, person=person_details()))
    template(at_home, active=False)
    template(at_home, weekdays=[0])  # Mondays; the day is a Tuesday
    assert services.generate_visits(day=today, team=reablement_team, by=coordinator) == []


def test_only_the_coordinator_generates_visits(
    at_home: Episode, care_worker: Staff, reablement_team: Team, today: datetime.date
) -> None:
    template(at_home)
    before = planning_state()
    with pytest.raises(PermissionDenied):
        services.generate_visits(day=today, team=reablement_team, by=care_worker)
    assert planning_state() == before


# Planning rows


def test_the_coordinator_adds_a_planning_row_for_a_rehab_assistant_from_another_team(
    coordinator: Staff, rehab_assistant: Staff, home_care_a: Team, today: datetime.date
) -> None:
    row = services.add_shift(
        staff=rehab_assistant, team=home_care_a, day=today, start_minute=420, end_minute=930,
        by=coordinator,
    )  # fmt: skip
    assert list(
        Shift.objects.values_list("staff", "team", "day", "start_minute", "end_minute")
    ) == [(rehab_assistant.pk, home_care_a.pk, today, 420, 930)]
    assert row.created_by == coordinator


@pytest.mark.parametrize(
    ("who", "start", "end", "codes"),
    [
        ("outsider", 420, 930, {"staff": ["not_plannable"]}),
        ("rehab_assistant", 930, 420, {"end": ["ends_before_start"]}),
        ("rehab_assistant", 420, 24 * 60 + 1, {"end": ["ends_before_start"]}),
        ("coordinator", 420, 600, {"staff": ["shift_exists"]}),
    ],
)
def test_a_planning_row_is_refused_for_an_outsider_a_backwards_shift_or_a_second_shift(
    who: str,
    start: int,
    end: int,
    codes: dict[str, list[str]],
    coordinator: Staff,
    home_care_a: Team,
    today: datetime.date,
    request: pytest.FixtureRequest,
) -> None:
    member: Staff = request.getfixturevalue(who)
    shift(coordinator, home_care_a, today, coordinator)
    before = planning_state()
    with pytest.raises(ValidationError) as refusal:
        services.add_shift(
            staff=member, team=home_care_a, day=today, start_minute=start, end_minute=end,
            by=coordinator,
        )  # fmt: skip
    assert error_codes(refusal.value) == codes
    assert planning_state() == before


def test_only_the_coordinator_adds_planning_rows(
    nurse: Staff, rehab_assistant: Staff, home_care_a: Team, today: datetime.date
) -> None:
    with pytest.raises(PermissionDenied):
        services.add_shift(
            staff=rehab_assistant, team=home_care_a, day=today, start_minute=420, end_minute=930,
            by=nurse,
        )  # fmt: skip


# Assigning visits


@pytest.fixture
def planned_day(
    at_home: Episode,
    coordinator: Staff,
    care_worker: Staff,
    rehab_assistant: Staff,
    reablement_team: Team,
    today: datetime.date,
) -> Visit:
    shift(care_worker, reablement_team, today, coordinator)
    shift(rehab_assistant, reablement_team, today, coordinator)
    return visit(at_home, reablement_team, today)


def test_assign_visit_places_the_visit_with_its_staff_and_logs_it(
    planned_day: Visit, coordinator: Staff, care_worker: Staff
) -> None:
    conflicts = services.assign_visit(
        visit=planned_day, staff=[care_worker], planned_start_minute=500, override_reason="",
        by=coordinator,
    )  # fmt: skip
    planned_day.refresh_from_db()
    assert conflicts == []
    assert (planned_day.planned_start_minute, planned_day.override_reason) == (500, "")
    assert _assignees(planned_day) == ["care_worker"]
    assert change_log("visit.assigned") == [
        (
            coordinator.pk,
            planned_day.person_id,
            "care",
            {
                "visit": str(planned_day.external_id),
                "staff": [str(care_worker.external_id)],
                "start": 500,
                "overridden": [],
            },
        )
    ]


def test_moving_a_visit_replaces_its_staff(
    planned_day: Visit, coordinator: Staff, care_worker: Staff, rehab_assistant: Staff
) -> None:
    for member, start in ((care_worker, 480), (rehab_assistant, 510)):
        services.assign_visit(
            visit=planned_day, staff=[member], planned_start_minute=start, override_reason="",
            by=coordinator,
        )  # fmt: skip
    planned_day.refresh_from_db()
    assert (planned_day.planned_start_minute, _assignees(planned_day)) == (510, ["rehab_assistant"])


def test_a_conflicting_assignment_is_refused_without_a_reason_and_changes_nothing(
    planned_day: Visit, coordinator: Staff, care_worker: Staff, reablement_team: Team
) -> None:
    other = visit(planned_day.episode, reablement_team, planned_day.day, what="Dusch")
    services.assign_visit(
        visit=other, staff=[care_worker], planned_start_minute=480, override_reason="",
        by=coordinator,
    )  # fmt: skip
    before = planning_state()
    with pytest.raises(ValidationError) as refusal:
        services.assign_visit(
            visit=planned_day, staff=[care_worker], planned_start_minute=490,
            override_reason="  ", by=coordinator,
        )  # fmt: skip
    assert error_codes(refusal.value) == {"override_reason": ["conflicts"]}
    assert planning_state() == before


def test_a_conflicting_assignment_is_saved_with_the_reason_given_and_logged(
    planned_day: Visit, coordinator: Staff, care_worker: Staff
) -> None:
    conflicts = services.assign_visit(
        visit=planned_day, staff=[care_worker], planned_start_minute=600,
        override_reason="Personen bad om senare tid", by=coordinator,
    )  # fmt: skip
    planned_day.refresh_from_db()
    assert [str(c.kind) for c in conflicts] == ["window_missed"]
    assert planned_day.override_reason == "Personen bad om senare tid"
    assert change_log("visit.assigned")[0][3]["overridden"] == ["window_missed"]


def test_a_missing_or_withdrawn_delegation_is_a_conflict_of_the_assignment(
    planned_day: Visit, coordinator: Staff, care_worker: Staff, nurse: Staff, today: datetime.date
) -> None:
    Visit.objects.filter(pk=planned_day.pk).update(skills=["medication"])
    planned_day.refresh_from_db()
    given = delegation(care_worker, nurse, today - 10 * DAY, today + 10 * DAY)
    assert services.assign_visit(
        visit=planned_day, staff=[care_worker], planned_start_minute=480, override_reason="",
        by=coordinator,
    ) == []  # fmt: skip
    services.withdraw_delegation(delegation=given, withdrawn_on=today, by=nurse)
    with pytest.raises(ValidationError):
        services.assign_visit(
            visit=planned_day, staff=[care_worker], planned_start_minute=485, override_reason="",
            by=coordinator,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("who", "start", "codes"),
    [
        ([], 480, {"staff": ["staff_count"]}),
        (["care_worker", "rehab_assistant"], 480, {"staff": ["staff_count"]}),
        (["care_worker", "care_worker"], 480, {"staff": ["staff_count"]}),
        (["care_worker"], 24 * 60 - 29, {"start": ["start_out_of_day"]}),
    ],
)
def test_an_assignment_with_the_wrong_number_of_staff_or_past_midnight_is_refused(
    who: list[str],
    start: int,
    codes: dict[str, list[str]],
    planned_day: Visit,
    coordinator: Staff,
    request: pytest.FixtureRequest,
) -> None:
    staff = [request.getfixturevalue(name) for name in who]
    before = planning_state()
    with pytest.raises(ValidationError) as refusal:
        services.assign_visit(
            visit=planned_day, staff=staff, planned_start_minute=start, override_reason="x",
            by=coordinator,
        )  # fmt: skip
    assert error_codes(refusal.value) == codes
    assert planning_state() == before


def test_a_double_staffed_visit_takes_two_staff(
    planned_day: Visit, coordinator: Staff, care_worker: Staff, rehab_assistant: Staff
) -> None:
    Visit.objects.filter(pk=planned_day.pk).update(staff_count=2)
    planned_day.refresh_from_db()
    services.assign_visit(
        visit=planned_day, staff=[care_worker, rehab_assistant], planned_start_minute=480,
        override_reason="", by=coordinator,
    )  # fmt: skip
    assert _assignees(planned_day) == ["care_worker", "rehab_assistant"]


def test_a_recorded_visit_can_no_longer_be_moved(
    planned_day: Visit, coordinator: Staff, care_worker: Staff
) -> None:
    Visit.objects.filter(pk=planned_day.pk).update(status=Visit.Status.DONE)
    with pytest.raises(ValidationError) as refusal:
        services.assign_visit(
            visit=planned_day, staff=[care_worker], planned_start_minute=480, override_reason="",
            by=coordinator,
        )  # fmt: skip
    assert error_codes(refusal.value) == ["visit_recorded"]


def test_only_the_coordinator_assigns_visits(planned_day: Visit, care_worker: Staff) -> None:
    with pytest.raises(PermissionDenied):
        services.assign_visit(
            visit=planned_day, staff=[care_worker], planned_start_minute=480, override_reason="",
            by=care_worker,
        )  # fmt: skip


# Recording visits


@pytest.fixture
def my_visit(planned_day: Visit, coordinator: Staff, rehab_assistant: Staff) -> Visit:
    services.assign_visit(
        visit=planned_day, staff=[rehab_assistant], planned_start_minute=480, override_reason="",
        by=coordinator,
    )  # fmt: skip
    return planned_day


def test_the_staff_member_on_the_visit_records_it_done_with_how_independently(
    my_visit: Visit, rehab_assistant: Staff, today: datetime.date
) -> None:
    services.record_visit(
        visit=my_visit, status="done", actual_start_minute=485, actual_end_minute=515,
        independence="with_support", note=" Klädde sig själv. ", deterioration=True,
        today=today, by=rehab_assistant,
    )  # fmt: skip
    my_visit.refresh_from_db()
    recorded = (
        my_visit.status, my_visit.actual_text, my_visit.independence, my_visit.note,
        my_visit.deterioration, my_visit.recorded_by,
    )  # fmt: skip
    assert recorded == (
        "done", "08:05–08:35", "with_support", "Klädde sig själv.", True, rehab_assistant
    )  # fmt: skip
    assert change_log("visit.recorded") == [
        (
            rehab_assistant.pk,
            my_visit.person_id,
            "care",
            {
                "visit": str(my_visit.external_id),
                "status": "done",
                "independence": "with_support",
                "deterioration": True,
            },
        )
    ]


def test_a_visit_not_done_keeps_the_reason_and_no_times(
    my_visit: Visit, rehab_assistant: Staff, today: datetime.date
) -> None:
    services.record_visit(
        visit=my_visit, status="not_done", actual_start_minute=485, actual_end_minute=515,
        independence="with_support", note="Inte hemma.", deterioration=False,
        today=today, by=rehab_assistant,
    )  # fmt: skip
    my_visit.refresh_from_db()
    recorded = (my_visit.status, my_visit.actual_start_minute, my_visit.independence, my_visit.note)
    assert recorded == ("not_done", None, "", "Inte hemma.")


@pytest.mark.parametrize(
    ("status", "start", "end", "independence", "note", "codes"),
    [
        ("done", None, 515, "with_support", "", {"actual_end": ["times_required"]}),
        ("done", 515, 515, "with_support", "", {"actual_end": ["ends_before_start"]}),
        ("done", 485, 515, "", "", {"independence": ["required"]}),
        ("not_done", None, None, "", " ", {"note": ["required"]}),
        ("later", None, None, "", "", {"status": ["invalid"]}),
    ],
)
def test_a_visit_record_without_what_it_needs_is_refused_and_changes_nothing(
    status: str,
    start: int | None,
    end: int | None,
    independence: str,
    note: str,
    codes: dict[str, list[str]],
    my_visit: Visit,
    rehab_assistant: Staff,
    today: datetime.date,
) -> None:
    before = planning_state()
    with pytest.raises(ValidationError) as refusal:
        services.record_visit(
            visit=my_visit, status=status, actual_start_minute=start, actual_end_minute=end,
            independence=independence, note=note, deterioration=False, today=today,
            by=rehab_assistant,
        )  # fmt: skip
    assert error_codes(refusal.value) == codes
    assert planning_state() == before


def test_only_the_staff_on_the_visit_record_it_once_and_not_before_its_day(
    my_visit: Visit, care_worker: Staff, rehab_assistant: Staff, today: datetime.date
) -> None:
    def record(by: Staff, on: datetime.date) -> list[str]:
        with pytest.raises(ValidationError) as refusal:
            services.record_visit(
                visit=my_visit, status="not_done", actual_start_minute=None,
                actual_end_minute=None, independence="", note="x", deterioration=False,
                today=on, by=by,
            )  # fmt: skip
        codes = error_codes(refusal.value)
        assert isinstance(codes, list)
        return codes

    assert record(care_worker, today) == ["not_assigned"]
    assert record(rehab_assistant, today - DAY) == ["not_yet"]
    Visit.objects.filter(pk=my_visit.pk).update(status=Visit.Status.DONE)
    assert record(rehab_assistant, today) == ["already_recorded"]


def test_the_coordinator_does_not_record_visits(
    my_visit: Visit, coordinator: Staff, today: datetime.date
) -> None:
    with pytest.raises(PermissionDenied):
        services.record_visit(
            visit=my_visit, status="not_done", actual_start_minute=None, actual_end_minute=None,
            independence="", note="x", deterioration=False, today=today, by=coordinator,
        )  # fmt: skip


# Delegations


def test_a_nurse_issues_a_delegation_and_no_person_record_is_logged(
    nurse: Staff, rehab_assistant: Staff, today: datetime.date
) -> None:
    issued = services.issue_delegation(
        staff=rehab_assistant, task="medication", valid_from=today, valid_to=today + 364 * DAY,
        by=nurse,
    )  # fmt: skip
    assert (issued.staff, issued.task, issued.issued_by, issued.changed_by, issued.valid_to) == (
        rehab_assistant, "medication", nurse, nurse, datetime.date(2027, 3, 9)
    )  # fmt: skip
    assert change_log("delegation.issued") == []


@pytest.mark.parametrize(
    ("who", "task", "days", "codes"),
    [
        ("nurse", "medication", 10, {"staff": ["not_delegable"]}),
        ("care_worker", "flying", 10, {"task": ["invalid"]}),
        ("care_worker", "medication", -1, {"valid_to": ["ends_before_start"]}),
        ("care_worker", "medication", 366, {"valid_to": ["too_long"]}),
    ],
)
def test_a_delegation_to_a_licensed_role_of_an_unknown_task_or_too_long_is_refused(
    who: str,
    task: str,
    days: int,
    codes: dict[str, list[str]],
    nurse: Staff,
    today: datetime.date,
    request: pytest.FixtureRequest,
) -> None:
    member: Staff = request.getfixturevalue(who)
    before = planning_state()
    with pytest.raises(ValidationError) as refusal:
        services.issue_delegation(
            staff=member, task=task, valid_from=today, valid_to=today + days * DAY, by=nurse
        )
    assert error_codes(refusal.value) == codes
    assert planning_state() == before


def test_only_a_nurse_issues_or_withdraws_delegations(
    coordinator: Staff, nurse: Staff, care_worker: Staff, today: datetime.date
) -> None:
    with pytest.raises(PermissionDenied):
        services.issue_delegation(
            staff=care_worker, task="medication", valid_from=today, valid_to=today, by=coordinator
        )
    given = delegation(care_worker, nurse, today, today)
    with pytest.raises(PermissionDenied):
        services.withdraw_delegation(delegation=given, withdrawn_on=today, by=coordinator)


def test_a_delegation_is_withdrawn_once(
    nurse: Staff, care_worker: Staff, today: datetime.date
) -> None:
    given = delegation(care_worker, nurse, today, today + 30 * DAY)
    services.withdraw_delegation(delegation=given, withdrawn_on=today, by=nurse)
    assert Delegation.objects.get().withdrawn_on == today
    before = planning_state()
    with pytest.raises(ValidationError) as refusal:
        services.withdraw_delegation(delegation=given, withdrawn_on=today, by=nurse)
    assert error_codes(refusal.value) == ["already_withdrawn"]
    assert planning_state() == before
