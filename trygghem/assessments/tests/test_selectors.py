import datetime

import pytest
from django.utils import translation

from tests.factories import active_episode
from trygghem.assessments import rules, selectors
from trygghem.assessments.models import Assessment, Instrument
from trygghem.assessments.services import record_assessment
from trygghem.staff.models import Staff, Team

pytestmark = pytest.mark.django_db


def _instrument(code: str) -> Instrument:
    return Instrument.objects.get(code=code, version=1)


def test_instruments_for_gives_the_newest_version_and_fim_only_to_licensed_teams(
    ot: Staff, rehab_team: Team
) -> None:
    vas = _instrument("safety_vas")
    newer = Instrument.objects.create(
        code="safety_vas", version=2, name=vas.name, definition=vas.definition
    )

    codes = [(i.code, i.version) for i in selectors.instruments_for(staff=ot)]
    assert ("safety_vas", 2) in codes
    assert ("safety_vas", 1) not in codes
    assert "fim" not in {code for code, _version in codes}

    _instrument("fim").licensed_teams.add(rehab_team)
    assert "fim" in {i.code for i in selectors.instruments_for(staff=ot)}
    assert selectors.may_use(instrument=newer, staff=ot) is True


def test_score_rows_name_the_scores_that_cannot_be_classified() -> None:
    staircase = _instrument("adl_staircase")
    scores: dict[str, object] = {
        "dependent": [],
        "katz_grade": rules.KATZ_OTHER,
        "step": None,
        "sum_score": 4,
        "pain": 3,
    }

    with translation.override("en"):
        rows = selectors.score_rows(instrument=staircase, scores=scores)

    assert [(row.label, row.value) for row in rows] == [
        ("Staircase step (0-10)", "Not classifiable (the pattern breaks the hierarchy)"),
        ("Katz grade", "Other (not classifiable)"),
        ("Dependent in", "None"),
        ("Sum score (0-30)", "4"),
        ("pain", "3"),
    ]


def test_answer_rows_show_unable_and_leave_out_items_not_answered() -> None:
    answers = {"side_by_side": "10.00", "gait_4m": "unable", "chair_stands": "12.50"}

    with translation.override("en"):
        rows = selectors.answer_rows(instrument=_instrument("sppb"), answers=answers)

    assert [(row.label, row.value) for row in rows] == [
        ("Balance: side-by-side stand, seconds held", "10.00"),
        ("4 m gait, seconds", "Unable to do it"),
        ("Five chair stands, seconds", "12.50"),
    ]


def test_a_trajectory_says_whether_a_change_is_better_worse_or_unchanged(
    case_officer: Staff, ot: Staff, today: datetime.date
) -> None:
    episode = active_episode(by=case_officer)
    for occasion, day, levels in [
        ("baseline", 6, {"cleaning": 3, "bathing": 2}),
        ("end", 10, {"cleaning": 3, "bathing": 3, "feeding": 2}),
    ]:
        record_assessment(
            episode=episode,
            instrument=_instrument("adl_staircase"),
            occasion=occasion,
            assessed_on=datetime.date(2026, 3, day),
            answers=dict.fromkeys(rules.STAIRCASE_HIERARCHY, 0) | levels,
            by=ot,
        )
    record_assessment(
        episode=episode,
        instrument=_instrument("safety_vas"),
        occasion=Assessment.Occasion.FOLLOW_UP,
        assessed_on=today,
        answers={"safety": 50},
        by=ot,
    )

    with translation.override("en"):
        staircase, safety = selectors.trajectories(episode=episode)

    assert [(c.label, c.change, c.direction) for c in staircase.changes] == [
        ("Activities with dependence", "+1", "worse"),
        ("Sum score", "+3", "worse"),
    ]
    assert safety.changes == []  # no baseline: nothing to compare with
    assert [(p.x, p.y) for p in safety.series[0].points] == [(194.0, 78.0)]
    assert selectors._direction(0, "higher") == "unchanged"
    assert (str(staircase.rows[0].assessment), str(_instrument("copm"))) == (
        "adl_staircase baseline 2026-03-06",
        "COPM (v1)",
    )
