"""The journey's writes. The clock is frozen at 2026-03-10 10:00 (Stockholm); the factories'
episodes were referred on 03-04, decided for 03-06..03-19 (follow-up 03-11) and came home on
03-06 at 09:00."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.assertions import NothingChanges, change_log, error_codes
from tests.factories import (
    active_episode,
    decided_episode,
    followed_up_episode,
    referred_episode,
)
from trygghem.decisions.models import Decision
from trygghem.episodes.models import (
    EndReason,
    Episode,
    FollowUp,
    ImplementationPlan,
    PlannedService,
    Transition,
)
from trygghem.episodes.services import (
    ServiceDetails,
    close_referral,
    end_episode,
    hand_over_episode,
    record_follow_up,
    register_homecoming,
)
from trygghem.staff.models import Staff, Team

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def _reason(code: str) -> EndReason:
    return EndReason.objects.get(code=code)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=STOCKHOLM)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _transitions(episode: Episode) -> list[tuple[str, str, int, str]]:
    return list(
        Transition.objects.filter(episode=episode).values_list(
            "from_status", "to_status", "by", "reason"
        )
    )


# close_referral


def test_close_referral_closes_a_referred_episode_and_keeps_the_referral(
    case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)

    close_referral(
        episode=episode,
        reason=_reason("triage_green"),
        closed_on=today,
        note="Klarar sig själv.",
        by=case_officer,
    )

    episode.refresh_from_db()
    assert (episode.status, episode.ended_on, episode.end_reason) == (
        "closed",
        today,
        _reason("triage_green"),
    )
    assert episode.referral.pk is not None
    assert _transitions(episode)[-1] == ("referred", "closed", case_officer.pk, "Klarar sig själv.")
    assert change_log("referral.closed") == [
        (case_officer.pk, episode.person.pk, "case_handling", {"reason": "triage_green"})
    ]


def test_close_referral_on_the_day_it_was_received_is_accepted(
    case_officer: Staff, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)

    close_referral(
        episode=episode,
        reason=_reason("excluded"),
        closed_on=episode.referral.received_on,
        note="",
        by=case_officer,
    )

    assert Episode.objects.get().ended_on == datetime.date(2026, 3, 4)


@pytest.mark.parametrize("code", ["no_further_need", "handover"])
def test_close_referral_with_a_reason_for_ending_an_episode_is_refused(
    code: str, case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = referred_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        close_referral(
            episode=episode, reason=_reason(code), closed_on=today, note="", by=case_officer
        )

    assert error_codes(error.value) == {"reason": ["invalid_reason"]}
    assert Episode.objects.get().status == "referred"


def test_close_referral_with_a_retired_reason_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = referred_episode(by=case_officer)
    EndReason.objects.filter(code="declined_offer").update(active=False)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        close_referral(
            episode=episode,
            reason=_reason("declined_offer"),
            closed_on=today,
            note="",
            by=case_officer,
        )

    assert error_codes(error.value) == {"reason": ["invalid_reason"]}


@pytest.mark.parametrize(
    ("closed_on", "code"),
    [
        (datetime.date(2026, 3, 11), "future_date"),
        (datetime.date(2026, 3, 3), "date_too_early"),
    ],
)
def test_close_referral_is_refused_in_the_future_or_before_the_referral_was_received(
    closed_on: datetime.date,
    code: str,
    case_officer: Staff,
    today: datetime.date,
    nothing_changes: NothingChanges,
) -> None:
    episode = referred_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        close_referral(
            episode=episode,
            reason=_reason("triage_green"),
            closed_on=closed_on,
            note="",
            by=case_officer,
        )

    assert error_codes(error.value) == {"closed_on": [code]}
    assert Episode.objects.get().status == "referred"


def test_close_referral_is_refused_once_a_decision_is_granted(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = decided_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        close_referral(
            episode=episode,
            reason=_reason("triage_green"),
            closed_on=today,
            note="",
            by=case_officer,
        )

    assert error_codes(error.value) == ["illegal_transition"]
    assert Episode.objects.get().status == "decided"


def test_closing_a_referral_twice_is_refused_the_second_time(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = referred_episode(by=case_officer)
    close_referral(
        episode=episode, reason=_reason("triage_green"), closed_on=today, note="", by=case_officer
    )

    with nothing_changes(), pytest.raises(ValidationError) as error:
        close_referral(
            episode=episode,
            reason=_reason("triage_green"),
            closed_on=today,
            note="",
            by=case_officer,
        )

    assert error_codes(error.value) == ["illegal_transition"]


def test_close_referral_is_refused_for_an_occupational_therapist(
    case_officer: Staff, ot: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = referred_episode(by=case_officer)

    with nothing_changes(), pytest.raises(PermissionDenied):
        close_referral(
            episode=episode, reason=_reason("triage_green"), closed_on=today, note="", by=ot
        )


# register_homecoming


def test_register_homecoming_makes_a_decided_episode_active(
    case_officer: Staff, now: datetime.datetime
) -> None:
    episode = decided_episode(by=case_officer)
    home_at = _at(datetime.date(2026, 3, 6), 14, 30)

    register_homecoming(episode=episode, home_at=home_at, by=case_officer)

    episode.refresh_from_db()
    assert (episode.status, episode.home_at) == ("active", home_at)
    assert _transitions(episode)[-1] == ("decided", "active", case_officer.pk, "")
    assert change_log("episode.homecoming_registered") == [
        (case_officer.pk, episode.person.pk, "case_handling", {"home_on": "2026-03-06"})
    ]


@pytest.mark.parametrize(
    "persona", ["care_worker", "rehab_assistant", "ot", "pt", "nurse", "coordinator"]
)
def test_team_staff_may_register_the_homecoming(
    persona: str, case_officer: Staff, request: pytest.FixtureRequest, now: datetime.datetime
) -> None:
    staff: Staff = request.getfixturevalue(persona)
    episode = decided_episode(by=case_officer)

    register_homecoming(episode=episode, home_at=now, by=staff)

    assert Episode.objects.get().status == "active"
    assert change_log("episode.homecoming_registered") == [
        (staff.pk, episode.person.pk, "care", {"home_on": "2026-03-10"})
    ]


@pytest.mark.parametrize("persona", ["manager", "mas", "admin"])
def test_register_homecoming_is_refused_for_roles_outside_the_care_of_the_person(
    persona: str,
    case_officer: Staff,
    request: pytest.FixtureRequest,
    now: datetime.datetime,
    nothing_changes: NothingChanges,
) -> None:
    staff: Staff = request.getfixturevalue(persona)
    episode = decided_episode(by=case_officer)

    with nothing_changes(), pytest.raises(PermissionDenied):
        register_homecoming(episode=episode, home_at=now, by=staff)


def test_a_homecoming_just_after_midnight_on_the_first_day_of_the_decision_is_accepted(
    case_officer: Staff, now: datetime.datetime
) -> None:
    episode = decided_episode(by=case_officer)

    register_homecoming(
        episode=episode, home_at=_at(datetime.date(2026, 3, 6), 0, 30), by=case_officer
    )

    assert change_log("episode.homecoming_registered")[0][3] == {"home_on": "2026-03-06"}


def test_a_homecoming_on_the_last_day_of_the_decision_is_accepted(
    case_officer: Staff, now: datetime.datetime, today: datetime.date
) -> None:
    episode = decided_episode(by=case_officer, start_on=today - _days(13), end_on=today)

    register_homecoming(episode=episode, home_at=now, by=case_officer)

    assert Episode.objects.get().status == "active"


@pytest.mark.parametrize(
    ("start_on", "end_on", "home_at"),
    [
        pytest.param(
            datetime.date(2026, 3, 6),
            datetime.date(2026, 3, 19),
            _at(datetime.date(2026, 3, 5), 23, 59),
            id="the evening before the decision starts",
        ),
        pytest.param(
            datetime.date(2026, 2, 18),
            datetime.date(2026, 3, 3),
            _at(datetime.date(2026, 3, 4), 0, 1),
            id="the night after the decision ended",
        ),
    ],
)
def test_a_homecoming_outside_the_decision_period_is_refused(
    start_on: datetime.date,
    end_on: datetime.date,
    home_at: datetime.datetime,
    case_officer: Staff,
    now: datetime.datetime,
    nothing_changes: NothingChanges,
) -> None:
    episode = decided_episode(
        by=case_officer, start_on=start_on, end_on=end_on, follow_up_on=start_on
    )

    with nothing_changes(), pytest.raises(ValidationError) as error:
        register_homecoming(episode=episode, home_at=home_at, by=case_officer)

    assert error_codes(error.value) == {"home_at": ["home_outside_decision"]}
    assert Episode.objects.get().status == "decided"


def test_a_homecoming_now_is_accepted_and_one_minute_from_now_is_refused(
    case_officer: Staff, now: datetime.datetime, nothing_changes: NothingChanges
) -> None:
    later = decided_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        register_homecoming(
            episode=later, home_at=now + datetime.timedelta(minutes=1), by=case_officer
        )
    register_homecoming(episode=later, home_at=now, by=case_officer)

    assert error_codes(error.value) == {"home_at": ["future_date"]}
    assert Episode.objects.get().status == "active"


@pytest.mark.parametrize("state", ["referred", "active", "closed"])
def test_register_homecoming_is_refused_unless_the_episode_is_decided(
    state: str, case_officer: Staff, now: datetime.datetime, nothing_changes: NothingChanges
) -> None:
    if state == "referred":
        episode = referred_episode(by=case_officer)
    elif state == "active":
        episode = active_episode(by=case_officer)
    else:
        episode = referred_episode(by=case_officer)
        close_referral(
            episode=episode,
            reason=_reason("triage_green"),
            closed_on=now.date(),
            note="",
            by=case_officer,
        )

    with nothing_changes(), pytest.raises(ValidationError) as error:
        register_homecoming(episode=episode, home_at=now, by=case_officer)

    assert error_codes(error.value) == ["illegal_transition"]
    assert Episode.objects.get().status == state


# record_follow_up


def _follow_up(episode: Episode, by: Staff, **overrides: object) -> FollowUp:
    values: dict[str, object] = {
        "held_on": datetime.date(2026, 3, 9),
        "mode": FollowUp.Mode.DIGITAL,
        "participants": ["relative", "person", "case_officer"],
        "manages_now": "  Duschar själv med stöd. ",
        "outcome": FollowUp.Outcome.CONTINUE,
    }
    values.update(overrides)
    return record_follow_up(episode=episode, by=by, **values)  # type: ignore[arg-type]


def test_record_follow_up_stores_the_meeting_and_moves_the_episode_to_follow_up_held(
    case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer)

    follow_up = _follow_up(episode, case_officer)

    follow_up.refresh_from_db()
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
        datetime.date(2026, 3, 9),
        "digital",
        ["person", "case_officer", "relative"],
        "Duschar själv med stöd.",
        "continue",
        case_officer,
    )
    assert Episode.objects.get().status == "follow_up_held"
    assert _transitions(episode)[-1] == ("active", "follow_up_held", case_officer.pk, "continue")
    assert change_log("follow_up.recorded") == [
        (
            case_officer.pk,
            episode.person.pk,
            "case_handling",
            {"follow_up": str(follow_up.external_id), "outcome": "continue"},
        )
    ]


def test_a_second_follow_up_on_another_day_is_recorded(
    case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer)
    _follow_up(episode, case_officer, held_on=datetime.date(2026, 3, 9))

    _follow_up(episode, case_officer, held_on=today, outcome=FollowUp.Outcome.ADJUST_DECISION)

    assert list(FollowUp.objects.values_list("held_on", "outcome")) == [
        (datetime.date(2026, 3, 9), "continue"),
        (today, "adjust_decision"),
    ]
    assert _transitions(episode)[-1] == (
        "follow_up_held",
        "follow_up_held",
        case_officer.pk,
        "adjust_decision",
    )


def test_a_second_follow_up_on_the_same_day_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = active_episode(by=case_officer)
    _follow_up(episode, case_officer, held_on=today)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _follow_up(episode, case_officer, held_on=today)

    assert error_codes(error.value) == ["duplicate_follow_up"]


@pytest.mark.parametrize("participants", [[], ["person", "neighbour"], ["ot", ""]])
def test_record_follow_up_without_valid_participants_is_refused(
    participants: list[str],
    case_officer: Staff,
    today: datetime.date,
    nothing_changes: NothingChanges,
) -> None:
    episode = active_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _follow_up(episode, case_officer, participants=participants)

    assert error_codes(error.value) == {"participants": ["participants_required"]}
    assert Episode.objects.get().status == "active"


@pytest.mark.parametrize(("field", "value"), [("mode", "telepathic"), ("outcome", "maybe")])
def test_record_follow_up_with_an_unknown_mode_or_outcome_is_refused(
    field: str,
    value: str,
    case_officer: Staff,
    today: datetime.date,
    nothing_changes: NothingChanges,
) -> None:
    episode = active_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _follow_up(episode, case_officer, **{field: value})

    assert error_codes(error.value) == {field: ["invalid_choice"]}


def test_a_follow_up_on_the_homecoming_day_is_accepted(
    case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer, home_at=_at(datetime.date(2026, 3, 6), 23, 0))

    _follow_up(episode, case_officer, held_on=datetime.date(2026, 3, 6))

    assert Episode.objects.get().status == "follow_up_held"


@pytest.mark.parametrize(
    ("held_on", "code"),
    [(datetime.date(2026, 3, 5), "date_too_early"), (datetime.date(2026, 3, 11), "future_date")],
)
def test_a_follow_up_before_the_homecoming_or_in_the_future_is_refused(
    held_on: datetime.date,
    code: str,
    case_officer: Staff,
    today: datetime.date,
    nothing_changes: NothingChanges,
) -> None:
    episode = active_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _follow_up(episode, case_officer, held_on=held_on)

    assert error_codes(error.value) == {"held_on": [code]}


@pytest.mark.parametrize("state", ["referred", "decided", "closed", "ended"])
def test_record_follow_up_is_refused_unless_the_person_is_home(
    state: str, case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    if state == "referred":
        episode = referred_episode(by=case_officer)
    elif state == "decided":
        episode = decided_episode(by=case_officer)
    elif state == "closed":
        episode = referred_episode(by=case_officer)
        close_referral(
            episode=episode, reason=_reason("excluded"), closed_on=today, note="", by=case_officer
        )
    else:
        episode = active_episode(by=case_officer)
        end_episode(
            episode=episode, reason=_reason("readmitted"), ended_on=today, note="", by=case_officer
        )

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _follow_up(episode, case_officer, held_on=today)

    assert error_codes(error.value) == ["illegal_transition"]
    assert Episode.objects.get().status == state


def test_record_follow_up_is_refused_for_a_care_worker(
    case_officer: Staff, care_worker: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = active_episode(by=case_officer)

    with nothing_changes(), pytest.raises(PermissionDenied):
        _follow_up(episode, care_worker)


# end_episode


def test_end_episode_ends_it_and_terminates_a_decision_that_runs_past_the_end(
    case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer)

    end_episode(
        episode=episode,
        reason=_reason("no_further_need"),
        ended_on=today,
        note="Klarar sig.",
        by=case_officer,
    )

    episode.refresh_from_db()
    assert (episode.status, episode.ended_on, episode.end_reason) == (
        "ended",
        today,
        _reason("no_further_need"),
    )
    decision = Decision.objects.get()
    assert (decision.end_on, decision.terminated_on, decision.effective_end_on) == (
        datetime.date(2026, 3, 19),
        today,
        today,
    )
    assert _transitions(episode)[-1] == ("active", "ended", case_officer.pk, "Klarar sig.")
    assert change_log("episode.ended") == [
        (case_officer.pk, episode.person.pk, "case_handling", {"reason": "no_further_need"})
    ]


def test_end_episode_leaves_a_decision_that_ends_the_same_day_unterminated(
    case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer, start_on=today - _days(13), end_on=today)

    end_episode(
        episode=episode, reason=_reason("no_further_need"), ended_on=today, note="", by=case_officer
    )

    assert Decision.objects.values_list("end_on", "terminated_on").get() == (today, None)


def test_end_episode_after_a_follow_up_is_accepted(
    case_officer: Staff, today: datetime.date
) -> None:
    episode = followed_up_episode(by=case_officer)

    end_episode(
        episode=episode, reason=_reason("declined"), ended_on=today, note="", by=case_officer
    )

    assert _transitions(episode)[-1] == ("follow_up_held", "ended", case_officer.pk, "")


def test_a_decided_episode_can_end_before_the_homecoming_but_not_before_the_referral(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = decided_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        end_episode(
            episode=episode,
            reason=_reason("readmitted"),
            ended_on=datetime.date(2026, 3, 3),
            note="",
            by=case_officer,
        )
    end_episode(
        episode=episode,
        reason=_reason("readmitted"),
        ended_on=datetime.date(2026, 3, 4),
        note="",
        by=case_officer,
    )

    assert error_codes(error.value) == {"ended_on": ["date_too_early"]}
    assert Episode.objects.values_list("status", "ended_on").get() == (
        "ended",
        datetime.date(2026, 3, 4),
    )


def test_end_episode_with_the_handover_reason_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = followed_up_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        end_episode(
            episode=episode, reason=_reason("handover"), ended_on=today, note="", by=case_officer
        )

    assert error_codes(error.value) == {"reason": ["handover_needs_plan"]}
    assert Episode.objects.get().status == "follow_up_held"


def test_end_episode_with_a_reason_for_closing_a_referral_is_refused(
    case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = active_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        end_episode(
            episode=episode,
            reason=_reason("triage_green"),
            ended_on=today,
            note="",
            by=case_officer,
        )

    assert error_codes(error.value) == {"reason": ["invalid_reason"]}


@pytest.mark.parametrize(
    ("ended_on", "code"),
    [(datetime.date(2026, 3, 5), "date_too_early"), (datetime.date(2026, 3, 11), "future_date")],
)
def test_end_episode_before_the_homecoming_or_in_the_future_is_refused(
    ended_on: datetime.date,
    code: str,
    case_officer: Staff,
    today: datetime.date,
    nothing_changes: NothingChanges,
) -> None:
    episode = active_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        end_episode(
            episode=episode, reason=_reason("moved"), ended_on=ended_on, note="", by=case_officer
        )

    assert error_codes(error.value) == {"ended_on": [code]}
    assert Decision.objects.get().terminated_on is None


def test_end_episode_on_the_homecoming_day_is_accepted(
    case_officer: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer)

    end_episode(
        episode=episode,
        reason=_reason("deceased"),
        ended_on=datetime.date(2026, 3, 6),
        note="",
        by=case_officer,
    )

    assert Decision.objects.get().terminated_on == datetime.date(2026, 3, 6)


@pytest.mark.parametrize("state", ["referred", "ended"])
def test_end_episode_is_refused_for_a_referral_and_for_an_ended_episode(
    state: str, case_officer: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    if state == "referred":
        episode = referred_episode(by=case_officer)
    else:
        episode = active_episode(by=case_officer)
        end_episode(
            episode=episode, reason=_reason("moved"), ended_on=today, note="", by=case_officer
        )

    with nothing_changes(), pytest.raises(ValidationError) as error:
        end_episode(
            episode=episode, reason=_reason("moved"), ended_on=today, note="", by=case_officer
        )

    assert error_codes(error.value) == ["illegal_transition"]
    assert Episode.objects.get().status == state


def test_end_episode_is_refused_for_a_nurse(
    case_officer: Staff, nurse: Staff, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = active_episode(by=case_officer)

    with nothing_changes(), pytest.raises(PermissionDenied):
        end_episode(episode=episode, reason=_reason("moved"), ended_on=today, note="", by=nurse)


# hand_over_episode

SERVICES = [
    ServiceDetails(
        what=" Frukost ",
        how="Personen bre smörgåsen själv; personalen handleder.",
        when="Dagligen 08:00",
    ),
    ServiceDetails(what="", how="", when=""),
    ServiceDetails(what="Dusch", how="Sitter på duschpall, tvättar sig själv.", when="Tisdagar"),
]


def _hand_over(episode: Episode, by: Staff, **overrides: object) -> ImplementationPlan:
    values: dict[str, object] = {
        "reason": _reason("handover"),
        "ended_on": datetime.date(2026, 3, 10),
        "remaining_needs": " Stöd vid frukost och dusch. ",
        "goals_to_maintain": "Klä sig själv.",
        "contacts": "Arbetsterapeut Rehabenheten",
        "services": SERVICES,
    }
    values.update(overrides)
    if "receiving_team" not in values:
        values["receiving_team"] = Team.objects.get(name="Hemtjänstgrupp B")
    return hand_over_episode(episode=episode, by=by, **values)  # type: ignore[arg-type]


def test_hand_over_episode_writes_the_implementation_plan_and_ends_the_episode(
    case_officer: Staff, home_care_b: Team, unit: Team, today: datetime.date
) -> None:
    episode = followed_up_episode(by=case_officer)

    plan = _hand_over(episode, case_officer)

    plan.refresh_from_db()
    assert (
        plan.episode,
        plan.receiving_team,
        plan.remaining_needs,
        plan.goals_to_maintain,
        plan.contacts,
        plan.written_by,
    ) == (
        episode,
        home_care_b,
        "Stöd vid frukost och dusch.",
        "Klä sig själv.",
        "Arbetsterapeut Rehabenheten",
        case_officer,
    )
    assert list(PlannedService.objects.values_list("plan", "order", "what", "how", "when")) == [
        (
            plan.pk,
            0,
            "Frukost",
            "Personen bre smörgåsen själv; personalen handleder.",
            "Dagligen 08:00",
        ),
        (plan.pk, 1, "Dusch", "Sitter på duschpall, tvättar sig själv.", "Tisdagar"),
    ]
    episode.refresh_from_db()
    assert (episode.status, episode.ended_on, episode.end_reason) == (
        "ended",
        today,
        _reason("handover"),
    )
    assert home_care_b in episode.teams.all()
    assert Decision.objects.get().terminated_on == today
    assert _transitions(episode)[-1] == ("follow_up_held", "ended", case_officer.pk, "")
    assert change_log("episode.handed_over") == [
        (
            case_officer.pk,
            episode.person.pk,
            "case_handling",
            {"plan": str(plan.external_id), "receiving_team": str(home_care_b.external_id)},
        )
    ]


@pytest.mark.parametrize("state", ["decided", "active"])
def test_hand_over_episode_is_refused_before_a_follow_up(
    state: str,
    case_officer: Staff,
    home_care_b: Team,
    today: datetime.date,
    nothing_changes: NothingChanges,
) -> None:
    episode = (decided_episode if state == "decided" else active_episode)(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _hand_over(episode, case_officer)

    assert error_codes(error.value) == ["handover_needs_follow_up"]
    assert Episode.objects.get().status == state


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("no_further_need", {"reason": ["not_handover"]}),
        ("excluded", {"reason": ["invalid_reason"]}),
    ],
)
def test_hand_over_episode_needs_the_handover_reason(
    code: str,
    expected: dict[str, list[str]],
    case_officer: Staff,
    home_care_b: Team,
    today: datetime.date,
    nothing_changes: NothingChanges,
) -> None:
    episode = followed_up_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _hand_over(episode, case_officer, reason=_reason(code))

    assert error_codes(error.value) == expected


@pytest.mark.parametrize("team", ["reablement_team", "rehab_team", "unit"])
def test_hand_over_episode_to_a_team_that_is_not_home_care_is_refused(
    team: str,
    case_officer: Staff,
    request: pytest.FixtureRequest,
    today: datetime.date,
    nothing_changes: NothingChanges,
) -> None:
    episode = followed_up_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _hand_over(episode, case_officer, receiving_team=request.getfixturevalue(team))

    assert error_codes(error.value) == {"receiving_team": ["not_home_care"]}


@pytest.mark.parametrize(
    "services", [[], [ServiceDetails(what="  ", how="Något", when="Dagligen")]]
)
def test_hand_over_episode_without_a_service_is_refused(
    services: list[ServiceDetails],
    case_officer: Staff,
    home_care_b: Team,
    today: datetime.date,
    nothing_changes: NothingChanges,
) -> None:
    episode = followed_up_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _hand_over(episode, case_officer, services=services)

    assert error_codes(error.value) == ["no_services"]


@pytest.mark.parametrize(
    ("ended_on", "code"),
    [(datetime.date(2026, 3, 5), "date_too_early"), (datetime.date(2026, 3, 11), "future_date")],
)
def test_hand_over_episode_before_the_homecoming_or_in_the_future_is_refused(
    ended_on: datetime.date,
    code: str,
    case_officer: Staff,
    home_care_b: Team,
    today: datetime.date,
    nothing_changes: NothingChanges,
) -> None:
    episode = followed_up_episode(by=case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _hand_over(episode, case_officer, ended_on=ended_on)

    assert error_codes(error.value) == {"ended_on": [code]}


def test_handing_over_twice_is_refused_the_second_time(
    case_officer: Staff, home_care_b: Team, today: datetime.date, nothing_changes: NothingChanges
) -> None:
    episode = followed_up_episode(by=case_officer)
    _hand_over(episode, case_officer)

    with nothing_changes(), pytest.raises(ValidationError) as error:
        _hand_over(episode, case_officer)

    assert error_codes(error.value) == ["illegal_transition"]
    assert ImplementationPlan.objects.count() == 1


def test_hand_over_episode_is_refused_for_a_coordinator(
    case_officer: Staff,
    coordinator: Staff,
    home_care_b: Team,
    today: datetime.date,
    nothing_changes: NothingChanges,
) -> None:
    episode = followed_up_episode(by=case_officer)

    with nothing_changes(), pytest.raises(PermissionDenied):
        _hand_over(episode, coordinator)
