"""Granting and adjusting time-limited decisions (SoL 4 kap. 1 §). The clock is frozen at
2026-03-10 10:00 (Stockholm); the factories' decisions run 03-06..03-19 with follow-up 03-11."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.assertions import NothingChanges, change_log, error_codes
from tests.factories import (
    active_episode,
    decided_episode,
    person_details,
    referred_episode,
)
from trygghem.decisions.models import Decision
from trygghem.decisions.services import adjust_decision, grant_decision
from trygghem.episodes.models import EndReason, Episode, Program, Transition
from trygghem.episodes.services import close_referral, end_episode
from trygghem.staff.models import Staff, Team

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
SERVICES = "Hjälp med dusch och frukost, träning i trappa."


def _day(day: int) -> datetime.date:
    return datetime.date(2026, 3, day)


def _program(code: str) -> Program:
    return Program.objects.get(code=code)


def _grant(
    episode: Episode, by: Staff, start: int, end: int, program: str = "trygg_hemgang"
) -> Decision:
    return grant_decision(
        episode=episode,
        program=_program(program),
        start_on=_day(start),
        end_on=_day(end),
        follow_up_on=_day(start),
        granted_services=SERVICES,
        by=by,
    )


def _adjust(decision: Decision, by: Staff, start: int, end: int, **overrides: str) -> Decision:
    values = {"granted_services": decision.granted_services, "change_reason": "Behovet minskar."}
    values.update(overrides)
    return adjust_decision(
        decision=decision,
        start_on=_day(start),
        end_on=_day(end),
        follow_up_on=_day(max(start, min(end, 11))),
        by=by,
        **values,
    )


def _ended_earlier(case_officer: Staff, identity_number: str, ended_on: int) -> None:
    """The person's earlier episode: decided for 03-06..03-19, home 03-06, ended early."""
    episode = active_episode(
        by=case_officer, person=person_details(identity_number=identity_number)
    )
    end_episode(
        episode=episode,
        reason=EndReason.objects.get(code="readmitted"),
        ended_on=_day(ended_on),
        note="",
        by=case_officer,
    )


# grant_decision


def test_grant_decision_moves_a_referred_episode_to_decided_under_sol_4_1(
    case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)

    decision = grant_decision(
        episode=episode,
        program=_program("trygg_hemma"),
        start_on=_day(10),
        end_on=datetime.date(2026, 4, 6),  # 28 days, the most Trygg hemma allows
        follow_up_on=_day(17),
        granted_services=f"  {SERVICES} ",
        by=case_officer,
    )

    decision.refresh_from_db()
    assert (
        decision.episode,
        decision.person,
        decision.program.code,
        decision.legal_basis,
        decision.granted_services,
        decision.start_on,
        decision.end_on,
        decision.follow_up_on,
        decision.version,
        decision.is_current,
        decision.terminated_on,
        decision.decided_by,
    ) == (
        episode,
        episode.person,
        "trygg_hemma",
        "SoL 4 kap. 1 §",
        SERVICES,
        _day(10),
        datetime.date(2026, 4, 6),
        _day(17),
        1,
        True,
        None,
        case_officer,
    )
    episode.refresh_from_db()
    assert (episode.status, episode.program.code) == ("decided", "trygg_hemma")
    assert list(Transition.objects.filter(episode=episode).values_list("from_status", "to_status"))[
        -1
    ] == (
        "referred",
        "decided",
    )
    assert change_log("decision.granted") == [
        (
            case_officer.pk,
            episode.person.pk,
            "case_handling",
            {
                "decision": str(decision.external_id),
                "program": "trygg_hemma",
                "start_on": "2026-03-10",
                "end_on": "2026-04-06",
            },
        )
    ]


def test_grant_decision_adds_the_program_teams_and_the_persons_home_care_group(
    case_officer: Staff,
    unit: Team,
    reablement_team: Team,
    rehab_team: Team,
    home_care_a: Team,
    today: datetime.date,
) -> None:
    episode = referred_episode(by=case_officer, person=person_details(home_care_team=home_care_a))

    _grant(episode, case_officer, 6, 19)

    assert set(episode.teams.all()) == {unit, reablement_team, rehab_team, home_care_a}


def test_grant_decision_for_a_person_without_home_care_adds_only_the_program_teams(
    case_officer: Staff, unit: Team, reablement_team: Team, rehab_team: Team, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)

    _grant(episode, case_officer, 6, 19)

    assert set(episode.teams.all()) == {unit, reablement_team, rehab_team}


def test_grant_decision_for_a_program_without_teams_keeps_the_episode_in_the_unit(
    case_officer: Staff, unit: Team, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)

    _grant(episode, case_officer, 6, 19, program="ihr")

    assert list(episode.teams.all()) == [unit]


def test_granting_a_decision_twice_is_refused_the_second_time(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = referred_episode(by=case_officer)
    _grant(episode, case_officer, 6, 19)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _grant(episode, case_officer, 6, 19)

    assert error_codes(error.value) == ["illegal_transition"]
    assert Decision.objects.count() == 1


def test_grant_decision_longer_than_the_program_allows_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = referred_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _grant(episode, case_officer, 6, 20)

    assert error_codes(error.value) == {"end_on": ["too_long"]}
    assert Episode.objects.get().status == "referred"


def test_grant_decision_overlapping_another_running_decision_of_the_person_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    _ended_earlier(case_officer, "19121212-1212", ended_on=9)  # runs 03-06..03-09
    episode = referred_episode(
        by=case_officer, person=person_details(identity_number="19121212-1212")
    )

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _grant(episode, case_officer, 9, 22)
    _grant(episode, case_officer, 10, 23)

    assert error_codes(error.value) == ["overlapping_decision"]
    assert Episode.objects.get(pk=episode.pk).status == "decided"


def test_grant_decision_ignores_the_decisions_of_other_people(
    case_officer: Staff, today: datetime.date
) -> None:
    decided_episode(by=case_officer, start_on=_day(6))
    episode = referred_episode(by=case_officer)

    _grant(episode, case_officer, 6, 19)

    assert Decision.objects.filter(start_on=_day(6), end_on=_day(19)).count() == 2


def test_a_decision_ended_before_it_started_does_not_block_a_new_one(
    case_officer: Staff, today: datetime.date
) -> None:
    first = decided_episode(
        by=case_officer, person=person_details(identity_number="19121212-1212"), start_on=_day(12)
    )
    end_episode(
        episode=first,
        reason=EndReason.objects.get(code="readmitted"),
        ended_on=today,
        note="",
        by=case_officer,
    )
    second = referred_episode(
        by=case_officer, person=person_details(identity_number="19121212-1212")
    )

    _grant(second, case_officer, 12, 25)

    assert Episode.objects.get(pk=second.pk).status == "decided"


def test_grant_decision_with_a_retired_program_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = referred_episode(by=case_officer)
    Program.objects.filter(code="trygg_hemma").update(active=False)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _grant(episode, case_officer, 6, 19, program="trygg_hemma")

    assert error_codes(error.value) == {"program": ["inactive_program"]}


def test_grant_decision_on_a_closed_referral_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = referred_episode(by=case_officer)
    close_referral(
        episode=episode,
        reason=EndReason.objects.get(code="triage_green"),
        closed_on=today,
        note="",
        by=case_officer,
    )

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _grant(episode, case_officer, 6, 19)

    assert error_codes(error.value) == ["illegal_transition"]


@pytest.mark.parametrize("persona", ["ot", "manager"])
def test_grant_decision_is_refused_for_anyone_but_a_case_officer(
    persona: str,
    case_officer: Staff,
    request: pytest.FixtureRequest,
    today: datetime.date,
    nothing_changes: NothingChanges,
) -> None:
    episode = referred_episode(by=case_officer)

    with nothing_changes(), pytest.raises(PermissionDenied):
        _grant(episode, request.getfixturevalue(persona), 6, 19)


# adjust_decision


def test_adjust_decision_writes_version_2_and_keeps_version_1_unchanged(
    case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer)
    first = Decision.objects.get()
    first_values = Decision.objects.filter(pk=first.pk).values().get()

    second = _adjust(first, case_officer, 6, 15, granted_services=" Hjälp med dusch. ")

    assert Decision.objects.filter(pk=first.pk).values().get() == {
        **first_values,
        "is_current": False,
    }
    second.refresh_from_db()
    assert (
        second.series,
        second.version,
        second.is_current,
        second.episode,
        second.program,
        second.start_on,
        second.end_on,
        second.follow_up_on,
        second.granted_services,
        second.change_reason,
        second.decided_by,
    ) == (
        first.series,
        2,
        True,
        episode,
        first.program,
        _day(6),
        _day(15),
        _day(11),
        "Hjälp med dusch.",
        "Behovet minskar.",
        case_officer,
    )
    assert Episode.objects.get().status == "active"
    assert change_log("decision.adjusted") == [
        (
            case_officer.pk,
            episode.person.pk,
            "case_handling",
            {
                "decision": str(second.external_id),
                "version": 2,
                "start_on": "2026-03-06",
                "end_on": "2026-03-15",
            },
        )
    ]


def test_adjusting_version_2_writes_version_3(case_officer: Staff, today: datetime.date) -> None:
    active_episode(by=case_officer)
    second = _adjust(Decision.objects.get(), case_officer, 6, 15)

    _adjust(second, case_officer, 6, 12)

    assert list(
        Decision.objects.order_by("version").values_list("version", "is_current", "end_on")
    ) == [
        (1, False, _day(19)),
        (2, False, _day(15)),
        (3, True, _day(12)),
    ]


def test_a_decided_episode_may_move_its_decision_later(
    case_officer: Staff, today: datetime.date
) -> None:
    decided_episode(by=case_officer)

    adjusted = _adjust(Decision.objects.get(), case_officer, 11, 24)

    assert (adjusted.start_on, adjusted.end_on) == (_day(11), _day(24))


def test_an_unchanged_adjustment_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    active_episode(by=case_officer)
    decision = Decision.objects.get()

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _adjust(decision, case_officer, 6, 19, granted_services=f" {decision.granted_services}  ")

    assert error_codes(error.value) == ["decision_unchanged"]


def test_adjusting_a_replaced_version_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    active_episode(by=case_officer)
    first = Decision.objects.get()
    _adjust(first, case_officer, 6, 15)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _adjust(first, case_officer, 6, 12)

    assert error_codes(error.value) == ["decision_not_current"]


def test_adjusting_a_decision_beyond_the_program_maximum_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    active_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _adjust(Decision.objects.get(), case_officer, 6, 20)

    assert error_codes(error.value) == {"end_on": ["too_long"]}
    assert list(Decision.objects.values_list("version", "is_current")) == [(1, True)]


def test_adjusting_a_terminated_decision_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = active_episode(by=case_officer)
    end_episode(
        episode=episode,
        reason=EndReason.objects.get(code="moved"),
        ended_on=today,
        note="",
        by=case_officer,
    )

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _adjust(Decision.objects.get(), case_officer, 6, 12)

    assert error_codes(error.value) == ["decision_not_current"]


def test_adjusting_the_decision_of_an_ended_episode_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = active_episode(by=case_officer, start_on=_day(1), end_on=today)
    end_episode(
        episode=episode,
        reason=EndReason.objects.get(code="no_further_need"),
        ended_on=today,
        note="",
        by=case_officer,
    )

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _adjust(Decision.objects.get(), case_officer, 1, 9)

    assert error_codes(error.value) == ["episode_not_open"]


def test_adjusting_without_a_reason_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    active_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _adjust(Decision.objects.get(), case_officer, 6, 15, change_reason="   ")

    assert error_codes(error.value) == {"change_reason": ["required"]}


def test_adjusting_the_start_after_the_homecoming_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    active_episode(by=case_officer)  # home 03-06 09:00

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _adjust(Decision.objects.get(), case_officer, 7, 19)

    assert error_codes(error.value) == {"start_on": ["starts_after_homecoming"]}


def test_adjusting_the_start_to_a_homecoming_just_after_midnight_is_accepted(
    case_officer: Staff, today: datetime.date
) -> None:
    active_episode(by=case_officer, home_at=datetime.datetime(2026, 3, 7, 0, 30, tzinfo=STOCKHOLM))

    adjusted = _adjust(Decision.objects.get(), case_officer, 7, 19)

    assert adjusted.start_on == _day(7)


def test_adjusting_the_end_before_the_homecoming_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    active_episode(by=case_officer)  # home 03-06 09:00

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _adjust(Decision.objects.get(), case_officer, 1, 5)

    assert error_codes(error.value) == {"end_on": ["ends_before_homecoming"]}


def test_adjusting_into_another_running_decision_of_the_person_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    _ended_earlier(case_officer, "19121212-1212", ended_on=9)  # runs 03-06..03-09
    episode = referred_episode(
        by=case_officer, person=person_details(identity_number="19121212-1212")
    )
    decision = _grant(episode, case_officer, 10, 23)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _adjust(decision, case_officer, 9, 22)

    assert error_codes(error.value) == ["overlapping_decision"]


def test_adjust_decision_is_refused_for_a_nurse(
    case_officer: Staff, nurse: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    active_episode(by=case_officer)

    with nothing_changes(), pytest.raises(PermissionDenied):
        _adjust(Decision.objects.get(), nurse, 6, 15)
