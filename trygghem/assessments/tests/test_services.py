"""Recording assessments. The clock is frozen at 2026-03-10 10:00 (Stockholm); the factories'
active episode came home on 2026-03-06 with a decision 03-06..03-19."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tests.assertions import change_log, database_state, error_codes
from tests.factories import active_episode, decided_episode, referred_episode
from trygghem.assessments.models import Assessment, Instrument
from trygghem.assessments.services import record_assessment
from trygghem.episodes.models import EndReason, Episode
from trygghem.episodes.services import end_episode
from trygghem.staff.models import Staff, Team

pytestmark = pytest.mark.django_db

KATZ = ["bathing", "dressing", "toileting", "transferring", "continence", "feeding"]


def instrument(code: str) -> Instrument:
    return Instrument.objects.get(code=code, version=1)


def copm(*problems: tuple[str, int, int, int]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for n, (text, importance, performance, satisfaction) in enumerate(problems, start=1):
        answers |= {
            f"problem_{n}": text,
            f"importance_{n}": importance,
            f"performance_{n}": performance,
            f"satisfaction_{n}": satisfaction,
        }
    return answers


def record(
    episode: Episode,
    by: Staff,
    code: str = "safety_vas",
    answers: dict[str, Any] | None = None,
    occasion: str = "baseline",
    day: datetime.date = datetime.date(2026, 3, 7),
) -> Assessment:
    return record_assessment(
        episode=episode,
        instrument=instrument(code),
        occasion=occasion,
        assessed_on=day,
        answers={"safety": 40} if answers is None else answers,
        by=by,
    )


@contextmanager
def nothing_changes() -> Iterator[None]:
    """A refusal leaves the record, the assessments and the change log exactly as they were."""

    def state() -> dict[str, Any]:
        return database_state() | {
            "assessments": list(Assessment.objects.order_by("pk").values()),
        }

    before = state()
    yield
    assert state() == before


@pytest.fixture
def episode(case_officer: Staff, today: datetime.date) -> Episode:
    return active_episode(by=case_officer)


def test_record_assessment_stores_the_answers_and_the_computed_scores(
    episode: Episode, ot: Staff
) -> None:
    answers = dict.fromkeys(KATZ, "0") | {"bathing": "1", "dressing": "1"}

    assessment = record(episode, ot, "katz_adl", answers)

    assert (assessment.person, assessment.instrument_code, assessment.assessed_by) == (
        episode.person,
        "katz_adl",
        ot,
    )
    assert assessment.answers == dict.fromkeys(KATZ, 0) | {"bathing": 1, "dressing": 1}
    assert assessment.scores == {"grade": "C", "dependent_count": 2}
    assert change_log("assessment.recorded") == [
        (
            ot.pk,
            episode.person_id,
            "care",
            {
                "assessment": str(assessment.external_id),
                "instrument": "katz_adl",
                "version": 1,
                "occasion": "baseline",
            },
        )
    ]


def test_a_pt_records_sppb_from_the_raw_times(episode: Episode, pt: Staff) -> None:
    answers = {"side_by_side": "10", "semi_tandem": "10", "tandem": "10", "gait_4m": "4.50",
               "chair_stands": "unable"}  # fmt: skip

    assessment = record(episode, pt, "sppb", answers)

    assert assessment.scores == {"balance": 4, "gait": 4, "chair_stands": 0, "total": 8}


@pytest.mark.parametrize(
    "persona", ["case_officer", "nurse", "rehab_assistant", "care_worker", "coordinator", "manager"]
)
def test_only_ot_and_pt_record_assessments(
    persona: str, episode: Episode, request: pytest.FixtureRequest
) -> None:
    staff: Staff = request.getfixturevalue(persona)

    with nothing_changes(), pytest.raises(PermissionDenied):
        record(episode, staff)


@pytest.mark.parametrize(
    ("answers", "errors"),
    [
        ({"safety": 101}, {"safety": ["out_of_range"]}),
        ({}, {"safety": ["item_required"]}),
    ],
)
def test_a_value_outside_its_scale_or_a_missing_item_is_refused(
    episode: Episode, ot: Staff, answers: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    with nothing_changes(), pytest.raises(ValidationError) as refused:
        record(episode, ot, answers=answers)

    assert error_codes(refused.value) == errors


def test_the_same_instrument_and_occasion_twice_is_refused(episode: Episode, ot: Staff) -> None:
    record(episode, ot)

    with nothing_changes(), translation.override("en"), pytest.raises(ValidationError) as refused:
        record(episode, ot, answers={"safety": 70})

    assert error_codes(refused.value) == ["duplicate_assessment"]
    assert refused.value.messages == [
        "Perceived safety (VAS) is already recorded for this occasion."
    ]


def test_a_copm_re_assessment_rates_the_baseline_problems(episode: Episode, ot: Staff) -> None:
    record(episode, ot, "copm", copm(("Duscha själv", 9, 3, 2), ("Laga frukost", 8, 4, 4)))

    end = record(
        episode,
        ot,
        "copm",
        copm(("Laga frukost", 8, 7, 7), ("Duscha själv", 9, 5, 4)),
        occasion="end",
        day=datetime.date(2026, 3, 10),
    )

    assert end.scores == {"problems": 2, "performance": 6.0, "satisfaction": 5.5}


def test_a_copm_re_assessment_on_other_problems_is_refused(episode: Episode, ot: Staff) -> None:
    record(episode, ot, "copm", copm(("Duscha själv", 9, 3, 2), ("Laga frukost", 8, 4, 4)))

    with nothing_changes(), pytest.raises(ValidationError) as refused:
        record(episode, ot, "copm", copm(("Duscha själv", 9, 5, 4)), occasion="follow_up")

    assert error_codes(refused.value) == ["copm_problems_differ"]


def test_a_copm_re_assessment_without_a_baseline_is_refused(episode: Episode, ot: Staff) -> None:
    with nothing_changes(), pytest.raises(ValidationError) as refused:
        record(episode, ot, "copm", copm(("Duscha själv", 9, 5, 4)), occasion="end")

    assert error_codes(refused.value) == ["copm_needs_baseline"]


@pytest.mark.parametrize(
    ("occasion", "day", "code"),
    [
        ("baseline", datetime.date(2026, 3, 5), "before_episode"),
        ("baseline", datetime.date(2026, 3, 11), "future_date"),
        ("plus_3_months", datetime.date(2026, 3, 10), "episode_not_ended"),
    ],
)
def test_an_assessment_dated_outside_the_episode_is_refused(
    episode: Episode, ot: Staff, occasion: str, day: datetime.date, code: str
) -> None:
    with nothing_changes(), pytest.raises(ValidationError) as refused:
        record(episode, ot, occasion=occasion, day=day)

    assert error_codes(refused.value) == {"assessed_on": [code]}


def test_an_ended_episode_is_assessed_up_to_its_end_and_later_within_the_window(
    episode: Episode, ot: Staff, case_officer: Staff
) -> None:
    end_episode(
        episode=episode,
        reason=EndReason.objects.get(code="no_further_need"),
        ended_on=datetime.date(2026, 3, 8),
        note="",
        by=case_officer,
    )
    record(episode, ot, occasion="end", day=datetime.date(2026, 3, 8))

    with nothing_changes(), pytest.raises(ValidationError) as refused:
        record(episode, ot, occasion="follow_up", day=datetime.date(2026, 3, 9))

    assert error_codes(refused.value) == {"assessed_on": ["after_episode"]}


def test_a_decided_episode_is_assessed_from_the_decision_start(
    case_officer: Staff, ot: Staff, today: datetime.date
) -> None:
    episode = decided_episode(by=case_officer)

    assessment = record(episode, ot, day=datetime.date(2026, 3, 6))

    assert assessment.assessed_on == datetime.date(2026, 3, 6)


def test_a_referred_episode_cannot_be_assessed(
    case_officer: Staff, ot: Staff, today: datetime.date
) -> None:
    episode = referred_episode(by=case_officer)
    episode.teams.add(*ot.teams.all())

    with nothing_changes(), pytest.raises(ValidationError) as refused:
        record(episode, ot)

    assert error_codes(refused.value) == ["episode_not_started"]


def test_an_unknown_occasion_is_refused(episode: Episode, ot: Staff) -> None:
    with nothing_changes(), pytest.raises(ValidationError) as refused:
        record(episode, ot, occasion="whenever")

    assert error_codes(refused.value) == {"occasion": ["invalid_choice"]}


def test_fim_is_for_licensed_teams_only(episode: Episode, ot: Staff, rehab_team: Team) -> None:
    answers = dict.fromkeys([item["code"] for item in instrument("fim").definition["items"]], "5")
    with nothing_changes(), pytest.raises(ValidationError) as refused:
        record(episode, ot, "fim", answers)
    assert error_codes(refused.value) == {"instrument": ["not_licensed"]}

    instrument("fim").licensed_teams.add(rehab_team)
    assessment = record(episode, ot, "fim", answers)

    assert assessment.scores == {"motor": 65, "cognitive": 25, "total": 90}


def test_an_inactive_instrument_is_refused(episode: Episode, ot: Staff) -> None:
    Instrument.objects.filter(code="safety_vas").update(active=False)

    with nothing_changes(), pytest.raises(ValidationError) as refused:
        record(episode, ot)

    assert error_codes(refused.value) == {"instrument": ["inactive_instrument"]}
