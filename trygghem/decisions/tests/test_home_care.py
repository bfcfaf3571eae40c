"""Ordinary home-care decisions (biståndsbeslut om hemtjänst, SoL 4 kap. 1 §) with their hours a
week: the database constraints, the rules, and granting, ending and replacing them. Today is
2026-03-10."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from tests.assertions import NothingChanges, change_log, error_codes
from tests.factories import active_episode, person_details
from trygghem.decisions import rules
from trygghem.decisions.models import HomeCareDecision
from trygghem.decisions.services import (
    end_home_care_decision,
    grant_home_care_decision,
    replace_home_care_decision,
)
from trygghem.people.models import Person
from trygghem.staff.models import Staff

pytestmark = pytest.mark.django_db

D = datetime.date
MARCH_1 = datetime.date(2026, 3, 1)


@pytest.fixture
def person(case_officer: Staff) -> Person:
    return active_episode(by=case_officer, person=person_details()).person


def _grant(
    person: Person,
    by: Staff,
    hours: str = "7.5",
    start_on: datetime.date = MARCH_1,
    end_on: datetime.date | None = None,
) -> HomeCareDecision:
    return grant_home_care_decision(
        person=person, hours_per_week=Decimal(hours), start_on=start_on, end_on=end_on, by=by
    )


# the database


@pytest.mark.parametrize(
    ("hours", "start_on", "end_on", "constraint"),
    [
        ("-0.5", D(2026, 3, 1), None, "homecaredecision_hours_in_week"),
        ("168.5", D(2026, 3, 1), None, "homecaredecision_hours_in_week"),
        ("5", D(2026, 3, 1), D(2026, 2, 28), "homecaredecision_ends_after_start"),
    ],
)
def test_the_database_refuses_impossible_hours_and_periods(
    person: Person,
    case_officer: Staff,
    hours: str,
    start_on: datetime.date,
    end_on: datetime.date | None,
    constraint: str,
) -> None:
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        HomeCareDecision.objects.create(
            person=person,
            hours_per_week=Decimal(hours),
            start_on=start_on,
            end_on=end_on,
            decided_by=case_officer,
        )


def test_a_decision_is_in_force_from_its_start_to_its_end_both_included() -> None:
    decision = HomeCareDecision(start_on=D(2026, 3, 1), end_on=D(2026, 3, 31))
    open_ended = HomeCareDecision(hours_per_week=Decimal("7.5"), start_on=D(2026, 3, 1))

    assert [decision.in_force_on(D(2026, 3, day)) for day in (1, 31)] == [True, True]
    assert [decision.in_force_on(day) for day in (D(2026, 2, 28), D(2026, 4, 1))] == [False] * 2
    assert open_ended.in_force_on(D(2030, 1, 1))
    assert str(open_ended) == "7.5 h/v 2026-03-01–"


# the rules


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        ((D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 2, 1), None), False),
        ((D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 1, 31), None), True),
        ((D(2026, 1, 1), None), (D(2027, 1, 1), D(2027, 1, 2)), True),
        ((D(2026, 2, 1), None), (D(2026, 1, 1), D(2026, 1, 31)), False),
        ((D(2026, 2, 1), None), (D(2026, 1, 1), None), True),
    ],
)
def test_open_periods_overlap_when_each_starts_before_the_other_ends(
    first: tuple[datetime.date, datetime.date | None],
    second: tuple[datetime.date, datetime.date | None],
    overlap: bool,
) -> None:
    assert rules.open_periods_overlap(first, second) is overlap
    assert rules.open_periods_overlap(second, first) is overlap


# granting


def test_grant_home_care_decision_saves_it_and_writes_the_change_log(
    person: Person, case_officer: Staff
) -> None:
    episode = person.episodes.get()

    decision = grant_home_care_decision(
        person=person,
        hours_per_week=Decimal("7.5"),
        start_on=D(2026, 3, 20),
        episode=episode,
        by=case_officer,
    )

    assert HomeCareDecision.objects.values_list(
        "person", "episode", "hours_per_week", "start_on", "end_on", "decided_by", "legal_basis"
    ).get() == (
        person.pk,
        episode.pk,
        Decimal("7.5"),
        D(2026, 3, 20),
        None,
        case_officer.pk,
        "SoL 4 kap. 1 §",
    )
    assert change_log("home_care_decision.granted") == [
        (
            case_officer.pk,
            person.pk,
            "case_handling",
            {
                "decision": str(decision.external_id),
                "hours_per_week": "7.5",
                "start_on": "2026-03-20",
                "end_on": None,
            },
        )
    ]


@pytest.mark.parametrize(
    ("hours", "end_on", "codes"),
    [
        ("-1", None, {"hours_per_week": ["hours_out_of_range"]}),
        ("169", None, {"hours_per_week": ["hours_out_of_range"]}),
        ("5", D(2026, 2, 28), {"end_on": ["ends_before_start"]}),
    ],
)
def test_grant_home_care_decision_with_impossible_values_is_refused(
    person: Person,
    case_officer: Staff,
    nothing_changes: NothingChanges,
    hours: str,
    end_on: datetime.date | None,
    codes: dict[str, list[str]],
) -> None:
    with nothing_changes(), pytest.raises(ValidationError) as error:
        _grant(person, case_officer, hours=hours, end_on=end_on)

    assert error_codes(error.value) == codes


@pytest.mark.parametrize(
    ("start_on", "end_on"),
    [
        (D(2026, 2, 1), None),  # open-ended across the existing one
        (D(2026, 3, 31), D(2026, 4, 30)),  # starts on its last day
        (D(2026, 2, 1), D(2026, 3, 1)),  # ends on its first day
    ],
)
def test_grant_home_care_decision_overlapping_another_is_refused_with_a_clear_message(
    person: Person,
    case_officer: Staff,
    nothing_changes: NothingChanges,
    start_on: datetime.date,
    end_on: datetime.date | None,
) -> None:
    _grant(person, case_officer, start_on=D(2026, 3, 1), end_on=D(2026, 3, 31))

    with (
        translation.override("en"),
        nothing_changes(),
        pytest.raises(ValidationError) as error,
    ):
        _grant(person, case_officer, start_on=start_on, end_on=end_on)

    assert error_codes(error.value) == ["overlapping_home_care_decision"]
    assert error.value.messages == [
        "The person already has a home-care decision (7.5 hours a week from 03/01/2026 until "
        "03/31/2026) that overlaps this period. End it, or replace it from a day."
    ]


def test_a_decision_the_day_after_another_ends_is_granted(
    person: Person, case_officer: Staff
) -> None:
    _grant(person, case_officer, start_on=D(2026, 3, 1), end_on=D(2026, 3, 31))
    _grant(person, case_officer, hours="3", start_on=D(2026, 4, 1))

    assert list(
        HomeCareDecision.objects.order_by("start_on").values_list("hours_per_week", "end_on")
    ) == [(Decimal("7.5"), D(2026, 3, 31)), (Decimal("3.0"), None)]


def test_another_persons_decision_does_not_overlap(person: Person, case_officer: Staff) -> None:
    other = active_episode(by=case_officer, person=person_details()).person
    _grant(other, case_officer)

    _grant(person, case_officer)

    assert HomeCareDecision.objects.count() == 2


def test_grant_home_care_decision_from_another_persons_episode_is_refused(
    person: Person, case_officer: Staff, nothing_changes: NothingChanges
) -> None:
    other = active_episode(by=case_officer, person=person_details())

    with nothing_changes(), pytest.raises(ValidationError) as error:
        grant_home_care_decision(
            person=person,
            hours_per_week=Decimal(3),
            start_on=D(2026, 3, 1),
            episode=other,
            by=case_officer,
        )

    assert error_codes(error.value) == {"episode": ["other_persons_episode"]}


@pytest.mark.parametrize("persona", ["ot", "coordinator", "manager", "care_worker"])
def test_only_the_case_officer_may_record_home_care_decisions(
    person: Person,
    case_officer: Staff,
    nothing_changes: NothingChanges,
    persona: str,
    request: pytest.FixtureRequest,
) -> None:
    staff: Staff = request.getfixturevalue(persona)
    decision = _grant(person, case_officer)

    with nothing_changes():
        with pytest.raises(PermissionDenied):
            _grant(person, staff, start_on=D(2027, 1, 1))
        with pytest.raises(PermissionDenied):
            end_home_care_decision(decision=decision, end_on=D(2026, 3, 31), by=staff)
        with pytest.raises(PermissionDenied):
            replace_home_care_decision(
                decision=decision, hours_per_week=Decimal(2), from_on=D(2026, 4, 1), by=staff
            )


# ending


def test_end_home_care_decision_sets_its_last_day(person: Person, case_officer: Staff) -> None:
    decision = _grant(person, case_officer)

    ended = end_home_care_decision(decision=decision, end_on=D(2026, 3, 31), by=case_officer)

    assert HomeCareDecision.objects.get().end_on == ended.end_on == D(2026, 3, 31)
    assert change_log("home_care_decision.ended") == [
        (
            case_officer.pk,
            person.pk,
            "case_handling",
            {"decision": str(decision.external_id), "end_on": "2026-03-31"},
        )
    ]


@pytest.mark.parametrize(
    ("end_on", "codes"),
    [
        (D(2026, 2, 28), {"end_on": ["ends_before_start"]}),
        (D(2026, 4, 30), {"end_on": ["already_ends"]}),  # its end now
        (D(2026, 5, 31), {"end_on": ["already_ends"]}),  # later: a new decision instead
    ],
)
def test_end_home_care_decision_before_its_start_or_not_earlier_is_refused(
    person: Person,
    case_officer: Staff,
    nothing_changes: NothingChanges,
    end_on: datetime.date,
    codes: dict[str, list[str]],
) -> None:
    decision = _grant(person, case_officer, end_on=D(2026, 4, 30))

    with nothing_changes(), pytest.raises(ValidationError) as error:
        end_home_care_decision(decision=decision, end_on=end_on, by=case_officer)

    assert error_codes(error.value) == codes


# replacing


def test_replace_home_care_decision_ends_it_the_day_before_and_keeps_its_end(
    person: Person, case_officer: Staff
) -> None:
    episode = person.episodes.get()
    decision = grant_home_care_decision(
        person=person,
        hours_per_week=Decimal(10),
        start_on=D(2026, 3, 1),
        end_on=D(2026, 12, 31),
        episode=episode,
        by=case_officer,
    )

    replacement = replace_home_care_decision(
        decision=decision, hours_per_week=Decimal("4.5"), from_on=D(2026, 4, 1), by=case_officer
    )

    assert list(
        HomeCareDecision.objects.order_by("start_on").values_list(
            "hours_per_week", "start_on", "end_on", "episode"
        )
    ) == [
        (Decimal("10.0"), D(2026, 3, 1), D(2026, 3, 31), episode.pk),
        (Decimal("4.5"), D(2026, 4, 1), D(2026, 12, 31), episode.pk),
    ]
    assert change_log("home_care_decision.replaced") == [
        (
            case_officer.pk,
            person.pk,
            "case_handling",
            {
                "decision": str(decision.external_id),
                "replacement": str(replacement.external_id),
                "hours_per_week": "4.5",
                "from_on": "2026-04-01",
            },
        )
    ]


@pytest.mark.parametrize(
    ("hours", "from_on", "codes"),
    [
        ("3", D(2026, 3, 1), {"from_on": ["outside_decision"]}),  # its first day
        ("3", D(2026, 5, 1), {"from_on": ["outside_decision"]}),  # after it ended
        ("7.5", D(2026, 4, 1), {"hours_per_week": ["hours_unchanged"]}),
        ("-1", D(2026, 4, 1), {"hours_per_week": ["hours_out_of_range"]}),
    ],
)
def test_replace_home_care_decision_outside_it_or_unchanged_is_refused(
    person: Person,
    case_officer: Staff,
    nothing_changes: NothingChanges,
    hours: str,
    from_on: datetime.date,
    codes: dict[str, list[str]],
) -> None:
    decision = _grant(person, case_officer, end_on=D(2026, 4, 30))

    with nothing_changes(), pytest.raises(ValidationError) as error:
        replace_home_care_decision(
            decision=decision, hours_per_week=Decimal(hours), from_on=from_on, by=case_officer
        )

    assert error_codes(error.value) == codes
