import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import active_episode, decided_episode, person_details, referred_episode
from trygghem.audit.models import AccessLog
from trygghem.decisions.models import Decision
from trygghem.episodes.models import Episode, FollowUp
from trygghem.episodes.services import record_follow_up
from trygghem.staff.models import Staff, Team

pytestmark = pytest.mark.django_db


def _client(staff: Staff) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff.user)
    return client


def _people(rows: list[Decision] | list[Episode]) -> list[str]:
    return [row.person.last_name for row in rows]


def test_the_case_officer_sees_overdue_and_due_follow_ups_new_referrals_and_ending_decisions(
    case_officer: Staff, today: datetime.date
) -> None:
    day = datetime.timedelta(days=1)
    active_episode(
        by=case_officer,
        person=person_details(last_name="Overdue"),
        start_on=today - 6 * day,
        follow_up_on=today - day,
    )
    active_episode(
        by=case_officer,
        person=person_details(last_name="Due"),
        start_on=today - 3 * day,
        follow_up_on=today + 2 * day,
    )
    decided_episode(
        by=case_officer,
        person=person_details(last_name="Ending"),
        start_on=today - 10 * day,
        end_on=today + 3 * day,
        follow_up_on=today + 3 * day,
    )
    referred_episode(by=case_officer, person=person_details(last_name="New"))

    response = _client(case_officer).get(reverse("home"))

    assert response.status_code == 200
    assert _people(response.context["overdue"]) == ["Overdue"]
    assert _people(response.context["due"]) == ["Due"]
    assert _people(response.context["ending"]) == ["Ending"]
    assert _people(response.context["new_referrals"]) == ["New"]
    assert "1 follow-up is overdue" in response.text
    assert 'role="alert"' in response.text


def test_a_follow_up_recorded_after_the_decision_takes_it_off_the_overdue_list(
    case_officer: Staff, today: datetime.date
) -> None:
    day = datetime.timedelta(days=1)
    episode = active_episode(by=case_officer, start_on=today - 6 * day, follow_up_on=today - day)
    record_follow_up(
        episode=episode,
        held_on=today,
        mode=FollowUp.Mode.DIGITAL,
        participants=[FollowUp.Participant.PERSON],
        manages_now="Klarar mer själv.",
        outcome=FollowUp.Outcome.CONTINUE,
        by=case_officer,
    )

    response = _client(case_officer).get(reverse("home"))

    assert response.context["overdue"] == []
    assert "overdue" not in response.text


def test_team_staff_see_the_people_enrolled_in_their_teams(
    case_officer: Staff, ot: Staff, outsider: Staff, home_care_a: Team, today: datetime.date
) -> None:
    active_episode(by=case_officer, person=person_details(last_name="Enrolled"))
    referred_episode(by=case_officer, person=person_details(last_name="OnlyReferred"))

    assert _people(_client(ot).get(reverse("home")).context["current"]) == ["Enrolled"]
    assert _client(outsider).get(reverse("home")).context["current"] == []


def test_the_manager_sees_counts_per_program_and_team_without_names(
    case_officer: Staff, manager: Staff, today: datetime.date
) -> None:
    active_episode(by=case_officer)
    referred_episode(by=case_officer)
    before = AccessLog.objects.count()

    response = _client(manager).get(reverse("home"))

    rows = {
        row.name: (row.referred, row.enrolled, row.ended_last_30_days)
        for row in response.context["per_program"]
    }
    assert rows == {
        "Intensiv hemrehabilitering (IHR)": (0, 0, 0),
        "Trygg hemgång": (1, 1, 0),
        "Trygg hemma": (0, 0, 0),
    }
    assert AccessLog.objects.count() == before


def test_every_person_on_the_worklist_is_logged_as_read(
    case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)
    before = AccessLog.objects.count()

    _client(case_officer).get(reverse("home"))

    rows = list(AccessLog.objects.order_by("id")[before:].values_list("person_id", "kind", "what"))
    assert rows == [(episode.person_id, "read", "worklist")]


def test_the_start_page_makes_the_same_number_of_queries_for_one_and_for_many_people(
    case_officer: Staff, today: datetime.date
) -> None:
    day = datetime.timedelta(days=1)

    def queries() -> int:
        client = _client(case_officer)
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("home"))
        return len(captured)

    active_episode(by=case_officer, start_on=today - 6 * day, follow_up_on=today - day)
    referred_episode(by=case_officer)
    one_each = queries()
    for _ in range(4):
        active_episode(by=case_officer, start_on=today - 6 * day, follow_up_on=today - day)
        referred_episode(by=case_officer)

    assert Episode.objects.count() == 10
    assert queries() == one_each
