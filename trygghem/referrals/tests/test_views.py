import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.assertions import database_state
from tests.factories import next_identity_number
from trygghem.episodes.models import Episode
from trygghem.people.models import Person
from trygghem.staff.models import Staff, Team

pytestmark = pytest.mark.django_db


def _client(staff: Staff) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff.user)
    return client


def _form(today: datetime.date, **overrides: str) -> dict[str, str]:
    data = {
        "identity_number": next_identity_number(),
        "first_name": "Märta",
        "last_name": "Åström",
        "street_address": "Bruksgatan 4",
        "language": "svenska",
        "source": "hospital",
        "program": "trygg_hemgang",
        "received_on": (today - datetime.timedelta(days=2)).isoformat(),
        "admitted_on": (today - datetime.timedelta(days=9)).isoformat(),
        "ready_for_discharge_on": (today - datetime.timedelta(days=2)).isoformat(),
        "planned_home_on": (today - datetime.timedelta(days=1)).isoformat(),
        "home_care_hours_before": "2.5",
        "triage": "yellow",
        "feels_safe": "partly",
        "relative_name": "Olle Åström",
    }
    return data | overrides


def test_the_referral_form_opens_with_today_as_received(
    case_officer: Staff, today: datetime.date
) -> None:
    response = _client(case_officer).get(reverse("register_referral"))

    assert response.status_code == 200
    assert response.context["form"]["received_on"].value() == today


def test_registering_a_referral_opens_an_episode_and_shows_it(
    case_officer: Staff, home_care_a: Team, today: datetime.date
) -> None:
    data = _form(today, home_care_team=str(home_care_a.external_id))

    response = _client(case_officer).post(reverse("register_referral"), data)

    episode = Episode.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("episode_detail", args=[episode.external_id])
    assert (episode.status, episode.person.full_name, episode.person.home_care_team) == (
        "referred",
        "Märta Åström",
        home_care_a,
    )
    assert list(episode.person.relatives.values_list("name", flat=True)) == ["Olle Åström"]


def test_an_invalid_personnummer_is_refused_on_the_field_and_nothing_is_saved(
    case_officer: Staff, today: datetime.date
) -> None:
    before = database_state()

    response = _client(case_officer).post(
        reverse("register_referral"), _form(today, identity_number="19400312-1234")
    )

    assert response.status_code == 400
    assert response.context["form"].errors["identity_number"] == [
        "The personal identity number is not valid (check digit or date is wrong)."
    ]
    assert 'aria-describedby="id_identity_number_help id_identity_number_error"' in response.text
    assert database_state() == before


def test_impossible_dates_are_refused_on_their_fields(
    case_officer: Staff, today: datetime.date
) -> None:
    before = database_state()
    data = _form(
        today,
        ready_for_discharge_on=(today - datetime.timedelta(days=12)).isoformat(),
        received_on=(today + datetime.timedelta(days=1)).isoformat(),
    )

    response = _client(case_officer).post(reverse("register_referral"), data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert (errors["received_on"], errors["ready_for_discharge_on"]) == (
        ["The referral cannot be received in the future."],
        ["Ready for discharge cannot be before the admission."],
    )
    assert database_state() == before


def test_submitting_the_same_referral_twice_registers_it_once(
    case_officer: Staff, today: datetime.date
) -> None:
    client = _client(case_officer)
    data = _form(today)
    client.post(reverse("register_referral"), data)
    before = database_state()

    response = client.post(reverse("register_referral"), data)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "The person already has an open referral or episode. "
        "Open it instead of registering a new one."
    ]
    assert database_state() == before
    assert (Person.objects.count(), Episode.objects.count()) == (1, 1)


def test_a_log_in_without_a_staff_record_sees_nothing(db: None) -> None:
    from django.contrib.auth.models import User

    client = Client()
    client.force_login(User.objects.create_user("visitor", password="x-long-password"))

    assert client.get(reverse("home")).status_code == 404
