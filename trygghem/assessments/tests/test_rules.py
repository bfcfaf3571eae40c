"""Scoring and date rules, exhaustively: every Katz grade, the staircase rules, COPM change,
each SPPB cut-off on both sides of its boundary, and the windows of the occasions."""

import copy
import datetime
import importlib
import itertools
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.assertions import error_codes
from trygghem.assessments import rules

KATZ = rules.KATZ_ITEMS
SEEDED = importlib.import_module("trygghem.assessments.migrations.0002_instruments").INSTRUMENTS


def _definition(code: str) -> dict[str, Any]:
    """A fresh copy of the definition the data migration seeds."""
    spec = next(spec for spec in SEEDED if spec["code"] == code)
    return copy.deepcopy(spec["definition"])


# Katz grade


@pytest.mark.parametrize(
    ("dependent", "grade"),
    [
        (set(), "A"),
        ({"bathing"}, "B"),
        ({"feeding"}, "B"),
        ({"bathing", "feeding"}, "C"),
        ({"bathing", "continence"}, "C"),
        ({"bathing", "dressing", "transferring"}, "D"),
        ({"bathing", "dressing", "toileting"}, "D"),
        ({"bathing", "dressing", "toileting", "continence"}, "E"),
        ({"bathing", "dressing", "toileting", "transferring", "feeding"}, "F"),
        ({"bathing", "dressing", "toileting", "transferring", "continence"}, "F"),
        (set(KATZ), "G"),
        ({"dressing", "feeding"}, "Other"),
        ({"toileting", "transferring"}, "Other"),
        ({"bathing", "toileting", "feeding"}, "Other"),
        ({"dressing", "toileting", "transferring", "continence"}, "Other"),
        ({"bathing", "dressing", "toileting", "continence", "feeding"}, "Other"),
    ],
)
def test_katz_grade_follows_the_standard_definition(dependent: set[str], grade: str) -> None:
    assert rules.katz_grade(dependent) == grade


def test_katz_grade_over_all_64_patterns_gives_each_grade_as_often_as_the_definition_says() -> None:
    patterns = itertools.chain.from_iterable(
        itertools.combinations(KATZ, n) for n in range(len(KATZ) + 1)
    )
    grades = Counter(rules.katz_grade(set(pattern)) for pattern in patterns)

    assert grades == {"A": 1, "B": 6, "C": 5, "D": 4, "E": 3, "F": 2, "G": 1, "Other": 42}


def test_score_katz_gives_the_grade_and_the_number_of_activities_with_dependence() -> None:
    answers = dict.fromkeys(KATZ, 0) | {"bathing": 1, "dressing": 1}

    scores = rules.score_katz(answers, _definition("katz_adl"))

    assert scores == {"grade": "C", "dependent_count": 2}


# ADL staircase


@pytest.mark.parametrize(("level", "dependent"), [(0, False), (1, False), (2, True), (3, True)])
def test_by_default_partly_dependent_and_dependent_count_as_dependence(
    level: int, dependent: bool
) -> None:
    assert rules.is_dependent(level, dependent_from_level=2) is dependent


def test_the_cut_is_configurable() -> None:
    assert [rules.is_dependent(level, dependent_from_level=1) for level in range(4)] == [
        False,
        True,
        True,
        True,
    ]


@pytest.mark.parametrize("step", range(11))
def test_dependence_in_the_first_n_activities_of_the_hierarchy_is_step_n(step: int) -> None:
    dependent = rules.STAIRCASE_HIERARCHY[:step]

    assert rules.staircase_step(dependent, rule=rules.STRICT) == step
    assert rules.staircase_step(dependent, rule=rules.COUNT) == step


def test_a_pattern_that_breaks_the_hierarchy_has_no_strict_step_but_a_counted_one() -> None:
    dependent = {"cleaning", "bathing"}  # bathing before shopping breaks the order

    assert rules.staircase_step(dependent, rule=rules.STRICT) is None
    assert rules.staircase_step(dependent, rule=rules.COUNT) == 2


def test_the_hierarchy_is_configurable() -> None:
    hierarchy = ("shopping", "cleaning", *rules.KATZ_ITEMS)

    assert rules.staircase_step({"shopping"}, hierarchy=hierarchy, rule=rules.STRICT) == 1
    assert rules.staircase_step({"cleaning"}, hierarchy=hierarchy, rule=rules.STRICT) is None


def test_an_unknown_staircase_rule_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown staircase rule"):
        rules.staircase_step(set(), rule="loose")


def _staircase(**levels: int) -> dict[str, int]:
    return dict.fromkeys(rules.STAIRCASE_HIERARCHY, 0) | levels


def test_score_adl_staircase_derives_every_score_from_the_four_level_answers() -> None:
    answers = _staircase(cleaning=3, shopping=2, transport=2, cooking=1, bathing=1, dressing=1)

    assert rules.score_adl_staircase(answers, _definition("adl_staircase")) == {
        "dependent": ["cleaning", "shopping", "transport"],
        "katz_grade": "A",
        "katz_dependent_count": 0,
        "iadl_dependent_count": 3,
        "dependent_count": 3,
        "sum_score": 10,
        "step": 3,
    }


def test_score_adl_staircase_gives_the_katz_grade_of_the_p_adl_activities() -> None:
    answers = _staircase(cleaning=3, shopping=3, transport=3, cooking=3, bathing=2, feeding=3)

    scores = rules.score_adl_staircase(answers, _definition("adl_staircase"))

    assert (scores["katz_grade"], scores["katz_dependent_count"], scores["step"]) == ("C", 2, None)
    assert scores["sum_score"] == 17


def test_score_adl_staircase_follows_the_configured_cut_and_rule() -> None:
    definition = _definition("adl_staircase")
    definition["config"] = {"dependent_from_level": 1, "rule": "count"}
    answers = _staircase(cleaning=1, feeding=1)

    scores = rules.score_adl_staircase(answers, definition)

    assert (scores["dependent"], scores["step"], scores["katz_grade"]) == (
        ["cleaning", "feeding"],
        2,
        "B",
    )


# COPM


def _copm(*problems: tuple[str, int, int, int]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for n, (text, importance, performance, satisfaction) in enumerate(problems, start=1):
        answers |= {
            f"problem_{n}": text,
            f"importance_{n}": importance,
            f"performance_{n}": performance,
            f"satisfaction_{n}": satisfaction,
        }
    return answers


def test_copm_scores_are_the_means_over_the_problems() -> None:
    answers = _copm(("Duscha själv", 9, 3, 2), ("Laga frukost", 8, 4, 4), ("Handla", 7, 4, 3))

    assert rules.score_copm(answers, _definition("copm")) == {
        "problems": 3,
        "performance": 3.67,
        "satisfaction": 3.0,
    }


def test_copm_change_of_two_or_more_is_clinically_important() -> None:
    baseline = _copm(("Duscha själv", 9, 3, 2), ("Laga frukost", 8, 4, 4))
    end = _copm(("Laga frukost", 8, 6, 7), ("duscha  själv", 9, 5, 3))

    changes = rules.copm_change(baseline, end)

    assert changes == [
        rules.Change("performance", 3.5, 5.5, 2.0, True),
        rules.Change("satisfaction", 3.0, 5.0, 2.0, True),
    ]


def test_copm_change_under_two_is_not_clinically_important_and_a_fall_of_two_is() -> None:
    baseline = _copm(("Duscha själv", 9, 5, 6), ("Laga frukost", 8, 5, 6))
    later = _copm(("Duscha själv", 9, 6, 4), ("Laga frukost", 8, 5, 4))

    assert rules.copm_change(baseline, later) == [
        rules.Change("performance", 5.0, 5.5, 0.5, False),
        rules.Change("satisfaction", 6.0, 4.0, -2.0, True),
    ]


def test_copm_change_is_refused_on_other_problems() -> None:
    baseline = _copm(("Duscha själv", 9, 3, 2), ("Laga frukost", 8, 4, 4))

    with pytest.raises(ValidationError) as refused:
        rules.copm_change(baseline, _copm(("Duscha själv", 9, 5, 5)))

    assert error_codes(refused.value) == ["copm_problems_differ"]
    assert "Duscha själv; Laga frukost" in refused.value.messages[0]  # the baseline's problems


# Safety VAS, FIM


def test_safety_vas_is_the_value_marked() -> None:
    assert rules.score_vas({"safety": 65}, _definition("safety_vas")) == {"safety": 65}


def test_fim_sums_the_motor_and_cognitive_items() -> None:
    definition = _definition("fim")
    answers = {item["code"]: 7 if item["domain"] == "motor" else 3 for item in definition["items"]}

    assert rules.score_fim(answers, definition) == {"motor": 91, "cognitive": 15, "total": 106}
    lowest = dict.fromkeys(answers, 1)
    assert rules.score_fim(lowest, definition) == {"motor": 13, "cognitive": 5, "total": 18}


# SPPB


def _d(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@pytest.mark.parametrize(
    ("side", "semi", "tandem", "points"),
    [
        ("9.99", "10", "10", 0),
        ("0", None, None, 0),
        ("10", None, None, 1),
        ("10", "9.99", "10", 1),
        ("10", "10", None, 2),
        ("10", "10", "2.99", 2),
        ("10", "10", "3", 3),
        ("10", "10", "9.99", 3),
        ("10", "10", "10", 4),
    ],
)
def test_sppb_balance_points_at_each_boundary(
    side: str, semi: str | None, tandem: str | None, points: int
) -> None:
    assert rules.sppb_balance(Decimal(side), _d(semi), _d(tandem)) == points


@pytest.mark.parametrize(
    ("seconds", "points"),
    [
        (None, 0),
        ("30", 1),
        ("8.71", 1),
        ("8.70", 2),
        ("6.21", 2),
        ("6.20", 3),
        ("4.82", 3),
        ("4.81", 4),
        ("2", 4),
    ],
)
def test_sppb_gait_points_at_each_boundary(seconds: str | None, points: int) -> None:
    assert rules.sppb_gait(_d(seconds)) == points


@pytest.mark.parametrize(
    ("seconds", "points"),
    [
        (None, 0),
        ("60.01", 0),
        ("60", 1),
        ("16.70", 1),
        ("16.69", 2),
        ("13.70", 2),
        ("13.69", 3),
        ("11.20", 3),
        ("11.19", 4),
        ("7", 4),
    ],
)
def test_sppb_chair_stand_points_at_each_boundary(seconds: str | None, points: int) -> None:
    assert rules.sppb_chair_stands(_d(seconds)) == points


def test_score_sppb_adds_the_three_parts_from_the_raw_times() -> None:
    answers = {"side_by_side": "10", "semi_tandem": "10", "tandem": "4.5", "gait_4m": "5.10",
               "chair_stands": "14.00"}  # fmt: skip

    assert rules.score_sppb(answers, _definition("sppb")) == {
        "balance": 3,
        "gait": 3,
        "chair_stands": 2,
        "total": 8,
    }
    unable = {"side_by_side": "3", "gait_4m": "unable", "chair_stands": "unable"}
    assert rules.score_sppb(unable, _definition("sppb"))["total"] == 0


def test_compute_scores_uses_the_scorer_the_definition_names() -> None:
    assert rules.compute_scores(_definition("safety_vas"), {"safety": 40}) == {"safety": 40}


# Validating answers


def test_validate_answers_cleans_every_kind_of_item() -> None:
    sppb = rules.validate_answers(
        _definition("sppb"),
        {"side_by_side": "10", "semi_tandem": "", "gait_4m": "5.1", "chair_stands": "unable"},
    )
    copm = rules.validate_answers(
        _definition("copm"),
        {
            "problem_1": " Duscha själv ",
            "importance_1": "9",
            "performance_1": 3,
            "satisfaction_1": "2",
            "problem_2": "",
        },
    )
    katz = rules.validate_answers(_definition("katz_adl"), dict.fromkeys(KATZ, "0"))

    assert sppb == {"side_by_side": "10.00", "gait_4m": "5.10", "chair_stands": "unable"}
    assert copm == {"problem_1": "Duscha själv", "importance_1": 9, "performance_1": 3,
                    "satisfaction_1": 2}  # fmt: skip
    assert katz == dict.fromkeys(KATZ, 0)


@pytest.mark.parametrize(
    ("code", "answers", "errors"),
    [
        ("safety_vas", {"safety": "101"}, {"safety": ["out_of_range"]}),
        ("safety_vas", {"safety": "-1"}, {"safety": ["out_of_range"]}),
        ("safety_vas", {"safety": "50.5"}, {"safety": ["out_of_range"]}),
        ("safety_vas", {"safety": "lots"}, {"safety": ["out_of_range"]}),
        ("safety_vas", {"safety": "1e40"}, {"safety": ["out_of_range"]}),
        ("safety_vas", {}, {"safety": ["item_required"]}),
        ("safety_vas", {"safety": " "}, {"safety": ["item_required"]}),
        ("sppb", {"side_by_side": "10.001", "gait_4m": "5", "chair_stands": "9"},
         {"side_by_side": ["out_of_range"]}),
        ("sppb", {"side_by_side": "unable", "gait_4m": "5", "chair_stands": "9"},
         {"side_by_side": ["out_of_range"]}),
        ("sppb", {"side_by_side": "10", "chair_stands": "9"}, {"gait_4m": ["item_required"]}),
        ("katz_adl", dict.fromkeys(KATZ, 0) | {"feeding": 2}, {"feeding": ["invalid_choice"]}),
        ("katz_adl", dict.fromkeys(KATZ, 0) | {"feeding": "0.5"}, {"feeding": ["invalid_choice"]}),
        ("katz_adl", dict.fromkeys(KATZ[:5], 0), {"feeding": ["item_required"]}),
        ("copm", {"problem_1": "Duscha", "importance_1": 9, "performance_1": 11,
                  "satisfaction_1": 2}, {"performance_1": ["out_of_range"]}),
        ("copm", {"problem_1": "Duscha", "importance_1": 9, "performance_1": 3},
         {"satisfaction_1": ["item_required"]}),
        ("copm", {"problem_1": "Duscha", "importance_1": 9, "performance_1": 3,
                  "satisfaction_1": 2, "importance_2": 5},
         {"problem_2": ["rating_without_problem"]}),
        ("copm", {}, {"problem_1": ["item_required"]}),
        ("copm", {"problem_1": "x" * 201, "importance_1": 9, "performance_1": 3,
                  "satisfaction_1": 2}, {"problem_1": ["too_long"]}),
    ],
)  # fmt: skip
def test_validate_answers_refuses_bad_input_naming_the_item(
    code: str, answers: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    with pytest.raises(ValidationError) as refused:
        rules.validate_answers(_definition(code), answers)

    assert error_codes(refused.value) == errors


def test_validate_answers_refuses_an_item_the_instrument_does_not_have() -> None:
    with pytest.raises(ValidationError) as refused:
        rules.validate_answers(_definition("safety_vas"), {"safety": 50, "pain": 3})

    assert error_codes(refused.value) == ["unknown_item"]


def test_a_refusal_names_the_item_in_words() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        rules.validate_answers(_definition("safety_vas"), {"safety": "120"})

    assert refused.value.messages == ["“How safe do you feel at home?” must be between 0 and 100."]


def test_summary_changes_compare_the_numeric_summary_scores_present_on_both_occasions() -> None:
    definition = _definition("sppb")
    definition["summary"].append({"key": "grade", "label": "Grade", "min": 0, "max": 1,
                                  "better": "higher"})  # fmt: skip
    baseline = {"answers": {}, "scores": {"total": 5, "grade": "B"}}
    end = {"answers": {}, "scores": {"total": 8.5, "grade": "A"}}

    assert rules.summary_changes(definition, baseline, end) == [
        rules.Change("total", 5, 8.5, 3.5, None)
    ]


# Dates


def _day(month: int, day: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, day)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (_day(1, 31), 1, _day(2, 28)),
        (_day(3, 10), 3, _day(6, 10)),
        (_day(11, 30), 3, _day(2, 28, 2027)),
        (_day(12, 15), 12, _day(12, 15, 2027)),
        (_day(2, 29, 2028), 12, _day(2, 28, 2029)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(
    day: datetime.date, months: int, expected: datetime.date
) -> None:
    assert rules.add_months(day, months) == expected


def _check(
    occasion: str, assessed_on: datetime.date, ended_on: datetime.date | None = None
) -> None:
    rules.check_assessment_date(
        occasion=occasion,
        assessed_on=assessed_on,
        started_on=_day(1, 10),
        ended_on=ended_on,
        today=_day(3, 10),
    )


def test_an_assessment_within_the_episode_is_allowed() -> None:
    _check("baseline", _day(1, 10))
    _check("end", _day(1, 24), ended_on=_day(1, 24))
    _check("follow_up", _day(3, 10))


@pytest.mark.parametrize(
    ("occasion", "assessed_on", "ended_on", "code"),
    [
        ("baseline", _day(1, 9), None, "before_episode"),
        ("end", _day(1, 25), _day(1, 24), "after_episode"),
        ("baseline", _day(3, 11), None, "future_date"),
        ("plus_3_months", _day(3, 10), None, "episode_not_ended"),
        ("plus_3_months", _day(1, 20), _day(1, 2), "outside_window"),
    ],
)
def test_an_assessment_dated_outside_the_episode_is_refused(
    occasion: str, assessed_on: datetime.date, ended_on: datetime.date | None, code: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _check(occasion, assessed_on, ended_on)

    assert error_codes(refused.value) == {"assessed_on": [code]}


def test_the_months_after_occasions_are_dated_within_30_days_of_their_target() -> None:
    ended = _day(11, 10, 2025)
    _check("plus_3_months", _day(2, 10), ended)  # target 2026-02-10
    _check("plus_3_months", _day(1, 11), ended)
    _check("plus_3_months", _day(3, 10), ended)
    with pytest.raises(ValidationError):
        _check("plus_3_months", _day(1, 10), ended)
    assert rules.after_episode_window("plus_12_months", ended) == (
        _day(10, 11),
        _day(11, 10),
        _day(12, 10),
    )


def test_an_episode_not_yet_started_cannot_be_assessed() -> None:
    with pytest.raises(ValidationError) as refused:
        rules.check_assessment_date(
            occasion="baseline",
            assessed_on=_day(3, 10),
            started_on=None,
            ended_on=None,
            today=_day(3, 10),
        )

    assert error_codes(refused.value) == ["episode_not_started"]


# Due occasions


def _due(**kwargs: Any) -> list[rules.Due]:
    values: dict[str, Any] = {
        "started_on": _day(3, 1),
        "ended_on": None,
        "decision_end_on": _day(3, 14),
        "done": set(),
        "today": _day(3, 10),
    }
    return rules.due_occasions(**values | kwargs)


def test_the_baseline_is_due_from_the_homecoming() -> None:
    assert _due() == [rules.Due("baseline", _day(3, 1))]
    assert _due(started_on=None) == []


def test_the_end_assessment_is_due_when_the_decision_ends_within_three_days() -> None:
    assert _due(done={"baseline"}) == []
    assert _due(done={"baseline"}, decision_end_on=_day(3, 13)) == [rules.Due("end", _day(3, 13))]
    assert _due(done={"baseline", "end"}, decision_end_on=_day(3, 13)) == []


def test_an_episode_that_ended_without_an_end_assessment_has_it_due_for_30_days() -> None:
    assert _due(done={"baseline"}, ended_on=_day(3, 5)) == [rules.Due("end", _day(3, 5))]
    assert _due(done={"baseline"}, ended_on=_day(2, 8)) == [rules.Due("end", _day(2, 8))]
    assert _due(done={"baseline"}, ended_on=_day(2, 7)) == []
    assert _due(ended_on=_day(3, 5)) == []  # never assessed: nothing to follow up


def test_the_months_after_assessments_are_due_while_their_window_is_open() -> None:
    ended = _day(12, 1, 2025)
    assert _due(started_on=_day(11, 20, 2025), ended_on=ended, done={"baseline", "end"}) == [
        rules.Due("plus_3_months", _day(3, 1))
    ]
    assert (
        _due(started_on=_day(11, 20, 2025), ended_on=ended, done={"baseline", "plus_3_months"})
        == []
    )
