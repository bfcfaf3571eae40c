"""Assessment instruments: validating answers against an instrument's definition, computing its
scores, and the dates an assessment may have. Pure: no ORM.

An instrument's `definition` (data, versioned with the instrument) is
`{"scoring": <scorer>, "config": {...}, "items": [...], "summary": [...]}`. Each item has a
`code`, a `label` (an English msgid, translated on display), a `kind` and `required`:
- `choice`: `choices` is a list of `[value, label]` with integer values;
- `integer`: whole numbers from `min` to `max`;
- `seconds`: a time in seconds from `min` to `max` (two decimals), or "unable" when
  `unable_allowed`; stored as a string ("8.25") so no float rounding creeps in;
- `text`: free text up to `max_length`.
An item with `with: <other item>` is answered exactly when the other item is (COPM's ratings
belong to a problem). `summary` lists the scores shown on the trajectory: `key`, `label`,
`min`, `max` and whether higher or lower is `better`.
"""

import datetime
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trygghem.assessments.models import Assessment

Occasion = Assessment.Occasion
Answers = Mapping[str, Any]
Scores = dict[str, Any]
UNABLE = "unable"


# Validating answers


def item_label(item: Mapping[str, Any]) -> str:
    """The item's label in the user's language; COPM's labels carry the problem's number."""
    label = _(str(item["label"]))
    return label % {"number": item["number"]} if "number" in item else label


def _error(item: Mapping[str, Any], message: str, code: str) -> ValidationError:
    return ValidationError({str(item["code"]): ValidationError(message, code=code)})


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_value(item: Mapping[str, Any], value: Any) -> Any:
    kind = item["kind"]
    label = item_label(item)
    if kind == "text":
        text = str(value).strip()
        if len(text) > int(item.get("max_length", 200)):
            raise _error(item, _("“%(item)s” is too long.") % {"item": label}, "too_long")
        return text
    if kind == "seconds" and item.get("unable_allowed") and value == UNABLE:
        return UNABLE
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if kind == "choice":
        values = [int(choice[0]) for choice in item["choices"]]
        if not number.is_finite() or number != number.to_integral_value() or number not in values:
            raise _error(
                item,
                _("Choose one of the listed answers for “%(item)s”.") % {"item": label},
                "invalid_choice",
            )
        return int(number)
    whole = kind == "integer"
    low, high = Decimal(str(item["min"])), Decimal(str(item["max"]))
    step = Decimal(1) if whole else Decimal("0.01")
    # Checked in this order: quantize() refuses a number far beyond the scale.
    if not (number.is_finite() and low <= number <= high and number == number.quantize(step)):
        raise _error(
            item,
            _("“%(item)s” must be between %(min)s and %(max)s.")
            % {"item": label, "min": item["min"], "max": item["max"]},
            "out_of_range",
        )
    return int(number) if whole else str(number.quantize(Decimal("0.01")))


def validate_answers(definition: Mapping[str, Any], answers: Answers) -> dict[str, Any]:
    """The answers checked against the instrument's items, keyed by item code: every required
    item answered, every value within its scale, nothing unknown. Blank optional items are left
    out. Refusals name the item, so a form shows them on its field."""
    items = {str(item["code"]): item for item in definition["items"]}
    unknown = sorted(set(answers) - set(items))
    if unknown:
        raise ValidationError(
            _("The answers name items the instrument does not have: %(items)s.")
            % {"items": ", ".join(unknown)},
            code="unknown_item",
        )
    cleaned: dict[str, Any] = {}
    for code, item in items.items():
        value = answers.get(code)
        if not _is_blank(value):
            cleaned[code] = _clean_value(item, value)
    for code, item in items.items():
        partner = item.get("with")
        if partner is not None:
            if code in cleaned and partner not in cleaned:
                raise _error(
                    items[partner],
                    _("Describe the problem before rating it."),
                    "rating_without_problem",
                )
            required = partner in cleaned
        else:
            required = bool(item.get("required"))
        if required and code not in cleaned:
            message = _("Answer “%(item)s”.") % {"item": item_label(item)}
            raise _error(item, message, "item_required")
    return cleaned


# Katz ADL index


KATZ_ITEMS = ("bathing", "dressing", "toileting", "transferring", "continence", "feeding")
# The grades C-F: dependent in exactly these activities plus one more (Katz et al. 1963).
_KATZ_CORES = (
    ("C", frozenset({"bathing"})),
    ("D", frozenset({"bathing", "dressing"})),
    ("E", frozenset({"bathing", "dressing", "toileting"})),
    ("F", frozenset({"bathing", "dressing", "toileting", "transferring"})),
)
KATZ_OTHER = "Other"


def katz_grade(dependent: Collection[str]) -> str:
    """The Katz ADL index (Katz et al., JAMA 1963;185:914-9) from the activities the person is
    dependent in: A independent in all six; B dependent in one; C in bathing and one more; D in
    bathing, dressing and one more; E in bathing, dressing, toileting and one more; F in
    bathing, dressing, toileting, transferring and one more; G in all six; "Other" dependent in
    at least two but not classifiable as C-F (e.g. only dressing and feeding)."""
    dependent = frozenset(dependent) & frozenset(KATZ_ITEMS)
    if not dependent:
        return "A"
    if len(dependent) == 1:
        return "B"
    if len(dependent) == len(KATZ_ITEMS):
        return "G"
    for grade, core in _KATZ_CORES:
        if core < dependent and len(dependent) == len(core) + 1:
            return grade
    return KATZ_OTHER


def score_katz(answers: Answers, definition: Mapping[str, Any]) -> Scores:
    """Katz ADL index: each activity 0 independent / 1 dependent."""
    dependent = [code for code in KATZ_ITEMS if answers[code] == 1]
    return {"grade": katz_grade(dependent), "dependent_count": len(dependent)}


# The ADL staircase (Katz extended with I-ADL)


IADL_ITEMS = ("cleaning", "shopping", "transport", "cooking")
STAIRCASE_HIERARCHY = (*IADL_ITEMS, *KATZ_ITEMS)
STRICT = "strict"
COUNT = "count"


def is_dependent(level: int, *, dependent_from_level: int) -> bool:
    """Dichotomise a 4-level answer (0 independent without difficulty, 1 independent with
    difficulty, 2 partly dependent, 3 dependent). Katz and Sonn & Åsberg count any help from
    another person as dependence, so by default levels 2 and 3 are dependent."""
    return level >= dependent_from_level


def staircase_step(
    dependent: Collection[str], *, hierarchy: Sequence[str] = STAIRCASE_HIERARCHY, rule: str
) -> int | None:
    """The step on the ADL staircase (Sonn U, Åsberg KH. Assessment of activities of daily
    living in the elderly. Scand J Rehabil Med 1991;23:193-202): steps 0-10 along the
    hierarchy cleaning, shopping, transport, cooking, bathing, dressing, toileting,
    transferring, continence, feeding — step n is dependence in exactly the first n.
    `strict` gives None for a pattern that breaks the hierarchy (not classifiable); `count`
    gives the number of activities with dependence whatever the pattern."""
    dependent = set(dependent) & set(hierarchy)
    if rule == COUNT:
        return len(dependent)
    if rule != STRICT:
        raise ValueError(f"unknown staircase rule {rule!r}")
    step = len(dependent)
    return step if dependent == set(hierarchy[:step]) else None


def score_adl_staircase(answers: Answers, definition: Mapping[str, Any]) -> Scores:
    """The ADL staircase: the dichotomous answers, the Katz grade of the six P-ADL activities,
    the I-ADL count (0-4), the number of activities with dependence (0-10), the sum of the
    4-level answers (0-30, lower is more independent) and the staircase step."""
    config = definition.get("config", {})
    cut = int(config.get("dependent_from_level", 2))
    hierarchy = tuple(config.get("hierarchy", STAIRCASE_HIERARCHY))
    dependent = [
        code for code in hierarchy if is_dependent(answers[code], dependent_from_level=cut)
    ]
    return {
        "dependent": dependent,
        "katz_grade": katz_grade(dependent),
        "katz_dependent_count": len(set(dependent) & set(KATZ_ITEMS)),
        "iadl_dependent_count": len(set(dependent) & set(IADL_ITEMS)),
        "dependent_count": len(dependent),
        "sum_score": sum(int(answers[code]) for code in hierarchy),
        "step": staircase_step(dependent, hierarchy=hierarchy, rule=config.get("rule", STRICT)),
    }


# COPM


COPM_MAX_PROBLEMS = 5
COPM_IMPORTANT_CHANGE = 2


@dataclass(frozen=True)
class CopmProblem:
    problem: str
    importance: int
    performance: int
    satisfaction: int

    @property
    def key(self) -> str:
        return " ".join(self.problem.split()).casefold()


def copm_problems(answers: Answers) -> list[CopmProblem]:
    return [
        CopmProblem(
            problem=answers[f"problem_{n}"],
            importance=int(answers[f"importance_{n}"]),
            performance=int(answers[f"performance_{n}"]),
            satisfaction=int(answers[f"satisfaction_{n}"]),
        )
        for n in range(1, COPM_MAX_PROBLEMS + 1)
        if f"problem_{n}" in answers
    ]


def _rounded(value: Fraction) -> float:
    return round(float(value), 2)


def score_copm(answers: Answers, definition: Mapping[str, Any]) -> Scores:
    """COPM (Law et al.): the performance and satisfaction scores are the means of the ratings
    (1-10) over the problems."""
    problems = copm_problems(answers)
    n = len(problems)
    return {
        "problems": n,
        "performance": _rounded(Fraction(sum(p.performance for p in problems), n)),
        "satisfaction": _rounded(Fraction(sum(p.satisfaction for p in problems), n)),
    }


def check_same_copm_problems(baseline: Answers, answers: Answers) -> None:
    """A COPM re-assessment rates the problems the person chose at baseline, no others: only
    then is the change meaningful."""
    before = sorted(p.key for p in copm_problems(baseline))
    after = sorted(p.key for p in copm_problems(answers))
    if before != after:
        raise ValidationError(
            _("A COPM re-assessment rates the same problems as the baseline: %(problems)s.")
            % {"problems": "; ".join(p.problem for p in copm_problems(baseline))},
            code="copm_problems_differ",
        )


@dataclass(frozen=True)
class Change:
    key: str
    baseline: float
    latest: float
    change: float
    clinically_important: bool | None


def copm_change(baseline: Answers, later: Answers) -> list[Change]:
    """The change in performance and satisfaction between two occasions on the same problems;
    a change of 2 points or more (either way) is clinically important (COPM manual)."""
    check_same_copm_problems(baseline, later)
    changes = []
    for key in ("performance", "satisfaction"):
        before = Fraction(sum(getattr(p, key) for p in copm_problems(baseline)))
        after = Fraction(sum(getattr(p, key) for p in copm_problems(later)))
        n = len(copm_problems(baseline))
        difference = (after - before) / n
        changes.append(
            Change(
                key=key,
                baseline=_rounded(before / n),
                latest=_rounded(after / n),
                change=_rounded(difference),
                clinically_important=abs(difference) >= COPM_IMPORTANT_CHANGE,
            )
        )
    return changes


# Perceived safety


def score_vas(answers: Answers, definition: Mapping[str, Any]) -> Scores:
    """Perceived safety at home on a visual analogue scale, 0 (not at all) to 100 (fully)."""
    return {"safety": int(answers["safety"])}


# SPPB


def _seconds(value: Any) -> Decimal | None:
    return None if value is None or value == UNABLE else Decimal(str(value))


def sppb_balance(side_by_side: Decimal, semi_tandem: Decimal | None, tandem: Decimal | None) -> int:
    """Balance 0-4 (Guralnik et al., J Gerontol 1994;49:M85-94): side-by-side held under 10 s
    scores 0 and ends the test; 10 s scores 1, then semi-tandem 10 s +1 (else the test ends),
    then tandem 3-9.99 s +1 or 10 s +2."""
    if side_by_side < 10:
        return 0
    if semi_tandem is None or semi_tandem < 10:
        return 1
    if tandem is None or tandem < 3:
        return 2
    return 3 if tandem < 10 else 4


def sppb_gait(seconds: Decimal | None) -> int:
    """4 m gait speed 0-4: unable 0, over 8.70 s 1, 6.21-8.70 s 2, 4.82-6.20 s 3, under 4.82 s 4."""
    if seconds is None:
        return 0
    if seconds > Decimal("8.70"):
        return 1
    if seconds > Decimal("6.20"):
        return 2
    if seconds >= Decimal("4.82"):
        return 3
    return 4


def sppb_chair_stands(seconds: Decimal | None) -> int:
    """Five chair stands 0-4: unable or over 60 s 0, 16.70 s or more 1, 13.70-16.69 s 2,
    11.20-13.69 s 3, 11.19 s or less 4."""
    if seconds is None or seconds > 60:
        return 0
    if seconds >= Decimal("16.70"):
        return 1
    if seconds >= Decimal("13.70"):
        return 2
    if seconds >= Decimal("11.20"):
        return 3
    return 4


def score_sppb(answers: Answers, definition: Mapping[str, Any]) -> Scores:
    """Short Physical Performance Battery: balance, gait and chair stands 0-4 each, total 0-12,
    from the raw times."""
    side_by_side = _seconds(answers["side_by_side"])
    balance = sppb_balance(
        side_by_side if side_by_side is not None else Decimal(0),
        _seconds(answers.get("semi_tandem")),
        _seconds(answers.get("tandem")),
    )
    gait = sppb_gait(_seconds(answers["gait_4m"]))
    chair = sppb_chair_stands(_seconds(answers["chair_stands"]))
    total = balance + gait + chair
    return {"balance": balance, "gait": gait, "chair_stands": chair, "total": total}


# FIM


def score_fim(answers: Answers, definition: Mapping[str, Any]) -> Scores:
    """FIM: 18 items 1-7; motor (13 items) 13-91, cognitive (5 items) 5-35, total 18-126."""
    sums = {"motor": 0, "cognitive": 0}
    for item in definition["items"]:
        sums[item["domain"]] += int(answers[item["code"]])
    return {**sums, "total": sums["motor"] + sums["cognitive"]}


SCORERS: dict[str, Callable[[Answers, Mapping[str, Any]], Scores]] = {
    "katz": score_katz,
    "adl_staircase": score_adl_staircase,
    "copm": score_copm,
    "vas": score_vas,
    "sppb": score_sppb,
    "fim": score_fim,
}


def compute_scores(definition: Mapping[str, Any], answers: Answers) -> Scores:
    """The instrument's scores from validated answers, by the scorer its definition names."""
    return SCORERS[definition["scoring"]](answers, definition)


# Change since baseline


def summary_changes(
    definition: Mapping[str, Any], baseline: Mapping[str, Any], latest: Mapping[str, Any]
) -> list[Change]:
    """The change of each summary score from baseline to the latest occasion. COPM's ratings
    are compared on the same problems, with its clinically important change."""
    if definition["scoring"] == "copm":
        return copm_change(baseline["answers"], latest["answers"])
    changes = []
    for summary in definition.get("summary", []):
        key = summary["key"]
        before, after = baseline["scores"].get(key), latest["scores"].get(key)
        if isinstance(before, int | float) and isinstance(after, int | float):
            difference = after - before
            if isinstance(difference, float):
                difference = _rounded(Fraction(after) - Fraction(before))
            changes.append(Change(key, before, after, difference, None))
    return changes


# Dates


AFTER_EPISODE_MONTHS: dict[str, int] = {
    Occasion.PLUS_3_MONTHS: 3,
    Occasion.PLUS_6_MONTHS: 6,
    Occasion.PLUS_12_MONTHS: 12,
}
WINDOW_DAYS = 30


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


def after_episode_window(
    occasion: str, ended_on: datetime.date
) -> tuple[datetime.date, datetime.date, datetime.date]:
    """(earliest, target, latest) of an assessment 3, 6 or 12 months after the episode ended
    (Socialstyrelsen's health-economics checklist): the target day within 30 days either way."""
    target = add_months(ended_on, AFTER_EPISODE_MONTHS[occasion])
    window = datetime.timedelta(days=WINDOW_DAYS)
    return target - window, target, target + window


def _date_error(message: str, code: str) -> ValidationError:
    return ValidationError({"assessed_on": ValidationError(message, code=code)})


def _short(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def check_assessment_date(
    *,
    occasion: str,
    assessed_on: datetime.date,
    started_on: datetime.date | None,
    ended_on: datetime.date | None,
    today: datetime.date,
) -> None:
    """Baseline, follow-up and end are dated within the episode: from the homecoming (or the
    decision's start before it) to the end. The +3/6/12 months occasions are dated after the
    episode's end, within 30 days of the target day. Never in the future."""
    if started_on is None:
        raise ValidationError(
            _("The person can be assessed once the decision has started."),
            code="episode_not_started",
        )
    if assessed_on > today:
        raise _date_error(_("The date cannot be in the future."), "future_date")
    if occasion in AFTER_EPISODE_MONTHS:
        if ended_on is None:
            raise _date_error(
                _("This occasion comes after the episode has ended."), "episode_not_ended"
            )
        earliest, _target, latest = after_episode_window(occasion, ended_on)
        if not earliest <= assessed_on <= latest:
            raise _date_error(
                _("This occasion is dated between %(start)s and %(end)s.")
                % {"start": _short(earliest), "end": _short(latest)},
                "outside_window",
            )
        return
    if assessed_on < started_on:
        raise _date_error(
            _("The assessment cannot be dated before the episode started (%(day)s).")
            % {"day": _short(started_on)},
            "before_episode",
        )
    if ended_on is not None and assessed_on > ended_on:
        raise _date_error(
            _("The assessment cannot be dated after the episode ended (%(day)s).")
            % {"day": _short(ended_on)},
            "after_episode",
        )


# Due occasions

END_DUE_WITHIN_DAYS = 3
END_LATE_FOR_DAYS = 30


@dataclass(frozen=True)
class Due:
    occasion: str
    due_on: datetime.date


def due_occasions(
    *,
    started_on: datetime.date | None,
    ended_on: datetime.date | None,
    decision_end_on: datetime.date | None,
    done: Collection[str],
    today: datetime.date,
) -> list[Due]:
    """What the assessing professional should do next for one episode: the baseline once the
    person is home; the end assessment when the decision ends within three days, or when the
    episode ended without one (for 30 days); the +3/6/12 months assessments while their
    window is open. Only a person assessed at baseline is followed up."""
    if started_on is None:
        return []
    if Occasion.BASELINE not in done:
        return [Due(Occasion.BASELINE, started_on)] if ended_on is None else []
    due = []
    if Occasion.END not in done:
        if ended_on is None:
            soon = today + datetime.timedelta(days=END_DUE_WITHIN_DAYS)
            if decision_end_on is not None and decision_end_on <= soon:
                due.append(Due(Occasion.END, decision_end_on))
        elif ended_on >= today - datetime.timedelta(days=END_LATE_FOR_DAYS):
            due.append(Due(Occasion.END, ended_on))
    if ended_on is not None:
        for occasion in AFTER_EPISODE_MONTHS:
            earliest, target, latest = after_episode_window(occasion, ended_on)
            if occasion not in done and earliest <= today <= latest:
                due.append(Due(occasion, target))
    return due
