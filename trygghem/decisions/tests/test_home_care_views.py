"""The home-care decisions on the person's page: the section (htmx and a page of its own) and
the case officer's pages to grant, end and replace one. Today is 2026-03-10."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.assertions import messages_of, read_log, record_state
from tests.factories import active_episode, followed_up_episode, person_details
from trygghem.decisions.models import HomeCareDecision
from trygghem.decisions.services import grant_home_care_decision
from trygghem.episodes.models import EndReason, Episode
from trygghem.episodes.services import end_episode
from trygghem.staff.models import Staff

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def client() -> Client:
    """Pages in English, so assertions read the msgids whatever the Swedish catalogue holds."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def ended(case_officer: Staff, today: datetime.date) -> Episode:
    """An episode that ended today with no further need."""
    episode = followed_up_episode(by=case_officer, person=person_details())
    end_episode(
        episode=episode,
        reason=EndReason.objects.get(code="no_further_need"),
        ended_on=today,
        note="",
        by=case_officer,
    )
    return Episode.objects.get(pk=episode.pk)


def _decision(episode: Episode, by: Staff, end_on: datetime.date | None = None) -> HomeCareDecision:
    return grant_home_care_decision(
        person=episode.person,
        hours_per_week=Decimal("7.5"),
        start_on=D(2026, 3, 1),
        end_on=end_on,
        by=by,
    )


def test_the_person_page_loads_the_home_care_section(
    client: Client, case_officer: Staff, ended: Episode
) -> None:
    client.force_login(case_officer.user)

    response = client.get(reverse("person_detail", args=[ended.person.external_id]))

    url = reverse("person_home_care", args=[ended.person.external_id])
    assert f'hx-get="{url}"' in response.text


def test_the_section_lists_the_decisions_with_the_case_officers_actions(
    client: Client, case_officer: Staff, ended: Episode
) -> None:
    current = _decision(ended, case_officer)
    client.force_login(case_officer.user)

    response = client.get(
        reverse("person_home_care", args=[ended.person.external_id]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="home-care-section"')
    assert '<td>7.5 <span class="badge">in force</span></td>' in response.text
    assert "until further notice" in response.text
    assert reverse("grant_home_care_decision", args=[ended.person.external_id]) in response.text
    assert reverse("end_home_care_decision", args=[current.external_id]) in response.text
    assert reverse("replace_home_care_decision", args=[current.external_id]) in response.text
    assert read_log()[-1] == (
        case_officer.pk,
        ended.person.pk,
        "home_care.section",
        "case_handling",
    )


def test_team_staff_see_the_decisions_but_no_actions_and_a_past_one_is_not_in_force(
    client: Client, case_officer: Staff, ot: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer, person=person_details())
    past = _decision(episode, case_officer, end_on=D(2026, 3, 5))
    client.force_login(ot.user)

    response = client.get(reverse("person_home_care", args=[episode.person.external_id]))

    assert response.status_code == 200
    assert "<title>" in response.text  # the page of its own
    assert "<td>7.5</td>" in response.text
    assert reverse("end_home_care_decision", args=[past.external_id]) not in response.text
    assert "Grant home-care decision" not in response.text


def test_the_grant_form_starts_from_the_latest_end_and_follows_from_that_episode(
    client: Client, case_officer: Staff, ended: Episode
) -> None:
    client.force_login(case_officer.user)

    response = client.get(reverse("grant_home_care_decision", args=[ended.person.external_id]))

    assert response.status_code == 200
    form = response.context["form"]
    assert (form["start_on"].value(), form["episode"].value()) == (
        D(2026, 3, 10),
        ended.external_id,
    )
    assert [label for _value, label in form.fields["episode"].choices] == [
        "---------",
        "Trygg hemgång, ended 03/10/2026 (Inget fortsatt behov)",
    ]
    assert "SoL 4 kap. 1 §" in response.text


def test_the_grant_form_starts_today_without_an_ended_episode(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer, person=person_details())
    client.force_login(case_officer.user)

    response = client.get(reverse("grant_home_care_decision", args=[episode.person.external_id]))

    assert response.context["form"]["start_on"].value() == D(2026, 3, 10)


def test_grant_home_care_decision_saves_it_and_returns_to_the_person(
    client: Client, case_officer: Staff, ended: Episode
) -> None:
    client.force_login(case_officer.user)

    response = client.post(
        reverse("grant_home_care_decision", args=[ended.person.external_id]),
        {"hours_per_week": "4.5", "start_on": "2026-03-10", "episode": str(ended.external_id)},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[ended.person.external_id])
    assert messages_of(response) == ["The home-care decision is granted."]
    assert HomeCareDecision.objects.values_list(
        "person", "episode", "hours_per_week", "start_on", "end_on"
    ).get() == (ended.person_id, ended.pk, Decimal("4.5"), D(2026, 3, 10), None)


def test_an_overlapping_home_care_decision_is_refused_on_the_page(
    client: Client, case_officer: Staff, ended: Episode
) -> None:
    _decision(ended, case_officer)
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(
        reverse("grant_home_care_decision", args=[ended.person.external_id]),
        {"hours_per_week": "4.5", "start_on": "2026-03-10"},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "The person already has a home-care decision (7.5 hours a week from 03/01/2026) that "
        "overlaps this period. End it, or replace it from a day."
    ]
    assert record_state() == before


def test_end_home_care_decision_on_the_page(
    client: Client, case_officer: Staff, ended: Episode
) -> None:
    decision = _decision(ended, case_officer)
    client.force_login(case_officer.user)

    page = client.get(reverse("end_home_care_decision", args=[decision.external_id]))
    response = client.post(
        reverse("end_home_care_decision", args=[decision.external_id]), {"end_on": "2026-03-31"}
    )

    assert page.status_code == 200
    assert "End home-care decision" in page.text
    assert response.status_code == 302
    assert messages_of(response) == ["The home-care decision is ended."]
    assert HomeCareDecision.objects.get().end_on == D(2026, 3, 31)


def test_replace_home_care_decision_on_the_page(
    client: Client, case_officer: Staff, ended: Episode
) -> None:
    decision = _decision(ended, case_officer)
    client.force_login(case_officer.user)

    response = client.post(
        reverse("replace_home_care_decision", args=[decision.external_id]),
        {"hours_per_week": "3", "from_on": "2026-03-20"},
    )

    assert response.status_code == 302
    assert messages_of(response) == ["The hours are changed with a new decision."]
    assert list(
        HomeCareDecision.objects.order_by("start_on").values_list(
            "hours_per_week", "start_on", "end_on"
        )
    ) == [
        (Decimal("7.5"), D(2026, 3, 1), D(2026, 3, 19)),
        (Decimal("3.0"), D(2026, 3, 20), None),
    ]


def test_replace_with_the_same_hours_is_refused_on_the_page(
    client: Client, case_officer: Staff, ended: Episode
) -> None:
    decision = _decision(ended, case_officer)
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(
        reverse("replace_home_care_decision", args=[decision.external_id]),
        {"hours_per_week": "7.5", "from_on": "2026-03-20"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "hours_per_week": ["The hours are unchanged; the decision stays as it is."]
    }
    assert record_state() == before


def test_a_home_care_decision_of_a_person_outside_the_teams_is_not_found(
    client: Client, case_officer: Staff, ended: Episode, outsider: Staff
) -> None:
    decision = _decision(ended, case_officer)
    outsider.role = Staff.Role.CASE_OFFICER
    outsider.save(update_fields=["role"])
    client.force_login(outsider.user)
    before = read_log()

    response = client.get(reverse("end_home_care_decision", args=[decision.external_id]))

    assert response.status_code == 404
    assert read_log() == before
