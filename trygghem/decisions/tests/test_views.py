import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.assertions import database_state, messages_of, record_state
from tests.factories import decided_episode, referred_episode
from trygghem.audit.models import AccessLog
from trygghem.decisions.models import Decision
from trygghem.decisions.services import adjust_decision
from trygghem.episodes.models import Episode
from trygghem.staff.models import Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    """Pages in English, so assertions read the msgids whatever the Swedish catalogue holds."""
    return Client(headers={"accept-language": "en"})


# Every persona but the case officer: they may not grant or adjust decisions.
NOT_CASE_OFFICERS = [
    "ot", "pt", "nurse", "rehab_assistant", "care_worker", "coordinator", "manager", "mas",
    "admin", "outsider",
]  # fmt: skip


def grant_data(**overrides: str) -> dict[str, str]:
    """A 14-day Trygg hemgång decision from the planned homecoming (frozen today: 2026-03-10)."""
    data = {
        "program": "trygg_hemgang",
        "start_on": "2026-03-06",
        "end_on": "2026-03-19",
        "follow_up_on": "2026-03-11",
        "granted_services": "Hjälp med dusch och träning i köket.",
    }
    return data | overrides


def adjust_data(**overrides: str) -> dict[str, str]:
    data = {
        "start_on": "2026-03-06",
        "end_on": "2026-03-16",
        "follow_up_on": "2026-03-11",
        "granted_services": "Hjälp med dusch.",
        "change_reason": "Klarar köket själv.",
    }
    return data | overrides


# grant_decision


def test_grant_decision_form_is_prefilled_from_the_planned_homecoming_and_the_program(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)
    client.force_login(case_officer.user)

    response = client.get(reverse("grant_decision", args=[episode.external_id]))

    assert response.status_code == 200
    form = response.context["form"]
    assert {
        name: form[name].value() for name in ("program", "start_on", "end_on", "follow_up_on")
    } == {
        "program": "trygg_hemgang",
        "start_on": datetime.date(2026, 3, 6),
        "end_on": datetime.date(2026, 3, 19),
        "follow_up_on": datetime.date(2026, 3, 11),
    }
    assert [label for _value, label in form.fields["program"].choices] == [
        "---------",
        "Intensiv hemrehabilitering (IHR) (at most 70 days)",
        "Trygg hemgång (at most 14 days)",
        "Trygg hemma (at most 28 days)",
    ]
    assert "SoL 4 kap. 1 §" in response.text
    assert 'name="start_on" value="2026-03-06"' in response.text
    assert AccessLog.objects.filter(kind="read", what="decision.grant").count() == 1


def test_grant_decision_starts_today_without_a_planned_homecoming(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)
    episode.referral.planned_home_on = None
    episode.referral.save(update_fields=["planned_home_on"])
    client.force_login(case_officer.user)

    response = client.get(reverse("grant_decision", args=[episode.external_id]))

    form = response.context["form"]
    assert (form["start_on"].value(), form["end_on"].value(), form["follow_up_on"].value()) == (
        datetime.date(2026, 3, 10),
        datetime.date(2026, 3, 23),
        datetime.date(2026, 3, 15),
    )


def test_grant_decision_grants_the_decision_and_returns_to_the_episode(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)
    client.force_login(case_officer.user)

    response = client.post(reverse("grant_decision", args=[episode.external_id]), grant_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("episode_detail", args=[episode.external_id])
    assert messages_of(response) == ["The decision is granted."]
    decision = Decision.objects.get()
    assert (
        decision.episode,
        decision.program.code,
        decision.legal_basis,
        decision.start_on,
        decision.end_on,
        decision.follow_up_on,
        decision.granted_services,
        decision.version,
        decision.is_current,
        decision.decided_by,
    ) == (
        episode,
        "trygg_hemgang",
        "SoL 4 kap. 1 §",
        datetime.date(2026, 3, 6),
        datetime.date(2026, 3, 19),
        datetime.date(2026, 3, 11),
        "Hjälp med dusch och träning i köket.",
        1,
        True,
        case_officer,
    )
    assert Episode.objects.get().status == Episode.Status.DECIDED


def test_grant_decision_longer_than_the_program_allows_is_refused_on_the_page(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(
        reverse("grant_decision", args=[episode.external_id]), grant_data(end_on="2026-03-20")
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "end_on": ["The decision is 15 days long; Trygg hemgång allows at most 14 days."]
    }
    assert (
        '<p class="error" id="id_end_on_error">'
        "The decision is 15 days long; Trygg hemgång allows at most 14 days. </p>"
    ) in response.text
    assert 'aria-describedby="id_end_on_help id_end_on_error"' in response.text
    assert record_state() == before


def test_grant_decision_on_a_decided_episode_is_refused_on_the_page(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = decided_episode(by=case_officer)
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(reverse("grant_decision", args=[episode.external_id]), grant_data())

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "The episode cannot go from “Decided” to “Decided”."
    ]
    assert "The episode cannot go from “Decided” to “Decided”." in response.text
    assert record_state() == before


def test_grant_decision_with_a_missing_field_is_shown_again(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(
        reverse("grant_decision", args=[episode.external_id]), grant_data(granted_services="")
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["granted_services"]
    assert record_state() == before


@pytest.mark.parametrize("persona", NOT_CASE_OFFICERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_grant_decision_is_not_found_for_other_roles(
    client: Client,
    case_officer: Staff,
    persona: str,
    method: str,
    request: pytest.FixtureRequest,
    today: datetime.date,
) -> None:
    episode = referred_episode(by=case_officer)
    staff = request.getfixturevalue(persona)
    client.force_login(staff.user)
    before = database_state()

    response = getattr(client, method)(
        reverse("grant_decision", args=[episode.external_id]), grant_data()
    )

    assert response.status_code == 404
    assert database_state() == before


# decision_detail


def test_decision_detail_shows_the_version_and_links_the_others(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = decided_episode(by=case_officer)
    first = Decision.objects.get()
    second = adjust_decision(
        decision=first,
        start_on=first.start_on,
        end_on=datetime.date(2026, 3, 16),
        follow_up_on=first.follow_up_on,
        granted_services=first.granted_services,
        change_reason="Klarar köket själv.",
        by=case_officer,
    )
    client.force_login(case_officer.user)

    response = client.get(reverse("decision_detail", args=[first.external_id]))

    assert response.status_code == 200
    assert response.context["decision"] == first
    assert list(response.context["versions"]) == [second, first]
    assert response.context["adjustable"] is False
    assert "This version has been replaced by a later version." in response.text
    assert f'href="{reverse("decision_detail", args=[second.external_id])}"' in response.text
    assert f'href="{reverse("adjust_decision", args=[second.external_id])}"' not in response.text
    assert f'href="{reverse("episode_detail", args=[episode.external_id])}"' in response.text
    assert AccessLog.objects.filter(kind="read", what="decision.detail").count() == 1


def test_decision_detail_of_the_version_in_force_links_the_adjustment(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    decided_episode(by=case_officer)
    decision = Decision.objects.get()
    client.force_login(case_officer.user)

    response = client.get(reverse("decision_detail", args=[decision.external_id]))

    assert response.status_code == 200
    assert response.context["adjustable"] is True
    assert "This version has been replaced" not in response.text
    assert f'href="{reverse("adjust_decision", args=[decision.external_id])}"' in response.text


def test_decision_detail_is_readable_by_the_team_but_not_adjustable(
    client: Client, case_officer: Staff, ot: Staff, today: datetime.date
) -> None:
    decided_episode(by=case_officer)
    decision = Decision.objects.get()
    client.force_login(ot.user)

    response = client.get(reverse("decision_detail", args=[decision.external_id]))

    assert response.status_code == 200
    assert response.context["adjustable"] is False


@pytest.mark.parametrize("persona", ["mas", "admin", "outsider"])
def test_decision_detail_is_not_found_for_staff_who_do_not_see_the_person(
    client: Client,
    case_officer: Staff,
    persona: str,
    request: pytest.FixtureRequest,
    today: datetime.date,
) -> None:
    decided_episode(by=case_officer)
    decision = Decision.objects.get()
    client.force_login(request.getfixturevalue(persona).user)

    response = client.get(reverse("decision_detail", args=[decision.external_id]))

    assert response.status_code == 404
    assert AccessLog.objects.filter(kind="read").count() == 0


# adjust_decision


def test_adjust_decision_form_is_prefilled_from_the_version(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    decided_episode(by=case_officer)
    decision = Decision.objects.get()
    client.force_login(case_officer.user)

    response = client.get(reverse("adjust_decision", args=[decision.external_id]))

    assert response.status_code == 200
    form = response.context["form"]
    assert {name: form[name].value() for name in form.fields} == {
        "start_on": datetime.date(2026, 3, 6),
        "end_on": datetime.date(2026, 3, 19),
        "follow_up_on": datetime.date(2026, 3, 11),
        "granted_services": "Hjälp med personlig omvårdnad och träning i hemmet.",
        "change_reason": None,
    }


def test_adjust_decision_writes_a_new_version_and_keeps_the_old_one(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = decided_episode(by=case_officer)
    first = Decision.objects.get()
    client.force_login(case_officer.user)

    response = client.post(reverse("adjust_decision", args=[first.external_id]), adjust_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("episode_detail", args=[episode.external_id])
    assert messages_of(response) == ["The decision is adjusted: version 2 is in force."]
    old, new = Decision.objects.order_by("version")
    assert (old.pk, old.is_current, old.end_on, old.granted_services) == (
        first.pk,
        False,
        datetime.date(2026, 3, 19),
        "Hjälp med personlig omvårdnad och träning i hemmet.",
    )
    assert (
        new.series,
        new.version,
        new.is_current,
        new.start_on,
        new.end_on,
        new.follow_up_on,
        new.granted_services,
        new.change_reason,
    ) == (
        first.series,
        2,
        True,
        datetime.date(2026, 3, 6),
        datetime.date(2026, 3, 16),
        datetime.date(2026, 3, 11),
        "Hjälp med dusch.",
        "Klarar köket själv.",
    )


def test_adjust_decision_without_a_reason_is_shown_again(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    decided_episode(by=case_officer)
    decision = Decision.objects.get()
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(
        reverse("adjust_decision", args=[decision.external_id]), adjust_data(change_reason="")
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["change_reason"]
    assert record_state() == before


def test_adjust_decision_that_changes_nothing_is_refused_on_the_page(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    decided_episode(by=case_officer)
    decision = Decision.objects.get()
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(
        reverse("adjust_decision", args=[decision.external_id]),
        adjust_data(end_on="2026-03-19", granted_services=decision.granted_services),
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Nothing was changed; the decision stays as it is."
    ]
    assert "Nothing was changed; the decision stays as it is." in response.text
    assert record_state() == before


def test_adjust_decision_of_a_replaced_version_is_refused_on_the_page(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    decided_episode(by=case_officer)
    first = Decision.objects.get()
    client.force_login(case_officer.user)
    client.post(reverse("adjust_decision", args=[first.external_id]), adjust_data())
    before = record_state()

    response = client.post(
        reverse("adjust_decision", args=[first.external_id]), adjust_data(end_on="2026-03-15")
    )

    assert response.status_code == 400
    assert (
        "Only the decision in force can be adjusted; this version has been replaced or ended."
        in response.text
    )
    assert record_state() == before


def test_adjust_decision_longer_than_the_program_allows_is_refused_on_the_page(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    decided_episode(by=case_officer)
    decision = Decision.objects.get()
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(
        reverse("adjust_decision", args=[decision.external_id]), adjust_data(end_on="2026-03-20")
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "end_on": ["The decision is 15 days long; Trygg hemgång allows at most 14 days."]
    }
    assert record_state() == before


@pytest.mark.parametrize("persona", NOT_CASE_OFFICERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_adjust_decision_is_not_found_for_other_roles(
    client: Client,
    case_officer: Staff,
    persona: str,
    method: str,
    request: pytest.FixtureRequest,
    today: datetime.date,
) -> None:
    decided_episode(by=case_officer)
    decision = Decision.objects.get()
    client.force_login(request.getfixturevalue(persona).user)
    before = database_state()

    response = getattr(client, method)(
        reverse("adjust_decision", args=[decision.external_id]), adjust_data()
    )

    assert response.status_code == 404
    assert database_state() == before
