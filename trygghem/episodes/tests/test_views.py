import base64
import datetime
import re
import zlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext

from tests.assertions import database_state, messages_of, record_state
from tests.factories import (
    active_episode,
    decided_episode,
    followed_up_episode,
    person_details,
    referred_episode,
)
from trygghem.audit.models import AccessLog
from trygghem.decisions.models import Decision
from trygghem.episodes.models import EndReason, Episode, FollowUp, ImplementationPlan
from trygghem.episodes.services import ServiceDetails, hand_over_episode
from trygghem.people.models import BirthDayRange
from trygghem.staff.models import Staff, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    """Pages in English, so assertions read the msgids whatever the Swedish catalogue holds."""
    return Client(headers={"accept-language": "en"})


# Every persona but the case officer: they may not close, follow up, end or hand over.
NOT_CASE_OFFICERS = [
    "ot", "pt", "nurse", "rehab_assistant", "care_worker", "coordinator", "manager", "mas",
    "admin", "outsider",
]  # fmt: skip
# Team staff may register the homecoming too; these may not (the outsider does not see the person).
MAY_NOT_REGISTER_HOMECOMING = ["manager", "mas", "admin", "outsider"]


def episode_url(name: str, episode: Episode) -> str:
    return reverse(name, args=[episode.external_id])


# close_referral


def close_data(**overrides: str) -> dict[str, str]:
    return {
        "reason": "triage_green",
        "closed_on": "2026-03-10",
        "note": "Klarar sig själv.",
    } | overrides


def test_close_referral_form_starts_today(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)
    client.force_login(case_officer.user)

    response = client.get(episode_url("close_referral", episode))

    assert response.status_code == 200
    assert response.context["form"]["closed_on"].value() == datetime.date(2026, 3, 10)
    assert [str(code) for code, _label in response.context["form"].fields["reason"].choices] == [
        "triage_green",
        "excluded",
        "declined_offer",
        "other_service",
    ]
    assert AccessLog.objects.filter(kind="read", what="episode.close").count() == 1


def test_close_referral_closes_the_episode_and_returns_to_it(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)
    client.force_login(case_officer.user)

    response = client.post(episode_url("close_referral", episode), close_data())

    assert response.status_code == 302
    assert response["Location"] == episode_url("episode_detail", episode)
    assert messages_of(response) == ["The referral is closed."]
    episode.refresh_from_db()
    assert (
        episode.status,
        episode.ended_on,
        episode.end_reason.code if episode.end_reason else None,
    ) == (
        Episode.Status.CLOSED,
        datetime.date(2026, 3, 10),
        "triage_green",
    )
    assert episode.transitions.order_by("id").last().reason == "Klarar sig själv."  # type: ignore[union-attr]


def test_close_referral_in_the_future_is_refused_on_the_page(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(
        episode_url("close_referral", episode), close_data(closed_on="2026-03-11")
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"closed_on": ["The date cannot be in the future."]}
    assert (
        '<p class="error" id="id_closed_on_error">The date cannot be in the future. </p>'
        in response.text
    )
    assert record_state() == before


def test_close_referral_of_a_decided_episode_is_refused_on_the_page(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = decided_episode(by=case_officer)
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(episode_url("close_referral", episode), close_data())

    assert response.status_code == 400
    assert "The episode cannot go from “Decided” to “Closed without enrolment”." in response.text
    assert record_state() == before


@pytest.mark.parametrize("persona", NOT_CASE_OFFICERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_close_referral_is_not_found_for_other_roles(
    client: Client,
    case_officer: Staff,
    persona: str,
    method: str,
    request: pytest.FixtureRequest,
    today: datetime.date,
) -> None:
    episode = referred_episode(by=case_officer)
    client.force_login(request.getfixturevalue(persona).user)
    before = database_state()

    response = getattr(client, method)(episode_url("close_referral", episode), close_data())

    assert response.status_code == 404
    assert database_state() == before


# register_homecoming


def test_register_homecoming_form_starts_now_to_the_minute(
    client: Client, case_officer: Staff, now: datetime.datetime
) -> None:
    episode = decided_episode(by=case_officer)
    client.force_login(case_officer.user)

    response = client.get(episode_url("register_homecoming", episode))

    assert response.status_code == 200
    assert 'type="datetime-local" name="home_at" value="2026-03-10T10:00"' in response.text


def test_register_homecoming_makes_the_episode_active(
    client: Client, case_officer: Staff, now: datetime.datetime
) -> None:
    episode = decided_episode(by=case_officer)
    client.force_login(case_officer.user)

    response = client.post(
        episode_url("register_homecoming", episode), {"home_at": "2026-03-07T14:30"}
    )

    assert response.status_code == 302
    assert response["Location"] == episode_url("episode_detail", episode)
    assert messages_of(response) == ["The homecoming is registered."]
    episode.refresh_from_db()
    assert (episode.status, episode.home_at) == (
        Episode.Status.ACTIVE,
        datetime.datetime(2026, 3, 7, 14, 30, tzinfo=now.tzinfo),
    )


def test_register_homecoming_by_the_reablement_team(
    client: Client, case_officer: Staff, care_worker: Staff, now: datetime.datetime
) -> None:
    episode = decided_episode(by=case_officer)
    client.force_login(care_worker.user)

    response = client.post(
        episode_url("register_homecoming", episode), {"home_at": "2026-03-07T14:30"}
    )

    assert response.status_code == 302
    assert Episode.objects.get().status == Episode.Status.ACTIVE


def test_register_homecoming_in_the_future_is_refused_on_the_page(
    client: Client, case_officer: Staff, now: datetime.datetime
) -> None:
    episode = decided_episode(by=case_officer)
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(
        episode_url("register_homecoming", episode), {"home_at": "2026-03-10T11:00"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "home_at": ["Register the homecoming when it has happened."]
    }
    assert record_state() == before


def test_register_homecoming_twice_is_refused_on_the_page(
    client: Client, case_officer: Staff, now: datetime.datetime
) -> None:
    episode = active_episode(by=case_officer)
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(
        episode_url("register_homecoming", episode), {"home_at": "2026-03-07T14:30"}
    )

    assert response.status_code == 400
    assert "The episode cannot go from “Active (at home)” to “Active (at home)”." in response.text
    assert record_state() == before


@pytest.mark.parametrize("persona", MAY_NOT_REGISTER_HOMECOMING)
@pytest.mark.parametrize("method", ["get", "post"])
def test_register_homecoming_is_not_found_for_roles_that_may_not(
    client: Client,
    case_officer: Staff,
    persona: str,
    method: str,
    request: pytest.FixtureRequest,
    now: datetime.datetime,
) -> None:
    episode = decided_episode(by=case_officer)
    client.force_login(request.getfixturevalue(persona).user)
    before = database_state()

    response = getattr(client, method)(
        episode_url("register_homecoming", episode), {"home_at": "2026-03-07T14:30"}
    )

    assert response.status_code == 404
    assert database_state() == before


# record_follow_up


def follow_up_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "held_on": "2026-03-10",
        "mode": "physical",
        "participants": ["ot", "person", "case_officer"],
        "manages_now": "Klarar påklädning själv.",
        "outcome": "continue",
    }
    return data | overrides


def test_record_follow_up_form_starts_today(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer)
    client.force_login(case_officer.user)

    response = client.get(episode_url("record_follow_up", episode))

    assert response.status_code == 200
    assert response.context["form"]["held_on"].value() == datetime.date(2026, 3, 10)
    assert 'type="checkbox" name="participants" value="relative"' in response.text
    assert 'type="radio" name="outcome" value="adjust_decision"' in response.text


def test_record_follow_up_records_the_meeting(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer)
    client.force_login(case_officer.user)

    response = client.post(episode_url("record_follow_up", episode), follow_up_data())

    assert response.status_code == 302
    assert response["Location"] == episode_url("episode_detail", episode)
    assert messages_of(response) == ["The follow-up is recorded."]
    follow_up = FollowUp.objects.get()
    assert (
        follow_up.episode,
        follow_up.held_on,
        follow_up.mode,
        follow_up.participants,
        follow_up.manages_now,
        follow_up.outcome,
        follow_up.recorded_by,
    ) == (
        episode,
        datetime.date(2026, 3, 10),
        "physical",
        ["person", "case_officer", "ot"],
        "Klarar påklädning själv.",
        "continue",
        case_officer,
    )
    assert Episode.objects.get().status == Episode.Status.FOLLOW_UP_HELD


def test_record_follow_up_without_participants_is_shown_again(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer)
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(
        episode_url("record_follow_up", episode), follow_up_data(participants=[])
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["participants"]
    assert 'aria-describedby="id_participants_error"' in response.text
    assert record_state() == before


def test_record_follow_up_twice_on_one_day_is_refused_on_the_page(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = followed_up_episode(by=case_officer)
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(episode_url("record_follow_up", episode), follow_up_data())

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "A follow-up is already recorded for this day."
    ]
    assert "A follow-up is already recorded for this day." in response.text
    assert record_state() == before


def test_record_follow_up_before_the_homecoming_is_refused_on_the_page(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer)
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(
        episode_url("record_follow_up", episode), follow_up_data(held_on="2026-03-05")
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "held_on": ["The follow-up cannot be held before the homecoming."]
    }
    assert record_state() == before


@pytest.mark.parametrize("persona", NOT_CASE_OFFICERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_record_follow_up_is_not_found_for_other_roles(
    client: Client,
    case_officer: Staff,
    persona: str,
    method: str,
    request: pytest.FixtureRequest,
    today: datetime.date,
) -> None:
    episode = active_episode(by=case_officer)
    client.force_login(request.getfixturevalue(persona).user)
    before = database_state()

    response = getattr(client, method)(episode_url("record_follow_up", episode), follow_up_data())

    assert response.status_code == 404
    assert database_state() == before


# end_episode


def end_data(**overrides: str) -> dict[str, str]:
    return {"reason": "no_further_need", "ended_on": "2026-03-10", "note": ""} | overrides


def test_end_episode_form_offers_the_reasons_other_than_handover(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer)
    client.force_login(case_officer.user)

    response = client.get(episode_url("end_episode", episode))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["ended_on"].value() == datetime.date(2026, 3, 10)
    assert [str(code) for code, _label in form.fields["reason"].choices] == [
        "no_further_need",
        "readmitted",
        "declined",
        "deceased",
        "moved",
    ]


def test_end_episode_ends_it_and_terminates_the_decision(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer)
    client.force_login(case_officer.user)

    response = client.post(episode_url("end_episode", episode), end_data(reason="readmitted"))

    assert response.status_code == 302
    assert response["Location"] == episode_url("episode_detail", episode)
    assert messages_of(response) == ["The episode is ended."]
    episode.refresh_from_db()
    assert (
        episode.status,
        episode.ended_on,
        episode.end_reason.code if episode.end_reason else None,
    ) == (
        Episode.Status.ENDED,
        datetime.date(2026, 3, 10),
        "readmitted",
    )
    assert Decision.objects.get().terminated_on == datetime.date(2026, 3, 10)


def test_end_episode_before_the_homecoming_is_refused_on_the_page(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer)
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(episode_url("end_episode", episode), end_data(ended_on="2026-03-05"))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "ended_on": ["The episode cannot end before the homecoming."]
    }
    assert record_state() == before


def test_end_episode_with_the_handover_reason_is_shown_again(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer)
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(episode_url("end_episode", episode), end_data(reason="handover"))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["reason"]
    assert record_state() == before


def test_end_episode_of_a_referral_is_refused_on_the_page(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(episode_url("end_episode", episode), end_data())

    assert response.status_code == 400
    assert "The episode cannot go from “Referred” to “Ended”." in response.text
    assert record_state() == before


@pytest.mark.parametrize("persona", NOT_CASE_OFFICERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_end_episode_is_not_found_for_other_roles(
    client: Client,
    case_officer: Staff,
    persona: str,
    method: str,
    request: pytest.FixtureRequest,
    today: datetime.date,
) -> None:
    episode = active_episode(by=case_officer)
    client.force_login(request.getfixturevalue(persona).user)
    before = database_state()

    response = getattr(client, method)(episode_url("end_episode", episode), end_data())

    assert response.status_code == 404
    assert database_state() == before


# hand_over_episode


@pytest.fixture
def handover_ready(
    case_officer: Staff, home_care_a: Team, reablement_team: Team, today: datetime.date
) -> Episode:
    """A followed-up episode of Åsa Öberg (born on the 17th), whose home-care group is A; the
    reablement team has a phone number and the 12-21 birth-day range has a case officer."""
    reablement_team.phone = "0290-77 16 80"
    reablement_team.phone_hours = "7–16"
    reablement_team.save()
    BirthDayRange.objects.filter(first_day=12).update(case_officer=case_officer)
    return followed_up_episode(
        by=case_officer,
        person=person_details(first_name="Åsa", last_name="Öberg", home_care_team=home_care_a),
    )


def hand_over_data(team: Team, **overrides: str) -> dict[str, str]:
    data = {
        "ended_on": "2026-03-10",
        "receiving_team": str(team.external_id),
        "remaining_needs": "Behöver hjälp med dusch två gånger i veckan.",
        "goals_to_maintain": "Laga frukost själv.",
        "contacts": "Biståndshandläggare: 0290-77 16 73",
        "services-TOTAL_FORMS": "3",
        "services-INITIAL_FORMS": "0",
        "services-MIN_NUM_FORMS": "0",
        "services-MAX_NUM_FORMS": "5",
        "services-0-what": "Dusch",
        "services-0-how": "Åsa tvättar sig själv; personalen finns med och hjälper med ryggen.",
        "services-0-when": "Tisdag och fredag förmiddag",
        "services-1-what": "Inköp",
        "services-1-how": "Åsa skriver inköpslistan själv.",
        "services-1-when": "Måndag",
    }
    return data | overrides


def test_hand_over_form_is_prefilled_with_the_home_care_group_and_contacts(
    client: Client, case_officer: Staff, home_care_a: Team, handover_ready: Episode
) -> None:
    client.force_login(case_officer.user)

    response = client.get(episode_url("hand_over_episode", handover_ready))

    assert response.status_code == 200
    form = response.context["form"]
    assert "reason" not in form.fields
    assert form.only_reason.code == "handover"
    assert (form["ended_on"].value(), form["receiving_team"].value(), form["contacts"].value()) == (
        datetime.date(2026, 3, 10),
        home_care_a.external_id,
        "Case officer: Case_Officer Persona, 0290-77 16 73\n"
        "Trygg hemgångsteamet: 0290-77 16 80 (7–16)",
    )
    assert len(response.context["service_forms"].forms) == 5
    assert 'name="services-TOTAL_FORMS" value="5"' in response.text
    assert "The rehabilitating approach: do it with the person, not for them." in response.text


def test_hand_over_asks_for_the_reason_when_there_is_more_than_one(
    client: Client, case_officer: Staff, handover_ready: Episode
) -> None:
    EndReason.objects.create(
        code="handover_other",
        name="Överlämnad till annan utförare",
        stage="episode",
        is_handover=True,
        order=2,
    )
    client.force_login(case_officer.user)

    response = client.get(episode_url("hand_over_episode", handover_ready))

    assert [str(code) for code, _label in response.context["form"].fields["reason"].choices] == [
        "handover",
        "handover_other",
    ]


def test_hand_over_writes_the_plan_and_ends_the_episode(
    client: Client, case_officer: Staff, home_care_a: Team, handover_ready: Episode
) -> None:
    client.force_login(case_officer.user)

    response = client.post(
        episode_url("hand_over_episode", handover_ready), hand_over_data(home_care_a)
    )

    assert response.status_code == 302
    assert response["Location"] == episode_url("episode_detail", handover_ready)
    assert messages_of(response) == ["The episode is handed over to ordinary home care."]
    plan = ImplementationPlan.objects.get()
    assert (
        plan.episode,
        plan.receiving_team,
        plan.remaining_needs,
        plan.goals_to_maintain,
        plan.contacts,
        plan.written_by,
    ) == (
        handover_ready,
        home_care_a,
        "Behöver hjälp med dusch två gånger i veckan.",
        "Laga frukost själv.",
        "Biståndshandläggare: 0290-77 16 73",
        case_officer,
    )
    assert [(service.what, service.how, service.when) for service in plan.services.all()] == [
        (
            "Dusch",
            "Åsa tvättar sig själv; personalen finns med och hjälper med ryggen.",
            "Tisdag och fredag förmiddag",
        ),
        ("Inköp", "Åsa skriver inköpslistan själv.", "Måndag"),
    ]
    episode = Episode.objects.get()
    assert (
        episode.status,
        episode.ended_on,
        episode.end_reason.code if episode.end_reason else None,
    ) == (
        Episode.Status.ENDED,
        datetime.date(2026, 3, 10),
        "handover",
    )


def test_hand_over_before_a_follow_up_is_refused_on_the_page(
    client: Client, case_officer: Staff, home_care_a: Team, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer, person=person_details(home_care_team=home_care_a))
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(episode_url("hand_over_episode", episode), hand_over_data(home_care_a))

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Hold a follow-up meeting before handing over to ordinary home care."
    ]
    assert "Hold a follow-up meeting before handing over to ordinary home care." in response.text
    assert record_state() == before


def test_hand_over_without_services_is_refused_on_the_page(
    client: Client, case_officer: Staff, home_care_a: Team, handover_ready: Episode
) -> None:
    client.force_login(case_officer.user)
    data = {
        key: value
        for key, value in hand_over_data(home_care_a).items()
        if not key.startswith("services-0") and not key.startswith("services-1")
    }
    before = record_state()

    response = client.post(episode_url("hand_over_episode", handover_ready), data)

    assert response.status_code == 400
    assert "Add at least one service that ordinary home care takes over." in response.text
    assert record_state() == before


def test_hand_over_with_a_half_filled_service_is_shown_again(
    client: Client, case_officer: Staff, home_care_a: Team, handover_ready: Episode
) -> None:
    client.force_login(case_officer.user)
    before = record_state()

    response = client.post(
        episode_url("hand_over_episode", handover_ready),
        hand_over_data(home_care_a, **{"services-1-how": ""}),
    )

    assert response.status_code == 400
    assert [list(errors) for errors in response.context["service_forms"].errors] == [
        [],
        ["how"],
        [],
    ]
    assert "Please correct the errors below." in response.text
    assert 'aria-describedby="id_services-1-how_help id_services-1-how_error"' in response.text
    assert record_state() == before


@pytest.mark.parametrize("persona", NOT_CASE_OFFICERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_hand_over_is_not_found_for_other_roles(
    client: Client,
    home_care_a: Team,
    handover_ready: Episode,
    persona: str,
    method: str,
    request: pytest.FixtureRequest,
) -> None:
    client.force_login(request.getfixturevalue(persona).user)
    before = database_state()

    response = getattr(client, method)(
        episode_url("hand_over_episode", handover_ready), hand_over_data(home_care_a)
    )

    assert response.status_code == 404
    assert database_state() == before


# implementation_plan_pdf


def _unescape(literal: bytes) -> bytes:
    named = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}

    def one(match: re.Match[bytes]) -> bytes:
        escaped = match.group(1)
        if escaped.isdigit():
            return bytes([int(escaped, 8)])
        return named.get(escaped, escaped)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal, flags=re.S)


def pdf_text(data: bytes) -> str:
    """The text a ReportLab PDF shows: its streams decoded (ASCII85, then Flate) and the strings
    of their text operators, one line each (ReportLab's Helvetica text is WinAnsi/cp1252)."""
    lines = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, flags=re.S):
        content = zlib.decompress(base64.a85decode(stream.strip().removesuffix(b"~>")))
        for literal in re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", content, flags=re.S):
            lines.append(_unescape(literal).decode("cp1252"))
    return "\n".join(lines)


@pytest.fixture
def handed_over(case_officer: Staff, home_care_a: Team, handover_ready: Episode) -> Episode:
    hand_over_episode(
        episode=handover_ready,
        reason=EndReason.objects.get(code="handover"),
        ended_on=datetime.date(2026, 3, 10),
        receiving_team=home_care_a,
        remaining_needs="Behöver hjälp med dusch.",
        goals_to_maintain="Laga frukost själv.",
        contacts="Biståndshandläggare: 0290-77 16 73",
        services=[
            ServiceDetails(what="Dusch", how="Åsa tvättar sig själv.", when="Tisdag förmiddag")
        ],
        by=case_officer,
    )
    return Episode.objects.get(pk=handover_ready.pk)


def test_implementation_plan_pdf_is_the_plan_in_swedish_whatever_the_reader_s_language(
    client: Client, case_officer: Staff, handed_over: Episode
) -> None:
    client.force_login(case_officer.user)
    with translation.override("sv"):
        title = gettext("Implementation plan")
        file_stem = slugify(gettext("implementation plan"))
        signature = gettext("Written by %(name)s on %(day)s.") % {
            "name": "Case_Officer Persona",
            "day": "2026-03-10",
        }

    response = client.get(episode_url("implementation_plan_pdf", handed_over))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'inline; filename="{file_stem}-{handed_over.external_id}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    for shown in [
        title,
        f"Åsa Öberg, {handed_over.person.formatted_identity_number}",
        "Trygg hemgång",
        "2026-03-06 – 2026-03-10",
        "Hemtjänstgrupp A",
        "Behöver hjälp med dusch.",
        "Åsa tvättar sig själv.",
        "Tisdag förmiddag",
        "Laga frukost själv.",
        "Biståndshandläggare: 0290-77 16 73",
        signature,
    ]:
        assert shown in text
    assert AccessLog.objects.filter(kind="read", what="implementation_plan.pdf").count() == 1


def test_implementation_plan_pdf_is_readable_by_the_receiving_home_care_group(
    client: Client, coordinator: Staff, handed_over: Episode
) -> None:
    client.force_login(coordinator.user)

    response = client.get(episode_url("implementation_plan_pdf", handed_over))

    assert response.status_code == 200


def test_implementation_plan_pdf_is_not_found_without_a_plan(
    client: Client, case_officer: Staff, handover_ready: Episode
) -> None:
    client.force_login(case_officer.user)

    response = client.get(episode_url("implementation_plan_pdf", handover_ready))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["mas", "admin", "outsider"])
def test_implementation_plan_pdf_is_not_found_for_staff_who_do_not_see_the_person(
    client: Client, handed_over: Episode, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona).user)
    reads_before = AccessLog.objects.filter(kind="read").count()

    response = client.get(episode_url("implementation_plan_pdf", handed_over))

    assert response.status_code == 404
    assert AccessLog.objects.filter(kind="read").count() == reads_before


def test_the_episode_page_links_to_the_shared_plan_only_while_the_person_is_enrolled(
    client: Client, case_officer: Staff, today: datetime.date
) -> None:
    client.force_login(case_officer.user)
    enrolled = active_episode(by=case_officer)
    referred = referred_episode(by=case_officer)
    services_link = "Services in the shared plan"

    enrolled_page = client.get(episode_url("episode_detail", enrolled)).text
    referred_page = client.get(episode_url("episode_detail", referred)).text

    assert services_link in enrolled_page
    assert episode_url("episode_services", enrolled) in enrolled_page
    assert services_link not in referred_page
