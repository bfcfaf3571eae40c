"""Reads for assessments: the instruments a professional may use, an episode's trajectories
across occasions (with the data for a small chart), and the occasions due on the worklist."""

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext as _

from trygghem.assessments import rules
from trygghem.assessments.models import Assessment, Instrument
from trygghem.core.time import local_date
from trygghem.decisions.models import Decision
from trygghem.episodes.access import episodes_visible_to
from trygghem.episodes.models import Episode
from trygghem.staff.models import Staff

Occasion = Assessment.Occasion
OCCASION_ORDER = {code: index for index, code in enumerate(Occasion.values)}


def may_use(*, instrument: Instrument, staff: Staff) -> bool:
    """A licensed instrument (FIM) is for members of the teams that hold the licence."""
    if not instrument.requires_licence:
        return True
    teams = {team.pk for team in staff.teams.all()}
    return instrument.licensed_teams.filter(pk__in=teams).exists()


def instruments_for(*, staff: Staff) -> list[Instrument]:
    """The newest active version of each instrument the staff member may use."""
    newest: dict[str, Instrument] = {}
    for instrument in Instrument.objects.filter(active=True).prefetch_related("licensed_teams"):
        if instrument.code not in newest or instrument.version > newest[instrument.code].version:
            newest[instrument.code] = instrument
    teams = {team.pk for team in staff.teams.all()}
    return sorted(
        (
            instrument
            for instrument in newest.values()
            if not instrument.requires_licence
            or teams & {team.pk for team in instrument.licensed_teams.all()}
        ),
        key=lambda instrument: _(instrument.name),
    )


def started_on(*, episode: Episode) -> datetime.date | None:
    """The first day the person can be assessed in the episode: the homecoming, or the start of
    the decision before it."""
    if episode.home_at is not None:
        return local_date(episode.home_at)
    first: datetime.date | None = Decision.objects.filter(episode=episode).aggregate(
        first=Min("start_on")
    )["first"]
    return first


def assessments(*, episode: Episode) -> QuerySet[Assessment]:
    return Assessment.objects.filter(episode=episode).select_related(
        "instrument", "assessed_by__user"
    )


# Presenting answers and scores


def _score_labels() -> dict[str, str]:
    """The label of each score, in the order they are shown (JSON keys have no order on
    PostgreSQL)."""
    return {
        "grade": _("Katz grade"),
        "step": _("Staircase step (0-10)"),
        "katz_grade": _("Katz grade"),
        "dependent": _("Dependent in"),
        "dependent_count": _("Activities with dependence"),
        "katz_dependent_count": _("P-ADL activities with dependence (0-6)"),
        "iadl_dependent_count": _("I-ADL activities with dependence (0-4)"),
        "sum_score": _("Sum score (0-30)"),
        "problems": _("Problems"),
        "performance": _("Performance"),
        "satisfaction": _("Satisfaction"),
        "safety": _("Perceived safety (0-100)"),
        "balance": _("Balance (0-4)"),
        "gait": _("Gait speed (0-4)"),
        "chair_stands": _("Chair stands (0-4)"),
        "motor": _("Motor (13-91)"),
        "cognitive": _("Cognitive (5-35)"),
        "total": _("Total"),
    }


@dataclass(frozen=True)
class Row:
    label: str
    value: str


def _items(definition: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {str(item["code"]): item for item in definition["items"]}


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if value * 10 == int(value * 10) else f"{value:.2f}"
    return str(value)


def score_rows(*, instrument: Instrument, scores: Mapping[str, Any]) -> list[Row]:
    """The computed scores as label and value, in the user's language."""
    labels = _score_labels()
    items = _items(instrument.definition)
    rows = []
    for key in [*(key for key in labels if key in scores), *sorted(set(scores) - set(labels))]:
        value = scores[key]
        if key == "dependent":
            shown = ", ".join(rules.item_label(items[code]) for code in value) or _("None")
        elif key == "step" and value is None:
            shown = _("Not classifiable (the pattern breaks the hierarchy)")
        elif key in ("grade", "katz_grade") and value == rules.KATZ_OTHER:
            shown = _("Other (not classifiable)")
        else:
            shown = _number(value)
        rows.append(Row(labels.get(key, key), shown))
    return rows


def answer_rows(*, instrument: Instrument, answers: Mapping[str, Any]) -> list[Row]:
    """The answers item by item, as the instrument labels them."""
    rows = []
    for code, item in _items(instrument.definition).items():
        if code not in answers:
            continue
        value = answers[code]
        if item["kind"] == "choice":
            shown = _(str({int(v): label for v, label in item["choices"]}[int(value)]))
            shown = f"{value} – {shown}"
        elif value == rules.UNABLE:
            shown = _("Unable to do it")
        else:
            shown = str(value)
        rows.append(Row(rules.item_label(item), shown))
    return rows


# Trajectories

CHART_WIDTH = 360
CHART_HEIGHT = 200
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 44, 344, 16, 140


@dataclass(frozen=True)
class Point:
    occasion: str
    value: float
    x: float
    y: float

    @property
    def shown(self) -> str:
        return _number(self.value)

    @property
    def label_y(self) -> float:
        return self.y - 8

    @property
    def corner_x(self) -> float:
        return self.x - 4

    @property
    def corner_y(self) -> float:
        return self.y - 4


@dataclass(frozen=True)
class Series:
    label: str
    low: float
    high: float
    better: str
    points: list[Point]
    dashed: bool
    legend_y: int

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)

    @property
    def low_y(self) -> int:
        return PLOT_BOTTOM

    @property
    def high_y(self) -> int:
        return PLOT_TOP


@dataclass(frozen=True)
class ChangeRow:
    label: str
    baseline: str
    latest: str
    change: str
    direction: str
    clinically_important: bool | None


@dataclass(frozen=True)
class TableRow:
    assessment: Assessment
    values: list[str]


@dataclass(frozen=True)
class Trajectory:
    code: str
    name: str
    rows: list[TableRow]
    series: list[Series]
    changes: list[ChangeRow]
    latest_occasion: str
    axis: list[tuple[str, float]]


def _x_positions(count: int) -> list[float]:
    if count == 1:
        return [(PLOT_LEFT + PLOT_RIGHT) / 2]
    step = (PLOT_RIGHT - PLOT_LEFT) / (count - 1)
    return [PLOT_LEFT + index * step for index in range(count)]


def _y(value: float, low: float, high: float) -> float:
    return PLOT_BOTTOM - (value - low) / (high - low) * (PLOT_BOTTOM - PLOT_TOP)


def _direction(change: float, better: str) -> str:
    if change == 0:
        return _("unchanged")
    improved = change > 0 if better == "higher" else change < 0
    return _("better") if improved else _("worse")


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + _number(value)


def _trajectory(rows: list[Assessment]) -> Trajectory:
    rows.sort(key=lambda assessment: OCCASION_ORDER[assessment.occasion])
    definition = rows[0].instrument.definition
    labels = dict(Occasion.choices)
    xs = _x_positions(len(rows))
    series = []
    for index, summary in enumerate(definition.get("summary", [])):
        low, high = float(summary["min"]), float(summary["max"])
        points = [
            Point(
                str(labels[a.occasion]),
                float(a.scores[summary["key"]]),
                x,
                _y(float(a.scores[summary["key"]]), low, high),
            )
            for a, x in zip(rows, xs, strict=True)
            if isinstance(a.scores.get(summary["key"]), int | float)
        ]
        series.append(
            Series(
                _(summary["label"]),
                low,
                high,
                summary["better"],
                points,
                dashed=index > 0,
                legend_y=176 + 16 * index,
            )
        )
    summaries = definition.get("summary", [])
    changes = []
    baseline, latest = rows[0], rows[-1]
    if baseline.occasion == Occasion.BASELINE and latest is not baseline:
        better = {s["key"]: s["better"] for s in definition.get("summary", [])}
        summary_labels = {s["key"]: _(s["label"]) for s in definition.get("summary", [])}
        for change in rules.summary_changes(
            definition,
            {"answers": baseline.answers, "scores": baseline.scores},
            {"answers": latest.answers, "scores": latest.scores},
        ):
            changes.append(
                ChangeRow(
                    summary_labels[change.key],
                    _number(change.baseline),
                    _number(change.latest),
                    _signed(change.change),
                    _direction(change.change, better[change.key]),
                    change.clinically_important,
                )
            )
    return Trajectory(
        code=rows[0].instrument_code,
        name=_(rows[0].instrument.name),
        rows=[TableRow(a, [_number(a.scores.get(s["key"], "–")) for s in summaries]) for a in rows],
        series=series,
        changes=changes,
        latest_occasion=str(labels[latest.occasion]),
        axis=[(str(labels[a.occasion]), x) for a, x in zip(rows, xs, strict=True)],
    )


def trajectories(*, episode: Episode) -> list[Trajectory]:
    """Each instrument's scores across the occasions, and the change since baseline."""
    per_instrument: dict[str, list[Assessment]] = defaultdict(list)
    for assessment in assessments(episode=episode):
        per_instrument[assessment.instrument_code].append(assessment)
    return sorted((_trajectory(rows) for rows in per_instrument.values()), key=lambda t: t.name)


# Due occasions


@dataclass(frozen=True)
class DueAssessment:
    episode: Episode
    occasion: str
    due_on: datetime.date

    @property
    def occasion_label(self) -> str:
        return str(dict(Occasion.choices)[self.occasion])


def due_assessments(*, staff: Staff, today: datetime.date) -> list[DueAssessment]:
    """The assessment occasions due for people in the staff member's teams (rules.due_occasions):
    baselines of people at home, end assessments, and +3/6/12 months after the episode."""
    window_start = today - datetime.timedelta(days=366 + rules.WINDOW_DAYS)
    episodes = list(
        episodes_visible_to(staff)
        .filter(
            Q(status__in=[Episode.Status.ACTIVE, Episode.Status.FOLLOW_UP_HELD])
            | Q(status=Episode.Status.ENDED, ended_on__gte=window_start)
        )
        .select_related("person", "program")
    )
    ids = [episode.pk for episode in episodes]
    done: dict[int, set[str]] = defaultdict(set)
    for episode_id, occasion in Assessment.objects.filter(episode_id__in=ids).values_list(
        "episode_id", "occasion"
    ):
        done[episode_id].add(occasion)
    decision_end = dict(
        Decision.objects.filter(
            episode_id__in=ids, is_current=True, terminated_on__isnull=True
        ).values_list("episode_id", "end_on")
    )
    due = [
        DueAssessment(episode, item.occasion, item.due_on)
        for episode in episodes
        for item in rules.due_occasions(
            started_on=local_date(episode.home_at) if episode.home_at else None,
            ended_on=episode.ended_on,
            decision_end_on=decision_end.get(episode.pk),
            done=done[episode.pk],
            today=today,
        )
    ]
    return sorted(due, key=lambda d: (d.due_on, d.episode.person.last_name))
