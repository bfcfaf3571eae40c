import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.assertions import change_log, database_state, error_codes
from tests.factories import referred_episode
from trygghem.fees.models import FeeRoom
from trygghem.fees.selectors import fee_room_for, fee_rooms_for
from trygghem.fees.services import record_fee_room
from trygghem.people.models import Person
from trygghem.staff.models import Staff

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def person(case_officer: Staff) -> Person:
    return referred_episode(by=case_officer).person


def _fee_rooms() -> list[tuple[int, Decimal, datetime.date, int]]:
    return list(
        FeeRoom.objects.order_by("id").values_list("person", "amount", "valid_from", "recorded_by")
    )


def test_a_case_officer_records_a_fee_room_with_a_change_log_row(
    person: Person, case_officer: Staff
) -> None:
    fee_room = record_fee_room(
        person=person, amount=Decimal(1200), valid_from=D(2024, 1, 1), by=case_officer
    )

    assert _fee_rooms() == [(person.pk, Decimal(1200), D(2024, 1, 1), case_officer.pk)]
    assert change_log("fee_room.recorded") == [
        (
            case_officer.pk,
            person.pk,
            "case_handling",
            {"fee_room": str(fee_room.external_id), "valid_from": "2024-01-01"},
        )
    ]


def test_the_latest_fee_room_from_the_first_of_the_month_or_earlier_applies(
    person: Person, case_officer: Staff
) -> None:
    for amount, valid_from in [(1200, D(2024, 1, 1)), (900, D(2024, 3, 15))]:
        record_fee_room(
            person=person, amount=Decimal(amount), valid_from=valid_from, by=case_officer
        )

    amounts = [fee_room_for(person=person, month=D(2024, month, 1)) for month in (1, 3, 4)]

    assert [fee_room.amount if fee_room else None for fee_room in amounts] == [
        Decimal(1200),
        Decimal(1200),
        Decimal(900),
    ]
    assert fee_room_for(person=person, month=D(2023, 12, 1)) is None


def test_a_negative_fee_room_is_refused_and_nothing_changes(
    person: Person, case_officer: Staff
) -> None:
    before = database_state()

    with pytest.raises(ValidationError) as refused:
        record_fee_room(
            person=person, amount=Decimal(-1), valid_from=D(2024, 1, 1), by=case_officer
        )

    assert error_codes(refused.value) == {"amount": ["negative"]}
    assert database_state() == before
    assert _fee_rooms() == []


def test_a_second_fee_room_from_the_same_day_is_refused_and_nothing_changes(
    person: Person, case_officer: Staff
) -> None:
    record_fee_room(person=person, amount=Decimal(1200), valid_from=D(2024, 1, 1), by=case_officer)
    before = (database_state(), _fee_rooms())

    with pytest.raises(ValidationError) as refused:
        record_fee_room(
            person=person, amount=Decimal(900), valid_from=D(2024, 1, 1), by=case_officer
        )

    assert error_codes(refused.value) == {"valid_from": ["fee_room_exists"]}
    assert (database_state(), _fee_rooms()) == before


def test_only_a_case_officer_records_a_fee_room(person: Person, manager: Staff) -> None:
    before = database_state()

    with pytest.raises(PermissionDenied):
        record_fee_room(person=person, amount=Decimal(1200), valid_from=D(2024, 1, 1), by=manager)

    assert database_state() == before
    assert _fee_rooms() == []


def test_the_fee_rooms_of_many_people_follow_the_same_rule_in_one_query(
    person: Person, case_officer: Staff, django_assert_num_queries: Any
) -> None:
    without_fee_room = referred_episode(by=case_officer).person
    for amount, valid_from in [(1200, D(2024, 1, 1)), (900, D(2024, 3, 15))]:
        record_fee_room(
            person=person, amount=Decimal(amount), valid_from=valid_from, by=case_officer
        )

    with django_assert_num_queries(1):
        march = fee_rooms_for(people=[person, without_fee_room], month=D(2024, 3, 1))
    april = fee_rooms_for(people=[person, without_fee_room], month=D(2024, 4, 1))

    assert (march, april) == ({person.pk: Decimal(1200)}, {person.pk: Decimal(900)})
