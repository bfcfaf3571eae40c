import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.assertions import read_log
from tests.factories import active_episode, person_details
from trygghem.episodes.models import Episode
from trygghem.planning import services
from trygghem.planning.models import Delegation, Shift, Visit
from trygghem.planning.tests.helpers import delegation, planning_state, shift, template, visit
from trygghem.staff.models import Staff, Team

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _client(staff: Staff) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff.user)
    return client


def _plan_url(team: Team, day: datetime.date) -> str:
    return reverse("day_plan", args=[team.external_id, day.isoformat()])


@pytest.fixture
def collision(
    at_home: Episode,
    coordinator: Staff,
    care_worker: Staff,
    rehab_assistant: Staff,
    home_care_a: Team,
    reablement_team: Team,
    today: datetime.date,
) -> tuple[Visit, Visit]:
    """Seed 002: the rehab assistant and home care come to the same person at 08:00."""
    coordinator.teams.add(reablement_team)
    shift(rehab_assistant, home_care_a, today, coordinator)
    shift(care_worker, home_care_a, today, coordinator)
    training = visit(at_home, reablement_team, today, what="Träning", skills=["rehab"])
    home_care = visit(at_home, home_care_a, today, what="Städning", window_end_minute=12 * 60)
    for planned, member in ((training, rehab_assistant), (home_care, care_worker)):
        services.assign_visit(
            visit=planned, staff=[member], planned_start_minute=480, override_reason="demo",
            by=coordinator,
        )  # fmt: skip
    return training, home_care


def test_the_day_plan_shows_a_row_per_staff_member_the_collision_and_continuity(
    collision: tuple[Visit, Visit], coordinator: Staff, home_care_a: Team, today: datetime.date
) -> None:
    response = _client(coordinator).get(_plan_url(home_care_a, today))
    plan = response.context["plan"]
    assert response.status_code == 200
    assert [(row.staff.user.username, row.shift_text) for row in plan.rows] == [
        ("care_worker", "07:00–15:30"),
        ("rehab_assistant", "07:00–15:30"),
    ]
    assert [
        [(b.visit.what, b.column, b.span, b.conflicted) for b in row.blocks] for row in plan.rows
    ] == [
        [("Städning", 9, 2, True)],
        [("Träning", 9, 2, True)],
    ]
    assert [str(c.kind) for c in plan.conflicts] == ["client_overlap"]
    assert [(c.episode_staff, c.last_14_days_staff) for c in plan.continuity] == [(2, 2)]
    content = response.content.decode()
    assert 'class="tl-visit tl-c9 tl-w2 conflicted"' in content
    assert "The person gets two visits at once" in content
    assert read_log() == [(coordinator.pk, collision[0].person_id, "planning.day_plan", "care")]


def test_a_visit_of_a_person_the_viewer_may_not_see_is_shown_without_a_name(
    case_officer: Staff,
    coordinator: Staff,
    rehab_assistant: Staff,
    home_care_a: Team,
    home_care_b: Team,
    rehab_team: Team,
    today: datetime.date,
) -> None:
    elsewhere = active_episode(
        by=case_officer, person=person_details(last_name="Annanstans", home_care_team=home_care_b)
    )
    shift(rehab_assistant, home_care_a, today, coordinator)
    other = visit(elsewhere, rehab_team, today)
    Visit.objects.filter(pk=other.pk).update(planned_start_minute=600)
    other.assignments.create(staff=rehab_assistant)
    response = _client(coordinator).get(_plan_url(home_care_a, today))
    assert [b.visible for b in response.context["plan"].rows[0].blocks] == [False]
    assert "Annanstans" not in response.content.decode()
    assert read_log() == []


def test_the_day_plan_is_for_the_teams_own_staff(
    outsider: Staff, mas: Staff, home_care_a: Team, today: datetime.date
) -> None:
    assert _client(outsider).get(_plan_url(home_care_a, today)).status_code == 404
    assert _client(mas).get(_plan_url(home_care_a, today)).status_code == 404


def test_a_day_plan_for_a_date_that_does_not_exist_is_not_found(
    coordinator: Staff, home_care_a: Team
) -> None:
    url = reverse("day_plan", args=[home_care_a.external_id, "2026-02-30"])
    assert _client(coordinator).get(url).status_code == 404


def test_the_coordinator_sees_the_conflicts_before_saving(
    collision: tuple[Visit, Visit], coordinator: Staff, care_worker: Staff
) -> None:
    _, home_care = collision
    url = reverse("check_assignment", args=[home_care.external_id])
    response = _client(coordinator).get(
        url, {"staff": [str(care_worker.external_id)], "start": "08:00"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.strip().startswith('<div id="conflicts"')
    assert "1 conflict" in content
    assert "The person gets two visits at once: 08:00–08:30" in content
    moved = _client(coordinator).get(
        url, {"staff": [str(care_worker.external_id)], "start": "09:00"}
    )
    assert "No conflicts." in moved.content.decode()
    incomplete = _client(coordinator).get(url).content.decode()
    assert "conflict" not in incomplete.lower().replace('id="conflicts"', "")


def test_saving_a_conflicting_move_without_a_reason_is_refused_with_the_conflicts_shown(
    collision: tuple[Visit, Visit], coordinator: Staff, care_worker: Staff
) -> None:
    _, home_care = collision
    url = reverse("assign_visit", args=[home_care.external_id])
    before = planning_state()
    response = _client(coordinator).post(
        url, {"staff": [care_worker.external_id], "start": "08:15", "override_reason": ""}
    )
    assert response.status_code == 400
    assert [str(c.kind) for c in response.context["conflicts"]] == ["client_overlap"]
    assert response.context["form"].errors == {
        "override_reason": [
            "The plan has conflicts: resolve them, or give a reason to save it anyway."
        ]
    }
    after = planning_state()
    assert [row for row in after["audit.AccessLog"] if row["kind"] == "write"] == [
        row for row in before["audit.AccessLog"] if row["kind"] == "write"
    ]
    assert {k: v for k, v in after.items() if k != "audit.AccessLog"} == {
        k: v for k, v in before.items() if k != "audit.AccessLog"
    }


def test_moving_the_visit_out_of_the_collision_saves_and_returns_to_the_plan(
    collision: tuple[Visit, Visit], coordinator: Staff, care_worker: Staff, home_care_a: Team
) -> None:
    _, home_care = collision
    response = _client(coordinator).post(
        reverse("assign_visit", args=[home_care.external_id]),
        {"staff": [care_worker.external_id], "start": "09:00", "override_reason": ""},
    )
    assert (response.status_code, response["Location"]) == (
        302,
        _plan_url(home_care_a, home_care.day),
    )
    home_care.refresh_from_db()
    assert (home_care.planned_start_minute, home_care.override_reason) == (540, "")
    assert (
        _client(coordinator).get(_plan_url(home_care_a, home_care.day)).context["plan"].conflicts
        == []
    )


def test_the_assign_page_shows_the_visit_and_its_current_plan(
    collision: tuple[Visit, Visit], coordinator: Staff, care_worker: Staff
) -> None:
    _, home_care = collision
    response = _client(coordinator).get(reverse("assign_visit", args=[home_care.external_id]))
    assert response.status_code == 200
    assert response.context["form"].initial == {
        "staff": [care_worker.external_id],
        "start": datetime.time(8),
    }
    assert response.context["window"] == "08:00–12:00"


def test_the_coordinator_generates_the_days_visits(
    at_home: Episode, coordinator: Staff, home_care_a: Team, today: datetime.date
) -> None:
    template(at_home, window_start_minute=19 * 60, window_end_minute=20 * 60)
    url = reverse("generate_visits", args=[home_care_a.external_id, today.isoformat()])
    assert _client(coordinator).get(url).status_code == 200
    response = _client(coordinator).post(url)
    assert response["Location"] == _plan_url(home_care_a, today)
    assert list(Visit.objects.values_list("team", "with_the_person")) == [(home_care_a.pk, True)]


def test_the_coordinator_adds_a_planning_row_for_a_rehab_assistant(
    coordinator: Staff, rehab_assistant: Staff, home_care_a: Team, today: datetime.date
) -> None:
    url = reverse("add_shift", args=[home_care_a.external_id, today.isoformat()])
    data = {"staff": rehab_assistant.external_id, "start": "07:00", "end": "15:30"}
    response = _client(coordinator).post(url, data)
    assert response["Location"] == _plan_url(home_care_a, today)
    assert list(Shift.objects.values_list("staff", "team", "start_minute", "end_minute")) == [
        (rehab_assistant.pk, home_care_a.pk, 420, 930)
    ]
    again = _client(coordinator).post(url, data)
    assert again.status_code == 400
    assert again.context["form"].errors == {
        "staff": ["This staff member already has a shift this day."]
    }


def test_the_person_day_shows_every_teams_visits_and_continuity(
    collision: tuple[Visit, Visit], ot: Staff, today: datetime.date
) -> None:
    person = collision[0].person
    url = reverse("person_day", args=[person.external_id, today.isoformat()])
    response = _client(ot).get(url)
    assert [v.what for v in response.context["visits"]] == ["Träning", "Städning"]
    assert [str(c.kind) for c in response.context["conflicts"]] == ["client_overlap"]
    assert "Different staff this episode: 2; in the last 14 days: 2." in response.content.decode()
    assert read_log() == [(ot.pk, person.pk, "planning.person_day", "care")]


def test_my_day_lists_the_staff_members_own_visits_and_logs_each_person(
    collision: tuple[Visit, Visit], rehab_assistant: Staff
) -> None:
    response = _client(rehab_assistant).get(reverse("my_day"))
    assert [v.what for v in response.context["visits"]] == ["Träning"]
    assert reverse("record_visit", args=[collision[0].external_id]) in response.content.decode()
    assert read_log() == [(rehab_assistant.pk, collision[0].person_id, "planning.my_day", "care")]


def test_my_day_is_for_staff_who_make_visits(coordinator: Staff) -> None:
    assert _client(coordinator).get(reverse("my_day")).status_code == 404


def test_the_rehab_assistant_records_the_visit(
    collision: tuple[Visit, Visit], rehab_assistant: Staff
) -> None:
    training, _ = collision
    url = reverse("record_visit", args=[training.external_id])
    assert _client(rehab_assistant).get(url).context["form"].initial["actual_end"] == (
        datetime.time(8, 30)
    )
    response = _client(rehab_assistant).post(
        url,
        {
            "status": "done",
            "actual_start": "08:05",
            "actual_end": "08:40",
            "independence": "did_it_themselves",
            "note": "",
        },
    )
    assert response["Location"] == reverse("my_day")
    training.refresh_from_db()
    assert (training.status, training.actual_text, training.independence) == (
        "done",
        "08:05–08:40",
        "did_it_themselves",
    )


def test_a_record_without_times_is_refused_on_the_form(
    collision: tuple[Visit, Visit], rehab_assistant: Staff
) -> None:
    training, _ = collision
    response = _client(rehab_assistant).post(
        reverse("record_visit", args=[training.external_id]),
        {"status": "done", "independence": "with_support"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "actual_end": ["Give the times of a visit that was done."]
    }


def test_another_staff_members_visit_cannot_be_recorded(
    collision: tuple[Visit, Visit], care_worker: Staff
) -> None:
    training, _ = collision
    url = reverse("record_visit", args=[training.external_id])
    assert _client(care_worker).get(url).status_code == 404


def test_the_register_shows_every_delegation_with_its_state_and_the_expiring_ones(
    mas: Staff, nurse: Staff, care_worker: Staff, rehab_assistant: Staff, today: datetime.date
) -> None:
    delegation(care_worker, nurse, today - 100 * DAY, today + 10 * DAY)
    delegation(rehab_assistant, nurse, today - 100 * DAY, today - DAY)
    delegation(rehab_assistant, nurse, today - 10 * DAY, today + 200 * DAY, task="insulin")
    delegation(care_worker, nurse, today + DAY, today + 200 * DAY, task="insulin")
    withdrawn = delegation(care_worker, nurse, today - DAY, today + 200 * DAY, task="wound_care")
    Delegation.objects.filter(pk=withdrawn.pk).update(withdrawn_on=today)
    response = _client(mas).get(reverse("delegations"))
    assert [(d.staff.user.username, d.task, state) for d, state in response.context["rows"]] == [
        ("rehab_assistant", "medication", "Expired"),
        ("care_worker", "medication", "Expiring"),
        ("care_worker", "insulin", "Not yet valid"),
        ("care_worker", "wound_care", "Withdrawn"),
        ("rehab_assistant", "insulin", "Valid"),
    ]
    assert [d.staff.user.username for d in response.context["expiring"]] == ["care_worker"]
    assert response.context["may_issue"] is False
    assert read_log() == []


def test_the_nurse_issues_and_withdraws_a_delegation(
    nurse: Staff, rehab_assistant: Staff, today: datetime.date
) -> None:
    response = _client(nurse).post(
        reverse("issue_delegation"),
        {
            "staff": rehab_assistant.external_id,
            "task": "medication",
            "valid_from": "2026-03-10",
            "valid_to": "2026-09-30",
        },
    )
    assert response["Location"] == reverse("delegations")
    issued = Delegation.objects.get()
    url = reverse("withdraw_delegation", args=[issued.external_id])
    response = _client(nurse).post(url, {"withdrawn_on": "2026-03-11"})
    assert response["Location"] == reverse("delegations")
    assert Delegation.objects.get().withdrawn_on == datetime.date(2026, 3, 11)
    again = _client(nurse).post(url, {"withdrawn_on": "2026-03-11"})
    assert again.status_code == 400
    assert again.context["form"].non_field_errors() == ["The delegation is already withdrawn."]


def test_a_refused_delegation_shows_the_reason_on_the_field(
    nurse: Staff, rehab_assistant: Staff, today: datetime.date
) -> None:
    response = _client(nurse).post(
        reverse("issue_delegation"),
        {
            "staff": rehab_assistant.external_id,
            "task": "medication",
            "valid_from": "2026-03-10",
            "valid_to": "2027-06-30",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "valid_to": ["A delegation is valid for at most a year."]
    }
    assert Delegation.objects.count() == 0


def test_the_nurses_and_the_coordinators_worklists_show_expiring_delegations(
    nurse: Staff, coordinator: Staff, care_worker: Staff, today: datetime.date
) -> None:
    delegation(care_worker, nurse, today - 100 * DAY, today + 30 * DAY)
    delegation(care_worker, nurse, today - 100 * DAY, today + 31 * DAY, task="insulin")
    for member in (nurse, coordinator):
        response = _client(member).get(reverse("home"))
        assert [d.task for d in response.context["expiring_delegations"]] == ["medication"]
    assert "expiring_delegations" not in _client(care_worker).get(reverse("home")).context


def test_the_start_page_links_to_the_plans_my_day_and_the_register(
    mas: Staff,
    coordinator: Staff,
    care_worker: Staff,
    home_care_a: Team,
    reablement_team: Team,
    today: datetime.date,
) -> None:
    coordinator_page = _client(coordinator).get(reverse("home")).content.decode()
    assert _plan_url(home_care_a, today) in coordinator_page
    assert reverse("my_day") not in coordinator_page
    worker_page = _client(care_worker).get(reverse("home")).content.decode()
    assert _plan_url(reablement_team, today) in worker_page
    assert reverse("my_day") in worker_page
    assert reverse("delegations") not in worker_page
    assert reverse("delegations") in _client(mas).get(reverse("home")).content.decode()


def test_withdrawing_an_unknown_delegation_is_not_found(nurse: Staff) -> None:
    url = reverse("withdraw_delegation", args=["00000000-0000-4000-8000-000000000000"])
    assert _client(nurse).get(url).status_code == 404
