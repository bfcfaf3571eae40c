import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.assertions import messages_of, read_log, record_state
from tests.factories import active_episode, decided_episode, referred_episode
from trygghem.fees.models import FeeRoom
from trygghem.fees.services import record_fee_room
from trygghem.people.models import Person
from trygghem.rehab.tests.helpers import rehab_plan
from trygghem.rehab.tests.test_views import pdf_text
from trygghem.staff.models import Staff

pytestmark = pytest.mark.django_db

D = datetime.date

# Every persona but the case officer: they may not record a fee room.
NOT_CASE_OFFICERS = [
    "ot", "pt", "nurse", "rehab_assistant", "care_worker", "coordinator", "manager", "mas",
    "admin", "outsider",
]  # fmt: skip


@pytest.fixture
def client() -> Client:
    """Pages in English, so assertions read the msgids whatever the Swedish catalogue holds."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def person(case_officer: Staff) -> Person:
    return referred_episode(by=case_officer).person


def _url(person: Person) -> str:
    return reverse("record_fee_room", args=[person.external_id])


def _fee_rooms() -> list[tuple[int, Decimal, datetime.date, int]]:
    return list(
        FeeRoom.objects.order_by("id").values_list("person", "amount", "valid_from", "recorded_by")
    )


def test_the_form_starts_from_the_first_of_this_month_and_logs_the_read(
    client: Client, case_officer: Staff, person: Person, today: datetime.date
) -> None:
    client.force_login(case_officer.user)

    response = client.get(_url(person))

    assert response.status_code == 200
    form = response.context["form"]
    assert {name: form[name].value() for name in ("amount", "valid_from")} == {
        "amount": None,
        "valid_from": D(2026, 3, 1),
    }
    assert read_log() == [(case_officer.pk, person.pk, "fee_room.record", "case_handling")]


def test_a_case_officer_records_a_fee_room_and_returns_to_the_persons_page(
    client: Client, case_officer: Staff, person: Person
) -> None:
    client.force_login(case_officer.user)

    response = client.post(_url(person), {"amount": "1200", "valid_from": "2026-04-01"})

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("person_detail", args=[person.external_id]),
    )
    assert _fee_rooms() == [(person.pk, Decimal(1200), D(2026, 4, 1), case_officer.pk)]
    assert messages_of(response) == [
        "The fee room of 1,200 kr a month from 04/01/2026 is recorded."
    ]
    assert read_log() == [(case_officer.pk, person.pk, "fee_room.record", "case_handling")]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"amount": "-1", "valid_from": "2026-04-01"},
            {"amount": ["The fee room cannot be negative."]},
        ),
        (
            {"amount": "tolv hundra", "valid_from": "2026-04-01"},
            {"amount": ["Write the fee room as a number of kronor, e.g. 1200."]},
        ),
        (
            {"amount": "900", "valid_from": "2026-03-01"},
            {"valid_from": ["A fee room is already recorded from that day."]},
        ),
    ],
    ids=["negative", "not_a_number", "already_recorded_from_that_day"],
)
def test_a_refused_fee_room_shows_why_and_changes_nothing(
    client: Client,
    case_officer: Staff,
    person: Person,
    data: dict[str, str],
    errors: dict[str, list[str]],
) -> None:
    record_fee_room(person=person, amount=Decimal(1200), valid_from=D(2026, 3, 1), by=case_officer)
    client.force_login(case_officer.user)
    before = (record_state(), _fee_rooms())

    response = client.post(_url(person), data)

    assert response.status_code == 400
    assert response.context["form"].errors == errors
    assert (record_state(), _fee_rooms()) == before
    assert messages_of(response) == []


@pytest.mark.parametrize("persona", NOT_CASE_OFFICERS)
def test_only_a_case_officer_reaches_the_page_the_others_get_a_404_and_nothing_changes(
    client: Client, person: Person, persona: str, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)
    client.force_login(staff.user)
    before = (record_state(), read_log(), _fee_rooms())

    statuses = [
        client.get(_url(person)).status_code,
        client.post(_url(person), {"amount": "1200", "valid_from": "2026-04-01"}).status_code,
    ]

    assert statuses == [404, 404]
    assert (record_state(), read_log(), _fee_rooms()) == before


def test_a_case_officer_outside_the_persons_teams_gets_a_404(
    client: Client, person: Person, case_officer: Staff, outsider: Staff
) -> None:
    outsider.role = Staff.Role.CASE_OFFICER
    outsider.save()
    client.force_login(outsider.user)

    assert client.get(_url(person)).status_code == 404
    assert read_log() == []


def test_the_persons_page_lists_the_fee_rooms_latest_first_with_who_recorded_them(
    client: Client, case_officer: Staff, person: Person, django_assert_max_num_queries: Any
) -> None:
    for amount, valid_from in [(1200, D(2025, 1, 1)), (900, D(2026, 2, 1))]:
        record_fee_room(
            person=person, amount=Decimal(amount), valid_from=valid_from, by=case_officer
        )
    client.force_login(case_officer.user)

    response = client.get(reverse("person_detail", args=[person.external_id]))

    assert response.status_code == 200
    assert [
        (room.amount, room.valid_from, str(room.recorded_by))
        for room in response.context["fee_rooms"]
    ] == [
        (Decimal(900), D(2026, 2, 1), str(case_officer)),
        (Decimal(1200), D(2025, 1, 1), str(case_officer)),
    ]
    page = response.content.decode()
    assert 'id="fee-rooms-heading">Fee room</h2>' in page
    assert f'href="{_url(person)}"' in page
    assert page.index("<td>900</td>") < page.index("<td>1,200</td>")
    assert page.count(f"<td>{case_officer}</td>") == 2


def test_the_fee_room_shows_only_to_the_case_officer_who_records_it(
    client: Client, case_officer: Staff, manager: Staff, ot: Staff
) -> None:
    # The fee room reflects the person's income: others on the person's teams do not see it.
    person = decided_episode(by=case_officer).person
    record_fee_room(person=person, amount=Decimal(1200), valid_from=D(2026, 1, 1), by=case_officer)
    for other in (manager, ot):
        client.force_login(other.user)

        response = client.get(reverse("person_detail", args=[person.external_id]))

        page = response.content.decode()
        assert (response.status_code, response.context["fee_rooms"]) == (200, [])
        assert ("fee-rooms-heading" in page, _url(person) in page, "1,200" in page) == (
            False,
            False,
            False,
        )


def test_the_printed_plan_caps_the_months_fee_at_a_newly_recorded_fee_room(
    client: Client, case_officer: Staff, ot: Staff
) -> None:
    # 2026: 190 kr a day of Trygg hemgång; home since 6 March, so 950 kr by the 10th.
    episode = active_episode(by=case_officer)
    plan = rehab_plan(episode=episode, by=ot)
    client.force_login(case_officer.user)
    client.post(_url(episode.person), {"amount": "600", "valid_from": "2026-03-01"})
    client.force_login(ot.user)

    response = client.get(reverse("rehab_plan_pdf", args=[plan.external_id]) + "?lang=en")

    assert "So far this month: 600 kr for 5 days." in pdf_text(response.content)
