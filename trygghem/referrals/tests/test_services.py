import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.assertions import NothingChanges, error_codes
from tests.factories import (
    PERSONAS,
    StaffFactory,
    person_details,
    referral_details,
    referred_episode,
)
from trygghem.audit.models import AccessLog
from trygghem.episodes.models import EndReason, Episode, Program, Transition
from trygghem.episodes.services import close_referral
from trygghem.people.models import Person, Relative
from trygghem.referrals.models import ExclusionCriterion, Referral
from trygghem.referrals.services import RelativeDetails, register_referral
from trygghem.staff.models import Staff, Team

pytestmark = pytest.mark.django_db


def test_register_referral_creates_the_person_the_referral_and_a_referred_episode(
    case_officer: Staff, unit: Team, today: datetime.date
) -> None:
    excluded = ExclusionCriterion.objects.get(name="Palliativ fas")

    episode = register_referral(
        person=person_details(
            identity_number="19121212-1212",
            first_name=" Astrid ",
            last_name="Lind ",
            street_address="Storgatan 1",
            city="Hofors",
            safety_alarm=True,
        ),
        referral=referral_details(exclusion_criteria=[excluded]),
        by=case_officer,
    )

    person = Person.objects.get()
    assert (
        person.identity_number,
        person.birth_date,
        person.is_coordination_number,
        person.full_name,
        person.city,
        person.safety_alarm,
        person.language,
    ) == (
        "191212121212",
        datetime.date(1912, 12, 12),
        False,
        "Astrid Lind",
        "Hofors",
        True,
        "svenska",
    )
    referral = Referral.objects.get()
    assert (
        referral.person,
        referral.source,
        referral.received_on,
        referral.admitted_on,
        referral.ready_for_discharge_on,
        referral.planned_home_on,
        referral.home_care_hours_before,
        referral.triage,
        referral.feels_safe,
        list(referral.exclusion_criteria.all()),
        referral.registered_by,
    ) == (
        person,
        "hospital",
        datetime.date(2026, 3, 4),
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 5),
        datetime.date(2026, 3, 6),
        Decimal("3.5"),
        "yellow",
        "partly",
        [excluded],
        case_officer,
    )
    episode = Episode.objects.get()
    assert (
        episode.person,
        episode.referral,
        episode.program.code,
        episode.unit,
        episode.case_officer,
        episode.status,
        list(episode.teams.all()),
    ) == (person, referral, "trygg_hemgang", unit, case_officer, "referred", [unit])


def test_register_referral_writes_the_first_transition_and_one_change_log_row(
    case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)

    assert list(Transition.objects.values_list("episode", "from_status", "to_status", "by")) == [
        (episode.pk, "", "referred", case_officer.pk)
    ]
    assert list(
        AccessLog.objects.values_list("staff", "person", "kind", "what", "purpose", "detail")
    ) == [
        (
            case_officer.pk,
            episode.person.pk,
            "write",
            "referral.registered",
            "case_handling",
            {
                "episode": str(episode.external_id),
                "source": "hospital",
                "triage": "yellow",
                "new_person": True,
            },
        )
    ]


def test_register_referral_adds_the_relatives_that_have_a_name(
    case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(
        by=case_officer,
        person=person_details(
            relatives=[
                RelativeDetails(name=" Per Lind ", relation="son", phone="070-123 45 67"),
                RelativeDetails(name="  ", relation="granne"),
            ]
        ),
    )

    assert list(Relative.objects.values_list("person", "name", "relation", "phone")) == [
        (episode.person.pk, "Per Lind", "son", "070-123 45 67")
    ]


def test_register_referral_stores_a_samordningsnummer_flagged(
    case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(
        by=case_officer, person=person_details(identity_number="19121272-1219")
    )

    assert (
        episode.person.identity_number,
        episode.person.is_coordination_number,
        episode.person.birth_date,
    ) == ("191212721219", True, datetime.date(1912, 12, 12))


def test_register_referral_reuses_the_person_with_the_same_personnummer(
    case_officer: Staff, today: datetime.date
) -> None:
    first = referred_episode(
        by=case_officer, person=person_details(identity_number="19121212-1212")
    )
    close_referral(
        episode=first,
        reason=EndReason.objects.get(code="triage_green"),
        closed_on=today,
        note="",
        by=case_officer,
    )

    second = register_referral(
        person=person_details(identity_number="121212+1212", street_address="Bruksgatan 7"),
        referral=referral_details(program=Program.objects.get(code="trygg_hemma")),
        by=case_officer,
    )

    assert list(Person.objects.values_list("pk", "street_address")) == [
        (first.person.pk, "Bruksgatan 7")
    ]
    assert list(Episode.objects.order_by("pk").values_list("person", "status")) == [
        (first.person.pk, "closed"),
        (first.person.pk, "referred"),
    ]
    assert AccessLog.objects.filter(what="referral.registered").latest("id").detail == {
        "episode": str(second.external_id),
        "source": "hospital",
        "triage": "yellow",
        "new_person": False,
    }


def test_a_second_submission_of_the_same_referral_is_refused_and_changes_nothing(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    person = person_details()
    referral = referral_details()
    register_referral(person=person, referral=referral, by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        register_referral(person=person, referral=referral, by=case_officer)

    assert error_codes(error.value) == ["open_episode_exists"]
    assert list(Episode.objects.values_list("status", flat=True)) == ["referred"]


@pytest.mark.parametrize("persona", [name for name in PERSONAS if name != "case_officer"])
def test_register_referral_is_refused_for_every_role_but_case_officer(
    persona: str,
    request: pytest.FixtureRequest,
    today: datetime.date,
    nothing_changes: NothingChanges,
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    with nothing_changes(), pytest.raises(PermissionDenied):
        register_referral(person=person_details(), referral=referral_details(), by=staff)

    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("identity_number", "code"),
    [("19121212-1213", "identity_invalid"), ("1912-12-12", "identity_format")],
)
def test_register_referral_with_an_invalid_personnummer_is_refused_and_creates_nothing(
    identity_number: str,
    code: str,
    case_officer: Staff,
    today: datetime.date,
    nothing_changes: NothingChanges,
) -> None:
    with nothing_changes(), pytest.raises(ValidationError) as error:
        register_referral(
            person=person_details(identity_number=identity_number),
            referral=referral_details(),
            by=case_officer,
        )

    assert error_codes(error.value) == {"identity_number": [code]}
    assert Person.objects.count() == 0


def test_register_referral_with_dates_out_of_order_is_refused_and_creates_nothing(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    with nothing_changes(), pytest.raises(ValidationError) as error:
        register_referral(
            person=person_details(),
            referral=referral_details(received_on=today + datetime.timedelta(days=1)),
            by=case_officer,
        )

    assert error_codes(error.value) == {"received_on": ["future_date"]}


def test_register_referral_with_more_hours_than_a_week_is_refused_and_creates_nothing(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    with nothing_changes(), pytest.raises(ValidationError) as error:
        register_referral(
            person=person_details(),
            referral=referral_details(home_care_hours_before=Decimal("168.5")),
            by=case_officer,
        )

    assert error_codes(error.value) == {"home_care_hours_before": ["hours_out_of_range"]}


def test_register_referral_is_refused_for_a_case_officer_outside_a_needs_assessment_unit(
    reablement_team: Team, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    stray = StaffFactory.create(role=Staff.Role.CASE_OFFICER, teams=[reablement_team])

    with nothing_changes(), pytest.raises(ValidationError) as error:
        register_referral(person=person_details(), referral=referral_details(), by=stray)

    assert error_codes(error.value) == ["no_unit"]


def test_register_referral_with_a_home_care_group_that_is_not_home_care_is_refused(
    case_officer: Staff, rehab_team: Team, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    with nothing_changes(), pytest.raises(ValidationError) as error:
        register_referral(
            person=person_details(home_care_team=rehab_team),
            referral=referral_details(),
            by=case_officer,
        )

    assert error_codes(error.value) == {"home_care_team": ["not_home_care"]}
